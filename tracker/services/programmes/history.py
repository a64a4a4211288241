"""A programme's history: its audit events, newest first, paged, in a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.domain.formatting import uk_date, uk_datetime
from tracker.domain.vocabulary import CONFIDENCE_LABELS, SOURCE_LABELS
from tracker.extensions import db
from tracker.models import AuditAction, AuditEvent, ChangeRequestStatus, Programme, RequestStatus
from tracker.models.returns import ProgrammeReturn
from tracker.services.editing import get_programme
from tracker.services.paging import page_of
from tracker.services.programmes.returns import programme_returns

PER_PAGE = 25
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*[+-]\d{2}:\d{2}")
_SNAKE = re.compile(r"[a-z]+(?:_[a-z]+)*")
_PUBLISHED = {**CONFIDENCE_LABELS, **SOURCE_LABELS}
"""Stored values that have a published wording (Amber/Green, SRO self-assessment)."""
FIELD_LABELS = {
    "sro_name": "SRO",
    "manager": "Programme manager",
    "confidence": "Delivery confidence",
    "confidence_commentary": "Confidence commentary",
    "confidence_source": "Who assessed confidence",
    "confidence_assessed_on": "Date of the confidence assessment",
    "whole_life_baseline": "Whole-life cost baseline",
    "whole_life_forecast": "Whole-life cost forecast",
    "change_plan": "Business change plan",
    "adoption_owner": "Adoption owner in the service",
    "external_reference": "External reference",
    "proposed_baseline_date": "Baseline asked for (not changed until approved)",
}


@dataclass(frozen=True)
class Change:
    """One field of an event: its label and the before and after values as display text."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One audit event as people read it."""

    at: datetime
    who: str
    action: str
    what: str
    summary: str
    changes: list[Change]
    kind: str = ""
    """For re-baselines and change requests: "Request" (nothing moved yet), "Approved change", "Rejected
    request" or "Withdrawn request"."""


@dataclass(frozen=True)
class HistoryPage:
    programme: Programme
    entries: list[HistoryEntry]
    total: int
    page: int
    pages: int
    returns: list[ProgrammeReturn]
    """Whole-life cost and confidence as reported over time, newest first."""


def programme_history(code: str, *, page: int = 1) -> HistoryPage:
    """Every change recorded against the programme, newest first, a page at a time."""
    programme = get_programme(code)
    where = AuditEvent.programme_id == programme.id
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(where)) or 0
    page, pages = page_of(page, total, PER_PAGE)
    events = db.session.scalars(
        select(AuditEvent)
        .where(where)
        .options(joinedload(AuditEvent.user))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    return HistoryPage(
        programme=programme,
        entries=[_entry(event) for event in events],
        total=total,
        page=page,
        pages=pages,
        returns=programme_returns(programme.id),
    )


def _entry(event: AuditEvent) -> HistoryEntry:
    changes = event.changes if isinstance(event.changes, dict) else {}
    kind = _rebaseline_kind(event, changes) if event.entity_type in _REQUESTS else ""
    if kind == "Request":
        # Older requests stored the proposal as `baseline_date`; either way it did not move the baseline.
        changes = {
            ("proposed_baseline_date" if name == "baseline_date" else name): pair
            for name, pair in changes.items()
        }
    return HistoryEntry(
        at=event.at,
        who=event.user.name if event.user else "The system",
        action=event.action.value,
        what=event.entity_type.replace("_", " "),
        summary=event.summary,
        changes=[_change(name, pair) for name, pair in changes.items()],
        kind=kind,
    )


_REQUESTS = {"rebaseline_request", "change_request"}
"""Requests a CIO decides: each event says whether it was the request, an approval or a rejection."""


def _rebaseline_kind(event: AuditEvent, changes: dict[str, Any]) -> str:
    """A request reads differently from a decision, so nobody takes a request for a moved baseline."""
    if event.action is AuditAction.CREATE:
        return "Request"
    status = changes.get("status")
    outcome = status[1] if isinstance(status, list | tuple) and len(status) == 2 else None
    if outcome == RequestStatus.APPROVED.value:
        return "Approved change"
    if outcome == RequestStatus.REJECTED.value:
        return "Rejected request"
    if outcome == ChangeRequestStatus.WITHDRAWN.value:
        return "Withdrawn request"
    return ""


def _change(name: str, pair: Any) -> Change:
    """A stored [before, after] pair; anything else is shown as the value it became."""
    before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
    return Change(field=label(name), before=display(before), after=display(after))


def label(name: str) -> str:
    """A field name as a heading: `baseline_end_date` reads "Baseline end date"."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def display(value: Any) -> str:
    """Stored values back in UK formats: ISO dates in words, enum values in plain words."""
    if value is None or value == "":
        return "Not set"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    if text in _PUBLISHED:
        return _PUBLISHED[text]
    try:
        if _ISO_DATETIME.fullmatch(text):
            return uk_datetime(datetime.fromisoformat(text))
        if _ISO_DATE.fullmatch(text):
            return uk_date(date.fromisoformat(text))
    except ValueError:
        return text
    if _SNAKE.fullmatch(text):
        return text.replace("_", " ").capitalize()
    return text
