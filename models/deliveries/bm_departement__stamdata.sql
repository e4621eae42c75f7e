-- The ministry's department: master data of every person known in DSDW (pseudonymised).
select
    cast({{ pseudonym('p.cpr') }} as varchar) as pnr_pseudonym,
    cast({{ month_label(month_start()) }} as varchar) as periode,
    cast(p.kommune_kode as integer) as kommune_kode,
    cast(p.koen as varchar) as koen,
    cast(year(p.foedselsdato) as integer) as foedselsaar,
    cast(p.herkomst as varchar) as herkomst
from {{ ref('stg_personer') }} p
