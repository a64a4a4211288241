"""Gate decisions: read a programme's stage in the council's model and every gate request, newest first."""

from __future__ import annotations

from typing import Any

from tracker.models import GateRequest
from tracker.policy import Action
from tracker.services.programmes import gates as service
from tracker.web.api.auth import api_blueprint, documents, programme_for
from tracker.web.api.schemas import GatesSchema

blueprint = api_blueprint("api_gates", "Stage gates: the programme's stage and its gate decisions")


@blueprint.route("/programmes/<code>/gates")
@blueprint.response(200, GatesSchema)
@documents(blueprint, 403, 404)
def index(code: str) -> dict[str, Any]:
    """The programme's stage in the council's stage model, its next gate, and its gate requests."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    page = service.gates_page(programme.code)
    return {
        "model": page.model.name,
        "stage": page.stage_name,
        "next_gate": page.gate.name if page.gate else None,
        "planned_gate_date": programme.planned_gate_date,
        "items": [_request(request) for request in page.requests],
    }


def _request(request: GateRequest) -> dict[str, Any]:
    names = ["id", "gate_name", "from_stage_name", "to_stage_name", "status", "summary", "conditions"]
    return {name: getattr(request, name) for name in names} | {
        "checklist": [
            {"item": entry.get("item", ""), "met": bool(entry.get("met")), "note": entry.get("note", "")}
            for entry in request.checklist
        ],
        "decision_note": request.decision_note,
        "requested_by": request.requested_by.name if request.requested_by else None,
        "requested_at": request.requested_at,
        "decided_by": request.decided_by.name if request.decided_by else None,
        "decided_at": request.decided_at,
    }
