-- Benefits received in the month, per person and benefit code (validated payments only).
select
    cast({{ pseudonym('y.cpr') }} as varchar) as pnr_pseudonym,
    cast(y.ydelse_kode as varchar) as ydelse_kode,
    cast(y.dage as integer) as dage,
    cast(y.beloeb as decimal(12,2)) as beloeb
from {{ ref('int_ydelser_pr_maaned') }} y
where y.periode = {{ month_start() }}
