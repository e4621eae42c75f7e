-- DREAM's weekly benefit codes through the delivery month in long form: one row per person
-- and ISO week with a benefit (the week belongs to the month holding its Thursday). Weeks
-- without a row are empty in the wide file; so are weeks before the warehouse's history.
select
    cpr,
    {{ iso_week('mandag') }} as uge,
    ydelse_kode
from {{ ref('stg_dream_uger') }}
where mandag + interval 3 day <= {{ month_end() }}
