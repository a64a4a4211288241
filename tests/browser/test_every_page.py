"""Every page of the demo council, as every role, in Chromium on a phone's width (390 px): no page scrolls
sideways, and axe-core finds no accessibility violation of any kind or impact (its region and landmark
rules included).

The pages are those a person reaches by following links (tests.crawl), every route among them: pages of
one route share their template, so each route is measured and checked by axe with one of its records,
the one whose page is longest (the most rows and words, so the likeliest to be too wide). Every page the
crawl reads has its structure checked (tests/web/test_page_structure.py's checks). Layout does not depend
on the database, so this runs on SQLite only."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask import Flask

from tests.crawl import reachable_pages
from tests.web.test_page_structure import DEMO_PASSWORD, IN_THE_BROWSER, sign_in, structure_problems
from tracker.services.demo.seed import seed_demo

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="layout and markup do not depend on the database"
)


def kind_of_page(app: Flask, url: str) -> str:
    """The route a URL is served by: pages of one route share their template."""
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(url.split("?")[0])
    return endpoint


def axe_violations(page) -> list[str]:
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes
                .slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
        }"""
    )
    return list(found)


@pytest.mark.parametrize("who", IN_THE_BROWSER)
def test_every_page_fits_a_phone_and_passes_axe(app: Flask, client, live_server, browser, who: str) -> None:
    seed_demo()
    sign_in(client, who)
    pages = reachable_pages(client)
    urls = sorted(pages)
    assert len(urls) > 10, urls
    # The same crawl serves tests/web/test_page_structure.py's checks on SQLite (it skips these people).
    structure = structure_problems(pages)
    source = AXE.read_text()

    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # to add axe to the page
    page = context.new_page()
    page.goto(f"{live_server}/sign-in")
    page.fill("#email", f"{who}@demo.council.example")
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")

    longest: dict[str, str] = {}
    for url in urls:
        kind = kind_of_page(app, url)
        if kind not in longest or len(pages[url]) > len(pages[longest[kind]]):
            longest[kind] = url
    sideways: dict[str, int] = {}
    violations: dict[str, list[str]] = {}
    checked: set[str] = set()
    try:
        for url in sorted(longest.values()):
            response = page.goto(f"{live_server}{url}", wait_until="load")
            assert response is not None and response.status == 200, url
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                sideways[url] = width
            kind = kind_of_page(app, url)
            if kind not in checked:
                checked.add(kind)
                page.add_script_tag(content=source)
                if found := axe_violations(page):
                    violations[url] = found
    finally:
        context.close()

    assert not structure, structure
    assert not sideways, f"pages wider than {PHONE['width']} px: {sideways}"
    assert not violations, "\n".join(f"{url}:\n  " + "\n  ".join(found) for url, found in violations.items())
    assert len(checked) > 5


def test_the_checks_see_a_page_that_scrolls_sideways_and_an_unlabelled_field(browser) -> None:
    """The two checks above can fail: a wide element and a field with no label are both caught."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>'
        '<div style="width:600px">Wide</div><input type="text"></main></body></html>'
    )
    assert page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]
    page.add_script_tag(content=AXE.read_text())
    found = axe_violations(page)
    context.close()
    assert any(re.match(r"label \(critical\)", item) for item in found), found
