-- Meeting times of unemployment-benefit recipients to the municipalities. A meeting goes to
-- the job centre that holds it (DSDW's registering municipality); the contract's scope is
-- residence, so a citizen whose case stayed with another job centre is caught by the gate.
with s as (
    select s.*
    from {{ ref('stg_samtaler') }} s
    where s.ydelse_kode in ('111', '112')
      and s.samtale_dato between {{ month_start() }} and {{ month_end() }}
    qualify row_number() over (partition by s.cpr, s.samtale_tidspunkt order by s.samtale_id) = 1
)
select
    cast(s.cpr as varchar) as cpr,
    cast(p.kommune_kode as integer) as kommune_kode,
    cast(s.samtale_tidspunkt as timestamp) as samtale_tid,
    cast(s.samtaletype as varchar) as samtaletype,
    cast(s.samtaleform as varchar) as samtaleform,
    cast(case when s.samtaletype in ('CV', 'RAADIGHED', 'FAELLES') then a.akasse_kode end as varchar)
      as akasse,
    cast(s.afholdt as boolean) as afholdt,
    cast(s.jobcenter_kommune as varchar) as leverance_modtager
from s
join {{ ref('stg_personer') }} p on p.cpr = s.cpr
left join {{ ref('int_akasse_maaned') }} a on a.cpr = s.cpr
