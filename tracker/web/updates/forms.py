"""Status update forms: the highlight report and the submit confirmation."""

from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.models import Rag, StatusUpdate
from tracker.services.programmes.status_updates import UpdateValues
from tracker.web.fields import GovDateField
from tracker.web.forms_support import required, trim
from tracker.web.widgets import GovRadioInput

RAG_CHOICES = [SelectChoice("green", "Green"), SelectChoice("amber", "Amber"), SelectChoice("red", "Red")]


def _rag(label: str) -> RadioField:
    return RadioField(
        label,
        choices=RAG_CHOICES,
        widget=GovRadioInput(),
        invalid_choice_message=f"Select green, amber or red for {label.lower()}",
    )


class UpdateForm(FlaskForm):
    period_start = GovDateField(
        "Start of the period",
        [required("Enter the start of the period")],
        description="For example, 1 3 2026",
    )
    period_end = GovDateField(
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
        filters=[trim],
        description="What happened in the period, what is at risk, and what decisions or help are needed",
    )
    version = HiddenField()
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
                "version": str(update.version),
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
    """The CSRF token, the version read and a button: submitting needs a deliberate second step."""

    version = HiddenField()
    submit = SubmitField("Submit update", widget=GovSubmitInput())
