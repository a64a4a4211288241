"""Benefit forms: the profile, the planned trajectory, a measurement and the status. They collect;
services decide."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import (
    BooleanField,
    Field,
    Form,
    FormField,
    HiddenField,
    RadioField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.models import Benefit, BenefitStatus, BenefitType, Direction
from tracker.services.benefits import MAX_POINTS, BenefitValues, StatusValues
from tracker.web.fields import GovDateField, RowList
from tracker.web.forms_support import required, trim
from tracker.web.widgets import GovCheckboxInput, GovRadioInput

_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_PLACES = Decimal("0.0001")
TYPE_CHOICES = [
    SelectChoice("cashable", "Cashable: money the council will no longer spend"),
    SelectChoice("non_cashable", "Non-cashable: time or effort released, not taken as money"),
    SelectChoice("service_improvement", "Service improvement: better for residents or staff"),
    SelectChoice("dis_benefit", "Dis-benefit: a negative consequence the change brings"),
]
DIRECTION_CHOICES = [SelectChoice("higher", "Higher is better"), SelectChoice("lower", "Lower is better")]
TRAJECTORY_BLANK_ROWS = 3


class MeasureField(Field):
    """A measured value as Decimal: accepts 1250, 1,250, £1,250.50 and 45%."""

    widget = GovTextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, Decimal):
            return f"{self.data.normalize():,f}"
        return ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        text = valuelist[0] if valuelist else ""
        plain = re.sub(r"[£,\s]", "", text).replace("\u2212", "-").removesuffix("%")
        if not plain:
            return
        if not _NUMBER.fullmatch(plain):
            raise ValueError(f"{self.label.text} must be a number, like 1,250, £1,250.50 or 45%")
        if len(plain.lstrip("-").split(".")[0].lstrip("0")) > 14:
            raise ValueError(f"{self.label.text} must be less than 100,000,000,000,000")
        self.data = Decimal(plain).quantize(_PLACES, rounding=ROUND_HALF_UP)


def _text(label: str, length: int, *, required: str | None = None, hint: str | None = None) -> StringField:
    validators: list[Any] = [Length(max=length, message=f"{label} must be {length} characters or fewer")]
    if required:
        validators.insert(0, DataRequired(required))
    return StringField(label, validators, widget=GovTextInput(), filters=[trim], description=hint)


class BenefitForm(FlaskForm):
    title = _text(
        "Title",
        200,
        required="Enter the title of the benefit",
        hint="Say what changes, starting with a word like Reduced, Faster, More or Fewer",
    )
    benefit_type = RadioField(
        "Type",
        choices=TYPE_CHOICES,
        widget=GovRadioInput(),
        invalid_choice_message="Select the type of benefit",
    )
    measure = _text("Measure", 200, hint="What is counted, like 'Share of contacts completed online'")
    unit = _text("Unit", 40, hint="Like £, %, days or hours")
    direction = RadioField(
        "Which way is better?",
        choices=DIRECTION_CHOICES,
        widget=GovRadioInput(),
        invalid_choice_message="Select whether higher or lower is better",
    )
    adoption_measure = BooleanField(
        "This measure shows the service adopting the change",
        widget=GovCheckboxInput(),
        description="For example, the share of cases handled the new way, rather than a system going live",
    )
    baseline_value = MeasureField("Baseline value")
    baseline_date = GovDateField("Baseline date", description="For example, 1 4 2026")
    target_value = MeasureField("Target value")
    target_date = GovDateField("Target date", description="For example, 31 3 2028")
    owner = _text(
        "Owner in the service",
        120,
        hint="The person in the service who makes the benefit happen, not someone in the programme team",
    )
    notes = TextAreaField(
        "Notes",
        [Length(max=2000, message="Notes must be 2,000 characters or fewer")],
        widget=GovTextArea(),
        filters=[trim],
    )
    version = HiddenField()
    submit = SubmitField("Save benefit", widget=GovSubmitInput())

    @classmethod
    def for_benefit(cls, benefit: Benefit) -> BenefitForm:
        """The form filled in with a benefit as saved."""
        return cls(
            data={
                "title": benefit.title,
                "benefit_type": benefit.benefit_type.value,
                "measure": benefit.measure,
                "unit": benefit.unit,
                "direction": benefit.direction.value,
                "adoption_measure": benefit.adoption_measure,
                "baseline_value": benefit.baseline_value,
                "baseline_date": benefit.baseline_date,
                "target_value": benefit.target_value,
                "target_date": benefit.target_date,
                "owner": benefit.owner,
                "notes": benefit.notes,
                "version": str(benefit.version),
            }
        )

    def values(self) -> BenefitValues:
        """The validated input, typed for the service."""
        return BenefitValues(
            title=self.title.data or "",
            benefit_type=BenefitType(self.benefit_type.data),
            measure=self.measure.data or "",
            unit=self.unit.data or "",
            direction=Direction(self.direction.data),
            adoption_measure=bool(self.adoption_measure.data),
            baseline_value=self.baseline_value.data,
            baseline_date=self.baseline_date.data,
            target_value=self.target_value.data,
            target_date=self.target_date.data,
            owner=self.owner.data or "",
            notes=self.notes.data or "",
        )


class MeasurementForm(FlaskForm):
    on_date = GovDateField(
        "Date measured",
        [required("Enter the date the value was measured")],
        description="Today or earlier, for example 27 3 2026",
    )
    value = MeasureField("Value", [required("Enter the value measured")])
    note = TextAreaField(
        "Note (optional)",
        [Length(max=1000, message="The note must be 1,000 characters or fewer")],
        widget=GovTextArea(),
        filters=[trim],
        description="Where the figure comes from, or anything that explains it",
    )
    submit = SubmitField("Record measurement", widget=GovSubmitInput())


STATUS_CHOICES = [
    SelectChoice("tracking", "Being measured: the benefit is still to be realised"),
    SelectChoice("realised", "Realised: the benefit has been achieved and is part of the service"),
    SelectChoice("written_off", "Written off: the benefit will not be realised"),
]


class StatusForm(FlaskForm):
    status = RadioField(
        "Status",
        choices=STATUS_CHOICES,
        widget=GovRadioInput(),
        invalid_choice_message="Select whether the benefit is being measured, realised or written off",
    )
    status_reason = TextAreaField(
        "Reason",
        [Length(max=2000, message="The reason must be 2,000 characters or fewer")],
        widget=GovTextArea(),
        filters=[trim],
        description="Needed when writing the benefit off: why it will not be realised",
    )
    handed_over_on = GovDateField(
        "Handed over to the service on (optional)",
        description="When the programme handed the benefit to its owner in the service, like 31 3 2027",
    )
    version = HiddenField()
    submit = SubmitField("Save status", widget=GovSubmitInput())

    @classmethod
    def for_benefit(cls, benefit: Benefit) -> StatusForm:
        """The form filled in with the benefit's status as saved."""
        return cls(
            data={
                "status": benefit.status.value,
                "status_reason": benefit.status_reason,
                "handed_over_on": benefit.handed_over_on,
                "version": str(benefit.version),
            }
        )

    def values(self) -> StatusValues:
        """The validated input, typed for the service."""
        return StatusValues(
            status=BenefitStatus(self.status.data),
            status_reason=self.status_reason.data or "",
            handed_over_on=self.handed_over_on.data,
        )


class ConfirmForm(FlaskForm):
    """A button, the CSRF token and the version seen: enough to confirm a deletion."""

    version = HiddenField()
    submit = SubmitField("Yes, delete it", widget=GovSubmitInput())


class PointForm(Form):
    """One planned value: a date and what the benefit should measure by then."""

    on_date = GovDateField("Date")
    value = MeasureField("Planned value")


class TrajectoryForm(FlaskForm):
    points = RowList(FormField(PointForm), min_entries=1, max_entries=MAX_POINTS + TRAJECTORY_BLANK_ROWS)
    version = HiddenField()
    more = SubmitField("Add more rows", widget=GovSubmitInput())
    submit = SubmitField("Save planned values", widget=GovSubmitInput())

    @classmethod
    def for_benefit(cls, benefit: Benefit) -> TrajectoryForm:
        """The saved plan, or the baseline and target as a start, with blank rows to add to."""
        rows: list[dict[str, Any]] = [{"on_date": p.on_date, "value": p.value} for p in benefit.trajectory]
        if not rows:
            rows = [
                {"on_date": on_date, "value": value}
                for on_date, value in (
                    (benefit.baseline_date, benefit.baseline_value),
                    (benefit.target_date, benefit.target_value),
                )
                if on_date is not None and value is not None
            ]
        rows += [{"on_date": None, "value": None}] * TRAJECTORY_BLANK_ROWS
        return cls(data={"points": rows, "version": str(benefit.version)})

    def add_rows(self, count: int = TRAJECTORY_BLANK_ROWS) -> None:
        """More blank rows, without saving anything."""
        for _ in range(min(count, MAX_POINTS + TRAJECTORY_BLANK_ROWS - len(self.points))):
            self.points.append_entry()

    def validate(self, extra_validators: Any = None) -> bool:
        """Each row needs both a date and a value, or neither; errors name their row."""
        valid = super().validate(extra_validators)
        for number, entry in enumerate(self.points, start=1):
            row = entry.form
            if not row.on_date.errors and not row.value.errors:
                if row.on_date.data is None and row.value.data is not None:
                    row.on_date.errors = ["Enter the date"]
                elif row.value.data is None and row.on_date.data is not None:
                    row.value.errors = ["Enter the planned value"]
            for field in (row.on_date, row.value):
                field.errors = [f"Row {number}: {message}" for message in field.errors]
                valid = valid and not field.errors
        # The list keeps a copy of its rows' errors from validation: refresh it.
        row_errors = [entry.errors for entry in self.points.entries]
        self.points.errors = row_errors if any(row_errors) else []
        return valid

    def planned_points(self) -> list[tuple[date, Decimal]]:
        """The filled-in rows as (date, value)."""
        return [
            (entry.form.on_date.data, entry.form.value.data)
            for entry in self.points
            if entry.form.on_date.data is not None and entry.form.value.data is not None
        ]
