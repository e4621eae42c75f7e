-- DREAM to every municipality: its own residents only (routed by residence).
select
    cast(cpr as varchar) as cpr,
    cast(kommune_kode as integer) as kommune_kode,
    cast(periode as varchar) as periode,
    cast(uge as varchar) as uge,
    cast(ydelse_kode as varchar) as ydelse_kode,
    cast(branche as varchar) as branche,
    cast(grad as integer) as grad,
    cast(koen as varchar) as koen,
    cast(alder as integer) as alder,
    cast(kommune_kode as varchar) as leverance_modtager
from {{ ref('int_dream_maaned') }}
