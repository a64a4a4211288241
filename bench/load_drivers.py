"""The simulated users of `bench.load`: each runs in its own OS process, through the real forms.

A programme manager moves one milestone's forecast (with a reason) on the "Update milestones" page,
or records a benefit measurement; on "someone else changed it" they re-read the page and try again.
A CIO reads the dashboard. Every request is timed; every save the app confirmed is reported back so
the database can be checked for it afterwards.
"""

from __future__ import annotations

import http.client
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode

from bench.pages import Client

CONFLICT_WORDING = "while you were"
MAX_TRIES = 5
ROW_ID = re.compile(r"^rows-(\d+)-milestone_id$")


@dataclass
class Actor:
    """Who one process signs in as, and what they work on."""

    kind: str  # "pm" or "cio"
    number: int
    email: str
    password: str
    programmes: list[str] = field(default_factory=list)
    benefits: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Tally:
    """What one process saw: latencies per request kind, statuses, conflicts, and confirmed saves."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    refused: list[str] = field(default_factory=list)
    gave_up: int = 0
    moves: list[tuple[int, str, str, float]] = field(
        default_factory=list
    )  # milestone, ISO date, reason, when
    measurements: list[tuple[int, str, str]] = field(default_factory=list)  # benefit, value, note

    def timed(
        self, client: Client, kind: str, method: str, path: str, body: str | None = None
    ) -> tuple[int, str]:
        """One request, timed and counted; a 5xx is recorded with its path."""
        started = time.perf_counter()
        try:
            status, page = client.request(method, path, body)
        except (OSError, http.client.HTTPException) as error:
            client.close()
            status, page = 599, f"{type(error).__name__}: {error}"
        self.latencies.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        if status >= 500:
            self.server_errors.append(f"{method} {path} -> {status}")
        return status, page


class _FormReader(HTMLParser):
    """Every named field of each POST form, in page order, as a browser would submit it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form, self.fields = True, []
            self.forms.append(self.fields)
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "checkbox", "radio"}:
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "input" and a.get("type") in {"checkbox", "radio"} and "checked" in a:
            self.fields.append((a["name"], a.get("value", "on")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []
        elif tag == "select":
            self._select, self._first_option, self._selected = a.get("name"), None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._selected = True

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._selected and self._first_option is not None:
                self.fields.append((self._select, self._first_option))
            self._select = None


def read_form(page: str) -> list[tuple[str, str]]:
    """The page's main form: the POST form with the most fields (the header's sign-out has one)."""
    reader = _FormReader()
    reader.feed(page)
    return max(reader.forms, key=len, default=[])


def move_one_forecast(
    fields: list[tuple[str, str]], rng: random.Random, reason: str
) -> tuple[str, int, date]:
    """The form with one row's forecast moved to a new date (and a reason); the others left as they are."""
    rows = {int(m.group(1)): int(value) for name, value in fields if (m := ROW_ID.match(name))}
    row = rng.choice(sorted(rows))
    prefix = f"rows-{row}-"
    current = [value for name, value in fields if name == prefix + "forecast_date"]
    while True:
        moved = date(2027, 2, 1) + timedelta(days=rng.randint(0, 700))
        if [str(moved.day), str(moved.month), str(moved.year)] != current:
            break
    parts = iter([str(moved.day), str(moved.month), str(moved.year)])
    posted = []
    for name, value in fields:
        if name == prefix + "forecast_date":
            value = next(parts)
        elif name == prefix + "reason":
            value = reason
        posted.append((name, value))
    return urlencode(posted), rows[row], moved


Ready = Callable[[], float]
"""Called once signed in; returns when every process is, with the time to stop at."""


def programme_manager(actor: Actor, port: int | list[int], ready: Ready, tally: Tally, seed: int) -> None:
    """Alternate milestone moves and measurements across this manager's programmes until the deadline."""
    rng = random.Random(seed)
    client = Client(port)
    client.sign_in(actor.email, actor.password)
    deadline = ready()
    sequence = 0
    while time.time() < deadline:
        sequence += 1
        code = rng.choice(actor.programmes)
        note = f"load {actor.number}-{sequence}"
        if rng.random() < 0.7:
            _move(client, tally, code, note, rng)
        else:
            _measure(client, tally, code, rng.choice(actor.benefits[code]), note, rng)
    client.close()


def _move(client: Client, tally: Tally, code: str, reason: str, rng: random.Random) -> None:
    path = f"/programmes/{code}/milestones/update"
    for _ in range(MAX_TRIES):
        status, page = tally.timed(client, "milestones form", "GET", path)
        if status != 200:
            return
        body, milestone_id, moved = move_one_forecast(read_form(page), rng, reason)
        status, page = tally.timed(client, "milestones save", "POST", path, body)
        if status == 302:
            tally.moves.append((milestone_id, moved.isoformat(), reason, time.time()))
            return
        if status == 200 and CONFLICT_WORDING in page:
            tally.conflicts += 1  # someone else saved first: read their version and try again
            continue
        if status < 500:
            tally.refused.append(f"POST {path} -> {status}: {_first_error(page)}")
        return
    tally.gave_up += 1


def _measure(client: Client, tally: Tally, code: str, benefit_id: int, note: str, rng: random.Random) -> None:
    path = f"/programmes/{code}/benefits/{benefit_id}/measurements/new"
    status, page = tally.timed(client, "measurement form", "GET", path)
    if status != 200:
        return
    token = dict(read_form(page)).get("csrf_token", "")
    on = date.today() - timedelta(days=rng.randint(0, 60))
    value = f"{rng.randint(1, 900)}.{rng.randint(0, 99):02d}"
    form = {"csrf_token": token, "value": value, "note": note}
    body = urlencode(form) + "&" + urlencode([("on_date", str(part)) for part in (on.day, on.month, on.year)])
    status, page = tally.timed(client, "measurement save", "POST", path, body)
    if status == 302:
        tally.measurements.append((benefit_id, value, note))
    elif status < 500:
        tally.refused.append(f"POST {path} -> {status}: {_first_error(page)}")


def _first_error(page: str) -> str:
    found = re.search(r'class="govuk-error-summary__list">(.*?)</ul>', page, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()[:200] if found else "no error summary"


def chief_information_officer(actor: Actor, port: int | list[int], ready: Ready, tally: Tally) -> None:
    """Read the dashboard (and now and then the portfolio list) until the deadline."""
    client = Client(port)
    client.sign_in(actor.email, actor.password)
    deadline = ready()
    reads = 0
    while time.time() < deadline:
        reads += 1
        if reads % 4:
            tally.timed(client, "dashboard", "GET", "/dashboard")
        else:
            tally.timed(client, "portfolio list", "GET", "/programmes/")
    client.close()
