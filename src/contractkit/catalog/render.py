"""Render the catalog with jinja2: HTML (autoescaped, inline CSS/JS) and Markdown pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contractkit.atomic import atomic_write_text
from contractkit.catalog.build import (
    FeedEntry,
    column_rules,
    family_range,
    group_feeds,
    personal_label,
)
from contractkit.catalog.labels import Lang, enum_label, labels
from contractkit.contract.models import Direction, Purpose

__all__ = ["md_cell", "render_site"]


def md_cell(value: object) -> str:
    """Text made safe for one Markdown table cell (no pipes, newlines or raw HTML)."""
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _environments() -> tuple[Any, Any]:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    loader = PackageLoader("contractkit.catalog", "templates")
    html = Environment(loader=loader, autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    md = Environment(loader=loader, autoescape=False, undefined=StrictUndefined,
                     trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    md.filters["cell"] = md_cell
    return html, md


def render_site(feeds: list[FeedEntry], out: Path, *, lang: Lang,
                with_verdicts: bool) -> list[Path]:
    """Write ``index.html``, ``index.md`` and ``feeds/<id>.html|md`` under ``out``."""
    html, md = _environments()
    lab = labels(lang)

    def enum(kind: str, value: str) -> str:
        return enum_label(kind, value, lang)

    def rules(column: Any) -> list[tuple[str, str]]:
        return column_rules(column, lang)

    def personal(contract: Any) -> str:
        return personal_label(contract, lang)

    def members(family: Any) -> str:
        return family_range(family, lang)

    recipients = sorted({(f.contract.recipient.code, f.contract.recipient.name) for f in feeds},
                        key=lambda p: p[1].casefold())
    purposes = [p.value for p in Purpose if any(f.contract.purpose is p for f in feeds)]
    common: dict[str, Any] = {
        "L": lab, "lang": lang.value, "enum": enum, "rules": rules, "personal": personal,
        "members": members,
        "with_verdicts": with_verdicts,
    }
    sections = [
        ("outbound", lab["outbound"], lab["outbound_intro"], lab["recipient"],
         group_feeds(feeds, Direction.OUTBOUND)),
        ("inbound", lab["inbound"], lab["inbound_intro"], lab["provider"],
         group_feeds(feeds, Direction.INBOUND)),
    ]
    index_ctx = {**common, "sections": sections, "recipients": recipients,
                 "purposes": purposes, "count": len(feeds)}
    written: list[Path] = []

    def write(path: Path, text: str) -> None:
        atomic_write_text(path, text)
        written.append(path)

    write(out / "index.html", html.get_template("index.html").render(index_ctx))
    write(out / "index.md", md.get_template("index.md").render(index_ctx))
    for feed in feeds:
        ctx = {**common, "f": feed, "c": feed.contract}
        write(out / "feeds" / f"{feed.contract.id}.html",
              html.get_template("feed.html").render(ctx))
        write(out / "feeds" / f"{feed.contract.id}.md", md.get_template("feed.md").render(ctx))
    return written
