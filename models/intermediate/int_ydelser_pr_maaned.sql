-- Validated payments per person, month and benefit code: days with the benefit (at most the
-- month's days), amount paid, and the start of the (earliest) spell behind them.
select
    u.cpr,
    u.periode,
    u.ydelse_kode,
    least(sum(u.dage), day(last_day(u.periode))) as dage,
    sum(u.beloeb) as beloeb,
    min(f.start_dato) as forloeb_start,
    max(f.slut_dato) as forloeb_slut
from {{ ref('stg_ydelsesudbetalinger') }} u
join {{ ref('stg_forloeb') }} f using (forloeb_id)
group by u.cpr, u.periode, u.ydelse_kode
