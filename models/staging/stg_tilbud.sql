-- Offers; annulled courses ("annullerede forløb") are excluded.
select tilbud_id, tilbud_nr, cpr, forloeb_id, tilbud_kode, start_dato, slut_dato, timer_pr_uge,
       kommune_kode
from {{ source('dsdw', 'tilbud') }}
where not annulleret
