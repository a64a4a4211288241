"""Forms of the gate pages: the checklist a programme answers, the approver's decision, the plan date
and the council's stage model."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import BooleanField, HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from tracker.domain.stage_models import APPROVER_ROLES, MODELS, Gate, StageModel
from tracker.domain.vocabulary import GateStatus, label
from tracker.web.fields import GovDateField
from tracker.web.forms_support import choices, trim
from tracker.web.widgets import GovCheckboxInput, GovRadioInput

LIMIT = 4000


class AskForm(FlaskForm):
    """One checkbox and one note per checklist item, added by `for_gate`, and the case for passing."""

    summary = TextAreaField(
        "The case for passing the gate",
        widget=GovTextArea(),
        description="What the approver should read: the evidence, and anything still open",
        filters=[trim],
        validators=[Length(max=LIMIT)],
    )
    version = HiddenField()
    submit = SubmitField("Ask for the decision", widget=GovSubmitInput())

    @classmethod
    def for_gate(cls, gate: Gate) -> AskForm:
        """A form class with fields met_N and note_N for each of the gate's checklist items."""

        class Answers(cls):  # type: ignore[valid-type, misc]
            pass

        for number, item in enumerate(gate.checklist):
            setattr(Answers, f"met_{number}", BooleanField(item, widget=GovCheckboxInput()))
            setattr(
                Answers,
                f"note_{number}",
                TextAreaField(
                    f"Note on “{item}”",
                    widget=GovTextArea(),
                    description="Needed if it is not met",
                    filters=[trim],
                    validators=[Length(max=1000)],
                ),
            )
        return Answers()

    def answers(self, checklist: Sequence[str]) -> list[tuple[str, bool, str]]:
        return [
            (item, bool(self[f"met_{number}"].data), self[f"note_{number}"].data or "")
            for number, item in enumerate(checklist)
        ]


class DecideForm(FlaskForm):
    outcome = RadioField(
        "Your decision",
        widget=GovRadioInput(),
        choices=choices(
            [
                (GateStatus.APPROVED, "Approve: the programme moves to the next stage"),
                (GateStatus.DEFERRED, "Defer: decide later, when more is known"),
                (GateStatus.REJECTED, "Reject: the programme stays in its stage"),
            ]
        ),
        validators=[InputRequired("Choose whether to approve, defer or reject")],
    )
    conditions = TextAreaField(
        "Conditions of approval (optional)",
        widget=GovTextArea(),
        description="What the programme must do as it goes on; kept on its History",
        filters=[trim],
        validators=[Length(max=LIMIT)],
    )
    note = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        description="Needed to defer or reject",
        filters=[trim],
        validators=[Length(max=LIMIT)],
    )
    version = HiddenField()
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class PlanForm(FlaskForm):
    planned_gate_date = GovDateField(
        "Planned date of the gate",
        description="For example, 27 3 2027. Leave it empty if there is no plan yet.",
    )
    version = HiddenField()
    submit = SubmitField("Save the date", widget=GovSubmitInput(), name="plan")


class WithdrawForm(FlaskForm):
    submit = SubmitField("Withdraw the request", widget=GovSubmitInput())


class StageModelForm(FlaskForm):
    """The model, and a checklist (one item a line) and an approver for each of its gates (added by
    `for_model`)."""

    model = RadioField(
        "Stage model",
        widget=GovRadioInput(),
        choices=choices((model.key, model.name) for model in MODELS.values()),
        validators=[InputRequired("Choose a stage model")],
    )
    submit = SubmitField("Save the stage model", widget=GovSubmitInput())

    @classmethod
    def for_model(cls, model: StageModel) -> StageModelForm:
        class Gates(cls):  # type: ignore[valid-type, misc]
            pass

        for gate in model.gates:
            setattr(
                Gates,
                f"checklist_{gate.key}",
                TextAreaField(
                    f"Checklist of “{gate.name}”", widget=GovTextArea(), description="One item a line"
                ),
            )
            setattr(
                Gates,
                f"approver_{gate.key}",
                RadioField(
                    f"Who approves “{gate.name}”",
                    widget=GovRadioInput(),
                    choices=choices((role, label(role)) for role in APPROVER_ROLES),
                    validate_choice=False,
                ),
            )
        return Gates()
