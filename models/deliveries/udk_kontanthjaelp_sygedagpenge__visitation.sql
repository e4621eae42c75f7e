-- The visitation decision in force at the end of the month, for this month's recipients.
select
    cast(v.cpr as varchar) as cpr,
    cast(v.visitationsdato as date) as visitationsdato,
    cast(v.visitationskategori as varchar) as visitationskategori,
    cast(v.kommune_kode as integer) as kommune_kode
from {{ ref('stg_visitation') }} v
where v.visitationsdato <= {{ month_end() }}
  and v.cpr in (select cpr from {{ ref('udk_kontanthjaelp_sygedagpenge__modtagere') }})
qualify row_number() over (partition by v.cpr order by v.visitationsdato desc, v.visitation_id desc) = 1
