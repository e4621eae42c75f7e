-- Benefit spells (forløb).
select forloeb_id, cpr, ydelse_kode, start_dato, slut_dato, kommune_kode
from {{ source('dsdw', 'forloeb') }}
