-- The law model (dagpengemodellen): unemployment benefit per person and month.
-- Hours: 7.4 per weekday with benefit (days * 5/7, at most 23); daily rate: amount per such day.
with d as (
    select y.cpr, y.periode, sum(y.dage) as dage, sum(y.beloeb) as beloeb
    from {{ ref('int_ydelser_pr_maaned') }} y
    where y.periode = {{ month_start() }} and y.ydelse_kode in ('111', '112', '211')
    group by y.cpr, y.periode
)
select
    cast({{ pseudonym('d.cpr') }} as varchar) as pnr_pseudonym,
    cast({{ month_label('d.periode') }} as varchar) as periode,
    cast(a.akasse_kode as varchar) as akasse,
    cast(round(least(23, greatest(1, round(least(d.dage, 31) * 5 / 7))) * 7.4, 2) as decimal(6,2))
      as dagpengetimer,
    cast(d.beloeb as decimal(10,2)) as beloeb,
    -- the rate divides by all benefit days (overlapping 111/112/211 spells are paid for each)
    cast(round(d.beloeb / greatest(1, round(d.dage * 5 / 7)), 2) as decimal(7,2)) as dagpengesats,
    {{ age_at('p.foedselsdato', month_end()) }} as alder
from d
join {{ ref('stg_personer') }} p on p.cpr = d.cpr
join {{ ref('int_akasse_maaned') }} a on a.cpr = d.cpr
