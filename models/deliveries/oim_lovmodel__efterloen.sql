-- The law model: early-retirement pay (efterløn) per person and month.
select
    cast({{ pseudonym('y.cpr') }} as varchar) as pnr_pseudonym,
    cast({{ month_label('y.periode') }} as varchar) as periode,
    cast(a.akasse_kode as varchar) as akasse,
    cast(y.beloeb as decimal(10,2)) as beloeb,
    cast(y.forloeb_start as date) as efterloen_start,
    {{ age_at('p.foedselsdato', month_end()) }} as alder
from {{ ref('int_ydelser_pr_maaned') }} y
join {{ ref('stg_personer') }} p on p.cpr = y.cpr
join {{ ref('int_akasse_maaned') }} a on a.cpr = y.cpr
where y.periode = {{ month_start() }} and y.ydelse_kode = '121'
