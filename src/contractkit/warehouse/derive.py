"""Derive the DSDW stand-in's event tables from persons and spells, in DuckDB SQL.

Randomness inside SQL is a keyed hash of the row's identity and the random seed (``_u(...)``
below), so a table is the same on every build with the same seed and DuckDB version,
whatever the thread schedule.

Tables (all in schema ``main``):

* ``ydelseskoder`` — benefit code, DREAM priority, full-month rate.
* ``ydelsesudbetalinger`` — monthly benefit payments with registration errors mixed in:
  annulled registrations (``annulleret``) and wrongly paid, later reversed payments
  (``tilbagekonteret``: the original and its negative reversal row are both flagged).
* ``dream_uger`` — one row per person and ISO week with a benefit; DREAM's priority rule.
* ``tilbud`` — offers/activation (virksomhedspraktik, løntilskud, mentor, uddannelse).
* ``visitation`` — visitation category at the start of a spell.
* ``samtaler`` — meetings (samtaler) during unemployment/cash/sickness-benefit spells; held
  (``afholdt``) or not, and registration errors (``annulleret``).
* ``akasse_medlemskab`` — a-kasse membership periods.
* ``eindkomst`` — monthly eIncome per employed person.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from contractkit.warehouse.people import BENEFITS, COVERAGE_END, COVERAGE_START

if TYPE_CHECKING:
    import duckdb

__all__ = ["derive_tables"]


def _u(expr: str, seed: int, tag: str) -> str:
    """SQL for a uniform number in [0, 1) keyed by ``expr``, ``seed`` and ``tag``."""
    return f"((hash({expr} || ':{seed}:{tag}') % 1000000) / 1000000.0)"


def _statements(seed: int) -> Iterable[str]:
    first, last = COVERAGE_START.isoformat(), COVERAGE_END.isoformat()
    codes = ", ".join(f"('{b.code}', {b.priority}, {b.monthly_rate})" for b in BENEFITS)
    key = "f.forloeb_id::VARCHAR || p.md::VARCHAR"
    yield f"""
    CREATE TABLE ydelseskoder AS
    SELECT * FROM (VALUES {codes}) t(ydelse_kode, prioritet, maanedssats)"""
    yield f"""
    CREATE TABLE ydelsesudbetalinger AS
    WITH months AS (
      SELECT unnest(generate_series(DATE '{first}', DATE '{last}', INTERVAL 1 MONTH))::DATE AS md
    ), base AS (
      SELECT f.forloeb_id, f.cpr, f.ydelse_kode, f.kommune_kode, p.md AS periode,
             greatest(f.start_dato, p.md) AS fra, least(f.slut_dato, last_day(p.md)) AS til,
             k.maanedssats,
             {_u(key, seed, "amount")} AS u_amount,
             {_u(key, seed, "error")} AS u_error
      FROM forloeb f
      JOIN months p ON f.start_dato <= last_day(p.md) AND f.slut_dato >= p.md
      JOIN ydelseskoder k USING (ydelse_kode)
      WHERE k.maanedssats > 0
    ), paid AS (
      SELECT *, round(maanedssats * (datediff('day', fra, til) + 1) / day(last_day(periode))
                      * (0.8 + 0.2 * u_amount), 2)::DECIMAL(12, 2) AS beloeb
      FROM base
    ), rows AS (
      SELECT forloeb_id, cpr, ydelse_kode, kommune_kode, periode, til AS dato,
             datediff('day', fra, til) + 1 AS dage, beloeb, false AS annulleret, u_error < 0.005 AS tilbagekonteret, u_error
      FROM paid
      UNION ALL  -- the reversal of a wrongly paid amount
      SELECT forloeb_id, cpr, ydelse_kode, kommune_kode, periode,
             least(til + INTERVAL 20 DAY, DATE '{last}')::DATE, datediff('day', fra, til) + 1,
             -beloeb, false, true, u_error
      FROM paid WHERE u_error < 0.005
      UNION ALL  -- an annulled duplicate registration
      SELECT forloeb_id, cpr, ydelse_kode, kommune_kode, periode, til,
             datediff('day', fra, til) + 1, round(beloeb * 1.5, 2)::DECIMAL(12, 2), true, false,
             u_error
      FROM paid WHERE u_error >= 0.005 AND u_error < 0.015
    )
    SELECT row_number() OVER (ORDER BY forloeb_id, periode, beloeb)::BIGINT AS udbetaling_id,
           cpr, ydelse_kode, kommune_kode, periode, dato AS udbetalingsdato, dage::INTEGER AS dage,
           beloeb,
           annulleret, tilbagekonteret, forloeb_id
    FROM rows"""
    yield f"""
    CREATE TABLE dream_uger AS
    WITH weeks AS (
      SELECT unnest(generate_series(DATE '2023-01-02', DATE '{last}', INTERVAL 7 DAY))::DATE AS mandag
    )
    SELECT f.cpr, w.mandag,
           isoyear(w.mandag)::VARCHAR || '-W' || lpad(week(w.mandag)::VARCHAR, 2, '0') AS uge,
           arg_min(f.ydelse_kode, k.prioritet) AS ydelse_kode
    FROM forloeb f
    JOIN weeks w ON f.start_dato <= w.mandag + 6 AND f.slut_dato >= w.mandag
    JOIN ydelseskoder k USING (ydelse_kode)
    GROUP BY f.cpr, w.mandag"""
    key = "f.forloeb_id::VARCHAR"
    yield f"""
    CREATE TABLE tilbud AS
    WITH t AS (
      SELECT f.*, {_u(key, seed, "offer")} AS u, {_u(key, seed, "offer-type")} AS ut,
             {_u(key, seed, "offer-len")} AS ul
      FROM forloeb f
      WHERE ydelse_kode IN ('111', '112', '611', '701', '730', '740', '750', '760', '890', '521')
    )
    SELECT row_number() OVER (ORDER BY forloeb_id)::BIGINT AS tilbud_id, cpr, forloeb_id,
           'T' || lpad((row_number() OVER (ORDER BY forloeb_id))::VARCHAR, 9, '0') AS tilbud_nr,
           CASE WHEN ut < 0.30 THEN 'PRA' WHEN ut < 0.42 THEN 'LTP' WHEN ut < 0.52 THEN 'LTO'
                WHEN ut < 0.64 THEN 'MEN' WHEN ut < 0.76 THEN 'UDD' WHEN ut < 0.90 THEN 'VOP'
                WHEN ydelse_kode IN ('750', '760') THEN 'DSU' ELSE 'NYT' END AS tilbud_kode,
           CASE WHEN ut < 0.64 OR ut >= 0.76 THEN round(10 + ul * 27, 1)::DECIMAL(4, 1) END
             AS timer_pr_uge,
           (start_dato + CAST(floor(ul * 40) AS INTEGER))::DATE AS start_dato,
           (start_dato + CAST(floor(ul * 40) AS INTEGER) + 27 + CAST(floor(ul * 150) AS INTEGER))::DATE
             AS slut_dato,
           kommune_kode, u > 0.98 AS annulleret
    FROM t WHERE u < 0.55"""
    yield f"""
    CREATE TABLE visitation AS
    SELECT row_number() OVER (ORDER BY forloeb_id)::BIGINT AS visitation_id, cpr, forloeb_id,
           CASE WHEN ydelse_kode = '890' THEN
                  CASE WHEN {_u(key, seed, "vis")} < 0.6 THEN 'SD-1'
                       WHEN {_u(key, seed, "vis")} < 0.9 THEN 'SD-2' ELSE 'SD-3' END
                WHEN ydelse_kode = '740' THEN
                  CASE WHEN {_u(key, seed, "vis")} < 0.2 THEN 'UH-OU'
                       WHEN {_u(key, seed, "vis")} < 0.6 THEN 'UH-UP' ELSE 'UH-AP' END
                ELSE CASE WHEN {_u(key, seed, "vis")} < 0.55 THEN 'KH-JP'
                          ELSE 'KH-AP' END END AS visitationskategori,
           start_dato AS visitationsdato, kommune_kode,
           {_u(key, seed, "vis-annul")} < 0.01 AS annulleret
    FROM forloeb f
    WHERE ydelse_kode IN ('611', '701', '730', '740', '750', '760', '890')"""
    key = "f.forloeb_id::VARCHAR || ':' || k::VARCHAR"
    yield f"""
    CREATE TABLE samtaler AS
    WITH s AS (
      SELECT f.cpr, f.forloeb_id, f.kommune_kode, f.ydelse_kode, k,
             (f.start_dato + 14 + k * 35 + CAST(floor({_u(key, seed, "day")} * 7) AS INTEGER))::DATE
               AS dato,
             {_u(key, seed, "hour")} AS uh, {_u(key, seed, "kind")} AS uk,
             {_u(key, seed, "cancel")} AS uc, f.slut_dato
      FROM forloeb f, (SELECT range::INTEGER AS k FROM range(0, 40)) r
      WHERE f.ydelse_kode IN ('111', '112', '701', '730', '740', '890')
        AND f.start_dato + 14 + k * 35 <= least(f.slut_dato, DATE '{last}')
    )
    SELECT row_number() OVER (ORDER BY forloeb_id, k)::BIGINT AS samtale_id, cpr, forloeb_id,
           dato AS samtale_dato,
           (dato + INTERVAL (8 + CAST(floor(uh * 8) AS INTEGER)) HOUR
                 + INTERVAL (15 * CAST(floor(uh * 100) % 4 AS INTEGER)) MINUTE)::TIMESTAMP
             AS samtale_tidspunkt,
           CASE WHEN ydelse_kode = '890' THEN 'OPFOELG'
                WHEN ydelse_kode NOT IN ('111', '112') OR uk < 0.5 THEN 'JOB'
                WHEN uk < 0.65 THEN 'FAELLES' WHEN uk < 0.85 THEN 'CV'
                ELSE 'RAADIGHED' END AS samtaletype,
           CASE WHEN uk * 10 % 1 < 0.6 THEN 'FREMMOEDE' WHEN uk * 10 % 1 < 0.85 THEN 'TELEFON'
                ELSE 'VIDEO' END AS samtaleform,
           kommune_kode AS jobcenter_kommune, uc >= 0.10 AS afholdt, uc < 0.01 AS annulleret
    FROM s WHERE dato <= least(slut_dato, DATE '{last}')"""
    key = "p.cpr"
    yield f"""
    CREATE TABLE akasse_medlemskab AS
    WITH m AS (
      SELECT p.cpr, p.foedselsdato, {_u(key, seed, "akasse")} AS u,
             {_u(key, seed, "akasse-kode")} AS uk, {_u(key, seed, "akasse-til")} AS ut,
             EXISTS (SELECT 1 FROM forloeb f WHERE f.cpr = p.cpr
                     AND f.ydelse_kode IN ('111', '112', '121', '211')) AS ledig
      FROM personer p
      WHERE date_diff('year', p.foedselsdato, DATE '{last}') BETWEEN 18 AND 66
    )
    SELECT cpr, lpad(CAST(1 + floor(uk * 22) AS INTEGER)::VARCHAR, 2, '0') AS akasse_kode,
           greatest(foedselsdato + INTERVAL 18 YEAR,
                    DATE '2010-01-01' + CAST(floor(u * 4000) AS INTEGER))::DATE AS fra_dato,
           CASE WHEN ut < 0.05 AND NOT ledig
                THEN (DATE '{first}' + CAST(floor(ut * 14000) AS INTEGER))::DATE END AS til_dato
    FROM m WHERE ledig OR u < 0.65"""
    key = "p.cpr || m.md::VARCHAR"
    yield f"""
    CREATE TABLE eindkomst AS
    WITH months AS (
      SELECT unnest(generate_series(DATE '{first}', DATE '{last}', INTERVAL 1 MONTH))::DATE AS md
    ), cand AS (
      SELECT p.cpr, m.md AS periode, {_u("p.cpr", seed, "employed")} AS ue,
             {_u(key, seed, "pay")} AS up, {_u("p.cpr", seed, "branche")} AS ub,
             date_diff('year', p.foedselsdato, m.md) AS alder
      FROM personer p CROSS JOIN months m
    ), covered AS (
      SELECT DISTINCT f.cpr, m.md AS periode
      FROM forloeb f JOIN months m ON f.start_dato <= m.md AND f.slut_dato >= last_day(m.md)
    )
    SELECT c.cpr, c.periode,
           lpad(CAST(10000000 + floor(ub * 89999999) AS BIGINT)::VARCHAR, 8, '0') AS cvr,
           ['011100', '101100', '412000', '452000', '471100', '494100', '561010', '620100',
            '641900', '682040', '702200', '841100', '852010', '861000', '871000',
            '881000'][1 + CAST(floor(ub * 1000) % 16 AS INTEGER)] AS branche,
           round(18000 + up * 42000, 2)::DECIMAL(12, 2) AS loen,
           round(60 + up * 100.33, 2)::DECIMAL(7, 2) AS timer
    FROM cand c ANTI JOIN covered v ON c.cpr = v.cpr AND c.periode = v.periode
    WHERE c.alder BETWEEN 18 AND 70 AND c.ue < 0.78"""


def derive_tables(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Create every derived table in ``con`` from ``personer`` and ``forloeb``."""
    for sql in _statements(seed):
        con.execute(sql)
