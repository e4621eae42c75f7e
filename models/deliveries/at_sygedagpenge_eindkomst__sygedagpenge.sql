-- Sickness-benefit spells active in the month, with the employer of the latest eIncome.
with spells as (
    select f.cpr, f.start_dato, f.slut_dato,
           datediff('day', greatest(f.start_dato, {{ month_start() }}),
                    least(f.slut_dato, {{ month_end() }})) + 1 as dage
    from {{ ref('stg_forloeb') }} f
    where f.ydelse_kode = '890'
      and f.start_dato <= {{ month_end() }} and f.slut_dato >= {{ month_start() }}
    qualify row_number() over (partition by f.cpr, f.start_dato order by f.slut_dato desc) = 1
), employer as (
    select e.cpr, arg_max(e.cvr, e.periode) as cvr, arg_max(e.branche, e.periode) as branche
    from {{ ref('stg_eindkomst') }} e
    where e.periode <= {{ month_start() }}
    group by e.cpr
)
select
    cast(s.cpr as varchar) as cpr,
    cast({{ month_label(month_start()) }} as varchar) as periode,
    cast(e.cvr as varchar) as cvr,
    cast(e.branche as varchar) as branche,
    cast(p.kommune_kode as integer) as kommune_kode,
    cast(s.start_dato as date) as sygemelding_start,
    cast(case when s.slut_dato <= {{ month_end() }} then s.slut_dato end as date) as sygemelding_slut,
    cast(s.dage as integer) as sygedage
from spells s
join {{ ref('stg_personer') }} p on p.cpr = s.cpr
left join employer e on e.cpr = s.cpr
