-- UIM: recipients of cash benefit, self-support/return and transition allowance in the month,
-- by origin, visitation category and main employment-oriented offer (most days).
with y as (
    select cpr, arg_max(ydelse_kode, dage) as ydelse_kode
    from {{ ref('int_ydelser_pr_maaned') }}
    where periode = {{ month_start() }} and ydelse_kode in ('701', '730', '740', '750', '760')
    group by cpr
), v as (
    select cpr, arg_max(visitationskategori, visitationsdato) as visitationskategori
    from {{ ref('stg_visitation') }}
    where visitationsdato <= {{ month_end() }}
    group by cpr
), t as (
    select cpr,
           arg_max(tilbud_kode, datediff('day', greatest(start_dato, {{ month_start() }}),
                                         least(slut_dato, {{ month_end() }})) + 1) as tilbud_kode,
           max(datediff('day', greatest(start_dato, {{ month_start() }}),
                        least(slut_dato, {{ month_end() }})) + 1) as tilbud_dage
    from {{ ref('stg_tilbud') }}
    where start_dato <= {{ month_end() }} and slut_dato >= {{ month_start() }}
    group by cpr
)
select
    cast({{ pseudonym('y.cpr') }} as varchar) as pnr_pseudonym,
    cast({{ month_label(month_start()) }} as varchar) as periode,
    cast(p.kommune_kode as integer) as kommune_kode,
    cast(y.ydelse_kode as varchar) as ydelse_kode,
    cast(p.herkomst as varchar) as herkomst,
    cast(v.visitationskategori as varchar) as visitationskategori,
    cast(t.tilbud_kode as varchar) as tilbud_kode,
    cast(t.tilbud_dage as integer) as tilbud_dage,
    cast(p.koen as varchar) as koen,
    {{ age_at('p.foedselsdato', month_end()) }} as alder
from y
join {{ ref('stg_personer') }} p on p.cpr = y.cpr
left join v on v.cpr = y.cpr
left join t on t.cpr = y.cpr
