-- DREAM to regioner, family grad_YYYY_MM in long form: one row per person and month with work.
select
    cast({{ pseudonym('cpr') }} as varchar) as pnr_pseudonym,
    cast(maaned as varchar) as maaned,
    cast(grad as integer) as grad
from {{ ref('int_dream_beskaeftigelse') }}
where grad is not null
