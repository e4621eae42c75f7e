-- Persons with their municipality and region of residence.
select
    p.cpr,
    p.foedselsdato,
    p.koen,
    p.bopaelskommune as kommune_kode,
    k.region_kode,
    p.herkomst
from {{ source('dsdw', 'personer') }} p
left join {{ source('dsdw', 'kommuner') }} k on k.kommune_kode = p.bopaelskommune
