"""Contract prose and user-facing wording (the rule in examples/steward/README.md).

Text a recipient reads (title, descriptions, scope text) is Danish; no user-facing text cites
an internal working document ("the seed") instead of STAR's register of deliveries or the law;
package docstrings say what each package is today.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from contractkit.loader import load_contract

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = sorted((ROOT / "contracts").glob("*.yaml"))
EXAMPLE_CONTRACTS = sorted((ROOT / "examples").rglob("*.yaml"))

# English function words that never occur in Danish prose; one of them in recipient-facing text
# means a sentence was written in English.
ENGLISH = re.compile(r"\b(the|and|of|one|with|is|are|which|from|each|files?|row|rows)\b", re.I)
# Wording that points a reader at an internal source text instead of the register or the law.
INTERNAL_SOURCE = re.compile(
    r"\bthe seeds?\b|\bseeds?'s?\b(?! *[=:(])(?<!--seed)|\bseed ?0\d\d\b", re.I)
RNG_SEED = re.compile(r"(--seed|seed=|same seed|seeded|seed (?!0\d\d)\d+\b|random|reproducib|RNG|"
                      r"generator|_seed|seed [{(]|(by|let) the seed)", re.I)


def _recipient_texts(path: Path) -> list[tuple[str, str]]:
    contract = load_contract(path).contract
    texts = [("title", contract.title), ("description", contract.description),
             ("scope.text", contract.scope.text or "")]
    for table in contract.tables:
        texts.append((f"{table.name}.description", table.description))
        texts.extend((f"{table.name}.{c.name}", c.description) for c in table.columns)
        texts.extend((f"{table.name}.{f.template}", f.description)
                     for f in table.column_families)
    return texts


@pytest.mark.parametrize("path", [*CONTRACTS, ROOT / "examples/steward/ledige-pr-kommune.yaml"],
                         ids=lambda p: p.name)
def test_recipient_facing_prose_is_danish(path: Path) -> None:
    english = [(where, m.group(0)) for where, text in _recipient_texts(path)
               for m in [ENGLISH.search(text)] if m]
    assert english == [], f"{path.name}: English in recipient-facing text: {english}"


def _user_facing_files() -> list[Path]:
    files = [ROOT / "README.md", *CONTRACTS, *EXAMPLE_CONTRACTS]
    files += sorted((ROOT / "examples").rglob("*.md"))
    files += sorted((ROOT / "contracts" / "codelists").glob("*.yaml"))
    files += sorted((ROOT / "src" / "contractkit" / "catalog" / "templates").glob("*"))
    files += sorted((ROOT / "models").rglob("*.sql")) + sorted((ROOT / "models").rglob("*.yml"))
    return [f for f in files if f.is_file()]


def _internal_source_mentions(text: str) -> list[str]:
    hits = []
    for line in text.splitlines():
        if INTERNAL_SOURCE.search(line) and not RNG_SEED.search(line):
            hits.append(line.strip())
    return hits


def test_no_user_facing_text_cites_an_internal_source() -> None:
    found = {str(f.relative_to(ROOT)): hits for f in _user_facing_files()
             if (hits := _internal_source_mentions(f.read_text(encoding="utf-8")))}
    assert found == {}


def test_messages_in_the_code_cite_no_internal_source() -> None:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "src" / "contractkit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                hits = _internal_source_mentions(node.value)
                if hits:
                    found.setdefault(str(path.relative_to(ROOT)), []).extend(hits)
    assert found == {}


def test_the_wording_check_catches_what_it_should() -> None:
    assert _internal_source_mentions("the seed names the content")
    assert _internal_source_mentions("as seed 002 says")
    assert _internal_source_mentions("The seed's prose")
    assert not _internal_source_mentions("--seed 7 gives the same file; the same seed always")
    assert not _internal_source_mentions("a bad code in one week, chosen by the seed")
    assert not _internal_source_mentions("STAR's register of deliveries names the content")
    assert ENGLISH.search("One row per person")
    assert not ENGLISH.search("Én række pr. person og måned med dagpenge")


MISLEADING_DOC = re.compile(r"work in progress|\bWIP\b|\bissue #?\d+", re.I)


def test_module_docstrings_say_what_each_module_is_today() -> None:
    stale = {}
    for path in sorted((ROOT / "src" / "contractkit").rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if path.name == "__init__.py" and not doc.strip():
            stale[str(path.relative_to(ROOT))] = "no docstring"
        elif m := MISLEADING_DOC.search(doc):
            stale[str(path.relative_to(ROOT))] = m.group(0)
    assert stale == {}
