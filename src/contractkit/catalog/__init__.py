"""The register of deliveries: a static HTML + Markdown catalog generated from the contracts.

:func:`build_catalog` writes an overview per recipient (what, purpose, legal basis verbatim,
cadence, personal data) for outbound and inbound feeds, and one page per feed (data
dictionary, code lists, version history from git, last verdicts from delivery manifests).
"""

from __future__ import annotations

from contractkit.catalog.build import FeedEntry, collect_feeds
from contractkit.catalog.history import HistoryEntry, git_history
from contractkit.catalog.labels import Lang
from contractkit.catalog.site import CatalogResult, build_catalog
from contractkit.catalog.verdicts import Verdict, read_verdicts

__all__ = [
    "CatalogResult",
    "FeedEntry",
    "HistoryEntry",
    "Lang",
    "Verdict",
    "build_catalog",
    "collect_feeds",
    "git_history",
    "read_verdicts",
]
