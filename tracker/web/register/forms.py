"""Register forms: a risk or issue, and confirmations. They collect; the register service decides."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.models import EntryKind, EntryStatus, RegisterEntry, Response
from tracker.services.register import EntryValues
from tracker.web.fields import GovDateField
from tracker.web.forms_support import trim
from tracker.web.widgets import GovRadioInput

KIND_CHOICES = [
    SelectChoice("risk", "Risk: something that may happen"),
    SelectChoice("issue", "Issue: something that has happened"),
]
LIKELIHOOD_CHOICES = [
    SelectChoice("1", "1: Rare"),
    SelectChoice("2", "2: Unlikely"),
    SelectChoice("3", "3: Possible"),
    SelectChoice("4", "4: Likely"),
    SelectChoice("5", "5: Almost certain"),
]
IMPACT_CHOICES = [
    SelectChoice("1", "1: Very low"),
    SelectChoice("2", "2: Low"),
    SelectChoice("3", "3: Medium"),
    SelectChoice("4", "4: High"),
    SelectChoice("5", "5: Very high"),
]
RESPONSE_CHOICES = [
    SelectChoice("tolerate", "Tolerate: accept it and watch it"),
    SelectChoice("treat", "Treat: act to make it less likely or less harmful"),
    SelectChoice("transfer", "Transfer: pass it to someone better placed, like a supplier or insurer"),
    SelectChoice("terminate", "Terminate: stop doing what causes it"),
]
STATUS_CHOICES = [SelectChoice("open", "Open"), SelectChoice("closed", "Closed")]


def radios(label: str, choices: list[SelectChoice], message: str) -> RadioField:
    return RadioField(label, choices=choices, widget=GovRadioInput(), invalid_choice_message=message)


def long_text(label: str, length: int, hint: str | None = None) -> TextAreaField:
    message = f"{label.split(' (')[0]} must be {length:,} characters or fewer"
    return TextAreaField(
        label, [Length(max=length, message=message)], widget=GovTextArea(), filters=[trim], description=hint
    )


class EntryForm(FlaskForm):
    kind = radios("Risk or issue?", KIND_CHOICES, "Select whether this is a risk or an issue")
    title = StringField(
        "Title",
        [DataRequired("Enter the title"), Length(max=200, message="Title must be 200 characters or fewer")],
        widget=GovTextInput(),
        filters=[trim],
    )
    description = long_text("Description (optional)", 2000, "What could happen, or has happened, and why")
    likelihood = radios("Likelihood", LIKELIHOOD_CHOICES, "Select the likelihood, from 1 to 5")
    impact = radios("Impact", IMPACT_CHOICES, "Select the impact, from 1 to 5")
    owner = StringField(
        "Owner",
        [Length(max=120, message="Owner must be 120 characters or fewer")],
        widget=GovTextInput(),
        filters=[trim],
        description="The person who manages this risk or issue",
    )
    response = radios("Response", RESPONSE_CHOICES, "Select the response")
    mitigation = long_text("Mitigation", 2000, "What is being done, by whom and by when")
    review_date = GovDateField("Review date (optional)", description="For example, 27 3 2027")
    status = radios("Status", STATUS_CHOICES, "Select whether it is open or closed")
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())

    @classmethod
    def blank(cls) -> EntryForm:
        """A new entry: a risk, treated, open."""
        return cls(data={"kind": "risk", "response": "treat", "status": "open"})

    @classmethod
    def for_entry(cls, entry: RegisterEntry) -> EntryForm:
        """The form filled in with an entry as saved."""
        return cls(
            data={
                "kind": entry.kind.value,
                "title": entry.title,
                "description": entry.description,
                "likelihood": str(entry.likelihood),
                "impact": str(entry.impact),
                "owner": entry.owner,
                "response": entry.response.value,
                "mitigation": entry.mitigation,
                "review_date": entry.review_date,
                "status": entry.status.value,
                "version": str(entry.version),
            }
        )

    def values(self) -> EntryValues:
        """The validated input, typed for the service."""
        return EntryValues(
            kind=EntryKind(self.kind.data),
            title=self.title.data or "",
            description=self.description.data or "",
            likelihood=int(self.likelihood.data),
            impact=int(self.impact.data),
            owner=self.owner.data or "",
            response=Response(self.response.data),
            mitigation=self.mitigation.data or "",
            review_date=self.review_date.data,
            status=EntryStatus(self.status.data),
        )


class ConfirmForm(FlaskForm):
    """A button, the CSRF token and the version seen: enough to confirm an action."""

    version = HiddenField()
    submit = SubmitField("Confirm", widget=GovSubmitInput())
