"""A digest stays small whatever the portfolio: counts in full, the worst few lines, links for the rest."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import insert, select

from tests.factories import UserFactory
from tests.web.pages import counting_queries
from tracker.domain.digest.links import Links
from tracker.domain.digest.shown import SHOWN_PER_SECTION
from tracker.domain.flags import Flag, Severity, Subject
from tracker.extensions import db
from tracker.models import (
    Focus,
    Milestone,
    MilestoneKind,
    Programme,
    Rag,
    RebaselineRequest,
    RiskAssessment,
    Role,
    Stage,
    Trend,
    User,
)
from tracker.services.digest.compose import Scope, build_digest, recipient
from tracker.services.digest.render import render_digest
from tracker.services.digest.source import load_digest_source

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)
BASE = "http://tracker.test"
PROGRAMMES = 300
OVERDUE = 1_000
DUE_SOON = 120
REQUESTS = 40
SIZE_LIMIT = 200 * 1024


@pytest.fixture
def crowded(app: Flask) -> dict[str, User]:
    """300 open programmes, every one newly red with four flags, 1,000 overdue milestones, 120 due soon and
    40 pending re-baseline requests; half the programmes are one manager's."""
    cio = UserFactory(role=Role.CIO, name="Helen Carter")
    pm = UserFactory(role=Role.PROGRAMME_MANAGER, name="Priya Shah")
    other = UserFactory(role=Role.PROGRAMME_MANAGER, name="Tom Barker")
    first = (db.session.scalar(select(Programme.id).order_by(Programme.id.desc()).limit(1)) or 0) + 1
    ids = range(first, first + PROGRAMMES)
    db.session.execute(
        insert(Programme),
        [
            {
                "id": pid,
                "code": f"BIG-{n:03d}",
                "name": f"Programme number {n} with a longish name for the council's records",
                "directorate": "Resources",
                "focus": Focus.BOTH,
                "stage": Stage.DELIVERY,
                "manager_id": (pm if n % 2 == 0 else other).id,
            }
            for n, pid in enumerate(ids)
        ],
    )
    milestones = [
        {
            "programme_id": ids[n % PROGRAMMES],
            "title": f"Overdue milestone {n}",
            "kind": MilestoneKind.IT_DELIVERY,
            "critical": n % 3 == 0,
            "original_baseline_date": TODAY - timedelta(days=1 + n % 200),
            "baseline_date": TODAY - timedelta(days=1 + n % 200),
        }
        for n in range(OVERDUE)
    ] + [
        {
            "programme_id": ids[n % PROGRAMMES],
            "title": f"Coming up {n}",
            "kind": MilestoneKind.BUSINESS_CHANGE,
            "critical": False,
            "original_baseline_date": TODAY + timedelta(days=1 + n % 14),
            "baseline_date": TODAY + timedelta(days=1 + n % 14),
        }
        for n in range(DUE_SOON)
    ]
    db.session.execute(insert(Milestone), milestones)
    late_ids = db.session.scalars(select(Milestone.id).where(Milestone.title.like("Overdue%"))).all()
    db.session.execute(
        insert(RebaselineRequest),
        [
            {
                "milestone_id": late_ids[n],
                "proposed_date": TODAY + timedelta(days=60),
                "reason": "Supplier delay " * 20,
                "requested_by_id": pm.id,
                "requested_at": NOW - timedelta(days=n + 1),
            }
            for n in range(REQUESTS)
        ],
    )
    assessments = []
    for n, pid in enumerate(ids):
        flags = [
            Flag("stale", Severity.RED, f"No update for {60 + n} days", {"days_since_update": 60 + n}),
            Flag("cost_overrun", Severity.AMBER if n % 4 else Severity.RED, "Forecast spend is 18% over"),
            Flag("benefits_behind_trajectory", Severity.RED, "2 services against a planned 5"),
            Flag("whole_life_cost_growth", Severity.AMBER, "Whole-life cost forecast is 25% above"),
            *(
                Flag(
                    "overdue_milestone",
                    Severity.RED,
                    f"Milestone {k} is overdue",
                    {},
                    Subject("milestone", k),
                )
                for k in range(8)
            ),
        ]
        for days_ago, rating, shown, latest in ((7.5, Rag.GREEN, [], False), (0.1, Rag.RED, flags, True)):
            assessments.append(
                {
                    "programme_id": pid,
                    "assessed_at": NOW - timedelta(days=days_ago),
                    "rating": rating,
                    "score": 100 * len(shown),
                    "trend": Trend.SAME,
                    "flags": [flag.as_dict() for flag in shown],
                    "is_latest": latest,
                }
            )
    db.session.execute(insert(RiskAssessment), assessments)
    db.session.commit()
    return {"cio": cio, "pm": pm, "other": other}


def build(user: User, scope: Scope):
    source = load_digest_source(now=NOW, today=TODAY)
    digest = build_digest(
        source,
        recipient(user, scope),
        week="2026-W49",
        org_name="Testshire County Council",
        links=Links(BASE),
    )
    return digest, render_digest(digest)


def test_a_cio_digest_of_a_crowded_portfolio_stays_small_with_full_counts(crowded) -> None:
    digest, rendered = build(crowded["cio"], Scope.PORTFOLIO)

    assert len(rendered.html.encode()) < SIZE_LIMIT and len(rendered.text.encode()) < SIZE_LIMIT
    sections = {
        "worse": (digest.worse, PROGRAMMES),
        "overdue": (digest.overdue, OVERDUE),
        "due_soon": (digest.due_soon, DUE_SOON),
        "benefits_behind": (digest.benefits_behind, PROGRAMMES),
        "cost_overruns": (digest.cost_overruns, PROGRAMMES),
        "whole_life_growth": (digest.whole_life_growth, PROGRAMMES),
        "stale": (digest.stale, PROGRAMMES),
        "requests": (digest.requests, REQUESTS),
    }
    for name, (section, total) in sections.items():
        assert (section.total, len(section.lines), section.more) == (total, 10, total - 10), name
    # Worst first, in each section's own order: the longest overdue, the soonest due, red before amber.
    assert [line.days for line in digest.overdue.lines] == [200] * 5 + [199] * 5
    assert [line.days for line in digest.due_soon.lines] == [1] * 9 + [2]
    assert {item.severity for item in digest.cost_overruns.lines} == {"red"}
    assert digest.requests.lines[0].requested_on == date(2026, 11, 29) - timedelta(days=REQUESTS - 1)
    assert [len(movement.flags) for movement in digest.worse.lines] == [5] * 10  # and "7 more changes"

    html, text = rendered.html, rendered.text
    assert "Overdue milestones (1000)" in html and "OVERDUE MILESTONES (1000)" in text
    assert "Newly at risk or worse (300)" in html and "NEWLY AT RISK OR WORSE (300)" in text
    assert text.count(" late; baseline ") == 10  # one line per overdue milestone shown
    links = {
        "And 990 more not shown here.": f"{BASE}/milestones/?when=overdue",
        "And 110 more not shown here.": f"{BASE}/milestones/?when=2",
        "And 290 more not shown here.": f"{BASE}/programmes/?rating=red",
        "And 30 more not shown here.": f"{BASE}/rebaselines/",
    }
    for words, url in links.items():
        assert re.search(rf'{re.escape(words)} See <a href="{re.escape(url)}"', html), words
    for rule in ("stale", "cost_overrun", "benefits_behind_trajectory", "whole_life_cost_growth"):
        assert f'href="{BASE}/programmes/?flag={rule}"' in html
        assert f": {BASE}/programmes/?flag={rule}\n" in text
    assert (
        "And 990 more, not shown here:\n  See all overdue milestones: "
        f"{BASE}/milestones/?when=overdue" in text
    )
    assert f"See all milestones due in the next 2 weeks: {BASE}/milestones/?when=2\n" in text
    assert "scope=mine" not in html + text


def test_a_managers_digest_links_to_their_own_lists(crowded) -> None:
    digest, rendered = build(crowded["pm"], Scope.OWN)

    assert len(rendered.html.encode()) < SIZE_LIMIT
    assert digest.programme_count == PROGRAMMES // 2
    assert digest.overdue.total == OVERDUE // 2 and digest.worse.total == PROGRAMMES // 2
    assert {line.programme.code for line in digest.overdue.lines} <= {
        f"BIG-{n:03d}" for n in range(0, 300, 2)
    }
    assert digest.todo.total > SHOWN_PER_SECTION and len(digest.todo.lines) == SHOWN_PER_SECTION
    for url in (
        f"{BASE}/milestones/?when=overdue&amp;scope=mine",
        f"{BASE}/milestones/?when=2&amp;scope=mine",
        f"{BASE}/programmes/?rating=red&amp;scope=mine",
        f"{BASE}/programmes/?flag=stale&amp;scope=mine",
        f"{BASE}/programmes/?scope=mine",
    ):
        assert f'href="{url}"' in rendered.html, url
    assert f"See your overdue milestones: {BASE}/milestones/?when=overdue&scope=mine\n" in rendered.text
    # Their requests link to their programmes: only a CIO can open the approval queue.
    assert digest.requests.rest[0].url == f"{BASE}/programmes/?scope=mine"


def test_building_each_recipients_digest_reads_nothing_more_from_the_database(crowded) -> None:
    source = load_digest_source(now=NOW, today=TODAY)
    people = [(crowded["cio"], Scope.PORTFOLIO), (crowded["pm"], Scope.OWN), (crowded["other"], Scope.OWN)]
    people = [(recipient(user, scope), user.id) for user, scope in people]

    with counting_queries() as statements:
        for person, _ in people:
            render_digest(
                build_digest(source, person, week="2026-W49", org_name="Testshire", links=Links(BASE))
            )

    assert statements == []
