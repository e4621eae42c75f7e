"""Write the register site: collect the feeds (view model) and render them (HTML + Markdown).

The one place that joins :mod:`contractkit.catalog.build` (what the register says) and
:mod:`contractkit.catalog.render` (how it looks); render imports build, never the reverse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from contractkit.catalog.build import collect_feeds
from contractkit.catalog.labels import Lang
from contractkit.catalog.render import render_site
from contractkit.errors import UsageError

__all__ = ["CatalogResult", "build_catalog"]


@dataclass(frozen=True)
class CatalogResult:
    """What :func:`build_catalog` wrote.

    Attributes:
        out: the output folder.
        feeds: ids of the feeds listed.
        files: every file written.
    """

    out: Path
    feeds: tuple[str, ...]
    files: tuple[Path, ...]



def build_catalog(paths: Sequence[str | Path], out: str | Path, *,
                  deliveries: str | Path | None = None, lang: Lang | str = Lang.DA,
                  recipient: str | None = None, purpose: str | None = None) -> CatalogResult:
    """Write the register (HTML + Markdown) for the contracts under ``paths`` into ``out``.

    Args:
        paths: contract files or folders of them.
        out: the folder to write the site into.
        deliveries: a deliveries folder: each feed then shows its latest verdicts.
        lang: ``da`` (default) or ``en``.
        recipient: list only the feeds to this recipient (code or name).
        purpose: list only the feeds of this purpose.

    Returns:
        The folder, the feeds listed and every file written.

    Raises:
        UsageError: bad paths or language, ``out`` is a file, or ``deliveries`` is not a
            folder.
        ContractError: a contract is invalid.
    """
    out = Path(out)
    deliveries = Path(deliveries) if deliveries is not None else None
    if lang not in tuple(Lang):
        raise UsageError(f"lang {lang!r}: one of {', '.join(Lang)}")
    lang = Lang(lang)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    if deliveries is not None and not deliveries.is_dir():
        raise UsageError(f"{deliveries}: no such deliveries folder")
    feeds = collect_feeds([Path(p) for p in paths], deliveries=deliveries, recipient=recipient, purpose=purpose)
    files = render_site(feeds, out, lang=lang, with_verdicts=deliveries is not None)
    return CatalogResult(out, tuple(f.contract.id for f in feeds), tuple(files))
