-- eIncome per person, employer and month.
select cpr, periode, cvr, branche, loen, timer
from {{ source('dsdw', 'eindkomst') }}
