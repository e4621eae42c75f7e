"""Verify a received delivery folder: is this what was sent, under which contract, and is it valid?

Checks, in order: the manifest is there and readable; its contract id and version match a
contract the recipient holds (a different major version is an error, a different minor or
patch version of the same major a warning); the delivery was released; the period of the
folder, the manifest and every file name agree; every listed file is present with the
listed SHA-256 and row count; no file is unlisted; then every file is validated by the
engine against the contract. All results are findings in one
:class:`contractkit.report.model.Report`, so the text/JSON/JUnit renderers apply.

Nothing is ever written into the received folder; files are only read.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path

from contractkit.contract.base import SEMVER
from contractkit.contract.codelists import CodeList
from contractkit.contract.models import Contract, ScopeKind
from contractkit.contract.periods import file_name_regex, parse_period
from contractkit.contract.scopes import normalise_scope_code
from contractkit.delivery.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestFile,
    file_sha256,
    read_manifest,
)
from contractkit.errors import DeliveryError
from contractkit.loader import LoadedContract
from contractkit.report.model import FileReport, Finding, Report

__all__ = ["VerifyCode", "select_contract", "verify_delivery"]


class VerifyCode(StrEnum):
    """Stable codes of the findings verify adds to those of validation."""

    MANIFEST_MISSING = "manifest-missing"
    MANIFEST_MALFORMED = "manifest-malformed"
    CONTRACT_MISMATCH = "contract-mismatch"
    CONTRACT_NEWER_COMPATIBLE = "contract-newer-compatible"
    CONTRACT_OLDER_COMPATIBLE = "contract-older-compatible"
    CONTRACT_TEXT_DIFFERS = "contract-text-differs"
    DELIVERY_REJECTED = "delivery-rejected"
    DELIVERY_PENDING = "delivery-pending"
    PERIOD_MISMATCH = "period-mismatch"
    SCOPE_MISMATCH = "scope-mismatch"
    TABLE_MISMATCH = "table-mismatch"
    FILE_MISSING = "file-missing"
    FILE_UNLISTED = "file-unlisted"
    SHA256_MISMATCH = "sha256-mismatch"
    ROW_COUNT_MISMATCH = "row-count-mismatch"
    SCOPE_SKIPPED = "scope-skipped"


WARNINGS = frozenset({
    VerifyCode.CONTRACT_NEWER_COMPATIBLE,
    VerifyCode.CONTRACT_OLDER_COMPATIBLE,
    VerifyCode.CONTRACT_TEXT_DIFFERS,
    VerifyCode.DELIVERY_PENDING,
    VerifyCode.SCOPE_SKIPPED,
})
_UNITS = {ScopeKind.PER_MUNICIPALITY: "municipalities", ScopeKind.PER_REGION: "regions"}


def _finding(code: VerifyCode, message: str, file: Path, *, column: str | None = None,
             value: str | None = None) -> Finding:
    severity = "warning" if code in WARNINGS else "error"
    return Finding(code=code.value, message=message, file=str(file), column=column,
                   value=value, severity=severity, rule=f"delivery:{code.value}")


def _semver(version: str) -> tuple[int, int, int] | None:
    if not SEMVER.match(version):
        return None
    major, minor, patch = (int(p) for p in version.split("-", 1)[0].split("."))
    return major, minor, patch


def select_contract(contracts: Sequence[LoadedContract], contract_id: str,
                    version: str | None = None) -> LoadedContract | None:
    """The held contract with ``contract_id``: exactly ``version`` if held, else the newest."""
    same = [lc for lc in contracts if lc.contract.id == contract_id]
    exact = [lc for lc in same if lc.contract.version == version]
    if exact:
        return exact[0]
    return max(same, key=lambda lc: lc.contract.semver, default=None)


def _contract_findings(m: Manifest, lc: LoadedContract, where: Path) -> list[Finding]:
    held = lc.contract
    sent = _semver(m.contract_version)
    if sent is None:
        return [_finding(VerifyCode.CONTRACT_MISMATCH, f"the manifest's contract version "
                         f"{m.contract_version!r} is not a semantic version", where)]
    if sent == held.semver and m.contract_version == held.version:
        if m.contract_sha256 != lc.sha256:
            return [_finding(VerifyCode.CONTRACT_TEXT_DIFFERS, f"built under {held.id} "
                             f"{held.version} but the contract text differs from the one held",
                             where)]
        return []
    if sent[0] != held.semver[0]:
        return [_finding(VerifyCode.CONTRACT_MISMATCH, f"built under {held.id} "
                         f"{m.contract_version}; the recipient holds {held.version} (another "
                         "major version: incompatible)", where)]
    newer = sent > held.semver
    code = VerifyCode.CONTRACT_NEWER_COMPATIBLE if newer else VerifyCode.CONTRACT_OLDER_COMPATIBLE
    return [_finding(code, f"built under {held.id} {m.contract_version}, "
                     f"{'newer' if newer else 'older'} than the {held.version} held (same major "
                     "version: compatible)", where)]


def _manifest_findings(m: Manifest, contract: Contract, folder: Path) -> list[Finding]:
    where = folder / MANIFEST_NAME
    out: list[Finding] = []
    if m.status == "rejected":
        out.append(_finding(VerifyCode.DELIVERY_REJECTED, "the producer marked this delivery "
                            "rejected: do not use it", where))
    elif m.status == "pending":
        out.append(_finding(VerifyCode.DELIVERY_PENDING, "the producer has not released this "
                            "delivery yet", where))
    freq = contract.cadence.frequency
    try:
        parse_period(freq, m.period)
    except ValueError as exc:
        out.append(_finding(VerifyCode.PERIOD_MISMATCH, f"manifest period: {exc}", where))
        return out
    try:
        parse_period(freq, folder.name)
    except ValueError:
        pass  # the folder need not be named after the period
    else:
        if folder.name != m.period:
            out.append(_finding(VerifyCode.PERIOD_MISMATCH, f"the folder is period {folder.name} "
                                f"but the manifest says {m.period}", where))
    return out


def _name_findings(contract: Contract, m: Manifest, path: Path, table: str,
                   scope: str | None) -> list[Finding]:
    """Check that a listed file's name fits its table, the period and the scope."""
    freq = contract.cadence.frequency
    matches = [(t.name, rx) for t in contract.tables
               if (rx := file_name_regex(t.file_pattern, freq).match(path.name))]
    if not matches:
        return []  # the engine reports bad-file-name
    if table not in {name for name, _ in matches}:
        return [_finding(VerifyCode.TABLE_MISMATCH, f"listed as table {table!r} but the name "
                         f"fits table {matches[0][0]!r}", path)]
    groups = next(rx for name, rx in matches if name == table).groupdict()
    out: list[Finding] = []
    if groups.get("period") is not None and groups["period"] != m.period:
        out.append(_finding(VerifyCode.PERIOD_MISMATCH, f"the file name carries period "
                            f"{groups['period']} but the delivery is for {m.period}", path,
                            value=groups["period"]))
    named_scope = _norm(groups.get("kommune") or groups.get("region"))
    if named_scope is not None and named_scope != _norm(scope):
        out.append(_finding(VerifyCode.SCOPE_MISMATCH, f"the file name carries scope "
                            f"{named_scope} but the manifest lists {scope}", path))
    return out


def _file_report(lc: LoadedContract | None, m: Manifest | None, path: Path, table: str | None,
                 findings: Sequence[Finding], rows: int | None = None) -> FileReport:
    contract_id = lc.contract.id if lc else (m.contract_id if m else "")
    version = lc.contract.version if lc else (m.contract_version if m else "")
    return FileReport(file=str(path), contract_id=contract_id, contract_version=version,
                      table=table, rows=rows, counts=dict(Counter(f.code for f in findings)),
                      findings=tuple(findings), truncated=False,
                      warning_codes=_warning_codes(findings))


def _warning_codes(findings: Sequence[Finding]) -> frozenset[str]:
    return frozenset(f.code for f in findings if f.severity == "warning")


def _merge(report: FileReport, extra: Sequence[Finding]) -> FileReport:
    if not extra:
        return report
    counts = dict(report.counts)
    for f in extra:
        counts[f.code] = counts.get(f.code, 0) + 1
    return dataclasses.replace(report, counts=counts, findings=(*extra, *report.findings),
                               warning_codes=report.warning_codes | _warning_codes(extra))


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name != MANIFEST_NAME)


def _validate(lc: LoadedContract, paths: Sequence[Path], period: str | None, max_examples: int,
              codelists: Mapping[str, CodeList] | None) -> dict[str, FileReport]:
    if not paths:
        return {}
    from contractkit.engine import validate_paths  # heavy (pandera): load only when needed

    report = validate_paths(lc, list(paths), period=period, max_examples=max_examples,
                            codelists=codelists)
    return {Path(fr.file).name: fr for fr in report.files}


def _without_manifest(folder: Path, contracts: Sequence[LoadedContract], problem: Finding,
                      max_examples: int, codelists: Mapping[str, CodeList] | None) -> Report:
    """No usable manifest: report that, and still validate the files if the feed is known."""
    lc = select_contract(contracts, folder.parent.name)
    if lc is None and len({c.contract.id for c in contracts}) == 1:
        lc = select_contract(contracts, contracts[0].contract.id)
    head = _file_report(lc, None, folder / MANIFEST_NAME, None, [problem])
    if lc is None:
        return Report(files=(head,))
    files = [p for p in _entries(folder) if p.is_file()]
    reports = _validate(lc, files, None, max_examples, codelists)
    return Report(files=(head, *(reports[p.name] for p in files if p.name in reports)))


def _named_scope(contract: Contract, name: str) -> str | None:
    """The municipality/region a file name carries under one of the contract's patterns."""
    freq = contract.cadence.frequency
    for t in contract.tables:
        match = file_name_regex(t.file_pattern, freq).match(name)
        if match is not None:
            groups = match.groupdict()
            named = groups.get("kommune") or groups.get("region")
            if named is not None:
                return normalise_scope_code(named)
    return None


def _norm(code: str | None) -> str | None:
    return None if code is None else normalise_scope_code(code)


def _collapse_missing(contract: Contract, expected: list[ManifestFile],
                      present: Mapping[str, Path], where: Path) -> tuple[list[ManifestFile],
                                                                         list[Finding]]:
    """Without ``--scope``, a folder holding one recipient's files of a full delivery: say so
    once instead of one ``file-missing`` per other recipient."""
    here = {_norm(e.scope) for e in expected if e.name in present and e.scope is not None}
    absent = [e for e in expected if e.name not in present and e.scope is not None
              and _norm(e.scope) not in here]
    if len(here) != 1 or not absent:
        return expected, []
    (mine,) = here
    unit = _UNITS.get(contract.scope.kind, "recipients")
    shown = ", ".join(e.name for e in absent[:3]) + (", …" if len(absent) > 3 else "")
    problem = _finding(VerifyCode.FILE_MISSING, f"{len(absent)} file(s) the manifest lists for "
                       f"other {unit} are not here ({shown}); the folder holds only {mine}'s: "
                       f"verify it with --scope {mine}", where, value=str(len(absent)))
    gone = {e.name for e in absent}
    return [e for e in expected if e.name not in gone], [problem]


def verify_delivery(folder: Path | str, contracts: Sequence[LoadedContract], *,
                    scope: str | None = None, max_examples: int = 20,
                    codelists: Mapping[str, CodeList] | None = None) -> Report:
    """Verify a received delivery folder against the contracts the recipient holds.

    Args:
        folder: the delivery folder (files plus ``manifest.json``); only read.
        contracts: the contracts the recipient holds (the one named by the manifest is used).
        scope: the recipient's municipality/region code (``0751`` = ``751``) for a per-scope
            feed: only the manifest's files of that scope (and unscoped ones) are judged;
            files listed for other scopes are skipped and counted (warning ``scope-skipped``).
            A delivery cut for one recipient (its manifest names a scope, see
            :mod:`contractkit.delivery.extract`) is judged whole, and a file of another
            municipality in it is an error (``scope-mismatch``).
        max_examples: examples kept per rule by validation.
        codelists: code lists (default: those beside the contract).

    Returns:
        One report: a first entry for the delivery as a whole (``manifest.json``), then one
        per file (listed or not).

    Raises:
        DeliveryError: ``folder`` is not an existing folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DeliveryError(f"{folder}: no such delivery folder", folder)
    manifest_path = folder / MANIFEST_NAME
    try:
        m = read_manifest(folder)
    except DeliveryError as exc:
        code = (VerifyCode.MANIFEST_MISSING if not manifest_path.exists()
                else VerifyCode.MANIFEST_MALFORMED)
        problem = _finding(code, exc.message, manifest_path)
        return _without_manifest(folder, contracts, problem, max_examples, codelists)

    lc = select_contract(contracts, m.contract_id, m.contract_version)
    if lc is None:
        held = ", ".join(sorted({c.contract.id for c in contracts})) or "none"
        problem = _finding(VerifyCode.CONTRACT_MISMATCH, f"built under contract {m.contract_id}, "
                           f"which the recipient does not hold (held: {held})", manifest_path)
        return Report(files=(_file_report(None, m, manifest_path, None, [problem]),))
    head_findings = [*_contract_findings(m, lc, manifest_path),
                     *_manifest_findings(m, lc.contract, folder)]

    present = {p.name: p for p in _entries(folder)}
    scope, cut = _norm(scope), _norm(m.scope)
    expected = list(m.files)
    if cut is not None:  # a delivery cut for one recipient: all of it is expected
        if scope is not None and scope != cut:
            head_findings.append(_finding(VerifyCode.SCOPE_MISMATCH, f"this delivery was cut "
                                          f"for {cut}, not for {scope}", manifest_path))
    elif scope is not None:
        expected = [e for e in m.files if _norm(e.scope) in (None, scope)]
        if not any(_norm(e.scope) == scope for e in m.files):
            head_findings.append(_finding(VerifyCode.FILE_MISSING, f"the manifest lists no "
                                          f"file for scope {scope}", manifest_path))
    else:
        expected, collapsed = _collapse_missing(lc.contract, expected, present, manifest_path)
        head_findings.extend(collapsed)
    per_file: dict[str, list[Finding]] = {}
    to_validate: list[Path] = []
    for entry in expected:
        path = folder / entry.name
        found = per_file.setdefault(entry.name, [])
        if entry.name not in present or not path.is_file():
            found.append(_finding(VerifyCode.FILE_MISSING, "listed in the manifest but not in "
                                  "the delivery folder", path))
            continue
        if file_sha256(path) != entry.sha256:
            found.append(_finding(VerifyCode.SHA256_MISMATCH, "the file's SHA-256 differs from "
                                  "the manifest: it was changed, truncated or substituted", path))
        found.extend(_name_findings(lc.contract, m, path, entry.table, entry.scope))
        to_validate.append(path)
    validated = _validate(lc, to_validate, m.period, max_examples, codelists)

    reports: list[FileReport] = [_file_report(lc, m, manifest_path, None, head_findings)]
    for entry in expected:
        path = folder / entry.name
        findings = per_file[entry.name]
        fr = validated.get(entry.name)
        if fr is None:
            reports.append(_file_report(lc, m, path, entry.table, findings))
            continue
        if fr.rows is not None and fr.rows != entry.rows:
            findings.append(_finding(VerifyCode.ROW_COUNT_MISMATCH, f"{fr.rows} data rows but "
                                     f"the manifest lists {entry.rows}", path,
                                     value=str(fr.rows)))
        reports.append(_merge(fr, findings))
    listed = {f.name: f for f in m.files}
    judged = {e.name for e in expected}
    skipped = 0
    for name, path in present.items():
        other = listed.get(name)
        named = _named_scope(lc.contract, name)
        if other is None and cut is not None and named is not None and named != cut:
            problem = _finding(VerifyCode.SCOPE_MISMATCH, f"a file of {named} in a delivery cut "
                               f"for {cut}: it must not be here", path)
        elif other is None:
            problem = _finding(VerifyCode.FILE_UNLISTED, "in the delivery folder but not listed "
                               "in the manifest", path)
        elif name not in judged and scope is not None:
            skipped += 1
            continue
        else:
            continue
        reports.append(_file_report(lc, m, path, other.table if other else None, [problem]))
    if skipped:
        unit = _UNITS.get(lc.contract.scope.kind, "recipients")
        note = _finding(VerifyCode.SCOPE_SKIPPED, f"judged only {scope}'s files: skipped "
                        f"{skipped} file(s) the manifest lists for other {unit}", manifest_path,
                        value=str(skipped))
        reports[0] = _merge(reports[0], [note])
    return Report(files=tuple(reports))
