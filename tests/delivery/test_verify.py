"""Verify a received delivery: each way a delivery can differ from what was sent is a finding."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from contractkit.delivery import MANIFEST_NAME
from contractkit.delivery.verify import verify_delivery
from contractkit.errors import DeliveryError
from contractkit.loader import LoadedContract, load_contract
from contractkit.report.model import Report

GOOD = (b"cpr;kommune_kode;timer\n"
        b"0101800001;101;1,5\n"
        b"0202810002;147;37,00\n"
        b"0303820003;751;0\n")
WHEN = datetime(2024, 4, 8, 6, 0, tzinfo=UTC)


def codes(report: Report, name: str) -> dict[str, int]:
    """Counts per code of the file called ``name`` in the report."""
    (fr,) = [f for f in report.files if Path(f.file).name == name]
    return dict(fr.counts)


def all_codes(report: Report) -> set[str]:
    return {code for code, n in report.counts.items() if n}


@pytest.fixture
def delivery(monthly: LoadedContract, make_delivery) -> Path:  # type: ignore[no-untyped-def]
    """A clean delivery of the test feed for 2024-03."""
    return make_delivery(monthly, "2024-03", [("feed_2024-03.csv", GOOD)], generated_at=WHEN)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_clean_delivery_conforms(delivery: Path, monthly: LoadedContract) -> None:
    before = snapshot(delivery)
    report = verify_delivery(delivery, [monthly])
    assert report.ok, report.counts
    assert all_codes(report) == set()
    assert [Path(f.file).name for f in report.files] == [MANIFEST_NAME, "feed_2024-03.csv"]
    assert report.files[1].rows == 3
    assert snapshot(delivery) == before  # verify never writes into the received folder


def test_changed_byte_is_a_sha256_mismatch(delivery: Path, monthly: LoadedContract) -> None:
    path = delivery / "feed_2024-03.csv"
    path.write_bytes(path.read_bytes().replace(b"1,5", b"2,5"))  # still valid data
    report = verify_delivery(delivery, [monthly])
    assert not report.ok
    assert codes(report, "feed_2024-03.csv") == {"sha256-mismatch": 1}
    assert all_codes(report) == {"sha256-mismatch"}


def test_truncated_file(delivery: Path, monthly: LoadedContract) -> None:
    path = delivery / "feed_2024-03.csv"
    path.write_bytes(GOOD[: GOOD.rindex(b"0303")])  # the last row is cut off
    report = verify_delivery(delivery, [monthly])
    found = codes(report, "feed_2024-03.csv")
    assert found["sha256-mismatch"] == 1
    assert found["row-count-mismatch"] == 1
    assert not report.ok


def test_substituted_file(delivery: Path, monthly: LoadedContract) -> None:
    path = delivery / "feed_2024-03.csv"
    path.write_bytes(b"cpr;kommune_kode;timer\n0404840004;101;2\n0505850005;101;3\n"
                     b"0606860006;101;4\n")  # same row count, other persons
    report = verify_delivery(delivery, [monthly])
    assert codes(report, "feed_2024-03.csv") == {"sha256-mismatch": 1}


def test_missing_file(delivery: Path, monthly: LoadedContract) -> None:
    (delivery / "feed_2024-03.csv").unlink()
    report = verify_delivery(delivery, [monthly])
    assert codes(report, "feed_2024-03.csv") == {"file-missing": 1}
    assert not report.ok


def test_extra_file(delivery: Path, monthly: LoadedContract) -> None:
    (delivery / "feed_2024-03_extra.csv").write_bytes(GOOD)
    report = verify_delivery(delivery, [monthly])
    assert codes(report, "feed_2024-03_extra.csv") == {"file-unlisted": 1}
    assert codes(report, "feed_2024-03.csv") == {}
    assert not report.ok


def test_file_from_another_period(monthly: LoadedContract,
                                  make_delivery) -> None:  # type: ignore[no-untyped-def]
    folder = make_delivery(monthly, "2024-03", [("feed_2024-02.csv", GOOD)], generated_at=WHEN)
    report = verify_delivery(folder, [monthly])
    assert codes(report, "feed_2024-02.csv")["period-mismatch"] == 1
    assert not report.ok


def test_manifest_in_a_folder_of_another_period(delivery: Path,
                                                monthly: LoadedContract) -> None:
    moved = delivery.parent / "2024-02"
    delivery.rename(moved)
    report = verify_delivery(moved, [monthly])
    assert codes(report, MANIFEST_NAME) == {"period-mismatch": 1}


def _set_version(folder: Path, version: str) -> None:
    path = folder / MANIFEST_NAME
    data = json.loads(path.read_text())
    data["contract_version"] = version
    path.write_text(json.dumps(data))


def test_manifest_for_another_major_version(delivery: Path, monthly: LoadedContract) -> None:
    _set_version(delivery, "2.0.0")
    report = verify_delivery(delivery, [monthly])
    assert codes(report, MANIFEST_NAME) == {"contract-mismatch": 1}
    assert not report.ok


@pytest.mark.parametrize(("version", "code"), [("1.3.0", "contract-newer-compatible"),
                                               ("1.2.0", "contract-older-compatible")])
def test_manifest_for_another_compatible_version_warns(delivery: Path, monthly: LoadedContract,
                                                       version: str, code: str) -> None:
    _set_version(delivery, version)
    report = verify_delivery(delivery, [monthly])
    assert codes(report, MANIFEST_NAME) == {code: 1}
    (finding,) = report.files[0].findings
    assert finding.severity == "warning"
    assert report.ok


def test_held_contract_of_the_exact_version_is_preferred(
    delivery: Path, monthly: LoadedContract, write_contract, base_text: str  # type: ignore[no-untyped-def]
) -> None:
    newer = load_contract(write_contract(base_text.replace("1.2.3", "1.4.0"), "newer.yaml"))
    report = verify_delivery(delivery, [newer, monthly])
    assert report.files[0].contract_version == "1.2.3"
    assert report.ok


def test_same_version_other_text_warns(delivery: Path, write_contract,  # type: ignore[no-untyped-def]
                                       base_text: str) -> None:
    edited = load_contract(write_contract(base_text + "notes: edited\n", "edited.yaml"))
    report = verify_delivery(delivery, [edited])
    assert codes(report, MANIFEST_NAME) == {"contract-text-differs": 1}
    assert report.ok


def test_manifest_for_a_contract_not_held(delivery: Path, write_contract,  # type: ignore[no-untyped-def]
                                          base_text: str) -> None:
    other = load_contract(write_contract(base_text.replace("id: test-feed", "id: other-feed"),
                                         "other.yaml"))
    report = verify_delivery(delivery, [other])
    assert codes(report, MANIFEST_NAME) == {"contract-mismatch": 1}
    assert not report.ok


def test_rejected_delivery(monthly: LoadedContract, make_delivery) -> None:  # type: ignore[no-untyped-def]
    folder = make_delivery(monthly, "2024-03", [("feed_2024-03.csv", GOOD)], status="rejected")
    report = verify_delivery(folder, [monthly])
    assert codes(report, MANIFEST_NAME) == {"delivery-rejected": 1}


def test_missing_manifest_still_validates_the_files(delivery: Path,
                                                    monthly: LoadedContract) -> None:
    (delivery / MANIFEST_NAME).unlink()
    report = verify_delivery(delivery, [monthly])
    assert codes(report, MANIFEST_NAME) == {"manifest-missing": 1}
    assert codes(report, "feed_2024-03.csv") == {}
    assert not report.ok


def test_malformed_manifest(delivery: Path, monthly: LoadedContract) -> None:
    (delivery / MANIFEST_NAME).write_text('{"schema": "contractkit-manifest/1"')
    report = verify_delivery(delivery, [monthly])
    assert codes(report, MANIFEST_NAME) == {"manifest-malformed": 1}


def test_data_findings_join_the_delivery_findings(delivery: Path,
                                                  monthly: LoadedContract) -> None:
    path = delivery / "feed_2024-03.csv"
    path.write_bytes(path.read_bytes().replace(b"37,00", b"99,00"))
    report = verify_delivery(delivery, [monthly])
    found = codes(report, "feed_2024-03.csv")
    assert found == {"sha256-mismatch": 1, "out-of-range": 1}


def test_missing_folder_cannot_be_judged(tmp_path: Path, monthly: LoadedContract) -> None:
    with pytest.raises(DeliveryError):
        verify_delivery(tmp_path / "absent", [monthly])


def _per_kommune_delivery(tmp_path: Path, lc: LoadedContract, present: list[str]) -> Path:
    """A manifest listing files of 101, 147 and 151; only ``present`` ones are in the folder."""
    from contractkit.delivery import build_manifest, write_manifest

    producer = tmp_path / "producer"
    producer.mkdir()
    entries = []
    for code in ("101", "147", "151"):
        path = producer / f"feed_{code}_2024-03.csv"
        path.write_bytes(b"cpr;kommune_kode;timer\n0101800001;" + code.encode() + b";1\n")
        entries.append((path, "rows", code, 1))
    received = tmp_path / "received" / "2024-03"
    received.mkdir(parents=True)
    for code in present:
        name = f"feed_{code}_2024-03.csv"
        (received / name).write_bytes((producer / name).read_bytes())
    write_manifest(received, build_manifest(lc, "2024-03", entries, "released",
                                            generated_at=WHEN))
    return received


def test_recipient_scope_expects_only_its_own_file(tmp_path: Path,
                                                   per_kommune: LoadedContract) -> None:
    folder = _per_kommune_delivery(tmp_path, per_kommune, ["101"])
    report = verify_delivery(folder, [per_kommune], scope="101")
    assert report.ok, report.counts
    assert [Path(f.file).name for f in report.files] == [MANIFEST_NAME, "feed_101_2024-03.csv"]


def test_without_scope_every_listed_file_is_expected(tmp_path: Path,
                                                     per_kommune: LoadedContract) -> None:
    folder = _per_kommune_delivery(tmp_path, per_kommune, [])
    report = verify_delivery(folder, [per_kommune])
    assert codes(report, "feed_101_2024-03.csv") == {"file-missing": 1}
    assert codes(report, "feed_147_2024-03.csv") == {"file-missing": 1}


def test_one_recipients_folder_without_scope_says_so_once(tmp_path: Path,
                                                          per_kommune: LoadedContract) -> None:
    # Issue 19: a folder holding only 101's file gave one file-missing section per other
    # municipality; now one finding names how many and suggests --scope 101.
    folder = _per_kommune_delivery(tmp_path, per_kommune, ["101"])
    report = verify_delivery(folder, [per_kommune])
    assert [Path(f.file).name for f in report.files] == [MANIFEST_NAME, "feed_101_2024-03.csv"]
    (missing,) = report.files[0].findings
    assert (missing.code, missing.value) == ("file-missing", "2")
    assert "--scope 101" in missing.message
    assert not report.ok


def test_scope_judges_only_its_files_and_counts_the_skipped(
        tmp_path: Path, per_kommune: LoadedContract) -> None:
    # Issue 19: the producer's folder verified for one recipient printed a scope-mismatch
    # per other municipality; now the others are skipped and counted in one warning.
    folder = _per_kommune_delivery(tmp_path, per_kommune, ["101", "147", "151"])
    report = verify_delivery(folder, [per_kommune], scope="0101")
    assert [Path(f.file).name for f in report.files] == [MANIFEST_NAME, "feed_101_2024-03.csv"]
    (note,) = report.files[0].findings
    assert (note.code, note.severity, note.value) == ("scope-skipped", "warning", "2")
    assert "skipped 2 file(s)" in note.message
    assert report.ok, report.counts


def test_another_municipalitys_file_in_a_cut_delivery_is_a_scope_mismatch(
        tmp_path: Path, per_kommune: LoadedContract) -> None:
    from contractkit.delivery.extract import extract_delivery

    producer = _per_kommune_delivery(tmp_path, per_kommune, ["101", "147", "151"])
    cut = extract_delivery(producer, "101", tmp_path / "to-101").folder
    (cut / "feed_147_2024-03.csv").write_bytes((producer / "feed_147_2024-03.csv").read_bytes())
    for scope in (None, "101"):
        report = verify_delivery(cut, [per_kommune], scope=scope)
        assert codes(report, "feed_147_2024-03.csv") == {"scope-mismatch": 1}
        assert not report.ok
    other = verify_delivery(cut, [per_kommune], scope="147")
    assert codes(other, MANIFEST_NAME) == {"scope-mismatch": 1}


def test_scope_with_no_listed_file(tmp_path: Path, per_kommune: LoadedContract) -> None:
    folder = _per_kommune_delivery(tmp_path, per_kommune, [])
    report = verify_delivery(folder, [per_kommune], scope="751")
    assert codes(report, MANIFEST_NAME) == {"file-missing": 1}
