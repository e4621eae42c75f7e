-- The a-kasse a person is a member of at the end of the delivery month (latest membership).
select cpr, arg_max(akasse_kode, fra_dato) as akasse_kode
from {{ ref('stg_akasse_medlemskab') }}
where fra_dato <= {{ month_end() }}
  and (til_dato is null or til_dato >= {{ month_start() }})
group by cpr
