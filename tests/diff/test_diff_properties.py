"""Properties of the diff over random edit sequences of real contracts.

* diff(a, a) is empty;
* b is made from a by a random sequence of known edits, each with its expected class;
  diff(a, b) is breaking exactly when some applied edit is breaking — and, more strongly,
  the worst class of the diff is the worst class of the edits applied.

Each edit touches one *slot* (a column attribute, a table rule, a contract field) at most
once, and never a column or table that an earlier edit created, renamed or removed: two
edits of one slot could cancel out (widen a range, then narrow it back), which says
nothing about the diff.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from diffcase import BASE, contract
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contractkit.diff import ChangeClass, diff_contracts
from contractkit.loader import discover_contract_files, load_contract

Data = dict[str, Any]
Pick = Callable[[list[Any]], Any]
B, C, P = ChangeClass.BREAKING, ChangeClass.COMPATIBLE, ChangeClass.PATCH
REPO_CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def _seeds() -> list[Data]:
    found = [load_contract(f).contract.model_dump() for f in
             discover_contract_files([REPO_CONTRACTS])]
    return [contract(copy.deepcopy(BASE)).model_dump(), *found]


SEEDS = _seeds()


class State:
    """The contract being edited and the slots already used."""

    def __init__(self, data: Data) -> None:
        self.d = data
        self.used: set[tuple[str, ...]] = set()
        self.frozen_columns: set[tuple[str, str]] = set()
        self.frozen_tables: set[str] = set()
        self.counter = 0

    def claim(self, *slot: str) -> bool:
        if slot in self.used:
            return False
        self.used.add(slot)
        return True

    def column(self, pick: Pick) -> tuple[Data, Data] | None:
        tables = [t for t in self.d["tables"] if t["name"] not in self.frozen_tables]
        if not tables:
            return None
        t = pick(tables)
        columns = [c for c in t["columns"] if (t["name"], c["name"]) not in self.frozen_columns]
        return (t, pick(columns)) if columns else None

    def table(self, pick: Pick) -> Data | None:
        tables = [t for t in self.d["tables"] if t["name"] not in self.frozen_tables]
        return pick(tables) if tables else None


Edit = Callable[[State, Pick], ChangeClass | None]


def col_edit(attr: str, cls: ChangeClass, applies: Callable[[Data], bool],
             change: Callable[[Data], None]) -> Edit:
    def edit(s: State, pick: Pick) -> ChangeClass | None:
        found = s.column(pick)
        if found is None:
            return None
        t, c = found
        if not applies(c) or not s.claim("col", t["name"], c["name"], attr):
            return None
        change(c)
        return cls
    return edit


def _numeric(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _range_ok(c: Data) -> bool:
    r = c.get("range")
    return r is not None and all(v is None or _numeric(v) for v in (r["min"], r["max"]))


def _widen_range(c: Data) -> None:
    r = c["range"]
    if r["max"] is not None:
        r["max"] += 1
    else:
        r["min"] -= 1


def _narrow_range(c: Data) -> None:
    r = c["range"]
    if r["min"] is not None and r["max"] is not None:
        r["min"] = r["max"]
    elif r["min"] is not None:
        r["max"] = r["min"] + 100
    else:
        r["min"] = r["max"] - 100


def _plain(c: Data) -> bool:
    return c["type"] in ("string", "integer", "boolean") and not any(
        c.get(k) is not None for k in ("range", "pattern", "max_length", "precision"))


def _retype(c: Data) -> None:
    c["type"] = "boolean" if c["type"] != "boolean" else "string"


def _more_values(c: Data) -> None:
    values = c["allowed_values"]
    ints = [v for v in values if isinstance(v, int)]
    c["allowed_values"] = [*values, max(ints) + 1 if ints else "ZZ-NEW"]


def _raise_personal(c: Data) -> None:
    c["personal"] = "quasi" if c["personal"] == "none" else "direct"


COLUMN_EDITS: list[Edit] = [
    col_edit("description", P, lambda c: True,
             lambda c: c.update(description=c["description"] + " (rev.)")),
    col_edit("required", B, lambda c: c["required"], lambda c: c.update(required=False)),
    col_edit("required", C, lambda c: not c["required"], lambda c: c.update(required=True)),
    col_edit("unique", B, lambda c: c["unique"], lambda c: c.update(unique=False)),
    col_edit("unique", C, lambda c: not c["unique"], lambda c: c.update(unique=True)),
    col_edit("type", B, _plain, _retype),
    col_edit("precision", B, lambda c: c["type"] == "decimal",
             lambda c: c.update(precision=min(38, c["precision"] + 1))
             if c["precision"] < 38 else c.update(precision=c["precision"] - 1)),
    col_edit("values", B, lambda c: c["allowed_values"] is not None, _more_values),
    col_edit("values", C, lambda c: c["allowed_values"] is not None
             and len(c["allowed_values"]) > 1,
             lambda c: c.update(allowed_values=c["allowed_values"][:-1])),
    col_edit("range", B, _range_ok, _widen_range),
    col_edit("range", C, _range_ok, _narrow_range),
    col_edit("range", C, lambda c: c["type"] == "integer" and c["range"] is None,
             lambda c: c.update(range={"min": 0, "max": None})),
    col_edit("max_length", B, lambda c: c["max_length"] is not None,
             lambda c: c.update(max_length=c["max_length"] + 1)),
    col_edit("max_length", C, lambda c: c["type"] == "string" and c["max_length"] is None,
             lambda c: c.update(max_length=500)),
    col_edit("pattern", C, lambda c: c["type"] == "string" and c["pattern"] is None,
             lambda c: c.update(pattern="^.*$")),
    col_edit("pattern", B, lambda c: c["pattern"] is not None,
             lambda c: c.update(pattern=c["pattern"] + "|^$")),
    col_edit("personal", B, lambda c: c["personal"] in ("none", "quasi"), _raise_personal),
    col_edit("personal", C, lambda c: c["personal"] == "quasi",
             lambda c: c.update(personal="none")),
]


def remove_column(s: State, pick: Pick) -> ChangeClass | None:
    found = s.column(pick)
    if found is None or len(found[0]["columns"]) < 2:
        return None
    t, c = found
    t["columns"].remove(c)
    s.frozen_columns.add((t["name"], c["name"]))
    return B


def rename_column(s: State, pick: Pick) -> ChangeClass | None:
    found = s.column(pick)
    if found is None:
        return None
    t, c = found
    s.counter += 1
    c["name"] = f"{c['name']}_v{s.counter}"
    s.frozen_columns.add((t["name"], c["name"]))
    return B


def add_column(required: bool) -> Edit:
    def edit(s: State, pick: Pick) -> ChangeClass | None:
        t = s.table(pick)
        if t is None:
            return None
        s.counter += 1
        name = f"ny_kolonne_{s.counter}"
        t["columns"].append({"name": name, "type": "integer", "required": required})
        s.frozen_columns.add((t["name"], name))
        return B if required else C
    return edit


def swap_columns(s: State, pick: Pick) -> ChangeClass | None:
    t = s.table(pick)
    if t is None or len(t["columns"]) < 2 or not s.claim("order", t["name"]):
        return None
    cols = t["columns"]
    cols[0], cols[1] = cols[1], cols[0]
    return B


def table_edit(slot: str, cls: ChangeClass, applies: Callable[[Data], bool],
               change: Callable[[Data], None]) -> Edit:
    def edit(s: State, pick: Pick) -> ChangeClass | None:
        t = s.table(pick)
        if t is None or not applies(t) or not s.claim("table", t["name"], slot):
            return None
        change(t)
        return cls
    return edit


def add_table(s: State, pick: Pick) -> ChangeClass | None:
    s.counter += 1
    name = f"ny_tabel_{s.counter}"
    pattern = s.d["tables"][0]["file_pattern"].replace("{period}", f"{{period}}_{s.counter}")
    s.d["tables"].append({"name": name, "file_pattern": pattern,
                          "columns": [{"name": "x", "type": "integer"}]})
    s.frozen_tables.add(name)
    return C


def remove_table(s: State, pick: Pick) -> ChangeClass | None:
    t = s.table(pick)
    if t is None or len(s.d["tables"]) < 2:
        return None
    s.d["tables"].remove(t)
    s.frozen_tables.add(t["name"])
    return B


def contract_edit(slot: str, cls: ChangeClass, applies: Callable[[Data], bool],
                  change: Callable[[Data], None]) -> Edit:
    def edit(s: State, pick: Pick) -> ChangeClass | None:
        if not applies(s.d) or not s.claim("contract", slot):
            return None
        change(s.d)
        return cls
    return edit


_RANK = ["none", "aggregated", "pseudonymised", "identifiable"]

OTHER_EDITS: list[Edit] = [
    remove_column, rename_column, add_column(False), add_column(True), swap_columns,
    add_table, remove_table,
    table_edit("file_pattern", B, lambda t: True,
               lambda t: t.update(file_pattern="v2_" + t["file_pattern"])),
    table_edit("primary_key", C, lambda t: t["primary_key"] is None,
               lambda t: t.update(primary_key=[t["columns"][0]["name"]])),
    table_edit("primary_key", B, lambda t: t["primary_key"] is not None,
               lambda t: t.update(primary_key=None)),
    table_edit("extra", B, lambda t: not t["allow_extra_columns"],
               lambda t: t.update(allow_extra_columns=True)),
    table_edit("description", P, lambda t: True,
               lambda t: t.update(description=t["description"] + " (rev.)")),
    contract_edit("title", P, lambda d: True, lambda d: d.update(title=d["title"] + " (rev.)")),
    contract_edit("steward", P, lambda d: True,
                  lambda d: d["steward"].update(email="ny@star.example")),
    contract_edit("due", B, lambda d: d["cadence"]["due_days"] < 366,
                  lambda d: d["cadence"].update(due_days=d["cadence"]["due_days"] + 1)),
    contract_edit("due", C, lambda d: d["cadence"]["due_days"] > 0,
                  lambda d: d["cadence"].update(due_days=d["cadence"]["due_days"] - 1)),
    contract_edit("frequency", B, lambda d: True, lambda d: d["cadence"].update(
        frequency="weekly" if d["cadence"]["frequency"] != "weekly" else "daily")),
    contract_edit("purpose", B, lambda d: True, lambda d: d.update(
        purpose="research" if d["purpose"] != "research" else "statistical")),
    contract_edit("personal_data", B, lambda d: d["personal_data"] != "identifiable",
                  lambda d: d.update(
                      personal_data=_RANK[_RANK.index(d["personal_data"]) + 1])),
    contract_edit("personal_data", C, lambda d: d["personal_data"] != "none",
                  lambda d: d.update(
                      personal_data=_RANK[_RANK.index(d["personal_data"]) - 1])),
    contract_edit("legal_basis", C, lambda d: True, lambda d: d["legal_basis"].append(
        {"text": "Supplerende hjemmel."})),
    contract_edit("recipient", B, lambda d: True,
                  lambda d: d["recipient"].update(code=d["recipient"]["code"] + "X")),
    contract_edit("status", C, lambda d: d["status"] == "active",
                  lambda d: d.update(status="deprecated")),
    contract_edit("status", B, lambda d: d["status"] != "retired",
                  lambda d: d.update(status="retired")),
]

EDITS = COLUMN_EDITS + OTHER_EDITS


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS))
def test_diff_of_a_contract_with_itself_is_empty(seed: Data) -> None:
    assert diff_contracts(contract(seed), contract(copy.deepcopy(seed))) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_breaking_exactly_when_a_breaking_edit_was_applied(seed: Data,
                                                           data: st.DataObject) -> None:
    state = State(copy.deepcopy(seed))

    def pick(options: list[Any]) -> Any:
        return data.draw(st.sampled_from(options))

    applied: list[ChangeClass] = []
    for index in data.draw(st.lists(st.integers(0, len(EDITS) - 1), max_size=6)):
        cls = EDITS[index](state, pick)
        if cls is not None:
            applied.append(cls)
    old, new = contract(seed), contract(state.d)
    changes = diff_contracts(old, new)
    breaking = any(c.change_class is B for c in changes)
    assert breaking == (B in applied), (applied, changes)
    worst = max((c.change_class.rank for c in changes), default=None)
    assert worst == max((c.rank for c in applied), default=None), (applied, changes)
    assert diff_contracts(new, new) == []
