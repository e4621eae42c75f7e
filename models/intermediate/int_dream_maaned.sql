{{ config(materialized="table") }}
-- DREAM for the delivery month in long form: one row per person and ISO week (weeks whose
-- Monday lies in the month) for everyone with a benefit week or eIncome in the month.
with weeks as (
    select cast(d as date) as mandag
    from (select unnest(generate_series({{ month_start() }}, {{ month_end() }}, interval 1 day)) as d)
    where isodow(d) = 1
), benefit as (
    select cpr, mandag, ydelse_kode
    from {{ ref('stg_dream_uger') }}
    where mandag between {{ month_start() }} and {{ month_end() }}
), income as (
    select cpr, arg_max(branche, loen) as branche, sum(timer) as timer
    from {{ ref('stg_eindkomst') }}
    where periode = {{ month_start() }}
    group by cpr
), people as (
    select cpr from benefit union select cpr from income
)
select
    p.cpr,
    s.kommune_kode,
    s.region_kode,
    {{ month_label(month_start()) }} as periode,
    {{ iso_week('w.mandag') }} as uge,
    b.ydelse_kode,
    i.branche,
    cast(least(100, round(i.timer / 160.33 * 100)) as integer) as grad,
    s.koen,
    {{ age_at('s.foedselsdato', month_end()) }} as alder
from people p
cross join weeks w
join {{ ref('stg_personer') }} s on s.cpr = p.cpr
left join benefit b on b.cpr = p.cpr and b.mandag = w.mandag
left join income i on i.cpr = p.cpr
