-- DREAM to the regions (pseudonymised), the wide file's person columns; routed by region of
-- residence. Week and month columns: the __y, __branche and __grad models, pivoted at export.
select
    cast({{ pseudonym('cpr') }} as varchar) as pnr_pseudonym,
    cast(region_kode as integer) as region_kode,
    cast(kommune_kode as integer) as kommune_kode,
    cast(koen as varchar) as koen,
    cast(alder as integer) as alder,
    cast(region_kode as varchar) as leverance_modtager
from {{ ref('int_dream_personer') }}
