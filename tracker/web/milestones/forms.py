"""Milestone forms: add and edit, the one-page update of every open milestone, re-baselining."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import (
    BooleanField,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from tracker.domain.vocabulary import MILESTONE_KIND_LABELS, MILESTONE_STATUS_LABELS
from tracker.models import Milestone, MilestoneKind, MilestoneStatus
from tracker.services.milestones.records import Details, Progress
from tracker.web.fields import GovDateField, RowList
from tracker.web.forms_support import hidden_int, required
from tracker.web.saving import offer_version
from tracker.web.widgets import GovCheckboxInput, GovRadioInput

REASON_MAX = 1000
MAX_ROWS = 500
KIND_CHOICES = [SelectChoice(kind.value, label) for kind, label in MILESTONE_KIND_LABELS.items()]
STATUS_CHOICES = [SelectChoice(status.value, label) for status, label in MILESTONE_STATUS_LABELS.items()]


def reason_field(label: str, hint: str, *checks: Any) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        validators=[
            *checks,
            Length(max=REASON_MAX, message=f"{label} must be {REASON_MAX} characters or fewer"),
        ],
    )


def status_field() -> SelectField:
    return SelectField(
        "Status", widget=GovSelect(), choices=STATUS_CHOICES, default=MilestoneStatus.NOT_STARTED.value
    )


class MilestoneForm(FlaskForm):
    """Add a milestone: the first baseline is both the original and the latest approved."""

    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter a title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    kind = RadioField(
        "Kind of milestone",
        widget=GovRadioInput(),
        choices=KIND_CHOICES,
        validators=[InputRequired("Choose a kind")],
    )
    critical = BooleanField("Critical to the programme's success", widget=GovCheckboxInput())
    owner = StringField(
        "Owner",
        widget=GovTextInput(),
        description="The person who answers for this milestone",
        validators=[Length(max=120, message="Owner must be 120 characters or fewer")],
    )
    baseline_date = GovDateField(
        "Baseline date",
        description="The date agreed when the milestone was planned, for example 27 3 2027",
        validators=[required("Enter the baseline date")],
    )
    forecast_date = GovDateField("Forecast date", description="Leave blank if it is the baseline date")
    actual_date = GovDateField("Actual date", description="Only once the milestone is complete")
    status = status_field()
    submit = SubmitField("Save milestone", widget=GovSubmitInput())


class EditMilestoneForm(MilestoneForm):
    """Edit a milestone; its baselines move only through an approved re-baseline request."""

    baseline_date = None
    forecast_date = GovDateField("Forecast date", validators=[required("Enter the forecast date")])
    reason = reason_field("Reason for any change of dates or status", "Needed when the forecast moves")
    version = hidden_int("Version")


class MilestoneRowForm(Form):
    """One open milestone on the 'Update milestones' page (a subform: the page has the CSRF token)."""

    milestone_id = hidden_int("Milestone")
    version = hidden_int("Version")
    forecast_date = GovDateField("Forecast date", validators=[required("Enter the forecast date")])
    actual_date = GovDateField("Actual date")
    status = status_field()
    reason = reason_field("Reason", "Needed when the forecast moves")


class UpdateMilestonesForm(FlaskForm):
    rows = RowList(FormField(MilestoneRowForm), max_entries=MAX_ROWS)
    submit = SubmitField("Save all milestones", widget=GovSubmitInput())

    def offer_versions(self, milestones: dict[int, Milestone], stale: Collection[int]) -> None:
        """Rows someone else changed meanwhile take the saved version: saving again replaces theirs."""
        for row in self.rows:
            current = milestones.get(row.form.milestone_id.data or 0)
            if current is not None and current.id in stale:
                offer_version(row.form.version, current.version)


class RebaselineForm(FlaskForm):
    proposed_date = GovDateField(
        "Proposed new baseline date",
        description="For example 27 3 2027",
        validators=[required("Enter the proposed new baseline date")],
    )
    reason = reason_field(
        "Why the baseline should move",
        "The CIO reads this when deciding",
        InputRequired("Give a reason for the new baseline"),
    )
    submit = SubmitField("Send request to the CIO", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Do you approve the new baseline?",
        widget=GovRadioInput(),
        choices=[SelectChoice("approve", "Approve: move the baseline"), SelectChoice("reject", "Reject")],
        validators=[InputRequired("Choose whether to approve or reject the request")],
    )
    note = reason_field("Note", "Needed when rejecting; the programme manager sees it in the history")
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class DeleteForm(FlaskForm):
    version = hidden_int("Version")
    submit = SubmitField("Yes, delete it", widget=GovSubmitInput())


def progress_rows(form: UpdateMilestonesForm) -> list[Progress]:
    """The posted rows as the service takes them (the form has validated every one)."""
    return [
        Progress(
            milestone_id=row.form.milestone_id.data,
            expected_version=row.form.version.data,
            forecast_date=row.form.forecast_date.data,
            actual_date=row.form.actual_date.data,
            status=MilestoneStatus(row.form.status.data),
            reason=row.form.reason.data or "",
        )
        for row in form.rows
    ]


def show_row_errors(form: UpdateMilestonesForm, errors: dict[int, dict[str, str]]) -> None:
    """Put the service's rule breaks beside the fields of the rows they concern; a field the form
    refused keeps its own error alone."""
    for row in form.rows:
        for name, message in errors.get(row.form.milestone_id.data, {}).items():
            if not row.form[name].errors:
                row.form[name].errors = [message]


def row_problems(
    form: UpdateMilestonesForm,
    milestones: dict[int, Milestone],
    conflicts: dict[int, str],
    general: list[str],
) -> list[dict[str, str]]:
    """The error summary for the whole page, each message naming its milestone."""
    problems = [{"text": text, "href": "#main-content"} for text in general]
    for row in form.rows:
        milestone = milestones.get(row.form.milestone_id.data or 0)
        title = milestone.title if milestone else "A milestone"
        if milestone is not None and milestone.id in conflicts:
            problems.append({"text": conflicts[milestone.id], "href": f"#milestone-row-{milestone.id}"})
        for field in row.form:
            if field.errors:
                href = f"#{field.id}-day" if isinstance(field, GovDateField) else f"#{field.id}"
                problems.append({"text": f"{title}: {field.errors[0]}", "href": href})
    return problems


def details_from(form: MilestoneForm) -> Details:
    """What the add and edit forms say about the milestone itself."""
    return Details(
        title=form.title.data or "",
        kind=MilestoneKind(form.kind.data),
        critical=bool(form.critical.data),
        owner=form.owner.data or "",
    )


def progress_from(form: EditMilestoneForm, milestone_id: int) -> Progress:
    """The edit form's dates and status, with the version it was built from."""
    return Progress(
        milestone_id=milestone_id,
        expected_version=form.version.data,
        forecast_date=form.forecast_date.data,
        actual_date=form.actual_date.data,
        status=MilestoneStatus(form.status.data),
        reason=form.reason.data or "",
    )


def milestone_data(milestone: Milestone) -> dict[str, object]:
    """The edit form filled from the saved milestone (no forecast reads as the baseline)."""
    return {
        "title": milestone.title,
        "kind": milestone.kind.value,
        "critical": milestone.critical,
        "owner": milestone.owner,
        "forecast_date": milestone.forecast_date or milestone.baseline_date,
        "actual_date": milestone.actual_date,
        "status": milestone.status.value,
        "version": milestone.version,
    }


def row_data(milestone: Milestone) -> dict[str, object]:
    """One row of the update page filled from the saved milestone."""
    return {
        "milestone_id": milestone.id,
        "version": milestone.version,
        "forecast_date": milestone.forecast_date or milestone.baseline_date,
        "actual_date": milestone.actual_date,
        "status": milestone.status.value,
    }
