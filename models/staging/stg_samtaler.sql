-- Meetings; registration errors (annulleret) are excluded. A meeting not held stays
-- (afholdt = false): that is information, not an error.
select s.samtale_id, s.cpr, s.forloeb_id, f.ydelse_kode, s.samtale_dato, s.samtale_tidspunkt,
       s.samtaletype, s.samtaleform, s.jobcenter_kommune, s.afholdt
from {{ source('dsdw', 'samtaler') }} s
join {{ source('dsdw', 'forloeb') }} f using (forloeb_id)
where not s.annulleret
