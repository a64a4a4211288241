"""Change request forms: raising one (its kind chosen first, then what it moves), withdrawing one and
deciding one. They collect; the services decide."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from tracker.models import Benefit, ChangeRequestKind
from tracker.services.changes.requests import Proposal
from tracker.web.benefits.forms import MeasureField
from tracker.web.fields import GovDateField, MoneyField
from tracker.web.forms_support import trim
from tracker.web.widgets import GovRadioInput

TEXT_MAX = 4000
KIND_CHOICES = [
    SelectChoice("scope", "Scope: what the programme will deliver"),
    SelectChoice("time", "Time: the programme's baseline end date"),
    SelectChoice("cost", "Cost: the whole-life cost baseline"),
    SelectChoice("benefits", "Benefits: a benefit's target value or date"),
]


def _long_text(label: str, hint: str, *checks: object) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        description=hint,
        filters=[trim],
        validators=[
            *checks,
            Length(max=TEXT_MAX, message=f"{label} must be {TEXT_MAX:,} characters or fewer"),
        ],
    )


class ChangeRequestForm(FlaskForm):
    kind = RadioField(
        "What would the change alter?",
        choices=KIND_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose what the change would alter")],
        invalid_choice_message="Choose what the change would alter",
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[trim],
        validators=[
            InputRequired("Enter a title for the change"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    description = _long_text("Description of the change", "What would change, and why it is needed")
    impact = _long_text(
        "Impact",
        "What the change means for the programme, the service and residents, and the risk of not making it",
        InputRequired("Describe the impact of the change on the programme and the service"),
    )
    proposed_end_date = GovDateField("New baseline end date", description="For example, 31 3 2028")
    proposed_whole_life_baseline = MoneyField(
        "New whole-life cost baseline", description="In pounds, for example 1,250,000"
    )
    benefit_id = SelectField("Benefit", widget=GovSelect(), choices=[], validate_choice=False)
    proposed_target_value = MeasureField(
        "New target value", description="Leave blank to keep the target value"
    )
    proposed_target_date = GovDateField("New target date", description="Leave blank to keep the target date")
    submit = SubmitField("Send to the CIO", widget=GovSubmitInput())

    def offer_benefits(self, benefits: list[Benefit]) -> None:
        """The programme's own benefits to choose from (the service refuses any other)."""
        self.benefit_id.choices = [SelectChoice("", "Choose a benefit")] + [
            SelectChoice(str(benefit.id), benefit.title) for benefit in benefits
        ]

    def chosen_benefit(self) -> int | None:
        text = (self.benefit_id.data or "").strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None

    def proposal(self) -> Proposal:
        """What was asked, keeping only the fields of the chosen kind."""
        kind = ChangeRequestKind(self.kind.data)
        return Proposal(
            kind=kind,
            title=self.title.data or "",
            description=self.description.data or "",
            impact=self.impact.data or "",
            proposed_end_date=self.proposed_end_date.data if kind is ChangeRequestKind.TIME else None,
            proposed_whole_life_baseline=(
                self.proposed_whole_life_baseline.data if kind is ChangeRequestKind.COST else None
            ),
            benefit_id=self.chosen_benefit() if kind is ChangeRequestKind.BENEFITS else None,
            proposed_target_value=self.proposed_target_value.data
            if kind is ChangeRequestKind.BENEFITS
            else None,
            proposed_target_date=self.proposed_target_date.data
            if kind is ChangeRequestKind.BENEFITS
            else None,
        )

    def validate(self, extra_validators: Any = None) -> bool:
        super().validate(extra_validators)
        self._drop_other_kinds()
        return not self.errors

    def _drop_other_kinds(self) -> None:
        """An error in a field of a kind not chosen is no error: that field is not sent."""
        wanted = {
            "time": {"proposed_end_date"},
            "cost": {"proposed_whole_life_baseline"},
            "benefits": {"benefit_id", "proposed_target_value", "proposed_target_date"},
        }.get(self.kind.data or "", set())
        for name in ALL_MOVES - wanted:
            self[name].errors = []


ALL_MOVES = {
    "proposed_end_date",
    "proposed_whole_life_baseline",
    "benefit_id",
    "proposed_target_value",
    "proposed_target_date",
}


class WithdrawForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField("Yes, withdraw it", widget=GovSubmitInput())


class ChangeDecisionForm(FlaskForm):
    version = HiddenField()
    decision = RadioField(
        "Do you approve the change?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("approve", "Approve: move the baselines it names"),
            SelectChoice("reject", "Reject: nothing moves"),
        ],
        validators=[InputRequired("Choose whether to approve or reject the change request")],
    )
    note = _long_text("Note", "Needed when rejecting; the programme manager sees it on the request")
    submit = SubmitField("Save decision", widget=GovSubmitInput())
