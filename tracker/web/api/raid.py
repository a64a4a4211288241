"""A programme's actions and decisions, the A and D of its RAID register, to read."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from tracker.models import ActionStatus, DecisionStatus
from tracker.policy import Action
from tracker.services import raid
from tracker.web.api.auth import api_blueprint, documents, programme_for
from tracker.web.api.schemas import enum

blueprint = api_blueprint("api_raid", "A programme's actions and decisions, beside its risks and issues")


class ActionSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    owner = fields.String(required=True, metadata={"description": "Empty when nobody owns it"})
    due_date = fields.Date(required=True, allow_none=True, metadata={"description": "null when not known"})
    status = enum(ActionStatus, required=True)
    done_on = fields.Date(required=True, allow_none=True, metadata={"description": "null while open"})
    days_overdue = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "Days past its due date while open, else null"},
    )
    entry_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "The risk or issue it answers, if any"}
    )
    version = fields.Integer(required=True)


class ActionListSchema(Schema):
    items = fields.List(fields.Nested(ActionSchema), required=True)


class DecisionSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    detail = fields.String(required=True, metadata={"description": "What was decided and why"})
    decided_by = fields.String(required=True, metadata={"description": "A person or a board"})
    decided_on = fields.Date(required=True, allow_none=True, metadata={"description": "null when not known"})
    status = enum(DecisionStatus, required=True)
    version = fields.Integer(required=True)


class DecisionListSchema(Schema):
    items = fields.List(fields.Nested(DecisionSchema), required=True)


@blueprint.route("/programmes/<code>/actions")
@blueprint.response(200, ActionListSchema)
@documents(blueprint, 403, 404)
def actions(code: str) -> dict[str, Any]:
    """A programme's actions: open ones soonest due first, then those done, latest first."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return {
        "items": [
            {
                "id": row.action.id,
                "title": row.action.title,
                "description": row.action.description,
                "owner": row.action.owner,
                "due_date": row.action.due_date,
                "status": row.action.status,
                "done_on": row.action.done_on,
                "days_overdue": row.days_overdue,
                "entry_id": row.action.entry_id,
                "version": row.action.version,
            }
            for row in raid.action_rows(raid.list_actions(programme))
        ]
    }


@blueprint.route("/programmes/<code>/decisions")
@blueprint.response(200, DecisionListSchema)
@documents(blueprint, 403, 404)
def decisions(code: str) -> dict[str, Any]:
    """A programme's decisions, latest first."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return {"items": raid.list_decisions(programme)}
