"""One programme's pages: overview with the flags behind its rating, create, edit, team, stage and history."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from tests.helpers import csrf_token_from
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


def add_programme(code: str = "DIG-001", **values: object) -> Programme:
    programme = Programme(
        code=code,
        name=values.pop("name", "Digital front door"),
        directorate="Customer and Digital",
        focus=Focus.SERVICE_IMPROVEMENT,
        stage=values.pop("stage", Stage.DELIVERY),
        start_date=date(2026, 4, 1),
        baseline_end_date=date(2027, 3, 31),
        **values,
    )
    db.session.add(programme)
    db.session.commit()
    return programme


def text(response) -> str:
    """The page's words without tags, so assertions read like what a person sees."""
    page = re.sub(r"<script.*?</script>", " ", response.get_data(as_text=True), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def error_summary(response) -> str:
    page = response.get_data(as_text=True)
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', page, flags=re.S)
    assert match, "no error summary on the page"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))))


def key_facts(**overrides: str) -> dict[str, str]:
    """A complete, valid key facts form, three-box dates and all."""
    data = {
        "name": "Digital front door",
        "directorate": "Customer and Digital",
        "focus": "service_improvement",
        "start_date": ["1", "4", "2026"],
        "baseline_end_date": ["31", "3", "2027"],
        "forecast_end_date": ["", "", ""],
        "confidence": "",
        "stage": "idea",  # the create form's; the edit form ignores it
    }
    data.update(overrides)
    return data


def version_on(response) -> str:
    """The version a form was read at, from its hidden field."""
    match = re.search(
        r'<input id="version-input" name="version" type="hidden" value="(\d+)"',
        response.get_data(as_text=True),
    )
    assert match, "no version field on the page"
    return match.group(1)


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


# --- overview ---------------------------------------------------------------------------


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
                        {"score": 25, "missing": "mitigation"},
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
    assert "Trend: Worse" in words and "Assessed 20 November 2026 at 6:05am" in words
    assert "Why it is Red: 5 flags" in words
    for message in (
        "Forecast is 30% over the approved budget",
        "Critical milestone Go-live is 19 days overdue",
        "Risk Supplier scores 25 with no mitigation",
        "Confidence is Green but the rating is Red",
    ):
        assert message in words
    assert "An old flag that no longer applies" not in words  # only the latest assessment counts
    # Red flags first; each names its rule and shows its evidence as a small summary list.
    assert words.index("Overdue milestone") < words.index("Cost overrun")
    assert "Days overdue 19 Baseline date 1 November 2026 Critical Yes" in words
    assert "Forecast £130,000 Approved £100,000 Over 30%" in words
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
    assert "Senior responsible owner Sam Senior Programme manager Priya Shah" in words
    assert "Team Tom Barker, Business analyst" in words
    assert "Forecast end 10 May 2027 (40 days later than baseline)" in words
    assert "Self-reported confidence Amber Supplier is stretched" in words
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


def test_overview_costs_the_same_queries_at_10_and_200_programmes(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    ids = rated_programme()
    for number in range(9):
        add_programme(f"PRG-{number:03d}")
    client.get("/programmes/DIG-001/")
    with counting_queries() as at_10:
        client.get("/programmes/DIG-001/")
    for number in range(9, 199):
        db.session.add(
            Programme(
                code=f"PRG-{number:03d}", name="x", directorate="x", focus=Focus.BOTH, stage=Stage.DELIVERY
            )
        )
    db.session.commit()
    with counting_queries() as at_200:
        response = client.get("/programmes/DIG-001/")
    assert f"#milestone-{ids['milestone']}" in response.get_data(as_text=True)
    print(f"\nprogramme overview queries: {len(at_10)} at 10 programmes, {len(at_200)} at 200")
    assert len(at_10) == len(at_200) <= 8


# --- create -----------------------------------------------------------------------------


def test_cio_adds_a_programme(client, auth, make_user) -> None:
    auth.sign_in_as(Role.CIO)
    manager_id = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah").id
    token = auth.csrf_token("/programmes/new")
    data = key_facts(
        code=" dig-009 ", stage="business_case", sro_name="Sam Senior", manager_id=str(manager_id)
    )
    response = client.post("/programmes/new", data={**data, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/programmes/DIG-009/"
    page = client.get("/programmes/DIG-009/")
    assert "Programme DIG-009 added." in text(page)
    programme = db.session.scalar(select(Programme).where(Programme.code == "DIG-009"))
    assert programme.stage is Stage.BUSINESS_CASE and programme.manager_id == manager_id
    assert programme.start_date == date(2026, 4, 1)


def test_create_shows_every_problem_in_the_error_summary(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    token = auth.csrf_token("/programmes/new")
    response = client.post(
        "/programmes/new",
        data={
            "csrf_token": token,
            "code": "not a code",
            "start_date": ["31", "2", "2026"],
            "name": "x" * 201,
        },
    )
    assert response.status_code == 200
    summary = error_summary(response)
    for message in (
        "Enter a code like DIG-004",
        "Field cannot be longer than 200 characters",
        "Enter the directorate that owns the programme",
        "Choose whether the programme improves services, cuts costs, or both",
        "Start date must be a real date",
    ):
        assert message in summary
    page = response.get_data(as_text=True)
    assert page.count('class="govuk-error-message"') >= 5  # each field says it too
    assert "<title>Error: " in page
    assert 'value="NOT A CODE"' in page  # what was typed is kept


def test_a_taken_code_is_refused_in_any_case(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme("DIG-001")
    token = auth.csrf_token("/programmes/new")
    response = client.post("/programmes/new", data={**key_facts(code="dig-001"), "csrf_token": token})
    assert response.status_code == 200
    assert "Code DIG-001 is already used by another programme" in error_summary(response)


def test_end_date_before_start_is_refused(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    token = auth.csrf_token("/programmes/new")
    data = key_facts(code="DIG-002", baseline_end_date=["1", "1", "2026"])
    response = client.post("/programmes/new", data={**data, "csrf_token": token})
    assert "Baseline end date must be the same as or after the start date" in error_summary(response)
    assert db.session.scalar(select(Programme).where(Programme.code == "DIG-002")) is None


@pytest.mark.parametrize(
    "start", [["a", "b", "c"], ["1", "4"], ["1", "4", "2026", "9"], ["", "4", "2026"], ["99", "99", "99999"]]
)
def test_odd_dates_never_break_the_form(client, auth, start: list[str]) -> None:
    auth.sign_in_as(Role.CIO)
    token = auth.csrf_token("/programmes/new")
    response = client.post(
        "/programmes/new", data={**key_facts(code="DIG-003", start_date=start), "csrf_token": token}
    )
    assert response.status_code == 200
    assert "Start date" in error_summary(response)


# --- edit and concurrent edits ------------------------------------------------------------


def test_second_of_two_concurrent_edits_is_told_and_keeps_its_input(client, auth, make_user) -> None:
    add_programme()
    first_editor = make_user(Role.ADMIN, name="Ada Admin").email
    second_editor = make_user(Role.CIO).email
    auth.sign_in(second_editor)
    mine = client.get("/programmes/DIG-001/edit")
    version = version_on(mine)

    # Someone else saves first, from the same version.
    auth.sign_out()
    auth.sign_in(first_editor)
    theirs = key_facts(name="Digital front door (renamed by Ada)", version=version)
    other_token = auth.csrf_token("/programmes/DIG-001/edit")
    assert (
        client.post("/programmes/DIG-001/edit", data={**theirs, "csrf_token": other_token}).status_code == 302
    )

    # Then me, from my stale copy.
    auth.sign_out()
    auth.sign_in(second_editor)
    token = auth.csrf_token("/programmes/DIG-001/edit")
    mine = key_facts(name="Digital front door phase 2", directorate="Resources", version=version)
    response = client.post("/programmes/DIG-001/edit", data={**mine, "csrf_token": token})
    assert response.status_code == 200
    summary = error_summary(response)
    assert re.search(r"This programme was changed by Ada Admin on \d+ \w+ \d{4} at ", summary)
    page = response.get_data(as_text=True)
    assert 'value="Digital front door phase 2"' in page and 'value="Resources"' in page  # my input kept
    assert "Digital front door (renamed by Ada)" in text(response)  # and theirs shown beside it
    assert db.session.scalar(select(Programme.name)) == "Digital front door (renamed by Ada)"

    # Saving again, knowingly, from the page as it is now, replaces theirs.
    assert version_on(response) == str(int(version) + 1)
    again = {**mine, "version": str(int(version) + 1), "csrf_token": csrf_token_from(response)}
    assert client.post("/programmes/DIG-001/edit", data=again).status_code == 302
    assert db.session.scalar(select(Programme.name)) == "Digital front door phase 2"


def test_edit_validates_like_create(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    version = str(add_programme().version)
    token = auth.csrf_token("/programmes/DIG-001/edit")
    data = key_facts(name="", forecast_end_date=["1", "1", "2020"], version=version)
    response = client.post("/programmes/DIG-001/edit", data={**data, "csrf_token": token})
    assert "Enter the programme's name" in error_summary(response)
    data = key_facts(forecast_end_date=["1", "1", "2020"], version=version)
    response = client.post("/programmes/DIG-001/edit", data={**data, "csrf_token": token})
    assert "Forecast end date must be the same as or after the start date" in error_summary(response)


# --- team and stage -----------------------------------------------------------------------


def test_team_page_assigns_sro_manager_and_members(client, auth, make_user) -> None:
    auth.sign_in_as(Role.CIO)
    manager = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    member = make_user(Role.PROGRAMME_MANAGER, name="Tom Barker")
    viewer = make_user(Role.VIEWER, name="Vic Viewer")
    manager_id, member_id, viewer_id = manager.id, member.id, viewer.id
    version = add_programme().version
    page = client.get("/programmes/DIG-001/team").get_data(as_text=True)
    assert f'<option value="{viewer_id}"' not in page  # viewers cannot manage a programme
    data = {
        "sro_name": "Sam Senior",
        "manager_id": str(manager_id),
        "members": [str(member_id)],
        "version": str(version),
        "csrf_token": csrf_token_from(client.get("/programmes/DIG-001/team")),
    }
    assert client.post("/programmes/DIG-001/team", data=data).status_code == 302
    words = text(client.get("/programmes/DIG-001/"))
    assert "Programme manager Priya Shah" in words and "Team Tom Barker" in words
    bad = {**data, "manager_id": str(viewer_id), "version": str(version + 1)}
    assert client.post("/programmes/DIG-001/team", data=bad).status_code == 200


def test_pause_then_resume(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme()
    token = auth.csrf_token("/programmes/DIG-001/stage")
    response = client.post(
        "/programmes/DIG-001/stage", data={"change": "pause", "version": "1", "csrf_token": token}
    )
    assert response.status_code == 302
    assert "Paused" in text(client.get("/programmes/DIG-001/"))
    response = client.post(
        "/programmes/DIG-001/stage", data={"change": "resume", "version": "2", "csrf_token": token}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Programme.paused)) is False


def test_move_stage_needs_a_stage(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme()
    token = auth.csrf_token("/programmes/DIG-001/stage")
    response = client.post(
        "/programmes/DIG-001/stage", data={"change": "move", "version": "1", "csrf_token": token}
    )
    assert "Choose the stage to move to" in error_summary(response)
    data = {"change": "move", "stage": "closing", "version": "1", "csrf_token": token}
    assert client.post("/programmes/DIG-001/stage", data=data).status_code == 302
    assert db.session.scalar(select(Programme.stage)) is Stage.CLOSING


def test_closing_asks_for_a_reason_and_confirmation_then_only_an_admin_reopens(
    client, auth, make_user
) -> None:
    admin = make_user(Role.ADMIN).email
    auth.sign_in_as(Role.CIO)
    add_programme()
    token = auth.csrf_token("/programmes/DIG-001/stage")
    response = client.post(
        "/programmes/DIG-001/stage", data={"change": "close", "version": "1", "csrf_token": token}
    )
    assert "Enter why the programme is closing" in error_summary(response)

    data = {"change": "close", "reason": "Handed over to the service", "version": "1", "csrf_token": token}
    confirm = client.post("/programmes/DIG-001/stage", data=data)
    assert confirm.status_code == 200
    assert "Are you sure you want to close DIG-001" in text(confirm)
    assert db.session.scalar(select(Programme.stage)) is Stage.DELIVERY  # not yet

    assert client.post("/programmes/DIG-001/stage", data={**data, "confirm": "yes"}).status_code == 302
    assert db.session.scalar(select(Programme.stage)) is Stage.CLOSED
    page = text(client.get("/programmes/DIG-001/stage"))
    assert "Only an administrator can reopen it" in page
    refused = client.post(
        "/programmes/DIG-001/stage", data={"change": "reopen", "version": "2", "csrf_token": token}
    )
    assert refused.status_code == 200 and db.session.scalar(select(Programme.stage)) is Stage.CLOSED

    auth.sign_out()
    auth.sign_in(admin)
    token = auth.csrf_token("/programmes/DIG-001/stage")
    reopen = {"change": "reopen", "version": "2", "csrf_token": token}
    assert client.post("/programmes/DIG-001/stage", data=reopen).status_code == 302
    assert db.session.scalar(select(Programme.stage)) is Stage.CLOSING


# --- history and roles --------------------------------------------------------------------


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


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.VIEWER])
def test_only_cio_and_admin_change_a_programme(client, auth, role: Role) -> None:
    user = auth.sign_in_as(role)
    add_programme(manager_id=user.id)
    token = auth.csrf_token("/programmes/")
    for path in (
        "/programmes/new",
        "/programmes/DIG-001/edit",
        "/programmes/DIG-001/team",
        "/programmes/DIG-001/stage",
    ):
        assert client.get(path).status_code == 403
    posts = {
        "/programmes/new": key_facts(code="DIG-002"),
        "/programmes/DIG-001/edit": key_facts(name="Hijacked", version="1"),
        "/programmes/DIG-001/stage": {"change": "close", "reason": "x", "confirm": "yes", "version": "1"},
    }
    for path, data in posts.items():
        assert client.post(path, data={**data, "csrf_token": token}).status_code == 403
    assert db.session.scalar(select(Programme.name)) == "Digital front door"
    assert db.session.scalar(select(Programme.stage)) is Stage.DELIVERY
