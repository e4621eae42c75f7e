-- The job centre's contacts (samtaler) with this month's recipients in the month.
select
    cast(s.cpr as varchar) as cpr,
    cast(s.samtale_tidspunkt as timestamp) as kontakt_tid,
    cast(s.samtaletype as varchar) as samtaletype,
    cast(s.samtaleform as varchar) as samtaleform,
    cast(s.afholdt as boolean) as afholdt
from {{ ref('stg_samtaler') }} s
where s.samtale_dato between {{ month_start() }} and {{ month_end() }}
  and s.cpr in (select cpr from {{ ref('udk_kontanthjaelp_sygedagpenge__modtagere') }})
qualify row_number() over (partition by s.cpr, s.samtale_tidspunkt order by s.samtale_id) = 1
