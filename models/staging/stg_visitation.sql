-- Visitation decisions; annulled registrations are excluded.
select visitation_id, cpr, forloeb_id, visitationskategori, visitationsdato, kommune_kode
from {{ source('dsdw', 'visitation') }}
where not annulleret
