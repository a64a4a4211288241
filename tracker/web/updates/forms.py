"""Status update forms: the highlight report and the submit confirmation."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import Field, Form, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from tracker.models import Rag, StatusUpdate
from tracker.services.errors import ServiceError
from tracker.services.status_updates import UpdateValues
from tracker.web.fields import GovDateField

RAG_CHOICES = [SelectChoice("green", "Green"), SelectChoice("amber", "Amber"), SelectChoice("red", "Red")]
DIMENSION_LABELS = {
    "schedule": "Schedule",
    "cost": "Cost",
    "benefits": "Benefits",
    "resources": "Resources",
}


FIRST_YEAR, LAST_YEAR = 1990, 2100


class DateField(GovDateField):
    """The shared three-box date, kept to sensible years, and safe with missing or huge parts."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            self.raw_data = ["", "", ""]  # the widget unpacks three values
            return
        try:
            super().process_formdata(valuelist)
        except OverflowError:  # a day or month too long for a machine integer
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date") from None
        if self.data is not None and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValueError(f"{self.label.text} must be between {FIRST_YEAR} and {LAST_YEAR}")


def clean(value: Any) -> Any:
    """Trim text and drop NUL characters, which no database column accepts."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def add_service_error(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's refusal beside the field it concerns, or at the top of the form."""
    field = getattr(error, "field", None)
    if field and field in form._fields:
        form[field].errors = [*form[field].errors, error.message]
    else:
        form.form_errors.append(error.message)


def required(message: str) -> Any:
    """Require a date, unless the date field has already said what is wrong with it."""

    def check(form: Form, field: Field) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(message)

    return check


def _rag(label: str) -> RadioField:
    return RadioField(
        label,
        choices=RAG_CHOICES,
        widget=GovRadioInput(),
        invalid_choice_message=f"Select green, amber or red for {label.lower()}",
    )


class UpdateForm(FlaskForm):
    period_start = DateField(
        "Start of the period",
        [required("Enter the start of the period")],
        description="For example, 1 3 2026",
    )
    period_end = DateField(
        "End of the period", [required("Enter the end of the period")], description="For example, 31 3 2026"
    )
    overall = _rag("Overall")
    schedule = _rag("Schedule")
    cost = _rag("Cost")
    benefits = _rag("Benefits")
    resources = _rag("Resources")
    narrative = TextAreaField(
        "Narrative",
        [
            DataRequired("Enter the narrative"),
            Length(max=5000, message="The narrative must be 5,000 characters or fewer"),
        ],
        widget=GovTextArea(),
        filters=[clean],
        description="What happened in the period, what is at risk, and what decisions or help are needed",
    )
    submit = SubmitField("Save draft", widget=GovSubmitInput())

    @classmethod
    def starting_after(cls, previous: StatusUpdate | None, today: date) -> UpdateForm:
        """A new report picks up the day after the last one ended, up to today."""
        start = previous.period_end + timedelta(days=1) if previous else today - timedelta(days=6)
        return cls(data={"period_start": min(start, today), "period_end": today})

    @classmethod
    def for_update(cls, update: StatusUpdate) -> UpdateForm:
        """The form filled in with a draft as saved."""
        return cls(
            data={
                "period_start": update.period_start,
                "period_end": update.period_end,
                "overall": update.overall.value,
                "schedule": update.schedule.value,
                "cost": update.cost.value,
                "benefits": update.benefits.value,
                "resources": update.resources.value,
                "narrative": update.narrative,
            }
        )

    def values(self) -> UpdateValues:
        """The validated input, typed for the service."""
        return UpdateValues(
            period_start=self.period_start.data,
            period_end=self.period_end.data,
            overall=Rag(self.overall.data),
            schedule=Rag(self.schedule.data),
            cost=Rag(self.cost.data),
            benefits=Rag(self.benefits.data),
            resources=Rag(self.resources.data),
            narrative=self.narrative.data or "",
        )


class SubmitForm(FlaskForm):
    """The CSRF token and a button: submitting needs a deliberate second step."""

    submit = SubmitField("Submit update", widget=GovSubmitInput())
