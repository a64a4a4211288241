"""Capacity to change, read-only: the service teams with their monthly capacity, and the change days a
milestone lands on them."""

from __future__ import annotations

from typing import Any

from flask_smorest import abort
from marshmallow import Schema, fields

from tracker.policy import Action, require
from tracker.services.capacity import loads, teams
from tracker.services.errors import NotFound
from tracker.web.api.auth import api_blueprint, api_user, documents, programme_for
from tracker.web.api.schemas import quantity

blueprint = api_blueprint(
    "api_capacity", "Capacity to change: service teams and the change days landing on them"
)


class TeamSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    directorate = fields.String(required=True)
    monthly_capacity = quantity(
        "Change days a month the team can give to training, testing and new ways of working; null: not set",
        allow_none=True,
    )
    milestone_loads = fields.Integer(
        required=True, metadata={"description": "Milestones landing change on it"}
    )


class TeamListSchema(Schema):
    items = fields.List(fields.Nested(TeamSchema), required=True, metadata={"description": "By directorate"})


class LoadSchema(Schema):
    team_id = fields.Integer(required=True)
    team = fields.String(required=True)
    change_days = quantity("Change days the milestone lands on the team", required=True)
    month = fields.Date(required=True, metadata={"description": "First day of the month the change lands in"})


class LoadListSchema(Schema):
    items = fields.List(fields.Nested(LoadSchema), required=True, metadata={"description": "By team name"})


@blueprint.route("/teams")
@blueprint.response(200, TeamListSchema)
@documents(blueprint, 403)
def index() -> dict[str, Any]:
    """Every service team, by directorate then name, with its monthly capacity in change days."""
    require(api_user(), Action.VIEW_PORTFOLIO)
    return {
        "items": [
            {
                "id": row.team.id,
                "name": row.team.name,
                "directorate": row.team.directorate,
                "monthly_capacity": row.team.monthly_capacity,
                "milestone_loads": row.loads,
            }
            for row in teams.list_teams()
        ]
    }


@blueprint.route("/programmes/<code>/milestones/<int:milestone_id>/teams")
@blueprint.response(200, LoadListSchema)
@documents(blueprint, 403, 404)
def milestone_loads(code: str, milestone_id: int) -> dict[str, Any]:
    """The teams a milestone lands change on, with the change days and the month."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    try:
        milestone = loads.get_load_milestone(programme, milestone_id)
    except NotFound as error:
        abort(404, message=error.message)
    return {
        "items": [
            {"team_id": line.team_id, "team": line.team, "change_days": line.change_days, "month": line.month}
            for line in loads.milestone_loads(milestone)
        ]
    }
