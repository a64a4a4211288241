"""One portfolio through the rules and every read model: all agree on what is overdue, stale and this year's.

The portfolio has cancelled, completed (by status, and by an actual date alone), missed (critical and not,
one also slipped), future and unforecast milestones, and fresh, stale, never-reported, idea and paused
programmes. The risk scan, the dashboard, the digest, the portfolio list, the API and the CSV export must
each tell the same story as `domain.definitions`.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.services.test_dashboard import milestone, money, programme
from tracker.domain.digest.links import Links
from tracker.extensions import db
from tracker.models import Focus, MilestoneStatus, Programme, RiskAssessment, Role, Stage, User
from tracker.services.accounts.tokens import create_token
from tracker.services.dashboard.page import portfolio_dashboard
from tracker.services.digest.compose import build_digest, preview_scope, recipient
from tracker.services.digest.source import load_digest_source
from tracker.services.portfolio.listing import PortfolioQuery, list_programmes
from tracker.services.portfolio.scope import ProgrammeFilter
from tracker.services.ratings.scan import scan_portfolio

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
TODAY = date(2027, 3, 10)  # financial year 2026/27
NOT_STARTED, IN_PROGRESS = MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    """The API and the export read the clock: every read model sees the same day."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def world(app) -> dict[str, object]:
    fresh = programme(
        "AGR-001", "Resources", Focus.BOTH, stage=Stage.DELIVERY, last_update_at=NOW - timedelta(days=5)
    )
    silent = programme(
        "AGR-002", "Resources", Focus.BOTH, stage=Stage.DELIVERY, last_update_at=NOW - timedelta(days=45)
    )
    programme("AGR-003", "Adults", Focus.BOTH, stage=Stage.DELIVERY)  # never reported: stale
    programme("AGR-004", "Adults", Focus.BOTH, stage=Stage.IDEA)  # not expected to report
    paused = programme("AGR-005", "Adults", Focus.BOTH, stage=Stage.DELIVERY, paused=True)

    milestone(fresh, date(2027, 1, 1), MilestoneStatus.CANCELLED, critical=True)
    milestone(fresh, date(2027, 1, 10), MilestoneStatus.COMPLETE, actual_date=date(2027, 1, 12))
    milestone(fresh, date(2027, 1, 15), IN_PROGRESS, actual_date=date(2027, 2, 1))  # done by its date alone
    critical = milestone(fresh, date(2027, 2, 1), IN_PROGRESS, critical=True)
    slipped = milestone(fresh, date(2027, 3, 1), NOT_STARTED, forecast_date=date(2027, 6, 30))
    milestone(fresh, date(2027, 4, 1), NOT_STARTED)
    yesterday = milestone(silent, date(2027, 3, 9), NOT_STARTED)
    milestone(silent, TODAY, NOT_STARTED)  # due today: not yet overdue
    milestone(paused, date(2027, 5, 1), NOT_STARTED)

    money(fresh, 2026, 100_000, 120_000, 50_000)
    money(fresh, 2025, 999)
    money(fresh, 2027, 777)
    money(silent, 2026, 200_000, 150_000)
    db.session.commit()
    scan_portfolio(today=TODAY, now=NOW)
    return {
        "overdue": {critical.title: critical.id, slipped.title: slipped.id, yesterday.title: yesterday.id},
        "stale": {"AGR-002", "AGR-003"},
        "approved": Decimal(300_000),
    }


def latest_flags(rule: str) -> list[tuple[str, dict]]:
    """(programme code, flag) for every `rule` flag in the latest assessments."""
    statement = (
        select(Programme.code, RiskAssessment.flags)
        .join(RiskAssessment, RiskAssessment.programme_id == Programme.id)
        .where(RiskAssessment.is_latest.is_(True))
    )
    return [(code, f) for code, flags in db.session.execute(statement) for f in flags if f["rule"] == rule]


def test_the_rules_and_every_read_model_agree(world, app, client, auth) -> None:
    overdue, stale = world["overdue"], world["stale"]
    cio = auth.sign_in_as(Role.CIO)

    # The rules: one overdue flag per overdue milestone (the slipped one not flagged twice), stale as defined.
    flagged = {f["subject"]["id"] for _, f in latest_flags("overdue_milestone")}
    assert flagged == set(overdue.values())
    assert latest_flags("forecast_slip") == []
    assert {code for code, _ in latest_flags("stale")} == stale

    # The dashboard's headline figures.
    counts = portfolio_dashboard(db.session.get(User, cio.id), ProgrammeFilter(), now=NOW).counts
    assert (counts.overdue_milestones, counts.stale_programmes) == (len(overdue), len(stale))
    assert counts.approved == world["approved"]

    # The digest's overdue list and stale section.
    source = load_digest_source(now=NOW, today=TODAY)
    person = recipient(db.session.get(User, cio.id), preview_scope(db.session.get(User, cio.id)))
    digest = build_digest(
        source, person, week="2027-W10", org_name="Testshire", links=Links("https://t.example")
    )
    assert {line.title for line in digest.overdue.lines} == set(overdue) and digest.overdue.total == len(
        overdue
    )
    assert {item.programme.code for item in digest.stale.lines} == stale and digest.stale.total == len(stale)

    # The portfolio list: next milestone is the soonest open one; this year's budget.
    rows = {
        row.code: row
        for row in list_programmes(db.session.get(User, cio.id), PortfolioQuery(), today=TODAY).rows
    }
    assert rows["AGR-001"].next_milestone == "Milestone 2027-02-01"
    assert (rows["AGR-001"].budget, rows["AGR-002"].budget) == (Decimal(100_000), Decimal(200_000))

    # The API: milestones say which are overdue, by how many days; the list agrees with the page.
    _, token = create_token(db.session.get(User, cio.id), name="agree")
    headers = {"Authorization": f"Bearer {token}"}
    api_overdue = {}
    for code in ("AGR-001", "AGR-002", "AGR-005"):
        for item in client.get(f"/api/v1/programmes/{code}/milestones", headers=headers).get_json()["items"]:
            if item["overdue_days"] is not None:
                api_overdue[item["title"]] = item["overdue_days"]
    assert api_overdue == {"Milestone 2027-02-01": 37, "Milestone 2027-03-01": 9, "Milestone 2027-03-09": 1}
    api_rows = {
        row["code"]: row for row in client.get("/api/v1/programmes", headers=headers).get_json()["items"]
    }
    assert api_rows["AGR-001"]["next_milestone"] == "Milestone 2027-02-01"

    # The CSV export: overdue milestones per programme and this year's budget.
    body = client.get("/programmes/export.csv").get_data().decode("utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(body, newline="")))
    by_code = {row["Code"]: row for row in exported}
    assert {code: int(row["Overdue milestones"]) for code, row in by_code.items()} == {
        "AGR-001": 2,
        "AGR-002": 1,
        "AGR-003": 0,
        "AGR-004": 0,
        "AGR-005": 0,
    }
    assert Decimal(by_code["AGR-001"]["Budget 2026/27"]) == Decimal(100_000)
