"""Every editing page answers a save made from a stale copy the same way: the same message in the error
summary, everything typed kept, and the saved version in the form so that saving again goes through."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.helpers import csrf_token_from
from tests.web.pages import error_summary
from tests.web.programme_data import add_programme, key_facts
from tests.web.test_benefits import PROFILE
from tests.web.test_money import form as money_form
from tests.web.test_register import ENTRY
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    CostType,
    Direction,
    Investment,
    Milestone,
    MilestoneKind,
    Programme,
    Recurrence,
    RegisterEntry,
    Role,
    Stage,
)

BASELINE = date.today() + timedelta(days=60)
TYPED = "Typed before the other save"


@dataclass(frozen=True)
class Page:
    """An editing page: the record it edits, the form it posts and a change someone else makes."""

    name: str
    path: str
    record: Any  # programme id -> the record, added
    data: dict[str, object]
    theirs: tuple[str, object]


def _investment(programme_id: int) -> Investment:
    return Investment(
        programme_id=programme_id, title="Integrator", cost_type=CostType.CAPITAL,
        recurrence=Recurrence.ONE_OFF, financial_year=2026, approved=Decimal(1000),
    )  # fmt: skip


def _milestone(programme_id: int) -> Milestone:
    return Milestone(
        programme_id=programme_id, title="Go-live", kind=MilestoneKind.IT_DELIVERY,
        original_baseline_date=BASELINE, baseline_date=BASELINE, forecast_date=BASELINE,
    )  # fmt: skip


def _benefit(programme_id: int) -> Benefit:
    return Benefit(
        programme_id=programme_id, title="Faster assessments", benefit_type=BenefitType.SERVICE_IMPROVEMENT,
        unit="days", direction=Direction.LOWER, owner="Chris Moss",
    )  # fmt: skip


def _entry(programme_id: int) -> RegisterEntry:
    return RegisterEntry(programme_id=programme_id, title="Payroll errors", likelihood=3, impact=3)


PAGES = [
    Page("key facts", "/programmes/DIG-001/edit", None, key_facts(name=TYPED), ("name", "Renamed by them")),
    Page("team", "/programmes/DIG-001/team", None, {"sro_name": TYPED, "manager_id": ""},
         ("sro_name", "Their SRO")),
    Page("money line", "/programmes/DIG-001/money/{id}/edit", _investment, money_form(title=TYPED),
         ("title", "Their line")),
    Page(
        "milestone", "/programmes/DIG-001/milestones/{id}/edit", _milestone,
        {"title": TYPED, "kind": "it_delivery", "status": "not_started",
         "forecast_date": [str(BASELINE.day), str(BASELINE.month), str(BASELINE.year)]},
        ("title", "Their title"),
    ),
    Page("benefit", "/programmes/DIG-001/benefits/{id}/edit", _benefit, PROFILE | {"owner": TYPED},
         ("owner", "Dan Price")),
    Page("register entry", "/programmes/DIG-001/risks/{id}/edit", _entry, ENTRY | {"title": TYPED},
         ("owner", "Priya Shah")),
]  # fmt: skip


def _version_on(page: str) -> str:
    match = re.search(r'<input[^>]*name="version"[^>]*value="(\d+)"', page)
    assert match, "no version in the form"
    return match.group(1)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_a_stale_save_says_who_saved_first_keeps_the_input_and_offers_their_version(
    client, auth, make_user, page: Page
) -> None:
    manager = auth.sign_in_as(Role.CIO)  # may edit key facts and team, and update any programme
    programme = add_programme(manager_id=manager.id, stage=Stage.DELIVERY)
    record = programme if page.record is None else page.record(programme.id)
    db.session.add(record)
    db.session.commit()
    kind, record_id, programme_id = type(record), record.id, programme.id
    path = page.path.format(id=record_id)
    opened = client.get(path)
    stale = _version_on(opened.get_data(as_text=True))

    someone = make_user(Role.ADMIN, name="Helen Carter")
    theirs = db.session.get(kind, record_id)
    setattr(theirs, page.theirs[0], page.theirs[1])
    theirs.updated_by_id = someone.id
    db.session.commit()

    response = client.post(path, data={**page.data, "version": stale, "csrf_token": csrf_token_from(opened)})

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    summary = error_summary(response)
    assert re.search(r"This [a-z ]+ was changed by Helen Carter on .+ while you were editing it", summary)
    assert "your changes are kept in the form below" in summary
    assert f'value="{TYPED}"' in body
    db.session.expire_all()
    saved = db.session.get(kind, record_id)
    assert getattr(saved, page.theirs[0]) == page.theirs[1]
    assert _version_on(body) == str(saved.version)
    assert isinstance(saved, Programme) or saved.programme_id == programme_id
