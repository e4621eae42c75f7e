-- Wage income (eIndkomst) in the month, per person.
select
    cast({{ pseudonym('e.cpr') }} as varchar) as pnr_pseudonym,
    cast(sum(e.loen) as decimal(12,2)) as loenindkomst,
    cast(least(sum(e.timer), 744) as decimal(6,2)) as loentimer
from {{ ref('stg_eindkomst') }} e
where e.periode = {{ month_start() }}
group by e.cpr
