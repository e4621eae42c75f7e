-- DST's quarterly public-support statistics: per person, month of the quarter and benefit.
with y as (
    select *
    from {{ ref('int_ydelser_pr_maaned') }}
    where periode between {{ period_start('quarterly') }} and {{ period_end('quarterly') }}
), active as (
    select distinct y.cpr, y.periode
    from y join {{ ref('stg_tilbud') }} t
      on t.cpr = y.cpr and t.start_dato <= last_day(y.periode) and t.slut_dato >= y.periode
), member as (
    select distinct y.cpr, y.periode
    from y join {{ ref('stg_akasse_medlemskab') }} m
      on m.cpr = y.cpr and m.fra_dato <= last_day(y.periode)
     and (m.til_dato is null or m.til_dato >= y.periode)
)
select
    cast(y.cpr as varchar) as cpr,
    cast({{ month_label('y.periode') }} as varchar) as periode,
    cast(p.kommune_kode as integer) as kommune_kode,
    cast(y.ydelse_kode as varchar) as ydelse_kode,
    cast(y.dage as integer) as dage,
    cast(round(y.dage / day(last_day(y.periode)), 3) as decimal(4,3)) as fuldtidsandel,
    cast(a.cpr is not null as boolean) as aktiveret,
    cast(m.cpr is not null as boolean) as akasse_medlem
from y
join {{ ref('stg_personer') }} p on p.cpr = y.cpr
left join active a on a.cpr = y.cpr and a.periode = y.periode
left join member m on m.cpr = y.cpr and m.periode = y.periode
