"""Dependencies between programmes: read what a programme's milestones wait for and whom it holds up, and
add or remove one through the same service as the web forms, so audit and re-rating see API changes too."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_smorest import abort
from marshmallow import fields, validate

from tracker.domain.calendar import london_today
from tracker.models.types import utcnow
from tracker.policy import Action
from tracker.services.dependencies import reads, records
from tracker.services.dependencies.reads import DependencyLine
from tracker.services.errors import Conflict, Invalid, NotFound
from tracker.web.api.auth import api_blueprint, api_user, documents, programme_for
from tracker.web.api.schemas import Schema, date_field

blueprint = api_blueprint(
    "api_dependencies", "Dependencies: milestones waiting for other programmes' milestones, needed by a date"
)

FIELDS = {
    "milestone_id": "milestone_id",
    "predecessor_code": "depends_on",
    "predecessor_milestone_id": "depends_on_milestone_id",
    "needed_by": "needed_by",
    "note": "note",
}
"""The service's field names as the API names them."""


class DependencySchema(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    programme = fields.String(required=True, metadata={"description": "Code of the waiting programme"})
    milestone_id = fields.Integer(required=True, metadata={"description": "The waiting milestone"})
    milestone = fields.String(required=True)
    depends_on = fields.String(required=True, metadata={"description": "Code of the programme waited for"})
    depends_on_milestone_id = fields.Integer(required=True)
    depends_on_milestone = fields.String(required=True)
    expected_date = fields.Date(
        required=True,
        allow_none=True,
        metadata={"description": "The milestone waited for: its actual date, else forecast, else baseline"},
    )
    state = fields.String(
        required=True,
        metadata={"description": "done, forecast, overdue (open past its date), cancelled, unknown"},
    )
    needed_by = fields.Date(required=True)
    days_late = fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "Days it lands after the needed-by date (0 or less: in time); null if unknown"
        },
    )
    late = fields.Boolean(required=True, metadata={"description": "Late for a milestone still waiting"})
    note = fields.String(required=True)


class DependenciesSchema(Schema):
    waits_for = fields.List(
        fields.Nested(DependencySchema),
        required=True,
        metadata={"description": "What its milestones wait for"},
    )
    holding_up = fields.List(
        fields.Nested(DependencySchema),
        required=True,
        metadata={"description": "Other programmes' milestones waiting for its own, late ones first"},
    )


class NewDependencySchema(Schema):
    milestone_id = fields.Integer(
        required=True, validate=validate.Range(min=1), metadata={"description": "This programme's milestone"}
    )
    depends_on = fields.String(
        required=True, validate=validate.Length(min=1, max=20), metadata={"description": "The other's code"}
    )
    depends_on_milestone_id = fields.Integer(required=True, validate=validate.Range(min=1))
    needed_by = date_field(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=records.NOTE_LENGTH))


@blueprint.route("/programmes/<code>/dependencies")
@blueprint.response(200, DependenciesSchema)
@documents(blueprint, 403, 404)
def index(code: str) -> dict[str, Any]:
    """What the programme's milestones wait for in other programmes, and whom its milestones hold up."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    found = reads.programme_dependencies(programme.id, today=_today())
    return {
        "waits_for": [_line(line) for line in found.waits_for],
        "holding_up": [_line(line) for line in found.holding_up],
    }


@blueprint.route("/programmes/<code>/dependencies", methods=["POST"])
@blueprint.arguments(
    NewDependencySchema,
    example={
        "milestone_id": 12,
        "depends_on": "FIN-002",
        "depends_on_milestone_id": 7,
        "needed_by": "2027-04-01",
    },
)
@blueprint.response(201, DependencySchema)
@documents(blueprint, 400, 403, 404, 409, 422)
def add(sent: dict[str, Any], code: str) -> dict[str, Any]:
    """Make one of the programme's milestones wait for a milestone of another programme.

    Refused with 409 and the reasons in `fields`: a milestone not of this programme or already done, a
    programme that does not exist or is this one, a milestone it does not have, a pair already recorded, or
    a dependency that would close a loop."""
    programme = programme_for(code, Action.MANAGE_DEPENDENCIES)
    values = records.NewDependency(
        milestone_id=sent["milestone_id"],
        predecessor_code=sent["depends_on"],
        predecessor_milestone_id=sent["depends_on_milestone_id"],
        needed_by=sent["needed_by"],
        note=sent["note"],
    )
    try:
        dependency = records.add_dependency(programme, values, user=api_user())
    except Invalid as error:
        problems = {FIELDS.get(field or "", "dependency"): message for field, message in error.problems}
        abort(409, message="The dependency could not be added.", fields=problems)
    line = next(line for line in reads.programme_dependencies(programme.id, today=_today()).waits_for
                if line.id == dependency.id)  # fmt: skip
    return _line(line)


@blueprint.route("/programmes/<code>/dependencies/<int:dependency_id>", methods=["DELETE"])
@blueprint.response(204)
@documents(blueprint, 403, 404, 409)
def remove(code: str, dependency_id: int) -> None:
    """Stop one of the programme's milestones waiting for another programme's."""
    programme = programme_for(code, Action.MANAGE_DEPENDENCIES)
    try:
        records.remove_dependency(programme, dependency_id, user=api_user(), expected_version=None)
    except NotFound as error:
        abort(404, message=error.message)
    except Conflict as error:
        abort(409, message=error.message)


def _today() -> date:
    return london_today(utcnow())


def _line(line: DependencyLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "version": line.version,
        "programme": line.waiting_code,
        "milestone_id": line.waiting_milestone_id,
        "milestone": line.waiting_title,
        "depends_on": line.predecessor_code,
        "depends_on_milestone_id": line.predecessor_milestone_id,
        "depends_on_milestone": line.predecessor_title,
        "expected_date": line.lands.expected,
        "state": line.lands.state.value,
        "needed_by": line.needed_by,
        "days_late": line.lands.days_late,
        "late": line.late,
        "note": line.note,
    }
