"""Benefits: read a programme's, with plan and measurements, and record a measurement through the same
service as the web form, so the audit trail, the stale rule and the dashboard count it."""

from __future__ import annotations

from typing import Any

from flask_smorest import abort

from tracker.domain.realisation import Realisation
from tracker.models import Benefit, Measurement
from tracker.policy import Action
from tracker.services import benefits as service
from tracker.services.api_reads import programme_code_of
from tracker.services.errors import Invalid, NotFound
from tracker.web.api.auth import api_blueprint, api_user, documents, programme_for
from tracker.web.api.schemas import BenefitListSchema, NewMeasurementSchema, RecordedSchema, decimal_fits

blueprint = api_blueprint("api_benefits", "Benefits: planned trajectory, measurements and how far realised")

MEASURE_DIGITS, MEASURE_PLACES = 18, 4  # the measurement column is NUMERIC(18, 4)


@blueprint.route("/programmes/<code>/benefits")
@blueprint.response(200, BenefitListSchema)
@documents(blueprint, 403, 404)
def index(code: str) -> dict[str, Any]:
    """A programme's benefits with their planned trajectory, measurements and the latest judged."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return {"items": [_benefit(row.benefit, row.latest) for row in service.list_benefits(programme)]}


@blueprint.route("/benefits/<int:benefit_id>/measurements", methods=["POST"])
@blueprint.arguments(NewMeasurementSchema, example={"on_date": "2026-11-01", "value": "42.5", "note": "Q3"})
@blueprint.response(201, RecordedSchema)
@documents(blueprint, 400, 403, 404, 409, 422)
def record(sent: dict[str, Any], benefit_id: int) -> dict[str, Any]:
    """Record what a benefit measured on a date (today or earlier), judged against its plan.

    A date after today is refused with 409 and the reason in `fields`: the body is well formed, but
    today's date does not allow it."""
    if not decimal_fits(sent["value"], digits=MEASURE_DIGITS, places=MEASURE_PLACES):
        abort(422, message="The value is too large or too precise.", fields={"value": _too_big()})
    try:
        programme = programme_for(programme_code_of(Benefit, benefit_id), Action.RECORD_MEASUREMENT)
        judged = service.record_measurement(
            programme,
            benefit_id=benefit_id,
            on_date=sent["on_date"],
            value=sent["value"],
            note=sent["note"].strip(),
            user=api_user(),
        )
    except NotFound as error:
        abort(404, message=error.message)
    except Invalid as error:
        abort(409, message=error.message, fields={error.field: error.message} if error.field else {})
    benefit = service.get_benefit(programme, benefit_id)
    measurement = max(benefit.measurements, key=lambda m: m.id)
    return {"measurement": _measurement(measurement), "realisation": _realisation(judged)}


def _too_big() -> str:
    return (
        f"Enter a number with at most {MEASURE_DIGITS - MEASURE_PLACES} digits and {MEASURE_PLACES} decimals"
    )


def _benefit(benefit: Benefit, latest: Realisation | None) -> dict[str, Any]:
    names = [
        "id",
        "title",
        "benefit_type",
        "measure",
        "unit",
        "direction",
        "adoption_measure",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "owner",
        "status",
        "status_reason",
        "handed_over_on",
    ]
    return {name: getattr(benefit, name) for name in names} | {
        "trajectory": [{"on_date": point.on_date, "value": point.value} for point in benefit.trajectory],
        "measurements": [_measurement(m) for m in benefit.measurements],
        "latest": _realisation(latest) if latest else None,
    }


def _measurement(measurement: Measurement) -> dict[str, Any]:
    return {
        "id": measurement.id,
        "on_date": measurement.on_date,
        "value": measurement.value,
        "note": measurement.note,
        "recorded_at": measurement.recorded_at,
    }


def _realisation(judged: Realisation) -> dict[str, Any]:
    return {
        "measured_on": judged.measured_on,
        "actual": judged.actual,
        "planned": judged.planned,
        "percent": judged.percent,
        "status": judged.status,
    }
