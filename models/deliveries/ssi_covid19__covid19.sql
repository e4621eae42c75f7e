-- SSI's COVID-19 surveillance, weekly: the ISO week that contains the month's last day.
-- Everyone with a benefit week or eIncome in that week's month; wage compensation for sent-home
-- employees (lønkompensation) ended in 2021, so hjemsendt is false for employees, empty otherwise.
with wk as (
    select {{ period_start('weekly') }} as mandag
), benefit as (
    select d.cpr, d.ydelse_kode from {{ ref('stg_dream_uger') }} d, wk where d.mandag = wk.mandag
), income as (
    select e.cpr, arg_max(e.branche, e.loen) as branche
    from {{ ref('stg_eindkomst') }} e, wk
    where e.periode = cast(date_trunc('month', wk.mandag + 3) as date)
    group by e.cpr
), people as (
    select cpr from benefit union select cpr from income
)
select
    cast(x.cpr as varchar) as cpr,
    cast({{ iso_week('wk.mandag') }} as varchar) as uge,
    cast(p.kommune_kode as integer) as kommune_kode,
    cast(b.ydelse_kode as varchar) as ydelse_kode,
    cast(i.cpr is not null as boolean) as beskaeftiget,
    cast(i.branche as varchar) as branche,
    cast(case when i.cpr is not null then false end as boolean) as hjemsendt
from people x
cross join wk
join {{ ref('stg_personer') }} p on p.cpr = x.cpr
left join benefit b on b.cpr = x.cpr
left join income i on i.cpr = x.cpr
