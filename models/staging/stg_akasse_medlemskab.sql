-- A-kasse membership periods (til_dato null = still a member).
select cpr, akasse_kode, fra_dato, til_dato
from {{ source('dsdw', 'akasse_medlemskab') }}
