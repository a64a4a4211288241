"""What the past decisions an import records share: who the people named are, when a day began, and
the records the programmes named already have."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from tracker.domain.calendar import LONDON, london_today
from tracker.extensions import db
from tracker.models import Benefit, ChangeRequest, GateRequest, User
from tracker.services.imports.context import CHUNK

if TYPE_CHECKING:
    from tracker.services.imports.context import Context


def with_decider(record: dict[str, Any], decided_by: object, people: dict[str, int]) -> dict[str, Any]:
    """Who decided: a person in the tracker by name or email, else (a board, someone who has left)
    kept in the note, so the decision still says who took it."""
    name = str(decided_by or "").strip()
    person = people.get(name.lower()) if name else None
    if name and person is None:
        note = str(record["decision_note"]).strip()
        record["decision_note"] = f"Decided by {name}." + (f" {note}" if note else "")
    return record | {"decided_by_id": person}


def start_of(day: date) -> datetime:
    """A day as the start of it in London: the tracker keeps when, the file only the day."""
    return datetime.combine(day, time(), tzinfo=LONDON)


def people() -> dict[str, int]:
    """Everyone by lower-case name and email; a name two people share names neither."""
    found: dict[str, int] = {}
    shared: set[str] = set()
    for person in db.session.scalars(select(User)):
        for key in (person.name.strip().lower(), person.email.strip().lower()):
            if key in found and found[key] != person.id:
                shared.add(key)
            found[key] = person.id
    return {key: person_id for key, person_id in found.items() if key not in shared}


def load_past(context: Context, programme_ids: list[int]) -> None:
    """The change requests, benefits and gate requests of the programmes the file names: the first two
    by title, a gate request by its gate's name and the day it was asked."""
    for start in range(0, len(programme_ids), CHUNK):
        ids = programme_ids[start : start + CHUNK]
        for model, table in ((ChangeRequest, "change_request"), (Benefit, "benefit")):
            for record in db.session.scalars(
                select(model).where(model.programme_id.in_(ids)).order_by(model.id)
            ):
                context.records.setdefault((table, record.programme_id, record.title.strip().lower()), record)
        for gate in db.session.scalars(select(GateRequest).where(GateRequest.programme_id.in_(ids))):
            key = gate_key(gate.gate_name, london_today(gate.requested_at))
            context.records.setdefault(("gate_request", gate.programme_id, key), gate)


def gate_key(name: str, asked: date) -> str:
    """How a gate decision is told apart within its programme: its gate, and the day it was asked."""
    return f"{' '.join(name.split()).lower()} {asked.isoformat()}"
