"""The digest as data and as rendered parts: who gets which, what it says, how it reads."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask

from tracker.domain.digest.links import Links
from tracker.domain.flags import Flag, Severity, Subject
from tracker.extensions import db
from tracker.models import (
    Focus,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Programme,
    ProgrammeMember,
    Rag,
    RebaselineRequest,
    RequestStatus,
    RiskAssessment,
    Role,
    Stage,
    Trend,
    User,
)
from tracker.services.digest.account import preview_digest
from tracker.services.digest.compose import (
    Digest,
    Scope,
    build_digest,
    digest_scope,
    preview_scope,
    recipient,
)
from tracker.services.digest.render import digest_subject, render_digest
from tracker.services.digest.source import load_digest_source

# Monday 30 November 2026, 08:00 in London (GMT): when the week's digest goes out.
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)
WEEK = "2026-W49"
BASE = "http://tracker.test"


def make_programme(code: str, name: str | None = None, *, manager: User | None = None, **extra) -> Programme:
    programme = Programme(
        code=code,
        name=name or f"Programme {code}",
        directorate="Resources",
        focus=Focus.BOTH,
        stage=extra.pop("stage", Stage.DELIVERY),
        manager_id=manager.id if manager else None,
        **extra,
    )
    db.session.add(programme)
    db.session.flush()
    return programme


def assess(programme: Programme, rating: Rag, flags: list[Flag], *, days_ago: float, latest: bool) -> None:
    db.session.add(
        RiskAssessment(
            programme_id=programme.id,
            assessed_at=NOW - timedelta(days=days_ago),
            rating=rating,
            score=sum(100 if f.severity is Severity.RED else 10 for f in flags),
            trend=Trend.SAME,
            flags=[flag.as_dict() for flag in flags],
            is_latest=latest,
        )
    )


def flag(rule: str, severity: Severity, message: str, subject: Subject | None = None, **evidence) -> Flag:
    return Flag(rule, severity, message, dict(evidence), subject)


def milestone(programme: Programme, title: str, baseline: date, **extra) -> Milestone:
    row = Milestone(
        programme_id=programme.id,
        title=title,
        kind=extra.pop("kind", MilestoneKind.IT_DELIVERY),
        original_baseline_date=baseline,
        baseline_date=baseline,
        **extra,
    )
    db.session.add(row)
    db.session.flush()
    return row


def digest_for(user: User, scope: Scope | None = None, *, now: datetime = NOW) -> Digest:
    source = load_digest_source(now=now, today=now.date())
    person = recipient(user, scope or preview_scope(user))
    return build_digest(source, person, week=WEEK, org_name="Testshire County Council", links=Links(BASE))


@pytest.fixture
def portfolio(app: Flask, make_user) -> dict[str, object]:
    """Six open programmes and a closed one, rated now and a week ago, with dated milestones and requests."""
    cio = make_user(Role.CIO, name="Helen Carter")
    pm = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah", email="priya@testshire.gov.uk")
    pm2 = make_user(Role.PROGRAMME_MANAGER, name="Tom Barker", email="tom@testshire.gov.uk")
    worse = make_programme("ASC-004", "Social care case management", manager=pm)
    better = make_programme("FIN-002", "Finance system", manager=pm2)
    make_programme("HR-001", "HR self-service", manager=pm2)
    stale = make_programme("WST-007", "Waste routing", manager=pm2)
    money = make_programme("CCT-009", "Contact centre", manager=pm2)
    db.session.add(ProgrammeMember(programme_id=money.id, user_id=pm.id, role_title="Benefits lead"))
    benefits = make_programme("DAT-005", "Data platform", manager=pm2)
    closed = make_programme("OLD-001", "Closed programme", manager=pm, stage=Stage.CLOSED)

    late = milestone(worse, "Data migration trial", TODAY - timedelta(days=12), critical=True)
    milestone(worse, "Training", TODAY + timedelta(days=7), forecast_date=TODAY + timedelta(days=9))
    milestone(better, "Go-live", TODAY + timedelta(days=40))
    milestone(
        better, "Done already", TODAY - timedelta(days=30), status=MilestoneStatus.COMPLETE, actual_date=TODAY
    )
    milestone(closed, "Closed and late", TODAY - timedelta(days=30))
    db.session.add_all(
        [
            RebaselineRequest(
                milestone_id=late.id,
                proposed_date=date(2027, 1, 15),
                reason="Legacy records failed validation",
                requested_by_id=pm.id,
                requested_at=NOW - timedelta(days=2),
            ),
            RebaselineRequest(
                milestone_id=late.id,
                proposed_date=date(2027, 2, 1),
                reason="Already decided",
                status=RequestStatus.REJECTED,
            ),
        ]
    )

    overdue = flag(
        "overdue_milestone",
        Severity.RED,
        "Data migration trial milestone is 12 days overdue",
        Subject("milestone", late.id),
        days_overdue=12,
        baseline_date=(TODAY - timedelta(days=12)).isoformat(),
    )
    overrun = flag("cost_overrun", Severity.AMBER, "Forecast spend £332,000 is 18.6% over approved £280,000")
    assess(worse, Rag.GREEN, [], days_ago=8, latest=False)
    assess(worse, Rag.RED, [overdue], days_ago=0.1, latest=True)
    assess(better, Rag.RED, [overdue, overrun], days_ago=7.5, latest=False)
    assess(better, Rag.AMBER, [overrun], days_ago=0.1, latest=True)
    for programme, rating, flags in (
        (stale, Rag.RED, [flag("stale", Severity.RED, "No update for 75 days", days_since_update=75)]),
        (money, Rag.AMBER, [overrun]),
        (
            benefits,
            Rag.RED,
            [flag("benefits_behind_trajectory", Severity.RED, "2 services against a planned 5")],
        ),
    ):
        assess(programme, rating, flags, days_ago=7.5, latest=False)
        assess(programme, rating, flags, days_ago=0.1, latest=True)
    assess(closed, Rag.RED, [overdue], days_ago=0.1, latest=True)
    db.session.commit()
    return {"cio": cio, "pm": pm, "pm2": pm2}


def test_who_gets_which_digest(app: Flask, make_user) -> None:
    cio, admin, pm, viewer = (make_user(role) for role in ("cio", "admin", "programme_manager", "viewer"))
    assert [digest_scope(user) for user in (cio, admin, pm, viewer)] == [
        Scope.PORTFOLIO,
        Scope.PORTFOLIO,
        Scope.OWN,
        None,
    ]
    viewer.digest_opt_in = True
    cio.digest_opt_out = pm.digest_opt_out = True
    admin.active = False
    assert [digest_scope(user) for user in (cio, admin, pm, viewer)] == [None, None, None, Scope.PORTFOLIO]
    # Previews ignore the opt-out: they show what the person would get.
    assert preview_scope(cio) is Scope.PORTFOLIO and preview_scope(pm) is Scope.OWN


def test_cio_digest_counts_changes_and_every_section(portfolio) -> None:
    digest = digest_for(portfolio["cio"])

    assert digest.programme_count == 6  # the closed programme is left out
    assert [(c.rating, c.count, c.change) for c in digest.counts] == [
        ("red", 3, 0),  # ASC-004 became red, FIN-002 stopped being red
        ("amber", 2, 1),
        ("green", 0, -1),  # ASC-004 was green
    ]
    assert digest.unrated == 1  # HR-001 has never been assessed
    assert digest_subject(digest) == "Risk digest w/c 30 November 2026: 3 Red, 2 Amber (+1), 0 Green (-1)"

    [worse] = digest.worse.lines
    assert (worse.programme.code, worse.previous, worse.rating, worse.trend) == (
        "ASC-004",
        "green",
        "red",
        "new",
    )
    [line] = worse.flags
    assert (line.change, line.label, line.severity) == ("new", "Overdue milestone", "red")
    assert ("Overdue by", "12 days") in line.evidence
    assert ("Approved baseline", "18 November 2026") in line.evidence
    [better] = digest.better.lines
    assert (better.programme.code, better.previous, better.rating) == ("FIN-002", "red", "amber")
    assert [(f.change, f.label) for f in better.flags] == [("resolved", "Overdue milestone")]

    assert [(m.programme.code, m.title, m.days, m.critical) for m in digest.overdue.lines] == [
        ("ASC-004", "Data migration trial", 12, True)
    ]
    assert [(m.title, m.days) for m in digest.due_soon.lines] == [("Training", 9)]  # by its forecast
    assert [i.programme.code for i in digest.benefits_behind.lines] == ["DAT-005"]
    assert [(i.programme.code, i.severity) for i in digest.cost_overruns.lines] == [
        ("CCT-009", "amber"),
        ("FIN-002", "amber"),
    ]
    [chase] = digest.stale.lines
    assert (chase.programme.code, chase.programme.manager, chase.programme.manager_email) == (
        "WST-007",
        "Tom Barker",
        "tom@testshire.gov.uk",
    )
    [request] = digest.requests.lines
    assert (request.milestone, request.proposed, request.requested_by) == (
        "Data migration trial",
        date(2027, 1, 15),
        "Priya Shah",
    )
    assert request.url == f"{BASE}/rebaselines/"  # a CIO approves them
    assert not digest.todo  # the to-do list is for programme managers
    assert not digest.quiet


def test_cio_digest_rendered_with_links_from_base_url(portfolio) -> None:
    rendered = render_digest(digest_for(portfolio["cio"]))
    for part in (rendered.html, rendered.text):
        assert f"{BASE}/programmes/ASC-004/" in part
        assert f"{BASE}/programmes/ASC-004/milestones/" in part
        assert f"{BASE}/programmes/CCT-009/money/" in part
        assert f"{BASE}/programmes/DAT-005/benefits/" in part
        assert f"{BASE}/programmes/WST-007/updates/" in part
        assert f"{BASE}/rebaselines/" in part
        assert f"{BASE}/account/preferences" in part
        assert "Tom Barker" in part and "Data migration trial" in part
    assert "Overdue milestones (1)" in rendered.html
    assert "NEWLY AT RISK OR WORSE (1)" in rendered.text
    assert "- ASC-004 Social care case management: GREEN to RED" in rendered.text
    assert "Chase: Tom Barker <tom@testshire.gov.uk>" in rendered.text
    assert "RE-BASELINE REQUESTS AWAITING YOUR APPROVAL (1)" in rendered.text
    assert "\n\n\n" not in rendered.text


def test_programme_manager_digest_covers_only_their_programmes(portfolio) -> None:
    digest = digest_for(portfolio["pm"])

    assert digest.recipient.scope is Scope.OWN
    assert digest.programme_count == 2  # manages ASC-004, on the team of CCT-009; OLD-001 is closed
    codes = {m.programme.code for m in digest.worse.lines + digest.better.lines} | {
        i.programme.code for i in digest.cost_overruns.lines
    }
    assert codes == {"ASC-004", "CCT-009"}
    assert not digest.stale and not digest.benefits_behind
    [request] = digest.requests.lines
    assert request.url == f"{BASE}/programmes/ASC-004/milestones/"  # they cannot approve it
    assert [(t.programme.code, t.text.split(":")[0]) for t in digest.todo.lines] == [
        ("ASC-004", "Record progress on 1 overdue milestone"),
        ("ASC-004", "Confirm the forecast for 1 milestone due in the next 14 days"),
        ("CCT-009", "Review forecast spend against the approved budget"),
    ]
    rendered = render_digest(digest)
    assert "WHAT TO UPDATE THIS WEEK (3)" in rendered.text
    assert "A CIO'S APPROVAL" in rendered.text
    assert "WST-007" not in rendered.text and "WST-007" not in rendered.html
    assert f"{BASE}/programmes/?scope=mine" in rendered.text


def test_change_is_against_the_newest_rating_a_week_before(app: Flask, make_user) -> None:
    """Monday's digest compares with what last Monday's saw, not with yesterday's scan."""
    cio = make_user(Role.CIO)
    programme = make_programme("DIG-001")
    red = [flag("stale", Severity.RED, "No update for 70 days")]
    amber = [flag("stale", Severity.AMBER, "No update for 40 days")]
    assess(programme, Rag.RED, red, days_ago=20, latest=False)  # older than last week's
    assess(programme, Rag.AMBER, amber, days_ago=7.2, latest=False)  # what last week's digest saw
    assess(programme, Rag.RED, red, days_ago=1, latest=False)  # yesterday
    assess(programme, Rag.RED, red, days_ago=0.1, latest=True)
    db.session.commit()

    digest = digest_for(cio)

    assert [(c.rating, c.change) for c in digest.counts][:2] == [("red", 1), ("amber", -1)]
    [movement] = digest.worse.lines
    assert (movement.previous, movement.rating, movement.flags[0].change) == ("amber", "red", "worse")
    assert digest_subject(digest) == "Risk digest w/c 30 November 2026: 1 Red (+1), 0 Amber (-1), 0 Green"


def test_a_quiet_week_still_says_so(app: Flask, make_user) -> None:
    cio = make_user(Role.CIO)
    for code in ("DIG-001", "DIG-002"):
        programme = make_programme(code)
        assess(programme, Rag.GREEN, [], days_ago=7.5, latest=False)
        assess(programme, Rag.GREEN, [], days_ago=0.1, latest=True)
    db.session.commit()

    digest = digest_for(cio)
    rendered = render_digest(digest)

    assert digest.quiet
    assert rendered.subject == "Risk digest w/c 30 November 2026: 0 Red, 0 Amber, 2 Green"
    assert "A quiet week." in rendered.text and "A quiet week." in rendered.html
    assert "OVERDUE" not in rendered.text


def test_an_empty_portfolio_still_gets_a_short_digest(app: Flask, make_user) -> None:
    rendered = render_digest(digest_for(make_user(Role.CIO)))

    assert rendered.subject == "Risk digest w/c 30 November 2026: no open programmes"
    assert "There are no open programmes in the tracker." in rendered.text
    assert "There are no open programmes in the tracker." in rendered.html


def test_a_programme_manager_with_no_programmes(portfolio, make_user) -> None:
    newcomer = make_user(Role.PROGRAMME_MANAGER)
    digest = digest_for(newcomer)
    rendered = render_digest(digest)

    assert digest.programme_count == 0 and not digest.worse and not digest.requests
    assert rendered.subject == "Risk digest w/c 30 November 2026: no programmes of yours to report"
    assert "You do not manage, and are not on the team of, any open programme." in rendered.text
    assert "ASC-004" not in rendered.html


def test_user_text_is_escaped_in_html_and_plain_in_text(app: Flask, make_user) -> None:
    cio = make_user(Role.CIO)
    name = '<script>alert("x")</script> & <b>Bins</b>'
    programme = make_programme("DIG-001", name)
    message = "Risk '<img src=x onerror=alert(1)>' scores 16"
    assess(
        programme,
        Rag.AMBER,
        [flag("unmitigated_high_risks", Severity.AMBER, message)],
        days_ago=0.1,
        latest=True,
    )
    db.session.commit()

    rendered = render_digest(digest_for(cio))

    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;Bins&lt;/b&gt;" in rendered.html
    assert "<script" not in rendered.html and "<b>Bins" not in rendered.html and "<img" not in rendered.html
    assert name in rendered.text and message in rendered.text


def test_html_part_is_built_for_outlook(portfolio) -> None:
    html = render_digest(digest_for(portfolio["cio"])).html

    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|style|link|img|iframe|form)\b", html, re.IGNORECASE)
    assert "class=" not in html  # every style is inline
    assert 'role="presentation"' in html and "<div" not in html  # tables for layout
    assert not re.search(r"""(src|href)=["'](?!http://tracker\.test/|mailto:)""", html)
    # RAG ratings are words as well as colours.
    assert re.search(r"background-color:#d4351c;[^>]*>RED</span>", html)
    assert re.search(r"background-color:#f47738;[^>]*>AMBER</span>", html)


def test_preview_is_this_weeks_digest_for_the_user(portfolio) -> None:
    rendered = preview_digest(portfolio["pm"], now=NOW)

    assert rendered.subject.startswith("Risk digest w/c 30 November 2026: ")
    assert "For Priya Shah: your programmes" in rendered.text


def test_cli_preview_prints_the_text_part(portfolio) -> None:
    from flask import current_app

    runner = current_app.test_cli_runner()
    result = runner.invoke(
        args=["digest", "preview", "--email", "PRIYA@testshire.gov.uk", "--week", "2026W49"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Subject: Risk digest w/c 30 November 2026: ")
    assert "For Priya Shah: your programmes" in result.output
    assert "<table" not in result.output

    unknown = runner.invoke(args=["digest", "preview", "--email", "nobody@testshire.gov.uk"])
    assert unknown.exit_code != 0 and "No user has the email nobody@testshire.gov.uk" in unknown.output
    bad_week = runner.invoke(
        args=["digest", "preview", "--email", "priya@testshire.gov.uk", "--week", "2026-W60"]
    )
    assert bad_week.exit_code != 0 and "2026 has no week 60" in bad_week.output


def test_a_score_that_only_crept_up_is_not_news(app: Flask, make_user) -> None:
    cio = make_user(Role.CIO)
    programme = make_programme("DIG-001")
    subject = Subject("programme", programme.id)
    week_ago = Flag("stale", Severity.AMBER, "No update for 40 days", {}, subject, weight=0)
    today = Flag("stale", Severity.AMBER, "No update for 47 days", {}, subject, weight=1)
    assess(programme, Rag.AMBER, [week_ago], days_ago=7.5, latest=False)
    assess(programme, Rag.AMBER, [today], days_ago=0.1, latest=True)
    db.session.commit()

    digest = digest_for(cio)

    assert not digest.worse and not digest.better
    assert [item.message for item in digest.stale.lines] == ["No update for 47 days"]  # still chased


def test_whole_life_cost_totals_and_growth_in_the_digest(app: Flask, make_user) -> None:
    cio = make_user(Role.CIO)
    fin = make_programme(
        "FIN-002",
        "Finance system",
        whole_life_baseline=Decimal("7200000"),
        whole_life_forecast=Decimal("7900000"),
    )
    make_programme("DIG-001", whole_life_baseline=Decimal("800000"), whole_life_forecast=Decimal("900000"))
    make_programme("DAT-005", whole_life_baseline=Decimal("1500000"))
    growth = "Whole-life cost forecast £7,900,000 is 32% above the first approved baseline of £6,000,000"
    assess(fin, Rag.RED, [flag("whole_life_cost_growth", Severity.RED, growth)], days_ago=0.1, latest=True)
    db.session.commit()

    digest = digest_for(cio)
    rendered = render_digest(digest)

    assert not digest.quiet
    sentence = (
        "Whole-life cost: baseline £9,500,000, forecast £8,800,000 (forecast not known for 1 of 3, left out "
        "of the totals). Where both are known (2), the forecast is 10% above the baseline."
    )
    assert sentence in rendered.text and sentence in rendered.html
    assert "WHOLE-LIFE COST GROWTH (1)" in rendered.text and "Whole-life cost growth (1)" in rendered.html
    assert f"FIN-002 Finance system: {growth}" in rendered.text
    assert f"{BASE}/programmes/FIN-002/money/" in rendered.text
