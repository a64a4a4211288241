"""A CIO opens a programme from the list and sees why it is rated as it is; a viewer cannot edit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from tracker.extensions import db
from tracker.models import Milestone, Programme, Rag, RiskAssessment, Trend
from tracker.services.demo.seed import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.browser


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def rate_fin_002() -> int:
    """Give FIN-002 a latest assessment with a flag on one of its milestones; returns that milestone's id."""
    programme = db.session.scalar(select(Programme).where(Programme.code == "FIN-002"))
    milestone = db.session.scalars(select(Milestone).where(Milestone.programme_id == programme.id)).first()
    # The demo's own rating history stays as history; this one becomes the latest.
    db.session.execute(
        update(RiskAssessment).where(RiskAssessment.programme_id == programme.id).values(is_latest=False)
    )
    db.session.add(
        RiskAssessment(
            programme_id=programme.id,
            rating=Rag.RED,
            score=131,
            trend=Trend.WORSE,
            assessed_at=datetime(2026, 11, 23, 6, 0, tzinfo=UTC),
            flags=[
                {
                    "rule": "overdue_milestone",
                    "severity": "red",
                    "message": f"{milestone.title} is 21 days overdue",
                    "evidence": {"days_overdue": 21, "baseline_date": milestone.baseline_date.isoformat()},
                    "subject": {"kind": "milestone", "id": milestone.id},
                    "weight": 3,
                },
                {
                    "rule": "investment_gap",
                    "severity": "amber",
                    "message": "Approved funding is 25% short of the amount requested",
                    "evidence": {"requested": "4210000", "approved": "3160000", "gap_pct": "24.9"},
                    "subject": None,
                    "weight": 1,
                },
            ],
        )
    )
    db.session.commit()
    return milestone.id


def test_cio_opens_an_overview_from_the_list_and_sees_the_reasons(
    live_server: str, page, output_dir: Path
) -> None:
    seed_demo()
    milestone_id = rate_fin_002()
    sign_in(page, live_server, "cio@demo.council.example")
    page.get_by_role("link", name="FIN-002", exact=True).first.click()

    expect(page).to_have_url(f"{live_server}/programmes/FIN-002/")
    expect(page.locator("h1")).to_contain_text("Finance and HR system replacement", use_inner_text=True)
    expect(page.get_by_text("Why it is Red: 2 flags")).to_be_visible()
    # Each flag is one line; opening it shows its figures and the link to its record.
    page.locator("summary", has_text="Overdue milestone").click()
    link = page.get_by_role("link", name="View the milestone for overdue milestone")
    expect(link).to_have_attribute("href", f"/programmes/FIN-002/milestones/#milestone-{milestone_id}")
    expect(page.get_by_role("button", name="Edit key facts")).to_be_visible()
    page.screenshot(path=str(output_dir / "programme-overview.png"), full_page=True)
    assert page.console_errors == []


def test_viewer_sees_no_edit_buttons_and_is_refused_the_edit_page(live_server: str, page) -> None:
    seed_demo()
    sign_in(page, live_server, "viewer@demo.council.example")
    page.goto(f"{live_server}/programmes/FIN-002/")
    expect(page.locator("h1")).to_be_visible()
    for name in ("Edit key facts", "Team and roles", "Change stage, pause or close"):
        assert page.get_by_role("button", name=name).count() == 0
        assert page.get_by_role("link", name=name).count() == 0
    page.goto(f"{live_server}/programmes/")
    assert page.get_by_role("button", name="Add a programme").count() == 0
    response = page.goto(f"{live_server}/programmes/FIN-002/edit")
    assert response is not None and response.status == 403
