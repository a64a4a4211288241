"""One programme's reading pages: the overview with the flags behind its rating, and its history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.web.pages import counting_queries, text
from tests.web.programme_data import add_programme, key_facts
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Benefit,
    BenefitType,
    CostType,
    Direction,
    EntryKind,
    Focus,
    Investment,
    Milestone,
    MilestoneKind,
    Programme,
    ProgrammeMember,
    Rag,
    Recurrence,
    RegisterEntry,
    RiskAssessment,
    Role,
    Stage,
    StatusUpdate,
    Trend,
)

ASSESSED = datetime(2026, 11, 20, 6, 5, tzinfo=UTC)


def rated_programme() -> dict[str, int]:
    """A programme with one record of each kind and a latest assessment whose flags point at them."""
    programme = add_programme(
        forecast_end_date=date(2027, 5, 10), confidence=Rag.GREEN, sro_name="Sam Senior"
    )
    pid = programme.id
    records = {
        "milestone": Milestone(
            programme_id=pid,
            title="Go-live",
            kind=MilestoneKind.IT_DELIVERY,
            original_baseline_date=date(2026, 11, 1),
            baseline_date=date(2026, 11, 1),
        ),
        "investment": Investment(
            programme_id=pid,
            title="Platform",
            cost_type=CostType.CAPITAL,
            recurrence=Recurrence.ONE_OFF,
            financial_year=2026,
            approved=Decimal("100000"),
            forecast=Decimal("130000"),
        ),
        "benefit": Benefit(
            programme_id=pid,
            title="Fewer calls",
            benefit_type=BenefitType.CASHABLE,
            direction=Direction.LOWER,
        ),
        "register_entry": RegisterEntry(
            programme_id=pid, kind=EntryKind.RISK, title="Supplier", likelihood=5, impact=5
        ),
    }
    db.session.add_all(records.values())
    db.session.flush()
    ids = {kind: record.id for kind, record in records.items()}

    def flag(rule: str, severity: str, message: str, kind: str, evidence: dict) -> dict:
        subject = {"kind": kind, "id": ids.get(kind, pid)}
        return {
            "rule": rule,
            "severity": severity,
            "message": message,
            "evidence": evidence,
            "subject": subject,
            "weight": 1,
        }

    db.session.add_all(
        [
            RiskAssessment(
                programme_id=pid,
                rating=Rag.GREEN,
                score=0,
                trend=Trend.NEW,
                is_latest=False,
                assessed_at=datetime(2026, 11, 1, 6, tzinfo=UTC),
                flags=[flag("stale", "amber", "An old flag that no longer applies", "programme", {})],
            ),
            RiskAssessment(
                programme_id=pid,
                rating=Rag.RED,
                score=231,
                trend=Trend.WORSE,
                assessed_at=ASSESSED,
                flags=[
                    flag(
                        "cost_overrun",
                        "amber",
                        "Forecast is 30% over the approved budget",
                        "investment",
                        {"forecast": "130000.00", "approved": "100000.00", "over_pct": "30.0"},
                    ),
                    flag(
                        "overdue_milestone",
                        "red",
                        "Critical milestone Go-live is 19 days overdue",
                        "milestone",
                        {"days_overdue": 19, "baseline_date": "2026-11-01", "critical": True},
                    ),
                    flag(
                        "no_benefits",
                        "amber",
                        "Benefit Fewer calls has no owner",
                        "benefit",
                        {"benefit": "x"},
                    ),
                    flag(
                        "unmitigated_high_risks",
                        "red",
                        "Risk Supplier scores 25 with no mitigation",
                        "register_entry",
                        {"score": 25, "kind": "risk", "missing": "mitigation", "threshold_days": 30},
                    ),
                    flag("optimism", "amber", "Confidence is Green but the rating is Red", "programme", {}),
                ],
            ),
        ]
    )
    db.session.commit()
    return {"programme": pid, **ids}


def test_overview_explains_the_rating_flag_by_flag_with_links(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    ids = rated_programme()
    response = client.get("/programmes/dig-001/")  # codes are read in any case
    assert response.status_code == 200
    page, words = response.get_data(as_text=True), text(response)
    assert "Red" in words[: words.index("Key facts")]
    assert "Trend: Worse" in words and "Rated on 20 November 2026 at 6:05am." in words
    assert "Why it is Red: 5 flags" in words
    for message in (
        "Forecast is 30% over the approved budget",
        "Critical milestone Go-live is 19 days overdue",
        "Risk Supplier scores 25 with no mitigation",
        "Confidence is Green but the rating is Red",
    ):
        assert message in words
    assert "An old flag that no longer applies" not in words  # only the latest assessment counts
    # Red flags first; each is one line naming its rule, opening on its figures in words and its link.
    assert words.index("Overdue milestone") < words.index("Cost overrun")
    assert page.count('<details class="govuk-details app-flag__details">') == 5
    assert "Approved baseline 1 November 2026 Overdue by 19 days Critical milestone Yes" in words
    assert "Forecast spend £130,000 Approved budget £100,000 Over budget by 30%" in words
    assert "Register entry Risk Score 25 Not recorded Mitigation" in words
    # Never a raw key: not 'days_overdue', not 'Threshold days', not 'Over pct'.
    for raw in ("days_overdue", "over_pct", "threshold_days", "Threshold days", "Days overdue", "Over pct"):
        assert raw not in page
    assert f'href="/programmes/DIG-001/milestones/#milestone-{ids["milestone"]}"' in page
    assert f'href="/programmes/DIG-001/money/#investment-{ids["investment"]}"' in page
    assert f'href="/programmes/DIG-001/benefits/{ids["benefit"]}"' in page
    assert f'href="/programmes/DIG-001/risks/#entry-{ids["register_entry"]}"' in page


def test_overview_shows_key_facts_team_and_the_latest_submitted_update(client, auth, make_user) -> None:
    auth.sign_in_as(Role.VIEWER)
    manager = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    member = make_user(Role.PROGRAMME_MANAGER, name="Tom Barker")
    programme = add_programme(
        manager_id=manager.id,
        sro_name="Sam Senior",
        forecast_end_date=date(2027, 5, 10),
        confidence=Rag.AMBER,
        confidence_commentary="Supplier is stretched",
        change_plan="Advisers stop taking payments by phone",
        adoption_owner="Head of Customer Services",
    )
    db.session.add(
        ProgrammeMember(programme_id=programme.id, user_id=member.id, role_title="Business analyst")
    )
    common = {"programme_id": programme.id, "schedule": Rag.AMBER, "cost": Rag.GREEN, "benefits": Rag.GREEN}
    db.session.add_all(
        [
            StatusUpdate(
                **common,
                period_start=date(2026, 10, 1),
                period_end=date(2026, 10, 31),
                overall=Rag.GREEN,
                resources=Rag.GREEN,
                narrative="October went well",
                author_id=manager.id,
                submitted_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
            ),
            StatusUpdate(
                **common,
                period_start=date(2026, 11, 1),
                period_end=date(2026, 11, 30),
                overall=Rag.RED,
                resources=Rag.RED,
                narrative="A draft nobody has submitted",
            ),
        ]
    )
    db.session.commit()
    words = text(client.get("/programmes/DIG-001/"))
    assert "Not yet rated" in words
    assert "Programme manager Priya Shah" in words and "Senior responsible owner Sam Senior" in words
    assert "Team Tom Barker, Business analyst" in words
    assert "Forecast end 10 May 2027 (40 days later than baseline)" in words
    assert "Delivery confidence Amber Supplier is stretched" in words
    assert "Advisers stop taking payments by phone" in words and "Head of Customer Services" in words
    assert "For 1 October 2026 to 31 October 2026, by Priya Shah" in words
    assert "October went well" in words and "A draft nobody has submitted" not in words


def test_missing_programme_is_404(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    for path in ("/programmes/NOP-404/", "/programmes/NOP-404/edit", "/programmes/NOP-404/history"):
        assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("role", "buttons"),
    [(Role.ADMIN, True), (Role.CIO, True), (Role.PROGRAMME_MANAGER, False), (Role.VIEWER, False)],
)
def test_edit_buttons_only_for_those_who_may_edit(client, auth, role: Role, buttons: bool) -> None:
    user = auth.sign_in_as(role)
    add_programme(manager_id=user.id)  # even the programme's own manager does not edit its key facts
    words = text(client.get("/programmes/DIG-001/"))
    assert ("Edit key facts" in words) is buttons
    assert ("Change stage, pause or close" in words) is buttons


def test_overview_costs_the_same_queries_at_10_and_500_programmes(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    ids = rated_programme()
    for number in range(9):
        add_programme(f"PRG-{number:03d}")
    client.get("/programmes/DIG-001/")
    with counting_queries() as at_10:
        client.get("/programmes/DIG-001/")
    for number in range(9, 499):
        db.session.add(
            Programme(
                code=f"PRG-{number:03d}", name="x", directorate="x", focus=Focus.BOTH, stage=Stage.DELIVERY
            )
        )
    db.session.commit()
    with counting_queries() as at_500:
        response = client.get("/programmes/DIG-001/")
    assert f"#milestone-{ids['milestone']}" in response.get_data(as_text=True)
    print(f"\nprogramme overview queries: {len(at_10)} at 10 programmes, {len(at_500)} at 500")
    assert len(at_10) == len(at_500) <= 8


# --- history --------------------------------------------------------------------


def test_history_lists_who_what_when_and_from_to(client, auth, time_machine) -> None:
    time_machine.move_to(datetime(2026, 7, 1, 13, 30, tzinfo=UTC), tick=False)
    cio = auth.sign_in_as(Role.CIO)
    cio_name = cio.name
    add_programme()
    token = auth.csrf_token("/programmes/DIG-001/edit")
    data = key_facts(name="Digital front door phase 2", confidence="amber", version="1", csrf_token=token)
    assert client.post("/programmes/DIG-001/edit", data=data).status_code == 302
    words = text(client.get("/programmes/DIG-001/history"))
    assert "Edited key facts" in words
    assert f"{cio_name}, 1 July 2026 at 2:30pm" in words  # London time (BST)
    assert "Name Digital front door Digital front door phase 2" in words
    assert "Delivery confidence Not set Amber" in words


def test_history_pages_keep_a_fixed_query_count(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    programme_id = add_programme().id
    for number in range(30):
        db.session.add(
            AuditEvent(
                action="update",
                entity_type="programme",
                programme_id=programme_id,
                summary=f"Change {number}",
            )
        )
    db.session.add(
        AuditEvent(action="update", entity_type="programme", programme_id=None, summary="Elsewhere")
    )
    db.session.commit()
    client.get("/programmes/DIG-001/history")
    with counting_queries() as first:
        page = client.get("/programmes/DIG-001/history")
    words = text(page)
    assert "30 in all, page 1 of 2" in words and "Elsewhere" not in words
    with counting_queries() as second:
        words = text(client.get("/programmes/DIG-001/history?page=2"))
    assert "Change 4" in words and "Change 5 " not in words
    assert len(first) == len(second)
