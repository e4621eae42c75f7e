-- DREAM to stil, family branche_YYYY_MM in long form: one row per person and month with work.
select
    cast({{ pseudonym('cpr') }} as varchar) as pnr_pseudonym,
    cast(maaned as varchar) as maaned,
    cast(branche as varchar) as branche
from {{ ref('int_dream_beskaeftigelse') }}
where branche is not null
