"""In Chromium: a CIO ticks an idea into the pipeline scenario and sees a service team go over capacity in
the month the idea's milestone lands on it; unticking it clears the warning. Nothing is saved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_gate_decision import sign_in
from tests.factories import MilestoneFactory, ProgrammeFactory
from tracker.domain.calendar import london_today
from tracker.domain.capacity import months_ahead
from tracker.extensions import db
from tracker.models import MilestoneTeamLoad, PipelineScenario, Role, ServiceTeam, Stage
from tracker.models.types import utcnow

pytestmark = pytest.mark.browser


def test_ticking_an_idea_in_puts_a_team_over_capacity_and_ticking_it_out_clears_it(
    live_server: str, page, make_user, output_dir: Path
) -> None:
    cio = make_user(Role.CIO, name="Chris Ofori")
    month = months_ahead(london_today(utcnow()), 12)[2]
    team = ServiceTeam(name="Revenues and Benefits", directorate="Resources", monthly_capacity=Decimal("10"))
    db.session.add(team)
    db.session.commit()
    committed = ProgrammeFactory(code="REV-001", name="Council tax online", stage=Stage.DELIVERY)
    idea = ProgrammeFactory(code="REV-002", name="Benefits self-service", stage=Stage.IDEA)
    for programme, days in ((committed, "9"), (idea, "3")):
        milestone = MilestoneFactory(
            programme=programme, title="Staff trained", forecast_date=month + timedelta(days=14)
        )
        db.session.add(
            MilestoneTeamLoad(milestone_id=milestone.id, team_id=team.id, change_days=Decimal(days))
        )
    db.session.commit()
    idea_id = idea.id

    sign_in(page, live_server, cio.email)
    page.get_by_role("link", name="Pipeline").first.click()
    status = page.locator("#capacity-status")
    expect(status).to_contain_text("No team is over capacity", use_inner_text=True)

    page.get_by_label("Include REV-002").check()
    page.get_by_role("button", name="Update the figures").click()
    expect(status).to_contain_text("1 team over capacity", use_inner_text=True)
    expect(status).to_contain_text("this choice puts 1 team month over", use_inner_text=True)
    row = page.locator("#overloads tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Revenues and Benefits", use_inner_text=True)
    expect(row).to_contain_text(month.strftime("%B %Y"), use_inner_text=True)
    expect(row).to_contain_text("Yes", use_inner_text=True)
    assert f"include={idea_id}" in page.url  # the scenario is in the address, not the database
    page.screenshot(path=str(output_dir / "pipeline-over-capacity.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(output_dir / "pipeline-over-capacity-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Include REV-002").uncheck()
    page.get_by_role("button", name="Update the figures").click()
    expect(status).to_contain_text("No team is over capacity", use_inner_text=True)
    expect(page.locator("#overloads")).to_have_count(0)
    assert db.session.query(PipelineScenario).count() == 0
