-- DREAM: one benefit code per person and week (the priority rule is applied in DSDW).
select cpr, mandag, uge, ydelse_kode
from {{ source('dsdw', 'dream_uger') }}
