"""The repository's contracts: all load and lint clean, and cover every feed of both seeds.

The seeds (verbatim copies in ``tests/contracts/seeds/``) are read at test time: legal-basis
texts are compared with the seed's own words, not with strings copied into this file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contractkit.contract.models import (
    Contract,
    Direction,
    Frequency,
    PersonalClass,
    PersonalDataClass,
    Purpose,
    ScopeKind,
    SemanticType,
    Status,
)
from contractkit.contract.periods import parse_period
from contractkit.lint import lint_paths
from contractkit.loader import load_codelists, load_contract

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = REPO / "contracts"
SEEDS = Path(__file__).resolve().parent / "seeds"
MODELINE = "# yaml-language-server: $schema=../schemas/contract.schema.json"

# Seed 000, in the order of its "Hjemmel:" lines (DST's one line covers two feeds).
OUTBOUND_BY_HJEMMEL = [
    ("uim-integration",),
    ("udk-kontanthjaelp-sygedagpenge",),
    ("at-sygedagpenge-eindkomst",),
    ("dst-ledighed", "dst-forsorgelse"),
    ("bm-departement",),
    ("ssi-covid19",),
    ("oim-lovmodel",),
    ("dream-kommuner",),
    ("dream-regioner",),
    ("dream-stil",),
    ("samtaletidspunkter-kommuner",),
]
RECIPIENTS = {
    "uim-integration": "UIM", "udk-kontanthjaelp-sygedagpenge": "UDK",
    "at-sygedagpenge-eindkomst": "AT", "dst-ledighed": "DST", "dst-forsorgelse": "DST",
    "bm-departement": "BM", "ssi-covid19": "SSI", "oim-lovmodel": "ØIM",
    "dream-kommuner": "kommuner", "dream-regioner": "regioner", "dream-stil": "STIL",
    "samtaletidspunkter-kommuner": "kommuner",
}
INBOUND_OTHER = ["kombit-flis-voksenhandicap", "su-styrelsen-su", "jobindsats-ressourceforloeb"]


def _norm(text: str) -> str:
    """Collapse whitespace (incl. no-break spaces) so line breaks in the seed do not matter."""
    return " ".join(text.replace("\u00a0", " ").split())


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _contracts() -> dict[str, Contract]:
    out: dict[str, Contract] = {}
    for path in sorted(CONTRACTS.glob("*.yaml")):
        c = load_contract(path).contract
        out[c.id] = c
    return out


@pytest.fixture(scope="module")
def contracts() -> dict[str, Contract]:
    """Every repository contract by id."""
    return _contracts()


@pytest.fixture(scope="module")
def seeds() -> str:
    """Both seeds, whitespace-normalised, as one text."""
    return _norm(_seed("000") + "\n" + _seed("002"))


def test_every_contract_loads_and_lints_without_any_problem() -> None:
    report = lint_paths([CONTRACTS])
    assert report.codelist_problems == []
    problems = [str(p) for r in report.results for p in r.problems]
    assert problems == []
    assert len(report.results) == len(list(CONTRACTS.glob("*.yaml")))


def test_file_names_are_ids_and_carry_the_modeline(contracts: dict[str, Contract]) -> None:
    for path in sorted(CONTRACTS.glob("*.yaml")):
        assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE, path
        assert load_contract(path).contract.id == path.stem


def test_code_lists_load_and_illustrative_ones_say_so() -> None:
    lists, problems = load_codelists(CONTRACTS / "codelists")
    assert problems == []
    assert len(lists["kommuner"].codes) == 98
    assert lists["regioner"].codes == {"1081", "1082", "1083", "1084", "1085"}
    for cl in lists.values():
        if cl.illustrative:
            assert cl.note, f"illustrative code list {cl.id} needs a note"
        assert len(cl.codes) == len(cl.values), f"duplicate code in {cl.id}"


def test_every_outbound_feed_of_seed_000_has_its_legal_basis_verbatim(
    contracts: dict[str, Contract],
) -> None:
    hjemmel = [_norm(m) for m in re.findall(r"^Hjemmel: (.+)$", _seed("000"), re.MULTILINE)]
    assert len(hjemmel) == len(OUTBOUND_BY_HJEMMEL)
    for text, ids in zip(hjemmel, OUTBOUND_BY_HJEMMEL, strict=True):
        for cid in ids:
            c = contracts[cid]
            assert c.direction is Direction.OUTBOUND
            assert [_norm(lb.text) for lb in c.legal_basis] == [text], cid
            assert c.recipient.code == RECIPIENTS[cid]
    outbound = {cid for cid, c in contracts.items() if c.direction is Direction.OUTBOUND}
    assert outbound == {cid for ids in OUTBOUND_BY_HJEMMEL for cid in ids}


def test_gdpr_article_is_the_seeds_where_the_intro_applies(
    contracts: dict[str, Contract], seeds: str
) -> None:
    intro = "databeskyttelsesforordningens art. 6, stk. 2, litra e."
    assert f"samt {intro} om myndighedsudøvelse" in seeds
    for cid, c in contracts.items():
        for lb in c.legal_basis:
            if lb.gdpr is not None:
                assert _norm(lb.gdpr) in seeds, cid
            if c.direction is Direction.OUTBOUND and cid != "dream-stil":
                assert lb.gdpr == intro, cid


def test_every_legal_basis_and_scope_text_is_quoted_from_a_seed(
    contracts: dict[str, Contract], seeds: str
) -> None:
    for cid, c in contracts.items():
        for lb in c.legal_basis:
            assert _norm(lb.text) in seeds, cid
        if c.scope.text is not None:
            assert _norm(c.scope.text) in seeds, cid


def test_health_registers_of_seed_002_are_monthly_inbound_feeds(
    contracts: dict[str, Contract],
) -> None:
    seed = _seed("002")
    head = "STAR har indgået aftale med Sundhedsdatastyrelsen om at modtage månedlige leverancer"
    block = seed[seed.index(head):].split("\n\n", 2)[1]
    registers = [re.match(r"- (?:.*\()?([A-ZÆØÅ-]+)", line) for line in block.splitlines()]
    abbreviations = [m.group(1) for m in registers if m]
    assert abbreviations == ["LPR", "LPR-PSYK", "SSR", "NAB", "SIB", "GES", "DUSAS"]
    for abbr in abbreviations:
        c = contracts[f"sds-{abbr.lower()}"]
        assert c.direction is Direction.INBOUND
        assert c.provider.code == "SDS"
        assert c.cadence.frequency is Frequency.MONTHLY
        assert c.purpose is Purpose.STATISTICAL


def test_other_inbound_feeds_of_seed_002(contracts: dict[str, Contract], seeds: str) -> None:
    assert "STAR modtager månedlige leverancer fra KOMBIT (FLIS)" in seeds
    assert "STAR modtager månedlige leverancer fra SU-styrelsen af SU." in seeds
    for cid in INBOUND_OTHER:
        c = contracts[cid]
        assert c.direction is Direction.INBOUND
        assert c.cadence.frequency is Frequency.MONTHLY
    inbound = {cid for cid, c in contracts.items() if c.direction is Direction.INBOUND}
    assert inbound == {*INBOUND_OTHER, *(f"sds-{r}" for r in
                                         ("lpr", "lpr-psyk", "ssr", "nab", "sib", "ges", "dusas"))}


def test_jobindsats_measures_are_aggregated_with_a_cell_size(
    contracts: dict[str, Contract],
) -> None:
    c = contracts["jobindsats-ressourceforloeb"]
    assert c.personal_data is PersonalDataClass.AGGREGATED
    (table,) = c.tables
    assert table.min_cell_size is not None
    assert table.min_cell_size.min >= 3
    names = set(table.column_names)
    measures = {"antal_personer", "antal_fuldtidspersoner", "antal_forloeb", "aktiveringsgrad",
                "samtaler_pr_person"}
    dimensions = {"kommune_kode", "periode", "koen", "aldersgruppe", "herkomst"}
    assert measures | dimensions <= names
    assert set(table.primary_key or []) == dimensions


def test_municipal_and_regional_scopes(contracts: dict[str, Contract], seeds: str) -> None:
    own = "Kun oplysninger om borgere i egen kommune."
    assert seeds.count(own) == 2
    for cid in ("dream-kommuner", "samtaletidspunkter-kommuner"):
        c = contracts[cid]
        assert c.scope.kind is ScopeKind.PER_MUNICIPALITY
        assert c.scope.text == own
        assert all("{kommune}" in t.file_pattern for t in c.tables)
    regions = contracts["dream-regioner"]
    assert regions.scope.kind is ScopeKind.PER_REGION
    assert sorted(regions.scope.recipients or []) == ["1081", "1082"]
    assert all("{region}" in t.file_pattern for t in regions.tables)


def test_a_gdpr_only_basis_forces_pseudonymisation(contracts: dict[str, Contract]) -> None:
    stil = contracts["dream-stil"]
    assert all(not lb.references for lb in stil.legal_basis)
    assert stil.personal_data is PersonalDataClass.PSEUDONYMISED


def test_dream_feeds_are_wide_and_monthly(contracts: dict[str, Contract]) -> None:
    """DREAM is delivered as it is: one row per person, a column per ISO week and month."""
    for cid in ("dream-kommuner", "dream-regioner", "dream-stil"):
        c = contracts[cid]
        assert c.cadence.frequency is Frequency.MONTHLY
        (table,) = c.tables
        assert table.period_column is None
        assert len(table.primary_key or []) == 1
        families = {f.display_name: f for f in table.column_families}
        assert list(families) == ["y_YYWW", "branche_YYYY_MM", "grad_YYYY_MM"]
        weeks = families["y_YYWW"]
        assert (weeks.codelist, weeks.required, weeks.first) == ("ydelser", False, "1991-W27")
        assert weeks.first_source
        assert families["branche_YYYY_MM"].first == families["grad_YYYY_MM"].first == "2008-01"
        names = table.for_period(parse_period(Frequency.MONTHLY, "2024-03")).column_names
        y = [n for n in names if n.startswith("y_")]
        assert (len(y), y[0], y[-1]) == (1709, "y_9127", "y_2413")
        assert names[-1] == "grad_2024_03"
        assert not {"uge", "ydelse_kode", "periode"} & set(names)


def test_identifier_columns_follow_the_pseudonym_convention(
    contracts: dict[str, Contract],
) -> None:
    for cid, c in contracts.items():
        cols = [col for t in c.tables for col in t.columns]
        identifiers = {col.name for col in cols if col.personal in
                       (PersonalClass.DIRECT, PersonalClass.PSEUDONYM)}
        if c.personal_data is PersonalDataClass.IDENTIFIABLE:
            assert identifiers == {"cpr"}, cid
            assert all(col.semantic is SemanticType.CPR for col in cols if col.name == "cpr")
        elif c.personal_data is PersonalDataClass.PSEUDONYMISED:
            assert identifiers == {"pnr_pseudonym"}, cid
            assert all(col.semantic is SemanticType.PSEUDONYM for col in cols
                       if col.name == "pnr_pseudonym")
        else:
            assert identifiers == set(), cid


def test_statistical_feeds_with_cpr_record_the_datatilsynet_exemption(
    contracts: dict[str, Contract],
) -> None:
    for cid, c in contracts.items():
        if c.purpose is not Purpose.ADMINISTRATIVE and (
            c.personal_data is PersonalDataClass.IDENTIFIABLE
        ):
            assert c.cpr_exemption is not None, cid
            assert c.cpr_exemption.approved_by == "Datatilsynet"


def test_illustrative_layouts_say_so(contracts: dict[str, Contract]) -> None:
    for cid, c in contracts.items():
        assert c.notes is not None, cid
        assert "illustrative" in c.notes, cid
        assert c.status in (Status.ACTIVE, Status.DRAFT)
