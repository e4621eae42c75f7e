"""The register reproduces both seeds: every feed, with the legal basis in the seed's own words.

The seeds are read at test time from ``../shared/seeds`` beside the checkout (where CI puts
them), falling back to the verbatim copies in ``tests/contracts/seeds``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from contractkit.contract.models import Direction
from contractkit.loader import load_contract

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = REPO / "contracts"
BIN = Path(sys.executable).parent / "contractkit"


def seed(prefix: str) -> str:
    for folder in (REPO.parent / "shared" / "seeds", REPO / "tests" / "contracts" / "seeds"):
        found = sorted(folder.glob(f"{prefix}_*.txt")) if folder.is_dir() else []
        if found:
            return found[0].read_text(encoding="utf-8")
    raise AssertionError(f"seed {prefix} not found beside the checkout")


def squash(text: str) -> str:
    return " ".join(text.split())


class _Rows(HTMLParser):
    """Collects the visible text of each ``tr.feed`` row of the overview, by direction."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self._direction: str | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("class") == "feed":
            self._direction = a.get("data-direction")
            self._text = []
        elif tag in ("span", "td", "br") and self._text is not None:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._text is not None:
            self.rows.append((self._direction or "", squash("".join(self._text))))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


@pytest.fixture(scope="module")
def overview(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple[str, str]], str]:
    out = tmp_path_factory.mktemp("register")
    result = subprocess.run([str(BIN), "catalog", str(CONTRACTS), "-o", str(out)],
                            capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ, "COLUMNS": "400"})
    assert result.returncode == 0, result.stderr
    parser = _Rows()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    return parser.rows, squash((out / "index.md").read_text(encoding="utf-8"))


def test_every_outbound_feed_of_seed_000_is_listed_with_its_hjemmel(
    overview: tuple[list[tuple[str, str]], str],
) -> None:
    rows, markdown = overview
    phrases = Counter(squash(m) for m in re.findall(r"^Hjemmel: (.+)$", seed("000"), re.M))
    assert sum(phrases.values()) >= 11
    outbound = [text for direction, text in rows if direction == "outbound"]
    for phrase, times in phrases.items():
        listed = sum(phrase in text for text in outbound)
        # DST's one "Hjemmel:" line covers two feeds (monthly and quarterly statistics)
        assert listed >= times, f"{phrase!r}: {listed} feed(s) listed, seed has {times}"
        assert phrase in markdown


def test_every_inbound_register_of_seed_002_is_listed(
    overview: tuple[list[tuple[str, str]], str],
) -> None:
    rows, _ = overview
    text = seed("002")
    block = text.split("månedlige leverancer på individniveau af:", 1)[1].split("\n\n- ", 1)
    bullets = re.findall(r"^- (.+)$", "- " + block[1].split("\n\n", 1)[0], re.M)
    assert len(bullets) == 7
    inbound = " ".join(t for d, t in rows if d == "inbound")
    for bullet in bullets:
        paren = re.search(r"\(([A-ZÆØÅ-]+)\)", bullet)
        acronym = paren.group(1) if paren else bullet.split()[0]
        assert f"({acronym})" in inbound or f"{acronym} (" in inbound, acronym
    # "STAR modtager månedlige leverancer fra SU-styrelsen af SU."
    assert re.search(r"modtager månedlige leverancer fra SU-styrelsen", text)
    assert "SU-styrelsen" in inbound


def test_inbound_legal_basis_is_the_seed_verbatim_and_shown(
    overview: tuple[list[tuple[str, str]], str],
) -> None:
    rows, markdown = overview
    seed_text = squash(seed("002")) + " " + squash(seed("000"))
    inbound_rows = [t for d, t in rows if d == "inbound"]
    contracts = [load_contract(p).contract for p in sorted(CONTRACTS.glob("*.yaml"))]
    inbound = [c for c in contracts if c.direction is Direction.INBOUND]
    assert inbound
    for c in inbound:
        for lb in c.legal_basis:
            phrase = squash(lb.text)
            assert phrase in seed_text, f"{c.id}: legal basis is not the seed's words"
            assert any(phrase in row for row in inbound_rows), c.id
            assert phrase in markdown
