"""Admin-editable settings, stored as JSON over the defaults the domain defines: the risk thresholds and
the stage model."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from tracker.domain.stage_models import (
    APPROVER_ROLES,
    DEFAULT_MODEL,
    MODELS,
    StageModel,
    StageModelError,
    checklist_problems,
    with_edits,
)
from tracker.domain.thresholds import THRESHOLD_FIELDS, ThresholdError, Thresholds
from tracker.extensions import db
from tracker.models import AuditAction, Setting
from tracker.services import audit
from tracker.services.errors import Invalid

RISK_THRESHOLDS = "risk_thresholds"

log = logging.getLogger(__name__)


class InvalidThresholds(Invalid):
    """Every threshold that is not acceptable, as (field, message), so the page can show them together."""

    def __init__(self, errors: list[ThresholdError]) -> None:
        problems = [(error.field, str(error).removeprefix(f"{error.field}: ")) for error in errors]
        super().__init__(problems[0][1], field=problems[0][0], problems=problems)


def current_thresholds() -> Thresholds:
    """The scan and the settings page must agree, so both read the thresholds through here."""
    stored = db.session.scalar(select(Setting.value).where(Setting.key == RISK_THRESHOLDS))
    return _merged(stored)


def update_thresholds(values: Mapping[str, object], *, user_id: int | None) -> Thresholds:
    """Change some or all thresholds, validated as a whole, with the change in the audit trail."""
    row = db.session.get(Setting, RISK_THRESHOLDS)
    before = _merged(None if row is None else row.value)
    after = _checked(before, values)
    old, new = before.as_dict(), after.as_dict()
    changes = {name: (old[name], new[name]) for name in new if old[name] != new[name]}
    if not changes:
        return after
    if row is None:
        row = Setting(key=RISK_THRESHOLDS, value=new, updated_by_id=user_id)
        db.session.add(row)
    else:
        row.value = new
        row.updated_by_id = user_id
    labels = {spec.name: spec.label for spec in THRESHOLD_FIELDS}
    audit.record(
        AuditAction.UPDATE,
        row,
        user_id=user_id,
        programme_id=None,
        summary="Changed risk thresholds: " + ", ".join(labels[name] for name in changes),
        changes=changes,
    )
    db.session.commit()
    return after


def check_thresholds(values: Mapping[str, object]) -> None:
    """Raise what saving these values would raise, saving nothing: a form whose other fields are wrong
    still shows every problem with these at once."""
    _checked(current_thresholds(), values)


def _checked(before: Thresholds, values: Mapping[str, object]) -> Thresholds:
    """The thresholds after these changes, or InvalidThresholds naming every unacceptable value."""
    try:
        return Thresholds.from_mapping({**before.as_dict(), **values})
    except ThresholdError as error:
        raise InvalidThresholds(getattr(error, "problems", [error])) from error


def _merged(stored: Any) -> Thresholds:
    """Stored values over the defaults; names no longer known are dropped, bad values fall back."""
    if not isinstance(stored, dict):
        return Thresholds()
    known = {spec.name for spec in THRESHOLD_FIELDS}
    try:
        return Thresholds.from_mapping({name: value for name, value in stored.items() if name in known})
    except ThresholdError as error:
        # Only a code change (new bounds or pairings) can make saved values invalid: keep scanning.
        log.warning("Stored risk thresholds are invalid (%s); using the defaults", error)
        return Thresholds()


STAGE_MODEL = "stage_model"


def current_stage_model() -> StageModel:
    """The council's stage model: the shipped one it chose, with its own checklists and approvers."""
    stored = db.session.scalar(select(Setting.value).where(Setting.key == STAGE_MODEL))
    if not isinstance(stored, dict):
        return MODELS[DEFAULT_MODEL]
    return with_edits(str(stored.get("model", DEFAULT_MODEL)), stored.get("gates") or {})


class InvalidStageModel(Invalid):
    def __init__(self, errors: list[StageModelError]) -> None:
        problems = [(error.field, str(error)) for error in errors]
        super().__init__(problems[0][1], field=problems[0][0], problems=problems)


def update_stage_model(
    key: str, gates: Mapping[str, tuple[list[str], str]], *, user_id: int | None
) -> StageModel:
    """Choose a shipped stage model and set each of its gates' checklist (lines) and approver role.
    Requests already asked for keep the checklist they were asked with."""
    if key not in MODELS:
        raise InvalidStageModel([StageModelError("model", "Choose a stage model")])
    problems: list[StageModelError] = []
    edits: dict[str, dict[str, object]] = {}
    for gate in MODELS[key].gates:
        lines, approver = gates.get(gate.key, (list(gate.checklist), gate.approver.value))
        problems += checklist_problems(f"checklist_{gate.key}", lines)
        if approver not in {role.value for role in APPROVER_ROLES}:
            problems.append(StageModelError(f"approver_{gate.key}", f"Choose who approves “{gate.name}”"))
        edits[gate.key] = {
            "checklist": [line.strip() for line in lines if line.strip()],
            "approver": approver,
        }
    if problems:
        raise InvalidStageModel(problems)
    before = current_stage_model()
    row = db.session.get(Setting, STAGE_MODEL)
    value = {"model": key, "gates": edits}
    if row is None:
        row = Setting(key=STAGE_MODEL, value=value, updated_by_id=user_id)
        db.session.add(row)
    else:
        row.value = value
        row.updated_by_id = user_id
    after = with_edits(key, edits)
    audit.record(
        AuditAction.UPDATE,
        row,
        user_id=user_id,
        programme_id=None,
        summary=f"Changed the stage model: {after.name}",
        changes={"model": (before.name, after.name)} if before.key != after.key else {},
    )
    db.session.commit()
    return after
