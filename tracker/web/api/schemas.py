"""What the API reads and writes, as marshmallow schemas: the OpenAPI document is built from these.

Money and measured values travel as decimal strings ("1250000.00"), never as JSON numbers, so no
penny is lost to floating point; dates are ISO 8601 ("2027-03-31")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from tracker.domain.definitions import DONE_STATUSES
from tracker.models import (
    BenefitStatus,
    BenefitType,
    Confidence,
    ConfidenceSource,
    CostType,
    Direction,
    Focus,
    GateStatus,
    InvestmentCategory,
    LessonKind,
    MilestoneKind,
    MilestoneStatus,
    Rag,
    Recurrence,
    Stage,
    Trend,
)
from tracker.services.milestones.records import days_overdue
from tracker.services.portfolio.listing import MAX_PER_PAGE, PER_PAGE, SORT_KEYS
from tracker.web.fields import MAX_YEAR, MIN_YEAR

DECIMAL = {"type": "string", "format": "decimal"}
TEXT_MAX = 1000
MAX_PAGE = 100_000


def money(description: str = "", **kwargs: Any) -> fields.Decimal:
    """Pounds and pence as a string: '1250000.00'."""
    about = {"description": description} if description else {}
    return fields.Decimal(as_string=True, metadata={**DECIMAL, "example": "1250000.00", **about}, **kwargs)


def quantity(description: str = "", **kwargs: Any) -> fields.Decimal:
    """A measured or planned value in the benefit's unit, as a string: '45.5000'."""
    about = {"description": description} if description else {}
    return fields.Decimal(as_string=True, metadata={**DECIMAL, "example": "45.5", **about}, **kwargs)


CONFIDENCE_ABOUT = {
    "description": "Delivery confidence on the IPA's five-point scale: "
    "green, amber_green, amber, amber_red, red"
}


def enum(kind: Any, **kwargs: Any) -> fields.Enum:
    return fields.Enum(kind, by_value=True, **kwargs)


REFERENCE_ABOUT = {
    "description": "The programme's own number in a published return or another system "
    "(like MOD_0106_1617-Q1); null when it has none"
}


def _plain_text(value: str) -> None:
    """PostgreSQL text cannot hold NUL, and lone surrogates are not text."""
    if any(char == "\x00" or "\ud800" <= char <= "\udfff" for char in value):
        raise ma.ValidationError("Remove the control characters from this text.")


def _in_range(value: date) -> None:
    """The same years the web forms accept."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ma.ValidationError(f"Enter a date between {MIN_YEAR} and {MAX_YEAR}.")


def _year_pattern(first: int, last: int) -> str:
    """A regular expression matching dates in the years first to last, decade by decade, so that the
    document states the range `_in_range` keeps."""
    decades: dict[int, list[int]] = {}
    for year in range(first, last + 1):
        decades.setdefault(year // 10, []).append(year % 10)
    return "^(" + "|".join(f"{decade}[{units[0]}-{units[-1]}]" for decade, units in decades.items()) + ")-"


YEARS = _year_pattern(MIN_YEAR, MAX_YEAR)


def date_field(**kwargs: Any) -> fields.Date:
    """A date in the years the service keeps, the range stated in the document as well as checked."""
    metadata = {"pattern": YEARS, **kwargs.pop("metadata", {})}
    return fields.Date(validate=_in_range, metadata=metadata, **kwargs)


class Schema(ma.Schema):
    """Unknown fields in a request are refused rather than silently ignored."""

    class Meta:
        unknown = ma.RAISE


# Reading


class ProgrammeQuerySchema(Schema):
    directorate = fields.String(validate=[validate.Length(max=120), _plain_text])
    stage = enum(Stage)
    focus = enum(Focus)
    rating = enum(Rag)
    reference = fields.String(
        validate=[validate.Length(min=1, max=64), _plain_text],
        metadata={
            "description": "The programme's external reference (a return's project number), "
            "matched whole, ignoring case"
        },
    )
    mine = fields.Boolean(
        load_default=False, metadata={"description": "Only programmes you manage or are on"}
    )
    include_closed = fields.Boolean(load_default=False)
    sort = fields.String(load_default="code", validate=validate.OneOf(SORT_KEYS))
    descending = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class ProgrammeRowSchema(Schema):
    code = fields.String(required=True)
    external_reference = fields.String(required=True, allow_none=True, metadata=REFERENCE_ABOUT)
    name = fields.String(required=True)
    directorate = fields.String(required=True)
    stage = enum(Stage, required=True)
    paused = fields.Boolean(required=True)
    manager_name = fields.String(allow_none=True)
    confidence = enum(Confidence, allow_none=True, metadata=CONFIDENCE_ABOUT)
    confidence_source = enum(ConfidenceSource, allow_none=True)
    confidence_assessed_on = fields.Date(allow_none=True)
    rating = enum(Rag, allow_none=True)
    score = fields.Integer(allow_none=True)
    next_milestone = fields.String(allow_none=True)
    next_milestone_date = fields.Date(allow_none=True)
    budget = money(required=True, description="Approved this financial year")
    forecast = money(required=True, description="Forecast this financial year")


def fast_dump(schema: type[ma.Schema]) -> Callable[[Any], dict[str, Any]]:
    """`schema().dump` for an object of plain values, for rows a list sends many of a second.

    Marshmallow spends about 1.5 microseconds a field, a quarter of the programmes list's time; this
    does the same for the few field types a row has (tests compare the two on every kind of value)
    and refuses, when it is built, a schema with a field it does not know.
    """
    convert: list[tuple[str, str, Callable[[Any], Any]]] = []
    for name, field in schema().dump_fields.items():
        if isinstance(field, fields.Enum) and field.by_value:
            converter: Callable[[Any], Any] = _enum_value
        elif isinstance(field, fields.Decimal) and field.as_string and field.places is None:
            converter = _decimal_text
        elif type(field) in _PLAIN_FIELDS:
            converter = _PLAIN_FIELDS[type(field)]
        else:
            raise TypeError(f"fast_dump does not know {type(field).__name__} ({schema.__name__}.{name})")
        convert.append((name, field.data_key or name, converter))

    def dump(row: Any) -> dict[str, Any]:
        values = {}
        for attribute, key, converter in convert:
            value = getattr(row, attribute)
            values[key] = None if value is None else converter(value)
        return values

    return dump


def _enum_value(value: Any) -> Any:
    return value.value


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")  # never 1E+3


_PLAIN_FIELDS: dict[type[fields.Field], Callable[[Any], Any]] = {
    fields.String: str,
    fields.Integer: int,
    fields.Boolean: bool,
    fields.Date: date.isoformat,
}


class ProgrammePageSchema(Schema):
    items = fields.List(fields.Nested(ProgrammeRowSchema), required=True)
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    financial_year = fields.String(required=True, metadata={"example": "2026/27"})


dump_programme_row = fast_dump(ProgrammeRowSchema)


class SubjectSchema(Schema):
    kind = fields.String(allow_none=True)
    id = fields.Integer(allow_none=True)


class FlagSchema(Schema):
    rule = fields.String(required=True)
    severity = fields.String(required=True, metadata={"example": "red"})
    message = fields.String(required=True)
    evidence = fields.Dict(keys=fields.String(), required=True)
    subject = fields.Nested(SubjectSchema, allow_none=True)


class AssessmentSchema(Schema):
    assessed_at = fields.AwareDateTime(required=True)
    rating = enum(Rag, required=True)
    score = fields.Integer(required=True)
    trend = enum(Trend, required=True)
    flags = fields.List(fields.Nested(FlagSchema), required=True)


class AssessmentListSchema(Schema):
    items = fields.List(fields.Nested(AssessmentSchema), required=True)


class FlagListSchema(Schema):
    assessed_at = fields.AwareDateTime(allow_none=True)
    items = fields.List(fields.Nested(FlagSchema), required=True)


class ProgrammeSchema(Schema):
    code = fields.String(required=True)
    external_reference = fields.String(required=True, allow_none=True, metadata=REFERENCE_ABOUT)
    name = fields.String(required=True)
    description = fields.String(required=True)
    directorate = fields.String(required=True)
    strategic_objective = fields.String(required=True)
    focus = enum(Focus, required=True)
    stage = enum(Stage, required=True)
    paused = fields.Boolean(required=True)
    sro_name = fields.String(required=True)
    manager_name = fields.String(allow_none=True)
    start_date = fields.Date(allow_none=True)
    baseline_end_date = fields.Date(allow_none=True)
    forecast_end_date = fields.Date(allow_none=True)
    confidence = enum(Confidence, allow_none=True, metadata=CONFIDENCE_ABOUT)
    confidence_source = enum(ConfidenceSource, allow_none=True)
    confidence_assessed_on = fields.Date(allow_none=True)
    confidence_commentary = fields.String(required=True)
    whole_life_baseline = money(allow_none=True, description="Approved whole-life cost; null when not known")
    whole_life_forecast = money(
        allow_none=True, description="Current whole-life forecast; null when not known"
    )
    change_plan = fields.String(required=True)
    adoption_owner = fields.String(required=True)
    last_update_at = fields.AwareDateTime(allow_none=True)
    assessment = fields.Nested(
        AssessmentSchema, allow_none=True, metadata={"description": "The latest scan; none when closed"}
    )


class MilestoneSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = enum(MilestoneKind, required=True)
    critical = fields.Boolean(required=True)
    owner = fields.String(required=True)
    original_baseline_date = fields.Date(required=True)
    baseline_date = fields.Date(required=True, metadata={"description": "The latest approved baseline"})
    forecast_date = fields.Date(allow_none=True)
    actual_date = fields.Date(allow_none=True)
    status = enum(MilestoneStatus, required=True)
    variance_days = fields.Integer(
        allow_none=True, metadata={"description": "Late (positive) against baseline"}
    )
    overdue_days = fields.Function(
        days_overdue,
        allow_none=True,
        metadata={
            "type": "integer",
            "description": "Days past the latest approved baseline while open, else null",
        },
    )
    version = fields.Integer(required=True, metadata={"description": "Send it back to refuse stale changes"})


class MilestoneListSchema(Schema):
    items = fields.List(fields.Nested(MilestoneSchema), required=True)


class TotalsSchema(Schema):
    requested = money(required=True, description="Sum of the lines whose requested amount is known")
    approved = money(required=True, description="Sum of the lines whose approved amount is known")
    forecast = money(
        required=True,
        description="Sum of forecasts floored at actual spend; a line with no forecast counts its actual",
    )
    actual = money(required=True, description="Sum of the lines whose actual spend is known")
    gap = money(
        allow_none=True, required=True, description="Requested minus approved; null if any is unknown"
    )
    variance = money(
        allow_none=True, required=True, description="Forecast minus approved; null if any is unknown"
    )
    not_known = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Lines whose amount is unknown, by amount", "example": {"forecast": 2}},
    )


class InvestmentSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    category = enum(InvestmentCategory, required=True)
    requested = money(allow_none=True, required=True, description="null when not known")
    approved = money(allow_none=True, required=True, description="null when not known")
    forecast = money(allow_none=True, required=True, description="null when not known")
    actual = money(allow_none=True, required=True, description="null when not known")
    gap = money(allow_none=True, required=True, description="Requested minus approved")
    variance = money(allow_none=True, required=True, description="Forecast minus approved")
    cost_type = enum(CostType, required=True)
    recurrence = enum(Recurrence, required=True)
    financial_year = fields.String(required=True, metadata={"example": "2026/27"})
    version = fields.Integer(required=True)


class InvestmentListSchema(Schema):
    items = fields.List(fields.Nested(InvestmentSchema), required=True)
    whole_life = fields.Nested(TotalsSchema, required=True)


class PointSchema(Schema):
    on_date = fields.Date(required=True)
    value = quantity(required=True)


class MeasurementSchema(PointSchema):
    id = fields.Integer(required=True)
    note = fields.String(required=True)
    recorded_at = fields.AwareDateTime(required=True)


class RealisationSchema(Schema):
    measured_on = fields.Date(required=True)
    actual = quantity(required=True)
    planned = quantity(allow_none=True)
    percent = quantity(allow_none=True, description="Share of the planned change")
    status = fields.String(required=True, metadata={"example": "On track"})


class BenefitSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    benefit_type = enum(BenefitType, required=True)
    measure = fields.String(required=True)
    unit = fields.String(required=True)
    direction = enum(Direction, required=True)
    adoption_measure = fields.Boolean(required=True)
    baseline_value = quantity(allow_none=True)
    baseline_date = fields.Date(allow_none=True)
    target_value = quantity(allow_none=True)
    target_date = fields.Date(allow_none=True)
    owner = fields.String(required=True)
    trajectory = fields.List(fields.Nested(PointSchema), required=True)
    measurements = fields.List(fields.Nested(MeasurementSchema), required=True)
    latest = fields.Nested(RealisationSchema, allow_none=True)
    status = enum(
        BenefitStatus,
        required=True,
        metadata={"description": "tracking (being measured), realised or written_off"},
    )
    status_reason = fields.String(
        required=True, metadata={"description": "Why; always given when written off"}
    )
    handed_over_on = fields.Date(
        allow_none=True, metadata={"description": "When the programme handed it to its owner in the service"}
    )


class BenefitListSchema(Schema):
    items = fields.List(fields.Nested(BenefitSchema), required=True)


class LessonSchema(Schema):
    id = fields.Integer(required=True)
    kind = enum(LessonKind, required=True, metadata={"description": "went_well or do_differently"})
    title = fields.String(required=True)
    what_happened = fields.String(required=True)
    recommendation = fields.String(required=True)
    recorded_by = fields.String(allow_none=True, metadata={"description": "Who recorded it, by name"})
    recorded_at = fields.AwareDateTime(required=True)


class LessonListSchema(Schema):
    items = fields.List(fields.Nested(LessonSchema), required=True, metadata={"description": "Newest first"})


class ChecklistAnswerSchema(Schema):
    item = fields.String(required=True)
    met = fields.Boolean(required=True)
    note = fields.String(required=True, metadata={"description": "Why it is not met, or a remark"})


class GateRequestSchema(Schema):
    id = fields.Integer(required=True)
    gate_name = fields.String(required=True)
    from_stage_name = fields.String(required=True)
    to_stage_name = fields.String(required=True)
    status = enum(GateStatus, required=True, metadata={"description": "pending, approved, deferred, ..."})
    checklist = fields.List(
        fields.Nested(ChecklistAnswerSchema), required=True, metadata={"description": "As answered"}
    )
    summary = fields.String(required=True, metadata={"description": "The case for passing the gate"})
    conditions = fields.String(required=True, metadata={"description": "Conditions of an approval"})
    decision_note = fields.String(required=True)
    requested_by = fields.String(allow_none=True)
    requested_at = fields.AwareDateTime(required=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)


class GatesSchema(Schema):
    model = fields.String(required=True, metadata={"description": "The council's stage model"})
    stage = fields.String(required=True, metadata={"description": "The programme's stage in it"})
    next_gate = fields.String(allow_none=True, metadata={"description": "None once closed"})
    planned_gate_date = date_field(allow_none=True)
    items = fields.List(
        fields.Nested(GateRequestSchema), required=True, metadata={"description": "Newest first"}
    )


# Writing


class MilestoneChangeSchema(Schema):
    OPENAPI_RULES = {
        "anyOf": [{"required": [name]} for name in ("forecast_date", "actual_date", "status")],
        "not": {
            "description": "An actual date with a status other than complete",
            "required": ["actual_date", "status"],
            "properties": {
                "actual_date": {"type": "string"},
                "status": {"enum": [s.value for s in MilestoneStatus if s not in DONE_STATUSES]},
            },
        },
    }

    forecast_date = date_field()
    actual_date = date_field(allow_none=True, metadata={"description": "null clears it"})
    status = enum(
        MilestoneStatus, metadata={"description": "Complete by default when an actual date is sent"}
    )
    reason = fields.String(
        load_default="",
        validate=[validate.Length(max=TEXT_MAX), _plain_text],
        metadata={"description": "Needed when the forecast moves"},
    )
    version = fields.Integer(
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": "The version you read: a change made since then is refused with 409"},
    )


class NewMeasurementSchema(Schema):
    on_date = date_field(required=True, metadata={"description": "Today or earlier"})
    value = fields.Decimal(
        required=True,
        as_string=True,
        metadata={**DECIMAL, "pattern": r"^-?[0-9]{1,14}(\.[0-9]{1,4})?$", "example": "42.5"},
    )
    note = fields.String(load_default="", validate=[validate.Length(max=TEXT_MAX), _plain_text])


class RecordedSchema(Schema):
    measurement = fields.Nested(MeasurementSchema, required=True)
    realisation = fields.Nested(RealisationSchema, required=True)


def decimal_fits(value: Decimal, *, digits: int, places: int) -> bool:
    """Whether a value fits a NUMERIC(digits, places) column without rounding away its meaning."""
    if not value.is_finite():
        return False
    exponent = value.normalize().as_tuple().exponent
    return abs(value) < Decimal(10) ** (digits - places) and isinstance(exponent, int) and exponent >= -places
