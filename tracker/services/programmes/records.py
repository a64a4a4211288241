"""Programme use cases for CIOs and admins: create, edit key facts, assign the team, move stage."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.domain.calendar import london_today
from tracker.domain.vocabulary import label
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    Confidence,
    ConfidenceSource,
    Focus,
    Programme,
    ProgrammeMember,
    Role,
    Stage,
    User,
)
from tracker.models.types import utcnow
from tracker.policy import Action, can
from tracker.services import audit
from tracker.services.editing import (
    check_version,
    commit_or_conflict,
    facts_changed,
    get_programme,
    mark_programme_updated,
)
from tracker.services.errors import Invalid
from tracker.services.programmes.returns import RETURN_FIELDS, record_form_return
from tracker.services.ratings.rerating import Trigger

CODE_PATTERN = re.compile(r"[A-Z]{2,6}-[0-9]{1,4}")
MANAGER_ROLES = (Role.PROGRAMME_MANAGER, Role.CIO, Role.ADMIN)
OPEN_STAGES = tuple(stage for stage in Stage if stage is not Stage.CLOSED)
REPORTED_FIELDS = frozenset({"confidence", "confidence_commentary", "forecast_end_date", *RETURN_FIELDS})
"""Key facts the programme reports about itself: changing them counts as an update for the stale rule."""


@dataclass(frozen=True)
class KeyFacts:
    """What the edit form changes; the code is fixed once a programme exists (links point at it)."""

    name: str
    directorate: str
    focus: Focus
    description: str = ""
    strategic_objective: str = ""
    start_date: date | None = None
    baseline_end_date: date | None = None
    forecast_end_date: date | None = None
    confidence: Confidence | None = None
    confidence_source: ConfidenceSource | None = None
    confidence_assessed_on: date | None = None
    confidence_commentary: str = ""
    whole_life_baseline: Decimal | None = None
    """Blank means unknown, never zero."""
    whole_life_forecast: Decimal | None = None
    change_plan: str = ""
    adoption_owner: str = ""
    external_reference: str | None = None
    """A published return's own project number (MOD_0106_1617-Q1), kept so the next return matches it."""


class StageChange(StrEnum):
    MOVE = "move"
    PAUSE = "pause"
    RESUME = "resume"
    CLOSE = "close"
    REOPEN = "reopen"


def normalise_code(code: str) -> str:
    """Codes are compared and stored in capitals, so `dig-004` and `DIG-004` are one programme."""
    return code.strip().upper()


def create_programme(
    code: str,
    *,
    facts: KeyFacts,
    stage: Stage = Stage.IDEA,
    sro_name: str = "",
    manager_id: int | None = None,
    user: User,
) -> Programme:
    """A new programme with a unique code; the audit trail starts with its first values."""
    user_id = user.id
    code = normalise_code(code)
    problems = code_problems(code)
    if stage is Stage.CLOSED:
        problems.append(("stage", "A new programme cannot start closed"))
    problems += _date_problems(facts)
    try:
        manager = _manager(manager_id)
    except Invalid as error:
        problems += error.problems
    if problems:
        raise Invalid.every(problems)
    programme = Programme(
        code=code,
        stage=stage,
        sro_name=sro_name,
        manager_id=manager_id,
        updated_by_id=user_id,
        **asdict(facts),
    )
    db.session.add(programme)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Invalid(
            f"Code {code} is already used by another programme: choose another", field="code"
        ) from None
    initial = {"code": code, "stage": stage, "sro_name": sro_name, **asdict(facts)}
    audit.record(
        AuditAction.CREATE,
        programme,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Created programme {code} {facts.name}",
        changes={
            **{name: (None, value) for name, value in initial.items() if value not in (None, "")},
            **({"manager": (None, manager.name)} if manager else {}),
        },
    )
    if any(initial[name] is not None for name in RETURN_FIELDS):
        record_form_return(programme, user_id=user_id)
    facts_changed([programme.id], trigger=Trigger.CREATED, user_id=user_id)
    db.session.commit()
    return programme


def code_problems(code: str | None) -> list[tuple[str | None, str]]:
    """What is wrong with a new programme's code: its form, or another programme has it (None: refused)."""
    if code is None:
        return []
    code = normalise_code(code)
    if not CODE_PATTERN.fullmatch(code):
        return [("code", "Enter a code of 2 to 6 letters, a hyphen and up to 4 numbers, like DIG-004")]
    if db.session.scalar(select(Programme.id).where(func.upper(Programme.code) == code)) is not None:
        return [("code", f"Code {code} is already used by another programme: choose another")]
    return []


def update_key_facts(code: str, *, facts: KeyFacts, expected_version: int | None, user: User) -> Programme:
    """Save the edit form, refusing a stale copy; only what really changed is audited."""
    user_id = user.id
    programme = get_programme(code)
    check_version(programme, expected_version, what="programme")
    _check_dates(facts)
    changes = audit.apply_changes(programme, asdict(facts))
    if not changes:
        return programme
    programme.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        programme,
        user_id=user_id,
        programme_id=programme.id,
        summary="Edited key facts",
        changes=changes,
    )
    if RETURN_FIELDS & changes.keys():
        record_form_return(programme, user_id=user_id)
    if REPORTED_FIELDS & changes.keys():
        mark_programme_updated(programme.id, trigger=Trigger.KEY_FACTS, user_id=user_id)
    else:
        facts_changed([programme.id], trigger=Trigger.KEY_FACTS, user_id=user_id)
    commit_or_conflict(what="programme")
    return programme


def set_team(
    code: str,
    *,
    sro_name: str,
    manager_id: int | None,
    member_ids: list[int],
    expected_version: int | None,
    user: User,
) -> Programme:
    """Assign the SRO, the programme manager and the team; the team decides who may update it."""
    user_id = user.id
    programme = get_programme(code)
    check_version(programme, expected_version, what="programme")
    new_manager = _manager(manager_id)
    wanted = set(member_ids)
    people = {person.id: person for person in db.session.scalars(select(User).where(User.id.in_(wanted)))}
    if wanted - people.keys():
        raise Invalid("Choose team members from the list", field="members")
    old_manager = programme.manager
    old_team = sorted(member.user.name for member in programme.members)
    changes = audit.apply_changes(programme, {"sro_name": sro_name, "manager_id": manager_id})
    if "manager_id" in changes:
        del changes["manager_id"]
        changes["manager"] = (_name(old_manager), _name(new_manager))
    programme.members = [member for member in programme.members if member.user_id in wanted] + [
        ProgrammeMember(user_id=person_id) for person_id in sorted(wanted - programme.member_ids)
    ]
    new_team = sorted(people[person_id].name for person_id in wanted)
    if new_team != old_team:
        changes["team"] = (", ".join(old_team) or None, ", ".join(new_team) or None)
    if not changes:
        return programme
    programme.updated_by_id = user_id
    programme.updated_at = utcnow()  # a team change alone must still bump the version
    audit.record(
        AuditAction.UPDATE,
        programme,
        user_id=user_id,
        programme_id=programme.id,
        summary="Changed the team and roles",
        changes=changes,
    )
    commit_or_conflict(what="programme", refresh=[programme.id], trigger=Trigger.TEAM, user_id=user_id)
    return programme


def change_stage(
    code: str,
    *,
    change: StageChange,
    user: User,
    stage: Stage | None = None,
    reason: str = "",
    expected_version: int | None,
) -> Programme:
    """Move through the lifecycle, pause, resume or close; closing is final unless an admin reopens."""
    programme = get_programme(code)
    check_version(programme, expected_version, what="programme")
    reason = reason.strip()
    values, summary = _stage_values(programme, change, user=user, stage=stage, reason=reason)
    changes = audit.apply_changes(programme, values)
    if reason:
        changes["reason"] = (None, reason)
    programme.updated_by_id = user.id
    audit.record(
        AuditAction.UPDATE,
        programme,
        user_id=user.id,
        programme_id=programme.id,
        summary=summary,
        changes=changes,
    )
    commit_or_conflict(what="programme", refresh=[programme.id], trigger=Trigger.STAGE, user_id=user.id)
    return programme


def _stage_values(
    programme: Programme, change: StageChange, *, user: User, stage: Stage | None, reason: str
) -> tuple[dict[str, Any], str]:
    """The new values and the history line for one lifecycle change, or Invalid when it makes no sense."""
    if change is StageChange.REOPEN:
        if not programme.is_closed:
            raise Invalid("This programme is not closed", field="change")
        if not can(user, Action.REOPEN_PROGRAMME):
            raise Invalid("Only an administrator can reopen a closed programme", field="change")
        return {"stage": Stage.CLOSING}, "Reopened the programme (back to closing)"
    if programme.is_closed:
        raise Invalid("This programme is closed. Only an administrator can reopen it", field="change")
    if change is StageChange.MOVE:
        if stage not in OPEN_STAGES:
            raise Invalid("Choose the stage to move to", field="stage")
        if stage is programme.stage:
            raise Invalid(f"The programme is already at the {_label(stage)} stage", field="stage")
        return {"stage": stage}, f"Moved from {_label(programme.stage)} to {_label(stage)}"
    if change is StageChange.PAUSE:
        if programme.paused:
            raise Invalid("The programme is already paused", field="change")
        return {"paused": True}, "Paused the programme"
    if change is StageChange.RESUME:
        if not programme.paused:
            raise Invalid("The programme is not paused", field="change")
        return {"paused": False}, "Resumed the programme"
    if not reason:
        raise Invalid("Enter why the programme is closing", field="reason")
    return {"stage": Stage.CLOSED, "paused": False}, "Closed the programme"


def manager_choices() -> list[User]:
    """People who may manage a programme: active programme managers, CIOs and admins."""
    return list(
        db.session.scalars(
            select(User).where(User.active.is_(True), User.role.in_(MANAGER_ROLES)).order_by(User.name)
        )
    )


def team_choices() -> list[User]:
    """Everyone active who could join a team."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


def _manager(manager_id: int | None) -> User | None:
    """The chosen manager, who must be active and allowed to manage programmes."""
    if manager_id is None:
        return None
    manager = db.session.get(User, manager_id)
    if manager is None or not manager.active or manager.role not in MANAGER_ROLES:
        raise Invalid("Choose a programme manager from the list", field="manager_id")
    return manager


def _check_dates(facts: KeyFacts) -> None:
    """Invalid naming every problem with the dates, if there is one."""
    problems = _date_problems(facts)
    if problems:
        raise Invalid.every(problems)


def _date_problems(facts: KeyFacts) -> list[tuple[str | None, str]]:
    return key_fact_problems(**{name: getattr(facts, name) for name in DATED_FACTS})


DATED_FACTS = (
    "start_date",
    "baseline_end_date",
    "forecast_end_date",
    "confidence",
    "confidence_source",
    "confidence_assessed_on",
)


def key_fact_problems(
    *,
    start_date: date | None,
    baseline_end_date: date | None,
    forecast_end_date: date | None,
    confidence: Confidence | None,
    confidence_source: ConfidenceSource | None,
    confidence_assessed_on: date | None,
) -> list[tuple[str | None, str]]:
    """End dates cannot come before the start (the database refuses it too); assessments are not future.
    Every problem, so a form can show them with its own errors; None means not given (or refused)."""
    problems: list[tuple[str | None, str]] = []
    if confidence is None and (confidence_source or confidence_assessed_on):
        problems.append(("confidence", "Choose the delivery confidence that was assessed"))
    if confidence_assessed_on and confidence_assessed_on > london_today(utcnow()):
        problems.append(("confidence_assessed_on", "Date of the assessment must be today or in the past"))
    start = start_date
    if start and baseline_end_date and baseline_end_date < start:
        problems.append(
            ("baseline_end_date", "Baseline end date must be the same as or after the start date")
        )
    if start and forecast_end_date and forecast_end_date < start:
        problems.append(
            ("forecast_end_date", "Forecast end date must be the same as or after the start date")
        )
    return problems


def _label(stage: Stage) -> str:
    return label(stage).lower()


def _name(user: User | None) -> str | None:
    return user.name if user else None
