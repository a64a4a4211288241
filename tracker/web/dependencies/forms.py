"""The dependency forms: find the programme a milestone waits for, then say which milestone, by when. They
collect; the dependencies service decides."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from tracker.domain.formatting import uk_date
from tracker.models import Milestone
from tracker.services.dependencies.records import NOTE_LENGTH, NewDependency
from tracker.web.fields import GovDateField
from tracker.web.forms_support import MAX_QUERY_TEXT, trim, whole_number
from tracker.web.register.forms import long_text

CHOOSE = ""


class FindProgrammeForm(FlaskForm):
    """Step 1, sent by GET: the programme waited for, by its code or words of its name."""

    class Meta:
        csrf = False

    find = StringField(
        "Which programme does it wait for?",
        [Length(max=MAX_QUERY_TEXT, message=f"Enter at most {MAX_QUERY_TEXT} characters")],
        widget=GovTextInput(),
        filters=[trim],
        description="Its code, such as FIN-002, or words from its name",
    )
    submit = SubmitField("Find the programme", widget=GovSubmitInput())


class DependencyForm(FlaskForm):
    """Step 2: which of this programme's milestones waits, for which of the other's, and by when."""

    predecessor_code = HiddenField()
    # Choices are checked by the service, which says in words what is wrong with one.
    milestone_id = SelectField(
        "Which of this programme's milestones waits?", widget=GovSelect(), validate_choice=False
    )
    predecessor_milestone_id = SelectField(
        "Which of its milestones does it wait for?", widget=GovSelect(), validate_choice=False
    )
    needed_by = GovDateField(
        "Needed by",
        description="The last day it can land without holding this milestone up. For example, 27 3 2027",
    )
    note = long_text(
        f"Note (optional, up to {NOTE_LENGTH:,} characters)", NOTE_LENGTH, "What it needs, and why"
    )
    submit = SubmitField("Add the dependency", widget=GovSubmitInput())

    def offer(self, own: Iterable[Milestone], theirs: Iterable[Milestone]) -> DependencyForm:
        """Choices: this programme's milestones still to happen, and every milestone of the other."""
        self.milestone_id.choices = [SelectChoice(CHOOSE, "Choose a milestone")] + [
            SelectChoice(str(m.id), f"{m.title} (due {uk_date(m.forecast_date or m.baseline_date)})")
            for m in own
        ]
        self.predecessor_milestone_id.choices = [SelectChoice(CHOOSE, "Choose a milestone")] + [
            SelectChoice(str(m.id), f"{m.title} ({_when(m)})") for m in theirs
        ]
        return self

    def values(self) -> NewDependency:
        """What was chosen, as the service takes it; an id the page never offered is passed on for the
        service to refuse in words."""
        return NewDependency(
            milestone_id=_chosen(self.milestone_id.data),
            predecessor_code=self.predecessor_code.data,
            predecessor_milestone_id=_chosen(self.predecessor_milestone_id.data),
            needed_by=None if self.needed_by.errors else self.needed_by.data,
            note=self.note.data or "",
        )


def _chosen(value: str | None) -> int | None:
    number = whole_number(value, -1)
    return None if number < 0 else number


def _when(milestone: Milestone) -> str:
    if milestone.actual_date:
        return f"done {uk_date(milestone.actual_date)}"
    if milestone.status.value == "cancelled":
        return "cancelled"
    return f"forecast {uk_date(milestone.forecast_date or milestone.baseline_date)}"
