"""Programme use cases: create, key facts, team and stage, each audited; and the history read back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditEvent, Focus, Programme, Rag, Role, Stage
from tracker.services.errors import Conflict, Invalid
from tracker.services.programmes import records as programmes
from tracker.services.programmes.history import programme_history
from tracker.services.programmes.records import KeyFacts, StageChange

FACTS = KeyFacts(
    name="Digital front door",
    directorate="Customer and Digital",
    focus=Focus.SERVICE_IMPROVEMENT,
    start_date=date(2026, 4, 1),
    baseline_end_date=date(2027, 3, 31),
)


def events(programme_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.programme_id == programme_id).order_by(AuditEvent.id)
        )
    )


@pytest.fixture
def cio(make_user):
    return make_user(Role.CIO, name="Carol Chief")


@pytest.fixture
def programme(cio) -> Programme:
    return programmes.create_programme("dig-001", facts=FACTS, user=cio)


def test_create_stores_the_code_in_capitals_and_audits_the_first_values(programme, cio) -> None:
    assert programme.code == "DIG-001"
    assert programme.stage is Stage.IDEA
    [created] = events(programme.id)
    assert created.user_id == cio.id and created.summary == "Created programme DIG-001 Digital front door"
    assert created.changes["name"] == [None, "Digital front door"]
    assert created.changes["start_date"] == [None, "2026-04-01"]


@pytest.mark.parametrize("code", ["DIG-001", "dig-001", " Dig-001 "])
def test_a_code_already_taken_is_refused_whatever_its_case(programme, cio, code: str) -> None:
    with pytest.raises(Invalid) as error:
        programmes.create_programme(code, facts=FACTS, user=cio)
    assert error.value.field == "code"
    assert "DIG-001 is already used" in error.value.message


@pytest.mark.parametrize("code", ["", "DIG", "D-1", "DIGITAL-1", "DIG-12345", "DIG 001", "12-ABC"])
def test_codes_must_look_like_abc_123(cio, code: str) -> None:
    with pytest.raises(Invalid) as error:
        programmes.create_programme(code, facts=FACTS, user=cio)
    assert error.value.field == "code"


def test_end_dates_cannot_come_before_the_start(cio) -> None:
    facts = KeyFacts(**{**FACTS.__dict__, "baseline_end_date": date(2026, 3, 31)})
    with pytest.raises(Invalid) as error:
        programmes.create_programme("DIG-002", facts=facts, user=cio)
    assert error.value.field == "baseline_end_date"
    assert db.session.scalar(select(Programme).where(Programme.code == "DIG-002")) is None


def test_a_viewer_cannot_be_made_programme_manager(cio, make_user) -> None:
    viewer = make_user(Role.VIEWER)
    with pytest.raises(Invalid) as error:
        programmes.create_programme("DIG-003", facts=FACTS, manager_id=viewer.id, user=cio)
    assert error.value.field == "manager_id"


def test_editing_audits_only_what_changed_and_bumps_the_version(programme, cio) -> None:
    version = programme.version
    facts = KeyFacts(**{**FACTS.__dict__, "name": "Digital front door phase 2"})
    programmes.update_key_facts("DIG-001", facts=facts, expected_version=version, user=cio)
    edited = events(programme.id)[-1]
    assert edited.summary == "Edited key facts"
    assert edited.changes == {"name": ["Digital front door", "Digital front door phase 2"]}
    assert programme.version == version + 1
    assert programme.last_update_at is None  # a CIO renaming it is not the programme reporting


def test_a_new_confidence_counts_as_the_programme_reporting(programme, cio) -> None:
    facts = KeyFacts(**{**FACTS.__dict__, "confidence": Rag.AMBER, "confidence_commentary": "Supplier late"})
    programmes.update_key_facts("DIG-001", facts=facts, expected_version=programme.version, user=cio)
    db.session.refresh(programme)
    assert programme.last_update_at is not None


def test_saving_from_a_stale_copy_says_who_changed_it(programme, cio, make_user) -> None:
    stale = programme.version
    other = make_user(Role.ADMIN, name="Ada Admin")
    facts = KeyFacts(**{**FACTS.__dict__, "name": "Renamed by Ada"})
    programmes.update_key_facts("DIG-001", facts=facts, expected_version=stale, user=other)
    with pytest.raises(Conflict) as error:
        programmes.update_key_facts("DIG-001", facts=FACTS, expected_version=stale, user=cio)
    assert "changed by Ada Admin" in error.value.message
    assert db.session.get(Programme, programme.id).name == "Renamed by Ada"


def test_team_changes_are_audited_with_names(programme, cio, make_user) -> None:
    manager = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    member = make_user(Role.PROGRAMME_MANAGER, name="Tom Barker")
    version = programme.version
    programmes.set_team(
        "DIG-001",
        sro_name="Sam Senior",
        manager_id=manager.id,
        member_ids=[member.id],
        expected_version=version,
        user=cio,
    )
    assert programme.manager_id == manager.id and programme.member_ids == {member.id}
    assert programme.version == version + 1
    changed = events(programme.id)[-1].changes
    assert changed == {
        "sro_name": ["", "Sam Senior"],
        "manager": [None, "Priya Shah"],
        "team": [None, "Tom Barker"],
    }
    programmes.set_team(
        "DIG-001",
        sro_name="Sam Senior",
        manager_id=manager.id,
        member_ids=[],
        expected_version=programme.version,
        user=cio,
    )
    assert programme.member_ids == frozenset()
    assert events(programme.id)[-1].changes == {"team": ["Tom Barker", None]}


def test_stage_moves_pause_resume_and_close_with_a_reason(programme, cio) -> None:
    def change(kind: StageChange, **kwargs):
        return programmes.change_stage(
            "DIG-001", change=kind, user=cio, expected_version=programme.version, **kwargs
        )

    change(StageChange.MOVE, stage=Stage.DELIVERY)
    assert programme.stage is Stage.DELIVERY
    change(StageChange.PAUSE)
    assert programme.paused
    with pytest.raises(Invalid, match="already paused"):
        change(StageChange.PAUSE)
    change(StageChange.RESUME)
    assert not programme.paused
    with pytest.raises(Invalid) as error:
        change(StageChange.CLOSE, reason="  ")
    assert error.value.field == "reason"
    change(StageChange.CLOSE, reason="Benefits handed to the service")
    assert programme.stage is Stage.CLOSED
    with pytest.raises(Invalid, match="closed"):
        change(StageChange.MOVE, stage=Stage.DELIVERY)
    summaries = [event.summary for event in events(programme.id)]
    assert summaries[1:] == [
        "Moved from idea to delivery",
        "Paused the programme",
        "Resumed the programme",
        "Closed the programme",
    ]
    assert events(programme.id)[-1].changes["reason"] == [None, "Benefits handed to the service"]


def test_only_an_admin_reopens_a_closed_programme(programme, cio, make_user) -> None:
    programmes.change_stage(
        "DIG-001", change=StageChange.CLOSE, user=cio, reason="Done", expected_version=programme.version
    )
    with pytest.raises(Invalid, match="Only an administrator"):
        programmes.change_stage(
            "DIG-001", change=StageChange.REOPEN, user=cio, expected_version=programme.version
        )
    admin = make_user(Role.ADMIN)
    programmes.change_stage(
        "DIG-001", change=StageChange.REOPEN, user=admin, expected_version=programme.version
    )
    assert programme.stage is Stage.CLOSING


def test_history_reads_newest_first_in_plain_words(programme, cio) -> None:
    programmes.change_stage(
        "DIG-001",
        change=StageChange.MOVE,
        stage=Stage.BUSINESS_CASE,
        user=cio,
        expected_version=programme.version,
    )
    page = programme_history("dig-001")
    assert [entry.summary for entry in page.entries] == [
        "Moved from idea to business case",
        "Created programme DIG-001 Digital front door",
    ]
    moved = page.entries[0]
    assert moved.who == "Carol Chief"
    assert [(c.field, c.before, c.after) for c in moved.changes] == [("Stage", "Idea", "Business case")]
    created = {change.field: change.after for change in page.entries[1].changes}
    assert created["Start date"] == "1 April 2026"
    assert created["Focus"] == "Service improvement"
