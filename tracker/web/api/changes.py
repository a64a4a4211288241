"""Change requests: what a programme asked to change, what each would move and what was decided."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from tracker.models import ChangeRequestKind, ChangeRequestStatus
from tracker.policy import Action
from tracker.services.changes.reads import ChangeItem, programme_changes
from tracker.web.api.auth import api_blueprint, documents, programme_for
from tracker.web.api.schemas import enum, money, quantity

blueprint = api_blueprint(
    "api_changes", "Change requests of scope, time, cost or benefits, and the CIO's decisions on them"
)

UNKNOWN = "null when not known or not part of this request"


class ChangeRequestSchema(Schema):
    id = fields.Integer(required=True)
    kind = enum(ChangeRequestKind, required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    impact = fields.String(required=True)
    status = enum(ChangeRequestStatus, required=True)
    from_end_date = fields.Date(allow_none=True, required=True, metadata={"description": UNKNOWN})
    proposed_end_date = fields.Date(allow_none=True, required=True, metadata={"description": UNKNOWN})
    from_whole_life_baseline = money(allow_none=True, required=True, description=UNKNOWN)
    proposed_whole_life_baseline = money(allow_none=True, required=True, description=UNKNOWN)
    benefit_id = fields.Integer(allow_none=True, required=True)
    from_target_value = quantity(allow_none=True, required=True, description=UNKNOWN)
    proposed_target_value = quantity(allow_none=True, required=True, description=UNKNOWN)
    from_target_date = fields.Date(allow_none=True, required=True, metadata={"description": UNKNOWN})
    proposed_target_date = fields.Date(allow_none=True, required=True, metadata={"description": UNKNOWN})
    moves = fields.String(required=True, metadata={"description": "What the request moves, in words"})
    requested_by = fields.String(required=True)
    requested_at = fields.AwareDateTime(required=True)
    decided_by = fields.String(allow_none=True, required=True)
    decided_at = fields.AwareDateTime(
        allow_none=True, required=True, metadata={"description": "Or withdrawn"}
    )
    decision_note = fields.String(required=True)
    version = fields.Integer(required=True)


class ChangeRequestListSchema(Schema):
    items = fields.List(fields.Nested(ChangeRequestSchema), required=True)


COPIED = [
    "id",
    "kind",
    "title",
    "description",
    "impact",
    "status",
    "from_end_date",
    "proposed_end_date",
    "from_whole_life_baseline",
    "proposed_whole_life_baseline",
    "benefit_id",
    "from_target_value",
    "proposed_target_value",
    "from_target_date",
    "proposed_target_date",
    "requested_at",
    "decided_at",
    "decision_note",
    "version",
]


@blueprint.route("/programmes/<code>/change-requests")
@blueprint.response(200, ChangeRequestListSchema)
@documents(blueprint, 403, 404)
def index(code: str) -> dict[str, Any]:
    """A programme's change requests, those waiting for a decision first, then the newest."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return {"items": [_item(item) for item in programme_changes(programme.id)]}


def _item(item: ChangeItem) -> dict[str, Any]:
    request = item.request
    return {
        **{name: getattr(request, name) for name in COPIED},
        "moves": item.moves_sentence,
        "requested_by": request.requested_by.name if request.requested_by else "",
        "decided_by": request.decided_by.name if request.decided_by else None,
    }
