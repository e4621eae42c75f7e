"""The vocabulary of contract changes: kinds, classes, and the change record.

Every kind of change has exactly one class and one governance flag, fixed in
:data:`KINDS`; a :class:`Change` only names its kind, so a kind can never be classified
two ways. Classes are judged from the **recipient's** side:

* ``breaking`` (needs a major version): a recipient who relies on the old contract can be
  surprised — data it does not know, a file it cannot read, a feed it loses.
* ``compatible`` (minor): the recipient gets less variety or more guarantees than before.
* ``patch``: documentation only.

Governance changes (legal basis, purpose, recipient, personal-data class, …) are flagged
on their own whatever their class: they need a human's eye.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "KINDS",
    "Bump",
    "Change",
    "ChangeClass",
    "ChangeKind",
    "KindInfo",
    "required_bump",
]


class ChangeClass(StrEnum):
    """How much a change can surprise a recipient (ordered: patch < compatible < breaking)."""

    PATCH = "patch"
    COMPATIBLE = "compatible"
    BREAKING = "breaking"

    @property
    def rank(self) -> int:
        """0 for patch, 1 for compatible, 2 for breaking."""
        return list(ChangeClass).index(self)


class Bump(StrEnum):
    """A semantic-version increment (ordered: patch < minor < major)."""

    PATCH = "patch"
    MINOR = "minor"
    MAJOR = "major"

    @property
    def rank(self) -> int:
        """0 for patch, 1 for minor, 2 for major."""
        return list(Bump).index(self)


class ChangeKind(StrEnum):
    """Stable kebab-case code of one kind of contract change."""

    # the contract as a whole
    CONTRACT_ADDED = "contract-added"
    CONTRACT_REMOVED = "contract-removed"
    CONTRACT_ID_CHANGED = "contract-id-changed"
    CONTRACT_RETIRED = "contract-retired"
    STATUS_CHANGED = "status-changed"
    DIRECTION_CHANGED = "direction-changed"
    # documentation
    DESCRIPTION_CHANGED = "description-changed"
    TITLE_CHANGED = "title-changed"
    NOTES_CHANGED = "notes-changed"
    OWNER_CHANGED = "owner-changed"
    STEWARD_CHANGED = "steward-changed"
    SOURCE_SYSTEM_CHANGED = "source-system-changed"
    # parties, scope and governance
    PROVIDER_CHANGED = "provider-changed"
    PROVIDER_RENAMED = "provider-renamed"
    RECIPIENT_CHANGED = "recipient-changed"
    RECIPIENT_RENAMED = "recipient-renamed"
    SCOPE_WIDENED = "scope-widened"
    SCOPE_NARROWED = "scope-narrowed"
    SCOPE_COLUMN_CHANGED = "scope-column-changed"
    SCOPE_TEXT_CHANGED = "scope-text-changed"
    SCOPE_RECIPIENTS_WIDENED = "scope-recipients-widened"
    SCOPE_RECIPIENTS_NARROWED = "scope-recipients-narrowed"
    PURPOSE_CHANGED = "purpose-changed"
    LEGAL_BASIS_CHANGED = "legal-basis-changed"
    PERSONAL_DATA_RAISED = "personal-data-raised"
    PERSONAL_DATA_LOWERED = "personal-data-lowered"
    CPR_EXEMPTION_CHANGED = "cpr-exemption-changed"
    # cadence and file format
    CADENCE_CHANGED = "cadence-changed"
    DUE_DATE_LATER = "due-date-later"
    DUE_DATE_EARLIER = "due-date-earlier"
    FORMAT_CHANGED = "format-changed"
    ENCODING_CHANGED = "encoding-changed"
    DELIMITER_CHANGED = "delimiter-changed"
    FORMAT_OPTION_CHANGED = "format-option-changed"
    # tables (files of a delivery)
    TABLE_ADDED = "table-added"
    TABLE_REMOVED = "table-removed"
    FILE_PATTERN_CHANGED = "file-pattern-changed"
    PRIMARY_KEY_ADDED = "primary-key-added"
    PRIMARY_KEY_CHANGED = "primary-key-changed"
    PRIMARY_KEY_REMOVED = "primary-key-removed"
    ROW_COUNT_WIDENED = "row-count-widened"
    ROW_COUNT_NARROWED = "row-count-narrowed"
    EXTRA_COLUMNS_ALLOWED = "extra-columns-allowed"
    EXTRA_COLUMNS_FORBIDDEN = "extra-columns-forbidden"
    PERIOD_RULE_ADDED = "period-rule-added"
    PERIOD_RULE_CHANGED = "period-rule-changed"
    PERIOD_RULE_REMOVED = "period-rule-removed"
    MIN_CELL_SIZE_WEAKENED = "min-cell-size-weakened"
    MIN_CELL_SIZE_STRENGTHENED = "min-cell-size-strengthened"
    REFERENCE_ADDED = "reference-added"
    REFERENCE_REMOVED = "reference-removed"
    # columns
    COLUMN_ADDED = "column-added"
    REQUIRED_COLUMN_ADDED = "required-column-added"
    COLUMN_REMOVED = "column-removed"
    COLUMN_RENAMED = "column-renamed"
    COLUMN_ORDER_CHANGED = "column-order-changed"
    TYPE_CHANGED = "type-changed"
    TYPE_NARROWED = "type-narrowed"
    TYPE_WIDENED = "type-widened"
    COLUMN_NULLABLE = "column-nullable"
    COLUMN_REQUIRED = "column-required"
    UNIQUE_DROPPED = "unique-dropped"
    UNIQUE_ADDED = "unique-added"
    VALUES_WIDENED = "values-widened"
    VALUES_NARROWED = "values-narrowed"
    CODELIST_REPLACED = "codelist-replaced"
    RANGE_WIDENED = "range-widened"
    RANGE_NARROWED = "range-narrowed"
    PATTERN_CHANGED = "pattern-changed"
    PATTERN_ADDED = "pattern-added"
    MAX_LENGTH_WIDENED = "max-length-widened"
    MAX_LENGTH_NARROWED = "max-length-narrowed"
    SEMANTIC_CHANGED = "semantic-changed"
    SEMANTIC_ADDED = "semantic-added"
    PERSONAL_RAISED = "personal-raised"
    PERSONAL_LOWERED = "personal-lowered"
    # column families (a column per week/month; their rules change like a column's)
    FAMILY_ADDED = "family-added"
    FAMILY_REMOVED = "family-removed"
    FAMILY_RENAMED = "family-renamed"
    FAMILY_FIRST_CHANGED = "family-first-changed"
    FAMILY_END_CHANGED = "family-end-changed"


@dataclass(frozen=True)
class KindInfo:
    """The fixed class, governance flag and recipient-side reason of a change kind."""

    change_class: ChangeClass
    governance: bool
    reason: str


_B, _C, _P = ChangeClass.BREAKING, ChangeClass.COMPATIBLE, ChangeClass.PATCH
_K = ChangeKind

KINDS: dict[ChangeKind, KindInfo] = {
    _K.CONTRACT_ADDED: KindInfo(_C, True, "a new feed: a new disclosure of data needs review"),
    _K.CONTRACT_REMOVED: KindInfo(_B, False, "recipients lose the feed"),
    _K.CONTRACT_ID_CHANGED: KindInfo(_B, False, "recipients refer to the feed by its id"),
    _K.CONTRACT_RETIRED: KindInfo(_B, False, "recipients stop getting deliveries"),
    _K.STATUS_CHANGED: KindInfo(_C, False, "the life-cycle state changes, deliveries go on"),
    _K.DIRECTION_CHANGED: KindInfo(_B, False, "who sends and who receives is reversed"),
    _K.DESCRIPTION_CHANGED: KindInfo(_P, False, "documentation only"),
    _K.TITLE_CHANGED: KindInfo(_P, False, "documentation only"),
    _K.NOTES_CHANGED: KindInfo(_P, False, "documentation only"),
    _K.OWNER_CHANGED: KindInfo(_P, False, "documentation only"),
    _K.STEWARD_CHANGED: KindInfo(_P, False, "contact details only"),
    _K.SOURCE_SYSTEM_CHANGED: KindInfo(_P, False, "documentation only"),
    _K.PROVIDER_CHANGED: KindInfo(
        _B, True, "another authority sends (and answers for) the data"),
    _K.PROVIDER_RENAMED: KindInfo(_P, True, "the same authority under a new name"),
    _K.RECIPIENT_CHANGED: KindInfo(
        _B, True, "the data goes to another authority; the old recipient loses the feed"),
    _K.RECIPIENT_RENAMED: KindInfo(_P, True, "the same recipient under a new name"),
    _K.SCOPE_WIDENED: KindInfo(
        _B, True, "a file may now hold persons outside the recipient's former scope"),
    _K.SCOPE_NARROWED: KindInfo(_C, True, "a file holds fewer persons than before"),
    _K.SCOPE_COLUMN_CHANGED: KindInfo(
        _B, True, "another column decides which persons a file may hold"),
    _K.SCOPE_TEXT_CHANGED: KindInfo(_P, True, "the wording of the recipient scope changes"),
    _K.SCOPE_RECIPIENTS_WIDENED: KindInfo(
        _B, True, "more municipalities/regions receive the personal data"),
    _K.SCOPE_RECIPIENTS_NARROWED: KindInfo(
        _B, True, "some municipalities/regions stop receiving the feed"),
    _K.PURPOSE_CHANGED: KindInfo(
        _B, True, "the recipient may use the data for another purpose only"),
    _K.LEGAL_BASIS_CHANGED: KindInfo(_C, True, "the legal basis of the disclosure changes"),
    _K.PERSONAL_DATA_RAISED: KindInfo(
        _B, True, "the recipient gets more identifying data and must protect it accordingly"),
    _K.PERSONAL_DATA_LOWERED: KindInfo(_C, True, "the recipient gets less identifying data"),
    _K.CPR_EXEMPTION_CHANGED: KindInfo(
        _C, True, "the approval to deliver CPR numbers changes"),
    _K.CADENCE_CHANGED: KindInfo(
        _B, False, "deliveries come at another frequency and cover other periods"),
    _K.DUE_DATE_LATER: KindInfo(_B, False, "deliveries arrive later than the recipient plans"),
    _K.DUE_DATE_EARLIER: KindInfo(_C, False, "deliveries arrive earlier"),
    _K.FORMAT_CHANGED: KindInfo(_B, False, "the recipient's reader cannot open the new format"),
    _K.ENCODING_CHANGED: KindInfo(_B, False, "text is mis-decoded by the recipient's reader"),
    _K.DELIMITER_CHANGED: KindInfo(_B, False, "rows are mis-split by the recipient's reader"),
    _K.FORMAT_OPTION_CHANGED: KindInfo(_B, False, "the recipient's reader is set up differently"),
    _K.TABLE_ADDED: KindInfo(_C, False, "a new file in each delivery; old files are unchanged"),
    _K.TABLE_REMOVED: KindInfo(_B, False, "recipients lose a file they read"),
    _K.FILE_PATTERN_CHANGED: KindInfo(
        _B, False, "recipients look for the file under its old name"),
    _K.PRIMARY_KEY_ADDED: KindInfo(_C, False, "a new guarantee: rows are unique by the key"),
    _K.PRIMARY_KEY_CHANGED: KindInfo(
        _B, False, "recipients that match or upsert rows by the old key break"),
    _K.PRIMARY_KEY_REMOVED: KindInfo(_B, False, "rows are no longer guaranteed unique"),
    _K.ROW_COUNT_WIDENED: KindInfo(_B, False, "a file may hold fewer or more rows than before"),
    _K.ROW_COUNT_NARROWED: KindInfo(_C, False, "tighter bounds on the number of rows"),
    _K.EXTRA_COLUMNS_ALLOWED: KindInfo(
        _B, False, "files may carry columns the recipient does not know"),
    _K.EXTRA_COLUMNS_FORBIDDEN: KindInfo(_C, False, "files carry only declared columns"),
    _K.PERIOD_RULE_ADDED: KindInfo(_C, False, "a new guarantee: rows lie in the period"),
    _K.PERIOD_RULE_CHANGED: KindInfo(_B, False, "another column decides the period of a row"),
    _K.PERIOD_RULE_REMOVED: KindInfo(_B, False, "rows may lie outside the delivery period"),
    _K.MIN_CELL_SIZE_WEAKENED: KindInfo(
        _B, True, "smaller cells are published: more risk of disclosing persons"),
    _K.MIN_CELL_SIZE_STRENGTHENED: KindInfo(_C, True, "small cells are suppressed"),
    _K.REFERENCE_ADDED: KindInfo(_C, False, "a new guarantee of referential integrity"),
    _K.REFERENCE_REMOVED: KindInfo(
        _B, False, "rows may refer to rows that are not in the delivery"),
    _K.COLUMN_ADDED: KindInfo(
        _C, False, "a new optional column; every column the recipient reads is unchanged"),
    _K.REQUIRED_COLUMN_ADDED: KindInfo(
        _B, False, "files made under the old version lack the column and are now rejected"),
    _K.COLUMN_REMOVED: KindInfo(_B, False, "recipients lose a column they read"),
    _K.COLUMN_RENAMED: KindInfo(_B, False, "recipients look for the column under its old name"),
    _K.COLUMN_ORDER_CHANGED: KindInfo(
        _B, False, "recipients that read columns by position get the wrong values"),
    _K.TYPE_CHANGED: KindInfo(_B, False, "the recipient's reader and storage expect the old type"),
    _K.TYPE_NARROWED: KindInfo(
        _B, False, "the recipient's storage type (precision/scale) no longer matches"),
    _K.TYPE_WIDENED: KindInfo(
        _B, False, "values may not fit the recipient's storage type (precision/scale)"),
    _K.COLUMN_NULLABLE: KindInfo(_B, False, "recipients get empty values they did not expect"),
    _K.COLUMN_REQUIRED: KindInfo(_C, False, "values are never empty any more"),
    _K.UNIQUE_DROPPED: KindInfo(_B, False, "values are no longer guaranteed unique"),
    _K.UNIQUE_ADDED: KindInfo(_C, False, "a new guarantee: values are unique"),
    _K.VALUES_WIDENED: KindInfo(_B, False, "recipients get codes they do not know"),
    _K.VALUES_NARROWED: KindInfo(_C, False, "recipients get only codes they already know"),
    _K.CODELIST_REPLACED: KindInfo(
        _B, False, "the column refers to another code list whose codes may be unknown"),
    _K.RANGE_WIDENED: KindInfo(_B, False, "recipients get values outside the range they know"),
    _K.RANGE_NARROWED: KindInfo(_C, False, "values stay inside the range recipients know"),
    _K.PATTERN_CHANGED: KindInfo(
        _B, False, "values may no longer match the pattern recipients rely on"),
    _K.PATTERN_ADDED: KindInfo(_C, False, "a new guarantee: values match a pattern"),
    _K.MAX_LENGTH_WIDENED: KindInfo(_B, False, "values may be longer than recipients store"),
    _K.MAX_LENGTH_NARROWED: KindInfo(_C, False, "values are no longer than before"),
    _K.SEMANTIC_CHANGED: KindInfo(_B, False, "the meaning or check of the values changes"),
    _K.SEMANTIC_ADDED: KindInfo(_C, False, "a new guarantee: values pass a built-in check"),
    _K.PERSONAL_RAISED: KindInfo(
        _B, True, "the column is more identifying and must be protected accordingly"),
    _K.PERSONAL_LOWERED: KindInfo(_C, True, "the column is less identifying than before"),
    _K.FAMILY_ADDED: KindInfo(
        _B, False, "files made under the old version lack the family's week/month columns"),
    _K.FAMILY_REMOVED: KindInfo(_B, False, "recipients lose the week/month columns they read"),
    _K.FAMILY_RENAMED: KindInfo(
        _B, False, "recipients look for every week/month column under its old name"),
    _K.FAMILY_FIRST_CHANGED: KindInfo(
        _B, False, "week/month columns appear or vanish at the start of the file's range"),
    _K.FAMILY_END_CHANGED: KindInfo(
        _B, False, "files end on another week/month than recipients expect"),
}


@dataclass(frozen=True)
class Change:
    """One change between two versions of a contract.

    Attributes:
        kind: what changed (its class and governance flag follow from :data:`KINDS`).
        location: where, e.g. ``tables[ledighed].columns[timer].range``.
        table: the table concerned, if any.
        column: the column concerned, if any.
        old: the old value, rendered for people (``None`` when absent).
        new: the new value, rendered for people (``None`` when absent).
        detail: what exactly changed, e.g. ``codes added: 112, 113``.
    """

    kind: ChangeKind
    location: str
    table: str | None = None
    column: str | None = None
    old: str | None = None
    new: str | None = None
    detail: str = ""

    @property
    def change_class(self) -> ChangeClass:
        """breaking, compatible or patch."""
        return KINDS[self.kind].change_class

    @property
    def governance(self) -> bool:
        """True when a human must review the change whatever its class."""
        return KINDS[self.kind].governance

    @property
    def reason(self) -> str:
        """Why the change has its class, from the recipient's side."""
        return KINDS[self.kind].reason


def required_bump(changes: Iterable[Change], *, major_zero: bool = False) -> Bump | None:
    """The smallest version increment the changes demand (``None`` when there are none).

    Args:
        changes: the changes between two versions.
        major_zero: the old version is ``0.y.z``; by the usual convention for initial
            development a breaking change then needs a minor bump and anything else a patch.
    """
    top = max((c.change_class.rank for c in changes), default=None)
    if top is None:
        return None
    bump = [Bump.PATCH, Bump.MINOR, Bump.MAJOR][top]
    if major_zero:
        bump = Bump.MINOR if bump is Bump.MAJOR else Bump.PATCH
    return bump
