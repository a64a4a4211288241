"""Milestones: read a programme's, and move one's forecast or record its actual date, through the same
service as the 'Update milestones' page, so history, audit and the stale rule see API changes too."""

from __future__ import annotations

from typing import Any

from flask_smorest import abort

from tracker.domain.definitions import DONE_STATUSES
from tracker.domain.milestones import ACTUAL_NEEDS_COMPLETE, Progress
from tracker.models import Milestone, MilestoneStatus
from tracker.policy import Action
from tracker.services.api_reads import programme_code_of
from tracker.services.errors import Conflict, Invalid, NotFound
from tracker.services.milestones import records as service
from tracker.web.api.auth import api_blueprint, api_user, documents, programme_for
from tracker.web.api.schemas import MilestoneChangeSchema, MilestoneListSchema, MilestoneSchema

blueprint = api_blueprint("api_milestones", "Milestones: forecasts, actual dates and their history")


@blueprint.route("/programmes/<code>/milestones")
@blueprint.response(200, MilestoneListSchema)
@documents(blueprint, 403, 404)
def index(code: str) -> dict[str, Any]:
    """A programme's milestones in baseline order."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return {"items": service.programme_milestones(programme.id)}


@blueprint.route("/milestones/<int:milestone_id>", methods=["PATCH"])
@blueprint.arguments(
    MilestoneChangeSchema, example={"forecast_date": "2027-01-15", "reason": "Supplier late"}
)
@blueprint.response(200, MilestoneSchema)
@documents(blueprint, 400, 403, 404, 409, 422)
def change(change: dict[str, Any], milestone_id: int) -> Milestone:
    """Move a milestone's forecast (with a reason), record its actual date, or change its status.

    Fields left out keep their values. A change the milestone as it stands does not allow is refused
    with 409 and the reason in `fields`: a moved forecast with no reason, an actual date after today,
    complete with no actual date, or an actual date kept with a status other than complete. Send the
    `version` you read to have a change refused (409) if someone else changed the milestone since."""
    if not change.keys() & {"forecast_date", "actual_date", "status"}:
        abort(422, message="Send a forecast_date, an actual_date or a status to change.")
    if change.get("actual_date") and change.get("status", MilestoneStatus.COMPLETE) not in DONE_STATUSES:
        abort(422, message="The milestone could not be changed.", fields={"status": ACTUAL_NEEDS_COMPLETE})
    try:
        programme = programme_for(programme_code_of(Milestone, milestone_id), Action.UPDATE_PROGRAMME)
        milestone = service.get_milestone(programme, milestone_id)
    except NotFound as error:
        abort(404, message=error.message)
    progress = _progress(milestone, change)
    try:
        service.update_progress(programme, user=api_user(), updates=[progress])
    except service.MilestoneInvalid as error:
        abort(409, message="The milestone could not be changed.", fields=error.rows.get(milestone.id, {}))
    except Conflict:
        abort(
            409,
            message=f"This milestone was changed by someone else since you read it (it is now version "
            f"{milestone.version}). Read it again, then send your change with the new version.",
        )
    except Invalid as error:
        abort(409, message=error.message)
    return milestone


def _progress(milestone: Milestone, change: dict[str, Any]) -> Progress:
    """The milestone's progress with the sent fields applied; an actual date means complete unless told."""
    actual = change.get("actual_date", milestone.actual_date)
    status = change.get("status")
    if status is None:
        status = MilestoneStatus.COMPLETE if change.get("actual_date") else milestone.status
    return Progress(
        milestone_id=milestone.id,
        expected_version=change.get("version"),
        forecast_date=change.get("forecast_date", milestone.forecast_date or milestone.baseline_date),
        actual_date=actual,
        status=status,
        reason=change.get("reason", ""),
    )
