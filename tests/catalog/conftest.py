"""Fixtures of the catalog tests: a deliveries folder whose manifests carry a planted CPR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CPR_FORMS = ("010190-1234", "0101901234")
"""A planted CPR number, with and without the hyphen: it must never reach any page."""


def plant_deliveries(root: Path) -> Path:
    """A deliveries folder for dst-ledighed whose manifests and report carry a planted CPR."""
    cpr = CPR_FORMS[0]
    feed = root / "deliveries" / "dst-ledighed"
    good = feed / "2024-03"
    good.mkdir(parents=True)
    (good / "manifest.json").write_text(json.dumps({
        "feed": cpr, "contract_id": "dst-ledighed", "contract_version": "1.0.0",
        "contract_sha256": "0" * 64, "period": "2024-03", "generated_at": "2024-04-05T06:07:08Z",
        "status": "released", "recipient": f"DST {cpr}", "note": CPR_FORMS[1],
        "files": [
            {"name": "dst_ledighed_2024-03.csv", "sha256": "a" * 64, "rows": 1234,
             "table": cpr, "scope": cpr},
            {"name": f"{CPR_FORMS[1]}.csv", "sha256": cpr, "rows": 5, "table": "ledighed",
             "scope": None},
        ],
    }), encoding="utf-8")
    (good / "report.json").write_text(json.dumps({
        "schema": "contractkit-report/1",
        "files": [{"file": cpr, "counts": {"bad-cpr": 2, CPR_FORMS[1]: 3},
                   "findings": [{"code": "bad-cpr", "value": cpr, "message": cpr}]}],
    }), encoding="utf-8")
    rejected = feed / "2024-02"
    rejected.mkdir()
    (rejected / "manifest.json").write_text(json.dumps({
        "status": "rejected", "generated_at": cpr, "contract_version": cpr, "files": cpr,
    }), encoding="utf-8")
    broken = feed / "2024-01"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json " + cpr, encoding="utf-8")
    (feed / CPR_FORMS[1]).mkdir()  # not a period: ignored
    return root / "deliveries"


@pytest.fixture(scope="session")
def planted_deliveries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Deliveries of dst-ledighed (2024-03 released, 02 rejected, 01 broken) with CPRs planted."""
    return plant_deliveries(tmp_path_factory.mktemp("planted"))


@pytest.fixture(scope="session")
def cpr_forms() -> tuple[str, ...]:
    """The planted CPR number's written forms."""
    return CPR_FORMS
