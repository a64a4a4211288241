"""Every page of the demo council, as every role, is built so assistive technology can follow it: links go
somewhere, descriptions exist, every choice has its question, and a page showing errors says so in its title.
Forms show every problem at once, whoever found it (the form or the service)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask import Flask

from tests.crawl import reachable_pages
from tests.helpers import csrf_token_from
from tests.web.pages import error_summary
from tests.web.test_imports import choose_columns, upload
from tracker.domain.thresholds import Thresholds
from tracker.models import Role
from tracker.services.demo.seed import seed_demo
from tracker.services.settings import current_thresholds

DEMO_PASSWORD = "demo-password-2026"
DEMO_PEOPLE = ("admin", "cio", "board", "pm", "pm2", "viewer")
# On SQLite, tests/browser/test_every_page.py crawls these people's pages too, for the browser: it checks
# their structure on that crawl (`structure_problems`), so one crawl a person serves both. A board
# member's pages are a viewer's and the requests queue, which the CIO's crawl already shows in Chromium.
IN_THE_BROWSER = tuple(who for who in DEMO_PEOPLE if who != "board")
ON_SQLITE = not os.environ.get("TEST_DATABASE_URL")


@dataclass
class _Group:
    kind: str
    inputs: int = 0
    legends: set[str] = field(default_factory=set)


class PageShape(HTMLParser):
    """What the structure checks need from one page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.texts: dict[str, str] = {}  # id -> the words inside it
        self.described_by: list[tuple[str, str]] = []  # (element's id or name, an id it points at)
        self.empty_links: list[str] = []  # the words of each <a href="#">
        self.groups: dict[str, _Group] = {}
        self.error_summary = False
        self._open: list[tuple[str, str | None]] = []  # (tag, id) of elements still open
        self._fieldsets: list[list[str]] = []  # the legend words of each open fieldset
        self._in_legend = False
        self._in_title = False
        self._link_words: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        ident = attributes.get("id")
        if ident:
            self.texts.setdefault(ident, "")
        for target in attributes.get("aria-describedby", "").split():
            self.described_by.append((ident or attributes.get("name", tag), target))
        if "govuk-error-summary" in attributes.get("class", "").split():
            self.error_summary = True
        if tag == "title":
            self._in_title = True
        elif tag == "a" and attributes.get("href") == "#":
            self._link_words = []
        elif tag == "fieldset":
            self._fieldsets.append([])
        elif tag == "legend":
            self._in_legend = True
        elif tag == "input" and attributes.get("type") in ("radio", "checkbox"):
            group = self.groups.setdefault(attributes.get("name", ""), _Group(attributes["type"]))
            group.inputs += 1
            group.legends.add(" ".join(" ".join(self._fieldsets[-1]).split()) if self._fieldsets else "")
        if tag not in ("input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"):
            self._open.append((tag, ident))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "a" and self._link_words is not None:
            self.empty_links.append(" ".join("".join(self._link_words).split()))
            self._link_words = None
        elif tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()
        elif tag == "legend":
            self._in_legend = False
        while self._open:
            opened, _ = self._open.pop()
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._in_legend and self._fieldsets:
            self._fieldsets[-1].append(data)
        if self._link_words is not None:
            self._link_words.append(data)
        for _, ident in self._open:
            if ident:
                self.texts[ident] += data

    def problems(self) -> list[str]:
        """Everything wrong with this page's structure, in words."""
        found = [f"a link to # ({words!r})" for words in self.empty_links]
        for owner, target in self.described_by:
            if target not in self.texts:
                found.append(f"{owner} is described by #{target}, which is not on the page")
            elif not self.texts[target].strip():
                found.append(f"{owner} is described by #{target}, which is empty")
        for name, group in self.groups.items():
            # Radios are always a question; checkboxes when several share a name (one alone has its label).
            asked = "" not in group.legends and len(group.legends) == 1
            if (group.kind == "radio" or group.inputs > 1) and not asked:
                found.append(f"the {group.kind} group {name!r} has no fieldset with a legend")
        if self.error_summary and not self.title.strip().startswith("Error: "):
            found.append(f"shows an error summary but its title is {self.title.strip()!r}")
        return found


def sign_in(client, who: str) -> None:
    token = csrf_token_from(client.get("/sign-in"))
    response = client.post(
        "/sign-in",
        data={"email": f"{who}@demo.council.example", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def structure_problems(pages: dict[str, str]) -> str:
    """What is wrong with the structure of each crawled page, one line a page; empty if nothing is."""
    broken = {url: found for url, html in pages.items() if (found := PageShape(html).problems())}
    return "\n".join(f"{url}: {'; '.join(found)}" for url, found in sorted(broken.items()))


@pytest.mark.parametrize("who", DEMO_PEOPLE)
def test_every_page_a_role_can_reach_is_well_formed(app: Flask, client, who: str) -> None:
    if ON_SQLITE and who in IN_THE_BROWSER:
        pytest.skip("on SQLite the browser test's crawl of this person's pages checks their structure")
    seed_demo()
    sign_in(client, who)

    pages = reachable_pages(client)

    assert len(pages) > 20, sorted(pages)  # the crawl got past the home page
    assert not (problems := structure_problems(pages)), problems


def test_the_checks_find_what_they_look_for() -> None:
    page = """<html><head><title>Risk thresholds</title></head><body>
      <div class="govuk-error-summary"><h2>There is a problem</h2></div>
      <a href="#">Somewhere</a>
      <input name="note" aria-describedby="note-hint missing"><div id="note-hint"> </div>
      <fieldset><legend> </legend>
        <input type="radio" name="decision"><input type="radio" name="decision">
      </fieldset>
      <input type="checkbox" name="closed">
    </body></html>"""

    found = PageShape(page).problems()

    assert found == [
        "a link to # ('Somewhere')",
        "note is described by #note-hint, which is empty",
        "note is described by #missing, which is not on the page",
        "the radio group 'decision' has no fieldset with a legend",
        "shows an error summary but its title is 'Risk thresholds'",
    ]


def test_the_crawl_skips_sign_out_and_downloads_and_visits_each_path_once(app: Flask, client) -> None:
    seed_demo()
    sign_in(client, "cio")

    # The first few hundred pages show the crawl's rules as well as all of them would.
    pages = reachable_pages(client, first=300)

    paths = [url.split("?")[0] for url in pages]
    assert len(paths) == len(set(paths))
    assert "/programmes/" in paths and "/programmes/DIG-001/" in paths
    assert not [path for path in paths if re.search(r"sign-out|\.(csv|xlsx|ics|json)$|^/api/", path)]


def test_the_thresholds_form_shows_every_problem_at_once(client, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    page = "/admin/settings/risk-thresholds"
    values = {name: str(value) for name, value in Thresholds().as_dict().items()}
    values |= {
        "stale_days": "",  # the form's own check
        "rebaseline_count": "1234567",  # too long for the form
        "high_risk_score": "lots",  # the rest the thresholds themselves refuse
        "investment_gap_pct": "0",
        "cost_overrun_pct": "60",
        "cost_overrun_red_pct": "50",
        "burn_ahead_pct_points": "101",
        "forecast_slip_days": "1.5",
    }

    response = client.post(page, data={"csrf_token": auth.csrf_token(page), **values})

    html = response.get_data(as_text=True)
    summary = error_summary(response)
    for field_id, words in (
        ("stale_days", "Enter no update, amber (days)"),
        ("rebaseline_count", "Field cannot be longer than 6 characters"),
        ("high_risk_score", "High risk score (1 to 25) must be a whole number"),
        ("investment_gap_pct", "Investment gap (%) must be between 1 and 100"),
        ("cost_overrun_red_pct", "Cost overrun, red (%) must be more than cost overrun, amber (%)"),
        ("burn_ahead_pct_points", "must be between 1 and 100"),
        ("forecast_slip_days", "Forecast slip, amber (days) must be a whole number"),
    ):
        assert words in summary, (words, summary)
        assert f'href="#{field_id}"' in html
        assert f'id="{field_id}-error"' in html  # and beside the field
    assert re.search(r"<title>Error: Risk thresholds", html)
    assert current_thresholds() == Thresholds()


def test_the_add_user_form_shows_every_problem_at_once(client, auth, make_user) -> None:
    make_user(Role.VIEWER, email="taken@testshire.gov.uk")
    auth.sign_in_as(Role.ADMIN)
    page = "/admin/users/new"

    def add(**data: str):
        return client.post(page, data={"csrf_token": auth.csrf_token(page), **data})

    # A common password (refused by the form) no longer hides a malformed email; nor a missing role.
    response = add(name="Sam Jones", email="sam.jones@", password="password2026!!")
    summary = error_summary(response)
    assert "Enter an email address in the correct format" in summary
    assert "Select a role" in summary
    assert "on a list of common passwords" in summary
    assert re.search(r"<title>Error: ", response.get_data(as_text=True))

    # Nor a duplicate email, found only by the service.
    response = add(name="", email="Taken@testshire.gov.uk", password="password2026!!", role="viewer")
    summary = error_summary(response)
    assert "A user with the email taken@testshire.gov.uk already exists" in summary
    assert "Enter the person's name" in summary and "on a list of common passwords" in summary
    html = response.get_data(as_text=True)
    for field_id in ("email", "name", "password"):
        assert f'href="#{field_id}"' in html and f'id="{field_id}-error"' in html


def test_a_page_whose_errors_come_from_a_service_says_error_in_its_title(client, auth) -> None:
    """The import check lists rows the import service refused; no form field is in error."""
    auth.sign_in_as(Role.CIO)
    data = b"Code,Name,Directorate,Focus,Start date\nDIG-001,Front door,Customer,Both,32/01/2026\n"
    response = upload(client, {"programmes": (data, "bad.csv")})
    check = client.get(choose_columns(client, response.headers["Location"]).headers["Location"])

    html = check.get_data(as_text=True)
    assert "1 row cannot be imported" in error_summary(check)
    assert re.search(r"<title>Error: ", html)
