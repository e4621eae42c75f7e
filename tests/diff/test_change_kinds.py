"""Every change kind, as a table of cases: an edit of the base contract and the expected
(kind, class) pairs — exactly those, nothing else. A last test proves every kind has a case."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from diffcase import base, codelist, contract

from contractkit.contract import CodeList
from contractkit.diff import Change, ChangeClass, ChangeKind, diff_contracts

B, C, P = ChangeClass.BREAKING, ChangeClass.COMPATIBLE, ChangeClass.PATCH
K = ChangeKind
Data = dict[str, Any]


def col(d: Data, name: str, table: int = 0) -> Data:
    cols: list[Data] = d["tables"][table]["columns"]
    return next(c for c in cols if c["name"] == name)


def cols(d: Data, table: int = 0) -> list[Data]:
    out: list[Data] = d["tables"][table]["columns"]
    return out


def tbl(d: Data, table: int = 0) -> Data:
    out: Data = d["tables"][table]
    return out


def drop(d: Data, name: str, table: int = 0) -> None:
    d["tables"][table]["columns"] = [c for c in cols(d, table) if c["name"] != name]


@dataclass
class Case:
    id: str
    edit: Callable[[Data], object]
    expected: set[tuple[ChangeKind, ChangeClass]]
    before: Callable[[Data], object] | None = None
    old_lists: dict[str, CodeList] | None = None
    new_lists: dict[str, CodeList] | None = None


def _set(d: Data, path: str, value: object) -> None:
    *parents, last = path.split(".")
    for p in parents:
        d = d[p]
    if value is _DELETE:
        del d[last]
    else:
        d[last] = value


_DELETE = object()


def setter(path: str, value: object) -> Callable[[Data], None]:
    return lambda d: _set(d, path, value)


def colset(name: str, key: str, value: object, table: int = 0) -> Callable[[Data], None]:
    def edit(d: Data) -> None:
        if value is _DELETE:
            col(d, name, table).pop(key, None)
        else:
            col(d, name, table)[key] = value
    return edit


def tblset(key: str, value: object, table: int = 0) -> Callable[[Data], None]:
    def edit(d: Data) -> None:
        if value is _DELETE:
            tbl(d, table).pop(key, None)
        else:
            tbl(d, table)[key] = value
    return edit


def _rename(d: Data) -> None:
    col(d, "antal")["name"] = "antal_personer"
    tbl(d)["min_cell_size"]["column"] = "antal"  # unchanged rule text


def _swap(d: Data) -> None:
    c = cols(d)
    c[0], c[1] = c[1], c[0]


def _add_table(d: Data) -> None:
    d["tables"].append({"name": "ny", "file_pattern": "ny_{region}_{period}.csv",
                        "columns": [{"name": "x", "type": "integer"}]})


def _parquet(d: Data) -> None:
    d["format"] = {"type": "parquet", "compression": "zstd"}


WEEKS = {"template": "y_{YYWW}", "first": "2024-W01", "type": "string", "required": False,
         "codelist": "ydelser"}
MONTHS = {"template": "grad_{YYYY_MM}", "first": "2008-01", "type": "integer",
          "required": False, "range": {"min": 0, "max": 100}}


def _add_family(d: Data) -> None:
    tbl(d)["column_families"] = [dict(WEEKS)]


def _add_two_families(d: Data) -> None:
    tbl(d)["column_families"] = [dict(WEEKS), dict(MONTHS)]


def _swap_families(d: Data) -> None:
    fams = tbl(d)["column_families"]
    fams[0], fams[1] = fams[1], fams[0]


def famset(key: str, value: object) -> Callable[[Data], None]:
    def edit(d: Data) -> None:
        tbl(d)["column_families"][0][key] = value
    return edit


YD = {"ydelser": codelist("ydelser", ["111", "651"]),
      "regioner": codelist("regioner", ["1081", "1082", "1083"])}
YD_MORE = {**YD, "ydelser": codelist("ydelser", ["111", "651", "730"])}
YD_LESS = {**YD, "ydelser": codelist("ydelser", ["111"])}
RG_MORE = {**YD, "regioner": codelist("regioner", ["1081", "1082", "1083", "1084"])}

CASES = [
    # --- the contract as a whole
    Case("contract-id", setter("id", "andet-feed"), {(K.CONTRACT_ID_CHANGED, B)}),
    Case("retired", setter("status", "retired"), {(K.CONTRACT_RETIRED, B)}),
    Case("deprecated", setter("status", "deprecated"), {(K.STATUS_CHANGED, C)}),
    Case("direction", setter("direction", "inbound"), {(K.DIRECTION_CHANGED, B)}),
    # --- documentation (patch)
    Case("title", setter("title", "Ny titel"), {(K.TITLE_CHANGED, P)}),
    Case("description", setter("description", "Ny."), {(K.DESCRIPTION_CHANGED, P)}),
    Case("notes", setter("notes", None), {(K.NOTES_CHANGED, P)}),
    Case("owner", setter("owner", "STAR, Analyse"), {(K.OWNER_CHANGED, P)}),
    Case("steward-contact", setter("steward.email", "ny@star.example"),
         {(K.STEWARD_CHANGED, P)}),
    Case("source-system", setter("source_system", "DREAM"), {(K.SOURCE_SYSTEM_CHANGED, P)}),
    Case("cadence-description", setter("cadence.description", "Hver måned"),
         {(K.DESCRIPTION_CHANGED, P)}),
    Case("table-description", tblset("description", "Ny."), {(K.DESCRIPTION_CHANGED, P)}),
    Case("column-description", colset("timer", "description", "Timer"),
         {(K.DESCRIPTION_CHANGED, P)}),
    # --- parties, scope, governance
    Case("provider", setter("provider.code", "UIM"), {(K.PROVIDER_CHANGED, B)}),
    Case("provider-name", setter("provider.name", "STAR (ny)"), {(K.PROVIDER_RENAMED, P)}),
    Case("recipient", setter("recipient.code", "SSI"), {(K.RECIPIENT_CHANGED, B)}),
    Case("recipient-name", setter("recipient.name", "DST"), {(K.RECIPIENT_RENAMED, P)}),
    Case("scope-widened", setter("scope.kind", "national"), {(K.SCOPE_WIDENED, B)}),
    Case("scope-narrowed", setter("scope.kind", "per_municipality"), {(K.SCOPE_NARROWED, C)}),
    Case("scope-column", setter("scope.column", "kode"), {(K.SCOPE_COLUMN_CHANGED, B)}),
    Case("scope-text", setter("scope.text", "Egen region."), {(K.SCOPE_TEXT_CHANGED, P)}),
    Case("scope-recipients-widened", setter("scope.recipients", ["1081", "1082", "1083"]),
         {(K.SCOPE_RECIPIENTS_WIDENED, B)}),
    Case("scope-recipients-all", setter("scope.recipients", None),
         {(K.SCOPE_RECIPIENTS_WIDENED, B)}),
    Case("scope-recipients-narrowed", setter("scope.recipients", ["1081"]),
         {(K.SCOPE_RECIPIENTS_NARROWED, B)}),
    Case("scope-recipients-reordered", setter("scope.recipients", ["1082", "1081"]), set()),
    Case("purpose", setter("purpose", "research"), {(K.PURPOSE_CHANGED, B)}),
    Case("legal-basis-amended", setter("legal_basis", [
        {"text": "§ 6 og § 7 i lov om Danmarks Statistik."}]), {(K.LEGAL_BASIS_CHANGED, C)}),
    Case("personal-data-raised", setter("personal_data", "identifiable"),
         {(K.PERSONAL_DATA_RAISED, B)}),
    Case("personal-data-lowered", setter("personal_data", "aggregated"),
         {(K.PERSONAL_DATA_LOWERED, C)}),
    Case("cpr-exemption", setter("cpr_exemption", {"basis": "§ 6", "approved_by": "Datatilsynet"}),
         {(K.CPR_EXEMPTION_CHANGED, C)}),
    # --- cadence and file format
    Case("cadence", setter("cadence.frequency", "weekly"), {(K.CADENCE_CHANGED, B)}),
    Case("due-later", setter("cadence.due_days", 15), {(K.DUE_DATE_LATER, B)}),
    Case("due-earlier", setter("cadence.due_days", 5), {(K.DUE_DATE_EARLIER, C)}),
    Case("format", _parquet, {(K.FORMAT_CHANGED, B)}),
    Case("encoding", setter("format.encoding", "latin-1"), {(K.ENCODING_CHANGED, B)}),
    Case("delimiter", setter("format.delimiter", ","), {(K.DELIMITER_CHANGED, B)}),
    Case("decimal-mark", setter("format.decimal", "."), {(K.FORMAT_OPTION_CHANGED, B)}),
    Case("header", setter("format.header", False), {(K.FORMAT_OPTION_CHANGED, B)}),
    Case("compression", setter("format.compression", "snappy"),
         {(K.FORMAT_OPTION_CHANGED, B)}, before=_parquet),
    # --- tables
    Case("table-added", _add_table, {(K.TABLE_ADDED, C)}),
    Case("table-removed", lambda d: d["tables"].pop(1), {(K.TABLE_REMOVED, B)}),
    Case("file-pattern", tblset("file_pattern", "p_{region}_{period}.csv"),
         {(K.FILE_PATTERN_CHANGED, B)}),
    Case("primary-key-added", tblset("primary_key", ["pnr"], 1), {(K.PRIMARY_KEY_ADDED, C)}),
    Case("primary-key-changed", tblset("primary_key", ["pnr", "periode"]),
         {(K.PRIMARY_KEY_CHANGED, B)}),
    Case("primary-key-removed", tblset("primary_key", None), {(K.PRIMARY_KEY_REMOVED, B)}),
    Case("row-count-widened", tblset("row_count", {"min": 1}), {(K.ROW_COUNT_WIDENED, B)}),
    Case("row-count-narrowed", tblset("row_count", {"min": 10, "max": 1000}),
         {(K.ROW_COUNT_NARROWED, C)}),
    Case("row-count-min-zero-is-none", tblset("row_count", {"min": 0}), set(),
         before=tblset("row_count", None)),
    Case("extra-columns-allowed", tblset("allow_extra_columns", True),
         {(K.EXTRA_COLUMNS_ALLOWED, B)}),
    Case("extra-columns-forbidden", tblset("allow_extra_columns", False),
         {(K.EXTRA_COLUMNS_FORBIDDEN, C)}, before=tblset("allow_extra_columns", True)),
    Case("period-rule-added", tblset("period_column", "periode"), {(K.PERIOD_RULE_ADDED, C)},
         before=tblset("period_column", None)),
    Case("period-rule-changed", tblset("period_column", "kode"), {(K.PERIOD_RULE_CHANGED, B)}),
    Case("period-rule-removed", tblset("period_column", None), {(K.PERIOD_RULE_REMOVED, B)}),
    Case("min-cell-size-lowered", tblset("min_cell_size", {"column": "antal", "min": 3}),
         {(K.MIN_CELL_SIZE_WEAKENED, B)}),
    Case("min-cell-size-removed", tblset("min_cell_size", None),
         {(K.MIN_CELL_SIZE_WEAKENED, B)}),
    Case("min-cell-size-raised", tblset("min_cell_size", {"column": "antal", "min": 10}),
         {(K.MIN_CELL_SIZE_STRENGTHENED, C)}),
    Case("reference-added", tblset("references", [
        {"columns": ["pnr"], "table": "ophold", "to_columns": ["pnr"]}]),
         {(K.REFERENCE_ADDED, C)}),
    Case("reference-removed", tblset("references", [], 1), {(K.REFERENCE_REMOVED, B)}),
    # --- columns
    Case("column-added", lambda d: cols(d).append(
        {"name": "ny", "type": "integer", "required": False}), {(K.COLUMN_ADDED, C)}),
    Case("required-column-added", lambda d: cols(d).append({"name": "ny", "type": "integer"}),
         {(K.REQUIRED_COLUMN_ADDED, B)}),
    Case("column-removed", lambda d: drop(d, "koen"), {(K.COLUMN_REMOVED, B)}),
    Case("column-renamed", _rename, {(K.COLUMN_RENAMED, B)}),
    Case("column-order", _swap, {(K.COLUMN_ORDER_CHANGED, B)}),
    Case("column-added-in-the-middle", lambda d: cols(d).insert(
        1, {"name": "ny", "type": "integer", "required": False}), {(K.COLUMN_ADDED, C)}),
    Case("type-changed", colset("antal", "type", "float"), {(K.TYPE_CHANGED, B)}),
    Case("type-narrowed", colset("timer", "scale", 1), {(K.TYPE_NARROWED, B)}),
    Case("type-widened", colset("timer", "precision", 7), {(K.TYPE_WIDENED, B)}),
    Case("column-nullable", colset("antal", "required", False), {(K.COLUMN_NULLABLE, B)}),
    Case("column-required", colset("kode", "required", True), {(K.COLUMN_REQUIRED, C)}),
    Case("unique-dropped", colset("pnr", "unique", False), {(K.UNIQUE_DROPPED, B)}),
    Case("unique-added", colset("antal", "unique", True), {(K.UNIQUE_ADDED, C)}),
    Case("allowed-values-widened", colset("koen", "allowed_values", ["M", "K", "U"]),
         {(K.VALUES_WIDENED, B)}),
    Case("allowed-values-narrowed", colset("koen", "allowed_values", ["M"]),
         {(K.VALUES_NARROWED, C)}),
    Case("allowed-values-swapped", colset("koen", "allowed_values", ["M", "X"]),
         {(K.VALUES_WIDENED, B)}),
    Case("allowed-values-dropped", colset("koen", "allowed_values", None),
         {(K.VALUES_WIDENED, B)}),
    Case("allowed-values-added", colset("antal", "allowed_values", [1, 2]),
         {(K.VALUES_NARROWED, C)}),
    Case("codelist-widened", lambda d: None, {(K.VALUES_WIDENED, B)},
         old_lists=YD, new_lists=YD_MORE),
    Case("codelist-narrowed", lambda d: None, {(K.VALUES_NARROWED, C)},
         old_lists=YD, new_lists=YD_LESS),
    Case("implied-codelist-widened", lambda d: None, {(K.VALUES_WIDENED, B)},
         old_lists=YD, new_lists=RG_MORE),
    Case("codelist-to-allowed-subset", lambda d: col(d, "ydelse").update(
        codelist=None, allowed_values=["111"]), {(K.VALUES_NARROWED, C)},
         old_lists=YD, new_lists=YD),
    Case("codelist-replaced", colset("ydelse", "codelist", "maalgrupper"),
         {(K.CODELIST_REPLACED, B)}),
    Case("codelist-same-name-unknown-contents", lambda d: None, set()),
    Case("range-widened", colset("timer", "range", {"min": 0, "max": 40}),
         {(K.RANGE_WIDENED, B)}),
    Case("range-removed", colset("timer", "range", None), {(K.RANGE_WIDENED, B)}),
    Case("range-shifted", colset("timer", "range", {"min": 1, "max": 38}),
         {(K.RANGE_WIDENED, B)}),
    Case("range-narrowed", colset("timer", "range", {"min": 0, "max": 30}),
         {(K.RANGE_NARROWED, C)}),
    Case("range-added", colset("antal", "range", {"min": 0}), {(K.RANGE_NARROWED, C)}),
    Case("pattern-changed", colset("kode", "pattern", "^[A-Z]{1,2}$"),
         {(K.PATTERN_CHANGED, B)}),
    Case("pattern-removed", colset("kode", "pattern", None), {(K.PATTERN_CHANGED, B)}),
    Case("pattern-added", colset("periode", "pattern", "^[0-9]{4}-[0-9]{2}$"),
         {(K.PATTERN_ADDED, C)}),
    Case("max-length-widened", colset("kode", "max_length", 3), {(K.MAX_LENGTH_WIDENED, B)}),
    Case("max-length-removed", colset("kode", "max_length", None),
         {(K.MAX_LENGTH_WIDENED, B)}),
    Case("max-length-narrowed", colset("kode", "max_length", 1),
         {(K.MAX_LENGTH_NARROWED, C)}),
    Case("semantic-changed", colset("periode", "semantic", "iso_week"),
         {(K.SEMANTIC_CHANGED, B)}),
    Case("semantic-added", colset("kode", "semantic", "iso_week"), {(K.SEMANTIC_ADDED, C)}),
    Case("personal-raised", colset("antal", "personal", "quasi"), {(K.PERSONAL_RAISED, B)}),
    Case("personal-sensitive-from-pseudonym", colset("pnr", "personal", "sensitive"),
         {(K.PERSONAL_RAISED, B)}),
    Case("personal-lowered", colset("koen", "personal", "none"), {(K.PERSONAL_LOWERED, C)}),
    # --- column families: rules classed like a column's; template/first/end like columns
    Case("family-added", _add_family, {(K.FAMILY_ADDED, B)}),
    Case("family-removed", tblset("column_families", []), {(K.FAMILY_REMOVED, B)},
         before=_add_family),
    Case("family-renamed", famset("template", "uge_{YYWW}"), {(K.FAMILY_RENAMED, B)},
         before=_add_family),
    Case("family-first", famset("first", "1991-W27"), {(K.FAMILY_FIRST_CHANGED, B)},
         before=_add_family),
    Case("family-end", famset("last_offset", -1), {(K.FAMILY_END_CHANGED, B)},
         before=_add_family),
    Case("family-first-source", famset("first_source", "DREAM-dokumentation"),
         {(K.DESCRIPTION_CHANGED, P)}, before=_add_family),
    Case("family-type", famset("type", "integer"), {(K.TYPE_CHANGED, B)}, before=_add_family),
    Case("family-required", famset("required", True), {(K.COLUMN_REQUIRED, C)},
         before=_add_family),
    Case("family-codelist-grows", lambda d: None, {(K.VALUES_WIDENED, B)},
         before=_add_family, old_lists=YD, new_lists=YD_MORE),
    Case("family-personal", famset("personal", "sensitive"), {(K.PERSONAL_RAISED, B)},
         before=_add_family),
    Case("family-order", _swap_families, {(K.COLUMN_ORDER_CHANGED, B)},
         before=_add_two_families),
    Case("version-only", setter("version", "9.9.9"), set()),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_change_kind_and_class(case: Case) -> None:
    old, new = base(), base()
    if case.before is not None:
        case.before(old)
        case.before(new)
    case.edit(new)
    changes = diff_contracts(contract(old), contract(new), old_codelists=case.old_lists,
                             new_codelists=case.new_lists)
    assert {(c.kind, c.change_class) for c in changes} == case.expected, changes


def test_governance_flags() -> None:
    governance = {k for k in ChangeKind if _governance(k)}
    assert governance >= {K.LEGAL_BASIS_CHANGED, K.PURPOSE_CHANGED, K.RECIPIENT_CHANGED,
                          K.RECIPIENT_RENAMED, K.PERSONAL_DATA_RAISED,
                          K.PERSONAL_DATA_LOWERED, K.PERSONAL_RAISED, K.PERSONAL_LOWERED,
                          K.SCOPE_WIDENED, K.CPR_EXEMPTION_CHANGED}
    assert not governance & {K.COLUMN_REMOVED, K.RANGE_WIDENED, K.TITLE_CHANGED}


def _governance(kind: ChangeKind) -> bool:
    return Change(kind, "x").governance


def test_every_kind_has_a_case() -> None:
    covered = {kind for case in CASES for kind, _ in case.expected}
    covered |= {K.CONTRACT_ADDED, K.CONTRACT_REMOVED}  # file level: tests/diff/test_compare.py
    assert covered == set(ChangeKind)


def test_located_at_table_and_column() -> None:
    old, new = base(), base()
    col(new, "timer")["range"] = {"min": 0, "max": 40}
    (change,) = diff_contracts(contract(old), contract(new))
    assert (change.table, change.column) == ("personer", "timer")
    assert change.location == "tables[personer].columns[timer].range"
    assert (change.old, change.new) == ("0..37", "0..40")


def test_codelist_detail_names_added_codes() -> None:
    (change,) = diff_contracts(contract(base()), contract(base()), old_codelists=YD,
                               new_codelists=YD_MORE)
    assert "730" in change.detail


def test_readme_documents_every_kind_with_its_class() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Changing a contract"):]
    for label, cls in (("**breaking**", B), ("**compatible**", C), ("**patch**", P)):
        start = section.index(label)
        end = section.index("\n- **", start + 1) if label != "**patch**" else (
            section.index("\n\n", start))
        listed = set(re.findall(r"`([a-z-]+)`", section[start:end]))
        assert listed == {k.value for k in ChangeKind if Change(k, "").change_class is cls}


def test_family_change_is_located_at_the_family() -> None:
    old, new = base(), base()
    _add_family(old)
    _add_family(new)
    famset("type", "integer")(new)
    (change,) = diff_contracts(contract(old), contract(new))
    assert change.location == "tables[personer].column_families[y_YYWW].type"
    assert (change.table, change.column) == ("personer", "y_YYWW")


def test_a_family_growing_with_the_period_is_no_change() -> None:
    """The contract states the family once; next month's extra week is the same contract."""
    old, new = base(), base()
    _add_family(old)
    _add_family(new)
    assert list(diff_contracts(contract(old), contract(new))) == []
