"""Column families in the dbt project: one long model per family, pivoted at export.

A wide delivery such as DREAM gains a column per week and month every period. Were the
wide file a dbt model, its model contract (and ``dbt generate --check``) would change every
month and hold some 2,100 columns. Instead each family gets its own long, contracted model
``<contract>__<table>__<stem>``: one row per key and member with a value (DREAM: person ×
week with a benefit code), columns

* the table's primary-key columns, typed as in the contract,
* a label column: ``uge`` (ISO week ``YYYY-Www``) or ``maaned`` (month ``YYYY-MM``),
* the value, named after the template's stem (``y``, ``branche``, ``grad``), carrying the
  family's rules (type, code list, ...) and never null: an empty cell has no row.

These columns do not depend on the period, so the generated YAML is stable; the export
pivots the long rows into the members of the period (``pipeline/wide.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from contractkit.contract.families import TOKEN, ColumnFamily, FamilyUnit
from contractkit.contract.models import Column, ColumnRules, ColumnType, SemanticType, Table

__all__ = ["FamilyModel", "family_model", "family_models"]


@dataclass(frozen=True)
class FamilyModel:
    """The long dbt model of one column family.

    Attributes:
        name: the dbt model name.
        family: the family.
        keys: the key columns (the table's primary key).
        label: the week/month label column.
        value: the value column (the family's rules, required).
    """

    name: str
    family: ColumnFamily
    keys: tuple[Column, ...]
    label: Column
    value: Column

    @property
    def columns(self) -> list[Column]:
        """Every column of the model, in order."""
        return [*self.keys, self.label, self.value]


def _stem(family: ColumnFamily) -> str:
    return TOKEN.sub("", family.template).strip("_") or "vaerdi"


def family_model(base_model: str, table: Table, family: ColumnFamily) -> FamilyModel:
    """The long model of ``family`` beside the table's base model ``base_model``.

    Raises:
        ValueError: the table has no primary key (the long rows need a key to pivot on) or a
            key column is not a plain column.
    """
    keys = []
    for name in table.primary_key or ():
        col = table.column(name)
        if col is None:
            raise ValueError(f"table {table.name}: key column {name!r} is not a plain column")
        keys.append(col)
    if not keys:
        raise ValueError(f"table {table.name}: a table with column families needs a "
                         "primary key to deliver through dbt")
    week = family.unit is FamilyUnit.ISO_WEEK
    label = Column(name="uge" if week else "maaned", type=ColumnType.STRING,
                   semantic=SemanticType.ISO_WEEK if week else SemanticType.PERIOD_MONTH,
                   description="ISO-uge YYYY-Www" if week else "Måned YYYY-MM")
    stem = _stem(family)
    taken = {c.name for c in keys} | {label.name}
    name = stem if stem not in taken else f"{stem}_vaerdi"
    rules = {k: getattr(family, k) for k in ColumnRules.model_fields}
    rules.update(required=True, description=family.description or family.display_name)
    value = Column(name=name, **rules)
    return FamilyModel(f"{base_model}__{stem}", family, tuple(keys), label, value)


def family_models(base_model: str, table: Table) -> list[FamilyModel]:
    """The long models of every family of ``table``, in declaration order."""
    return [family_model(base_model, table, f) for f in table.column_families]
