-- DREAM's monthly employment through the delivery month in long form: one row per person and
-- month with eIncome, the month's main industry (by pay) and employment rate (hours of a
-- full-time month, 160.33, capped at 100 %).
select
    cpr,
    {{ month_label('periode') }} as maaned,
    arg_max(branche, loen) as branche,
    cast(least(100, round(sum(timer) / 160.33 * 100)) as integer) as grad
from {{ ref('stg_eindkomst') }}
where periode <= {{ month_start() }}
group by cpr, periode
