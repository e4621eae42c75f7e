"""A contract that uses (nearly) every feature of the language, as plain data to mutate."""

from __future__ import annotations

import copy
import io
import os
import subprocess
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from contractkit.contract import CodeList, Contract

BASE: dict[str, Any] = {
    "id": "test-feed",
    "version": "1.0.0",
    "title": "Testfeed",
    "description": "A feed for tests.",
    "status": "active",
    "direction": "outbound",
    "owner": "STAR",
    "steward": {"name": "STAR Datadeling", "email": "datadeling@star.example"},
    "source_system": "DSDW",
    "provider": {"name": "Styrelsen for Arbejdsmarked og Rekruttering", "code": "STAR"},
    "recipient": {"name": "Danmarks Statistik", "code": "DST"},
    "scope": {"kind": "per_region", "column": "region_kode", "text": "Kun egen region.",
              "recipients": ["1081", "1082"]},
    "purpose": "statistical",
    "legal_basis": [{"text": "§ 6 i lov om Danmarks Statistik.",
                     "references": [{"law": "lov om Danmarks Statistik", "paragraph": "6"}],
                     "gdpr": "art. 6, stk. 1, litra e"}],
    "personal_data": "pseudonymised",
    "cadence": {"frequency": "monthly", "due_days": 10, "description": "Månedlig"},
    "format": {"type": "csv", "encoding": "utf-8", "delimiter": ";", "decimal": ","},
    "notes": "Illustrative.",
    "tables": [
        {
            "name": "personer",
            "description": "One row per person.",
            "file_pattern": "personer_{region}_{period}.csv",
            "primary_key": ["pnr"],
            "row_count": {"min": 1, "max": 1000},
            "allow_extra_columns": False,
            "period_column": "periode",
            "min_cell_size": {"column": "antal", "min": 5},
            "columns": [
                {"name": "pnr", "type": "string", "semantic": "pseudonym",
                 "personal": "pseudonym", "unique": True, "description": "Pseudonym"},
                {"name": "region_kode", "type": "string", "semantic": "region_kode",
                 "personal": "quasi"},
                {"name": "ydelse", "type": "string", "codelist": "ydelser"},
                {"name": "koen", "type": "string", "allowed_values": ["M", "K"],
                 "personal": "quasi"},
                {"name": "periode", "type": "string", "semantic": "period_month"},
                {"name": "timer", "type": "decimal", "precision": 5, "scale": 2,
                 "range": {"min": 0, "max": 37}},
                {"name": "kode", "type": "string", "pattern": "^[A-Z]{2}$", "max_length": 2,
                 "required": False},
                {"name": "antal", "type": "integer"},
            ],
        },
        {
            "name": "ophold",
            "file_pattern": "ophold_{region}_{period}.csv",
            "columns": [{"name": "pnr", "type": "string", "semantic": "pseudonym",
                         "personal": "pseudonym"}],
            "references": [{"columns": ["pnr"], "table": "personer", "to_columns": ["pnr"]}],
        },
    ],
}


def base() -> dict[str, Any]:
    """A deep copy of :data:`BASE` to mutate."""
    return copy.deepcopy(BASE)


def contract(data: dict[str, Any]) -> Contract:
    """Validate contract data."""
    return Contract.model_validate(data)


def codelist(name: str, codes: list[str]) -> CodeList:
    """A code list with the given codes."""
    return CodeList.model_validate({
        "id": name, "title": name, "source": "test",
        "values": [{"code": c, "name": f"kode {c}"} for c in codes],
    })


REPO = Path(__file__).resolve().parents[2]


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` (identity given inline, global config ignored)."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
         "-c", "commit.gpgsign=false", *args],
        cwd=repo, capture_output=True, text=True, check=True, env=env, timeout=60)
    return done.stdout


def make_repo(root: Path, contracts: dict[str, str]) -> Path:
    """A git repository with ``contracts/<name>`` files and the real code lists, committed."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    folder = root / "contracts"
    (folder / "codelists").mkdir(parents=True)
    for f in (REPO / "contracts" / "codelists").glob("*.yaml"):
        (folder / "codelists" / f.name).write_bytes(f.read_bytes())
    for name, text in contracts.items():
        (folder / name).write_text(text, encoding="utf-8")
    commit(root, "v1")
    return root


def commit(root: Path, message: str) -> None:
    """Stage everything in the test repository and commit."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def to_yaml(data: dict[str, Any]) -> str:
    """Contract data as YAML text."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()
