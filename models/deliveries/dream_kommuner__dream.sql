-- DREAM to every municipality, the wide file's person columns: its own residents only
-- (routed by residence). The week and month columns come from dream_kommuner__dream__y,
-- __branche and __grad (long form), pivoted at export: see README, "The pipeline".
select
    cast(cpr as varchar) as cpr,
    cast(kommune_kode as integer) as kommune_kode,
    cast(koen as varchar) as koen,
    cast(alder as integer) as alder,
    cast(kommune_kode as varchar) as leverance_modtager
from {{ ref('int_dream_personer') }}
