-- DST's monthly unemployment statistics: person-weeks on an unemployment-type benefit.
-- Hours: a full week (37) except activation weeks (112), where the person is not available.
select
    cast(d.cpr as varchar) as cpr,
    cast(d.kommune_kode as integer) as kommune_kode,
    cast(d.ydelse_kode as varchar) as ydelse_kode,
    cast(d.periode as varchar) as periode,
    cast(d.uge as varchar) as uge,
    cast(case when d.ydelse_kode = '112' then 0 else 37 end as decimal(5,2)) as timer,
    cast(d.koen as varchar) as koen,
    cast(d.alder as integer) as alder,
    cast(a.akasse_kode is not null as boolean) as akasse_medlem
from {{ ref('int_dream_maaned') }} d
left join {{ ref('int_akasse_maaned') }} a on a.cpr = d.cpr
where d.ydelse_kode in ('111', '112', '211', '611', '701', '730', '740', '750', '760')
