"""Pipeline forms: a programme's scores, the weights and envelope, and saving a scenario. They collect;
the pipeline services decide."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from tracker.domain.pipeline import CRITERIA, MAX_SCORE, MAX_WEIGHT, MIN_SCORE, MIN_WEIGHT
from tracker.services.pipeline.scenarios import MAX_NAME, MAX_NOTE
from tracker.services.pipeline.settings import PipelineSettings
from tracker.web.forms_support import trim
from tracker.web.widgets import GovRadioInput

NOT_SCORED = ""
SCORE_CHOICES = [SelectChoice(NOT_SCORED, "Not scored")] + [
    SelectChoice(str(value), str(value)) for value in range(MIN_SCORE, MAX_SCORE + 1)
]


class ScoresForm(FlaskForm):
    """One radio group per criterion, added below from CRITERIA."""

    submit = SubmitField("Save scores", widget=GovSubmitInput())

    def score_fields(self) -> list[RadioField]:
        return [getattr(self, criterion.key) for criterion in CRITERIA]

    def values(self) -> dict[str, str | None]:
        return {
            criterion.key: None if self[criterion.key].errors else (self[criterion.key].data or "")
            for criterion in CRITERIA
        }

    def fill(self, scores: dict[str, int]) -> None:
        for criterion in CRITERIA:
            self[criterion.key].data = str(scores[criterion.key]) if criterion.key in scores else NOT_SCORED


for _criterion in CRITERIA:
    setattr(
        ScoresForm,
        _criterion.key,
        RadioField(
            _criterion.label,
            choices=SCORE_CHOICES,
            default=NOT_SCORED,
            widget=GovRadioInput(),
            description=f"0 to 5: {_criterion.best}. Not scored leaves it unknown.",
            invalid_choice_message=f"Choose a score for {_criterion.label.lower()} from 0 to 5",
        ),
    )


class PipelineSettingsForm(FlaskForm):
    """A weight per criterion (fields added below) and the next financial year's envelope."""

    envelope = StringField(
        "Budget envelope",
        [Length(max=40, message="Enter the envelope as an amount, like £2,500,000")],
        widget=GovTextInput(),
        filters=[trim],
        description="Pounds, like £2,500,000. Leave blank if it is not yet set.",
    )
    submit = SubmitField("Save pipeline settings", widget=GovSubmitInput())

    def weight_fields(self) -> list[StringField]:
        return [getattr(self, f"weight_{criterion.key}") for criterion in CRITERIA]

    def weights(self) -> dict[str, str | None]:
        return {
            criterion.key: None
            if self[f"weight_{criterion.key}"].errors
            else (self[f"weight_{criterion.key}"].data or "")
            for criterion in CRITERIA
        }

    def fill(self, settings: PipelineSettings, year: int) -> None:
        for criterion in CRITERIA:
            self[f"weight_{criterion.key}"].data = str(settings.weights[criterion.key])
        envelope = settings.envelope(year)
        self.envelope.data = "" if envelope is None else f"£{envelope:,.2f}".removesuffix(".00")


for _criterion in CRITERIA:
    setattr(
        PipelineSettingsForm,
        f"weight_{_criterion.key}",
        StringField(
            _criterion.label,
            [Length(max=4, message=f"Enter the weight of {_criterion.label.lower()} from 0 to 10")],
            widget=GovTextInput(),
            filters=[trim],
            description=f"A whole number from {MIN_WEIGHT} to {MAX_WEIGHT}; 0 leaves it out of the ranking.",
        ),
    )


class ScenarioForm(FlaskForm):
    """Save the ticked programmes as a scenario; the ticks come with the form as `include`."""

    name = StringField(
        "Scenario name",
        [Length(max=MAX_NAME, message=f"Enter a name of {MAX_NAME} characters or fewer")],
        widget=GovTextInput(),
        filters=[trim],
        description="For example, Statutory duties first",
    )
    note = TextAreaField(
        "Note (optional)",
        [Length(max=MAX_NOTE, message=f"Enter a note of {MAX_NOTE} characters or fewer")],
        widget=GovTextArea(),
        filters=[trim],
        description="Why this choice, for the management team",
    )
    submit = SubmitField("Save scenario", widget=GovSubmitInput())


class ChooseForm(FlaskForm):
    """Mark a saved scenario as the chosen one: a button with its CSRF token."""

    submit = SubmitField("Make this the chosen scenario", widget=GovSubmitInput())
