-- Offers active in the month of this month's recipients.
select
    cast(t.cpr as varchar) as cpr,
    cast(t.tilbud_nr as varchar) as tilbud_id,
    cast(t.tilbud_kode as varchar) as tilbud_kode,
    cast(t.start_dato as date) as startdato,
    cast(case when t.slut_dato <= {{ month_end() }} then t.slut_dato end as date) as slutdato,
    cast(t.timer_pr_uge as decimal(4,1)) as timer_pr_uge
from {{ ref('stg_tilbud') }} t
where t.start_dato <= {{ month_end() }} and t.slut_dato >= {{ month_start() }}
  and t.cpr in (select cpr from {{ ref('udk_kontanthjaelp_sygedagpenge__modtagere') }})
