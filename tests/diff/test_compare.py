"""Diffing files and whole folders against a git revision, in real temporary repositories."""

from __future__ import annotations

from pathlib import Path

import pytest
from diffcase import base, commit, git, make_repo, to_yaml

from contractkit.diff import ChangeKind, diff_against, diff_files
from contractkit.errors import ContractError, GitError, UsageError


def _other() -> dict[str, object]:
    d = base()
    d["id"] = "andet-feed"
    return d


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"feed.yaml": to_yaml(base()),
                                         "andet.yaml": to_yaml(_other())})


def _kinds(report_changes: object) -> set[ChangeKind]:
    return {c.kind for c in report_changes}  # type: ignore[attr-defined]


def test_nothing_changed(repo: Path) -> None:
    report = diff_against("HEAD", [repo / "contracts"])
    assert [d.status for d in report.contracts] == ["unchanged", "unchanged"]
    assert report.changes == []
    assert report.problems == []
    assert report.against == "HEAD"


@pytest.mark.parametrize(("version", "problems"), [("1.1.0", ["version-bump-missing"]),
                                                   ("1.0.0", ["version-bump-missing"]),
                                                   ("2.0.0", []), ("0.9.0", ["version-backwards"])])
def test_removed_column_needs_a_major_bump(repo: Path, version: str, problems: list[str]) -> None:
    d = base()
    d["version"] = version
    d["tables"][0]["columns"] = [c for c in d["tables"][0]["columns"] if c["name"] != "koen"]
    (repo / "contracts" / "feed.yaml").write_text(to_yaml(d), encoding="utf-8")
    report = diff_against("HEAD", [repo / "contracts"])
    (changed,) = [x for x in report.contracts if x.status == "changed"]
    assert _kinds(changed.changes) == {ChangeKind.COLUMN_REMOVED}
    assert [p.code for p in changed.problems] == problems
    if problems == ["version-bump-missing"]:
        assert changed.problems[0].change is not None
        assert changed.problems[0].change.kind is ChangeKind.COLUMN_REMOVED


def test_added_removed_and_moved_contracts(repo: Path) -> None:
    folder = repo / "contracts"
    (folder / "andet.yaml").unlink()
    new = base()
    new["id"] = "nyt-feed"
    (folder / "nyt.yaml").write_text(to_yaml(new), encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "feed.yaml").rename(folder / "sub" / "feed.yaml")
    report = diff_against("HEAD", [folder])
    status = {d.contract_id: d.status for d in report.contracts}
    assert status == {"andet-feed": "removed", "nyt-feed": "added", "test-feed": "unchanged"}
    added = next(d for d in report.contracts if d.status == "added")
    assert _kinds(added.changes) == {ChangeKind.CONTRACT_ADDED}
    assert added.changes[0].governance
    removed = next(d for d in report.contracts if d.status == "removed")
    assert removed.old_path == "HEAD:contracts/andet.yaml"


def test_a_file_given_by_name_that_is_gone_is_removed(repo: Path) -> None:
    (repo / "contracts" / "andet.yaml").unlink()
    report = diff_against("HEAD", [repo / "contracts" / "andet.yaml"])
    assert [d.status for d in report.contracts] == ["removed"]


def test_a_code_list_that_grows_is_breaking(repo: Path) -> None:
    lists = repo / "contracts" / "codelists" / "ydelser.yaml"
    text = lists.read_text(encoding="utf-8")
    lists.write_text(text.rstrip("\n") + '\n  - {code: "999", name: "Ny ydelse"}\n',
                     encoding="utf-8")
    report = diff_against("HEAD", [repo / "contracts"])
    widened = [c for c in report.changes if c.kind is ChangeKind.VALUES_WIDENED]
    assert {c.column for c in widened} == {"ydelse"}
    assert "999" in widened[0].detail
    assert {p.code for p in report.problems} == {"version-bump-missing"}


def test_against_an_older_commit(repo: Path) -> None:
    d = base()
    d["title"] = "Ny titel"
    d["version"] = "1.0.1"
    (repo / "contracts" / "feed.yaml").write_text(to_yaml(d), encoding="utf-8")
    commit(repo, "v1.0.1")
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    report = diff_against(first, [repo / "contracts"])
    (changed,) = [x for x in report.contracts if x.status == "changed"]
    assert _kinds(changed.changes) == {ChangeKind.TITLE_CHANGED}
    assert changed.problems == ()
    assert diff_against("HEAD", [repo / "contracts"]).changes == []


def test_invalid_contract_is_skipped_or_raises(repo: Path) -> None:
    (repo / "contracts" / "feed.yaml").write_text("id: [broken\n", encoding="utf-8")
    with pytest.raises(ContractError):
        diff_against("HEAD", [repo / "contracts"])
    report = diff_against("HEAD", [repo / "contracts"], skip_invalid=True)
    assert len(report.skipped) == 1
    assert [d.contract_id for d in report.contracts] == ["andet-feed"]


@pytest.mark.parametrize("ref", ["no-such-branch", "-rf", ""])
def test_unknown_ref(repo: Path, ref: str) -> None:
    with pytest.raises(GitError):
        diff_against(ref, [repo / "contracts"])


def test_not_a_repository(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(GitError, match="not inside a git work tree"):
        diff_against("HEAD", [folder])


def test_path_missing_now_and_then(repo: Path) -> None:
    with pytest.raises(UsageError):
        diff_against("HEAD", [repo / "contracts" / "absent.yaml"])


def test_git_is_read_only(repo: Path) -> None:
    before = git(repo, "status", "--porcelain"), git(repo, "rev-parse", "HEAD")
    diff_against("HEAD", [repo / "contracts"])
    assert (git(repo, "status", "--porcelain"), git(repo, "rev-parse", "HEAD")) == before


def test_diff_files_uses_the_code_lists_beside_each_file(tmp_path: Path) -> None:
    for side, codes in (("old", ["111", "651"]), ("new", ["111", "651", "730"])):
        folder = tmp_path / side
        (folder / "codelists").mkdir(parents=True)
        (folder / "feed.yaml").write_text(to_yaml(base()), encoding="utf-8")
        (folder / "codelists" / "ydelser.yaml").write_text(to_yaml({
            "id": "ydelser", "title": "Ydelser", "source": "test",
            "values": [{"code": c, "name": c} for c in codes]}), encoding="utf-8")
    report = diff_files(tmp_path / "old" / "feed.yaml", tmp_path / "new" / "feed.yaml")
    assert _kinds(report.changes) == {ChangeKind.VALUES_WIDENED}
