-- DREAM to STIL (pseudonymised, national), the wide file's person columns. Week and month
-- columns: the __y, __branche and __grad models, pivoted at export.
select
    cast({{ pseudonym('cpr') }} as varchar) as pnr_pseudonym,
    cast(kommune_kode as integer) as kommune_kode,
    cast(koen as varchar) as koen,
    cast(alder as integer) as alder
from {{ ref('int_dream_personer') }}
