"""Action and decision forms. They collect; the RAID service decides."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.domain.vocabulary import label
from tracker.models import ActionStatus, Decision, DecisionStatus, ProgrammeAction, RegisterEntry
from tracker.services.raid import ActionValues, DecisionValues
from tracker.web.fields import GovDateField
from tracker.web.forms_support import trim
from tracker.web.register.forms import long_text, radios

NO_ENTRY = ""
ACTION_STATUS_CHOICES = [SelectChoice("open", "Open"), SelectChoice("done", "Done")]
DECISION_STATUS_CHOICES = [
    SelectChoice("proposed", "Proposed: waiting for a decision"),
    SelectChoice("made", "Made"),
    SelectChoice("superseded", "Superseded by a later decision"),
]


def _title() -> StringField:
    return StringField(
        "Title",
        [DataRequired("Enter the title"), Length(max=200, message="Title must be 200 characters or fewer")],
        widget=GovTextInput(),
        filters=[trim],
    )


def _name(label_text: str, hint: str) -> StringField:
    return StringField(
        label_text,
        [Length(max=120, message=f"{label_text.split(' (')[0]} must be 120 characters or fewer")],
        widget=GovTextInput(),
        filters=[trim],
        description=hint,
    )


class ActionForm(FlaskForm):
    title = _title()
    description = long_text("Description (optional)", 2000, "What is to be done, and what done looks like")
    owner = _name("Owner", "The person who will do it, or see that it is done")
    due_date = GovDateField(
        "Due date (optional)", description="Leave it blank if it is not known yet. For example, 27 3 2027"
    )
    entry_id = SelectField(
        "Responds to (optional)",
        widget=GovSelect(),
        description="The risk or issue this action deals with, if any",
        validate_choice=True,
    )
    status = radios("Status", ACTION_STATUS_CHOICES, "Select whether it is open or done")
    done_on = GovDateField(
        "Date done (optional)", description="If it is done: leave it blank for today. For example, 27 3 2027"
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())

    def offer_entries(self, entries: Iterable[RegisterEntry]) -> ActionForm:
        """The programme's risks and issues to choose from, open ones and the one already chosen."""
        chosen = self.entry_id.data
        self.entry_id.choices = [SelectChoice(NO_ENTRY, "None")] + [
            SelectChoice(str(entry.id), f"{label(entry.kind)}: {entry.title}")
            for entry in entries
            if entry.status.value == "open" or str(entry.id) == chosen
        ]
        return self

    @classmethod
    def blank(cls) -> ActionForm:
        return cls(data={"status": "open", "entry_id": NO_ENTRY})

    @classmethod
    def for_action(cls, action: ProgrammeAction) -> ActionForm:
        """The form filled in with an action as saved."""
        return cls(
            data={
                "title": action.title,
                "description": action.description,
                "owner": action.owner,
                "due_date": action.due_date,
                "entry_id": NO_ENTRY if action.entry_id is None else str(action.entry_id),
                "status": action.status.value,
                "done_on": action.done_on,
                "version": str(action.version),
            }
        )

    def values(self) -> ActionValues:
        """The validated input, typed for the service."""
        entry = self.entry_id.data or NO_ENTRY
        return ActionValues(
            title=self.title.data or "",
            description=self.description.data or "",
            owner=self.owner.data or "",
            due_date=self.due_date.data,
            entry_id=int(entry) if entry.isdigit() else None,
            status=ActionStatus(self.status.data),
            done_on=self.done_on.data,
        )


class DecisionForm(FlaskForm):
    title = _title()
    detail = long_text(
        "What was decided and why", 4000, "The decision, the options considered and the reasons"
    )
    decided_by = _name("Decided by", "A person or a board, for example, Programme board")
    decided_on = GovDateField("Date decided (optional)", description="For example, 27 3 2027")
    status = radios("Status", DECISION_STATUS_CHOICES, "Select whether it is proposed, made or superseded")
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())

    @classmethod
    def blank(cls) -> DecisionForm:
        return cls(data={"status": "made"})

    @classmethod
    def for_decision(cls, decision: Decision) -> DecisionForm:
        """The form filled in with a decision as saved."""
        return cls(
            data={
                "title": decision.title,
                "detail": decision.detail,
                "decided_by": decision.decided_by,
                "decided_on": decision.decided_on,
                "status": decision.status.value,
                "version": str(decision.version),
            }
        )

    def values(self) -> DecisionValues:
        """The validated input, typed for the service."""
        return DecisionValues(
            title=self.title.data or "",
            detail=self.detail.data or "",
            decided_by=self.decided_by.data or "",
            decided_on=self.decided_on.data,
            status=DecisionStatus(self.status.data),
        )
