-- STAR's own validation (the ministry's data overview, reform of førtidspension og fleksjob): annulled registrations and payments that were wrongly
-- paid and later reversed ("tilbagekonteret") are not part of the data.
select
    udbetaling_id,
    forloeb_id,
    cpr,
    ydelse_kode,
    kommune_kode,
    periode,
    dage,
    beloeb
from {{ source('dsdw', 'ydelsesudbetalinger') }}
where not annulleret
  and not tilbagekonteret
