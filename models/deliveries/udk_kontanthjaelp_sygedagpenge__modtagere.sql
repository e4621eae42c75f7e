-- Recipients of kontanthjælp, uddannelseshjælp or sygedagpenge in the month (main benefit:
-- most days). Kommune: the responsible municipality (residence).
select
    cast(y.cpr as varchar) as cpr,
    cast({{ month_label('y.periode') }} as varchar) as periode,
    cast(p.kommune_kode as integer) as kommune_kode,
    cast(arg_max(y.ydelse_kode, y.dage) as varchar) as ydelse_kode,
    cast(arg_max(y.forloeb_start, y.dage) as date) as ydelse_start,
    cast(max(y.dage) as integer) as ydelse_dage
from {{ ref('int_ydelser_pr_maaned') }} y
join {{ ref('stg_personer') }} p on p.cpr = y.cpr
where y.periode = {{ month_start() }}
  and y.ydelse_kode in ('701', '730', '740', '890')
group by y.cpr, y.periode, p.kommune_kode
