-- DREAM to regioner, family y_YYWW in long form: one row per person and ISO week with a benefit.
select
    cast({{ pseudonym('cpr') }} as varchar) as pnr_pseudonym,
    cast(uge as varchar) as uge,
    cast(ydelse_kode as varchar) as y
from {{ ref('int_dream_uger_historik') }}
