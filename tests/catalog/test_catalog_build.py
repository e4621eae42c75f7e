"""`contractkit catalog`: pages for every feed, escaping, verdicts, history, languages, errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from contractkit.catalog import Lang, build_catalog, git_history, read_verdicts
from contractkit.catalog.render import md_cell
from contractkit.loader import load_contract

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = REPO / "contracts"
BIN = Path(sys.executable).parent / "contractkit"
Write = Callable[..., Path]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False, cwd=cwd,
                          env={**os.environ, "COLUMNS": "400"})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, planted_deliveries: Path) -> Path:
    out = tmp_path_factory.mktemp("catalog") / "site"
    result = run("catalog", CONTRACTS, "-o", out, "--deliveries", planted_deliveries)
    assert result.returncode == 0, result.stderr
    return out


def all_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())


def test_every_contract_has_pages(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    for path in sorted(CONTRACTS.glob("*.yaml")):
        c = load_contract(path).contract
        assert (site / "feeds" / f"{c.id}.html").is_file()
        assert (site / "feeds" / f"{c.id}.md").is_file()
        assert f'data-feed="{c.id}"' in index
        assert f"feeds/{c.id}.md" in (site / "index.md").read_text(encoding="utf-8")


def test_no_external_assets(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), page
        assert "<link" not in text
        assert "@import" not in text


def test_no_personal_value_in_any_page(site: Path, cpr_forms: tuple[str, ...]) -> None:
    text = all_text(site)
    for form in cpr_forms:
        assert form not in text


def test_verdicts_come_only_from_checked_fields(site: Path) -> None:
    page = (site / "feeds" / "dst-ledighed.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="verdict" data-period="([^"]+)" data-status="([^"]+)">', page)
    assert rows == [("2024-03", "released"), ("2024-02", "rejected"), ("2024-01", "unknown")]
    latest = re.search(r'data-period="2024-03".*?</tr>', page, re.S)
    assert latest is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", latest.group(0))
    assert cells[2:6] == ["2024-04-05 06:07", "1.0.0", "1", "1234"]  # CPR-named file dropped
    assert "<code>bad-cpr</code> 2" in cells[6]


def test_read_verdicts_without_deliveries_is_empty(tmp_path: Path) -> None:
    c = load_contract(CONTRACTS / "dst-ledighed.yaml").contract
    assert read_verdicts(tmp_path, c) == []


def test_html_is_escaped(tmp_path: Path, write_contract: Write, base_text: str) -> None:
    text = base_text.replace("title: Testfeed",
                             'title: "<script>alert(1)</script> & <b>x</b>"')
    path = write_contract(text)
    out = tmp_path / "site"
    build_catalog([path], out)
    for page in (out / "index.html", out / "feeds" / "test-feed.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in html
    assert "<script>" not in (out / "index.md").read_text(encoding="utf-8")


def test_md_cell_keeps_tables_intact() -> None:
    assert md_cell("a | b\nc <d>") == "a \\| b c &lt;d&gt;"
    assert md_cell("§ 6 i lov om Danmarks Statistik.") == "§ 6 i lov om Danmarks Statistik."


def test_english_labels(tmp_path: Path) -> None:
    out = tmp_path / "en"
    build_catalog([CONTRACTS / "dst-ledighed.yaml"], out, lang=Lang.EN)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "Outbound deliveries" in html
    assert "Legal basis" in html
    # contract text itself stays Danish
    assert "§ 6 i lov om Danmarks Statistik." in html


def test_recipient_and_purpose_filters_on_the_command_line(tmp_path: Path) -> None:
    result = build_catalog([CONTRACTS], tmp_path / "dst", recipient="DST")
    ids = {load_contract(p).contract.id for p in CONTRACTS.glob("*.yaml")
           if load_contract(p).contract.recipient.code == "DST"}
    assert set(result.feeds) == ids
    stats = build_catalog([CONTRACTS], tmp_path / "stat", purpose="statistical")
    assert all(load_contract(CONTRACTS / f"{i}.yaml").contract.purpose == "statistical"
               for i in stats.feeds)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                   capture_output=True, timeout=60)


def test_version_history_from_git(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "contracts").mkdir(parents=True)
    shutil.copytree(CONTRACTS / "codelists", repo / "contracts" / "codelists")
    target = repo / "contracts" / "dst-ledighed.yaml"
    text = re.sub(r"(?m)^version: .*$", "version: 1.0.0",
                  (CONTRACTS / "dst-ledighed.yaml").read_text(encoding="utf-8"))
    target.write_text(text, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "Add the DST contract")
    target.write_text(text.replace("version: 1.0.0", "version: 1.1.0"), encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "Bump to 1.1.0")
    target.write_text(text.replace("version: 1.0.0", "version: 1.1.0") + "# note\n",
                      encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "A comment only")
    history = git_history(target)
    assert [(h.version, h.subject) for h in history] == [
        ("1.1.0", "A comment only"), ("1.1.0", "Bump to 1.1.0"), ("1.0.0", "Add the DST contract")]
    out = tmp_path / "site"
    build_catalog([repo / "contracts"], out)
    page = (out / "feeds" / "dst-ledighed.html").read_text(encoding="utf-8")
    assert "Bump to 1.1.0" in page


def test_history_outside_git_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("id: x\n", encoding="utf-8")
    assert git_history(path) == []


def test_bad_input_exits_2(tmp_path: Path, write_contract: Write, base_text: str) -> None:
    assert run("catalog", tmp_path / "missing", "-o", tmp_path / "o").returncode == 2
    bad = write_contract(base_text.replace("purpose: administrative", "purpose: fun"))
    result = run("catalog", bad, "-o", tmp_path / "o2")
    assert result.returncode == 2
    assert "purpose" in result.stderr
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    assert run("catalog", CONTRACTS / "dst-ledighed.yaml", "-o", a_file).returncode == 2
    assert run("catalog", CONTRACTS / "dst-ledighed.yaml", "-o", tmp_path / "o3",
               "--deliveries", tmp_path / "nope").returncode == 2


def test_inputs_are_not_modified(tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in CONTRACTS.rglob("*.yaml")}
    build_catalog([CONTRACTS], tmp_path / "site")
    assert {p: p.read_bytes() for p in CONTRACTS.rglob("*.yaml")} == before
