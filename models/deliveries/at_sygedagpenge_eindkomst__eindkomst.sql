-- eIncome in the month of this month's sickness-benefit recipients.
select
    cast(e.cpr as varchar) as cpr,
    cast(e.cvr as varchar) as cvr,
    cast({{ month_label('e.periode') }} as varchar) as periode,
    cast(e.loen as decimal(12,2)) as loenbeloeb,
    cast(e.timer as decimal(6,2)) as timer
from {{ ref('stg_eindkomst') }} e
where e.periode = {{ month_start() }}
  and e.cpr in (select cpr from {{ ref('at_sygedagpenge_eindkomst__sygedagpenge') }})
