"""The generated register in a real browser: headless Debian Chromium via playwright.

The site is served from 127.0.0.1 by ``http.server`` in a thread. Chromium must be installed
(``make browser`` installs Debian's package); this test never downloads a browser.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from contractkit.catalog import build_catalog
from contractkit.loader import load_contract

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = REPO / "contracts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, planted_deliveries: Path) -> Iterator[str]:
    site = tmp_path_factory.mktemp("browser") / "site"
    build_catalog([CONTRACTS], site, deliveries=planted_deliveries)
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "install Debian's chromium: make browser"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            pg = browser.new_page()
            errors: list[str] = []
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            pg.goto(f"{server}/index.html")
            yield pg
            assert errors == []
        finally:
            browser.close()


def _contracts() -> list[Any]:
    return [load_contract(p).contract for p in sorted(CONTRACTS.glob("*.yaml"))]


def _visible_rows(pg: Any) -> list[str]:
    ids: list[str] = pg.eval_on_selector_all(
        "tr.feed", "rows => rows.filter(r => r.offsetParent !== null).map(r => r.dataset.feed)")
    return ids


def test_every_feed_is_listed_with_its_legal_basis(page: Any, server: str) -> None:
    page.goto(f"{server}/index.html")
    contracts = _contracts()
    assert sorted(_visible_rows(page)) == sorted(c.id for c in contracts)
    for c in contracts:
        row = page.locator(f'tr.feed[data-feed="{c.id}"]')
        text = " ".join(row.inner_text().split())
        for lb in c.legal_basis:
            assert " ".join(lb.text.split()) in text, c.id


def test_filtering_by_recipient_and_purpose(page: Any, server: str) -> None:
    page.goto(f"{server}/index.html")
    contracts = _contracts()
    dst = sorted(c.id for c in contracts if c.recipient.code == "DST")
    page.select_option("#filter-recipient", "DST")
    assert sorted(_visible_rows(page)) == dst
    assert page.inner_text("#shown-count") == str(len(dst))
    assert page.locator("section#inbound").is_hidden()

    page.select_option("#filter-recipient", "")
    page.select_option("#filter-purpose", "administrative")
    admin = sorted(c.id for c in contracts if c.purpose.value == "administrative")
    assert sorted(_visible_rows(page)) == admin

    page.select_option("#filter-recipient", "DST")  # DST's feeds are statistical
    both = [c.id for c in contracts if c.recipient.code == "DST" and c.purpose == "administrative"]
    assert sorted(_visible_rows(page)) == sorted(both)
    assert page.inner_text("#shown-count") == str(len(both))

    page.select_option("#filter-recipient", "")
    page.select_option("#filter-purpose", "")
    assert len(_visible_rows(page)) == len(contracts)


def test_feed_page_opens_from_the_overview(page: Any, server: str) -> None:
    page.goto(f"{server}/index.html")
    page.click('tr.feed[data-feed="dst-ledighed"] a')
    page.wait_for_url("**/feeds/dst-ledighed.html")
    assert page.locator("table.dictionary tr.column").count() == len(
        load_contract(CONTRACTS / "dst-ledighed.yaml").contract.tables[0].columns)
    assert page.locator("tr.verdict").count() == 3


def test_no_personal_value_on_any_page(page: Any, server: str,
                                       cpr_forms: tuple[str, ...]) -> None:
    urls = [f"{server}/index.html"] + [f"{server}/feeds/{c.id}.html" for c in _contracts()]
    for url in urls:
        page.goto(url)
        content = page.content() + page.inner_text("body")
        for form in cpr_forms:
            assert form not in content, url
