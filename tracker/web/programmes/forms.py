"""Forms of the programme pages: they collect and check input; the services decide."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from tracker.domain.vocabulary import CONFIDENCE_LABELS, FOCUS_LABELS, SOURCE_LABELS, STAGE_LABELS
from tracker.models import Confidence, ConfidenceSource, Focus, Programme, Rag, Stage
from tracker.services.dashboard.page import RATING_COLUMNS
from tracker.services.portfolio.listing import SORT_KEYS, PortfolioQuery
from tracker.services.portfolio.scope import NO_MANAGER, NOT_RATED
from tracker.services.programmes.records import KeyFacts, StageChange
from tracker.web.fields import GovDateField, MoneyField
from tracker.web.forms_support import choices, flag_filter, trim, whole_number
from tracker.web.widgets import GovCheckboxesInput, GovCheckboxInput, GovRadioInput

OPEN_STAGES = [stage for stage in Stage if stage is not Stage.CLOSED]
SORT_LABELS = dict(
    zip(
        SORT_KEYS,
        ("Code", "Name", "Directorate", "Stage", "Programme manager", "Confidence", "Rating",
         "Next milestone", "Budget this year", "Forecast this year"),
        strict=True,
    )
)  # fmt: skip
TEXT_FACTS = (
    "name",
    "directorate",
    "description",
    "strategic_objective",
    "confidence_commentary",
    "change_plan",
    "adoption_owner",
)


def optional_int(value: Any) -> int | None:
    """Select values arrive as text; an empty choice means none."""
    if value is None or value == "":
        return None
    return int(value)


def as_enum(kind: Any, value: str | None) -> Any:
    """A submitted value as the enum member, or None when it is not one."""
    try:
        return kind(value) if value else None
    except ValueError:
        return None


# Declared before the key facts so the code comes first in the form and in its error summary.
CODE = StringField(
    "Code",
    widget=GovTextInput(),
    description="2 to 6 letters, a hyphen and up to 4 numbers, like DIG-004",
    filters=[lambda value: value.strip().upper() if isinstance(value, str) else value],
    validators=[
        InputRequired("Enter a code for the programme"),
        Length(max=20),
        Regexp(r"^[A-Z]{2,6}-[0-9]{1,4}$", message="Enter a code like DIG-004: letters, a hyphen, numbers"),
    ],
)


class KeyFactsForm(FlaskForm):
    """The key facts shared by the create and edit pages."""

    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[trim],
        validators=[InputRequired("Enter the programme's name"), Length(max=200)],
    )
    description = TextAreaField(
        "Description", widget=GovTextArea(), filters=[trim], validators=[Length(max=5000)]
    )
    directorate = StringField(
        "Directorate",
        widget=GovTextInput(),
        filters=[trim],
        validators=[InputRequired("Enter the directorate that owns the programme"), Length(max=120)],
    )
    external_reference = StringField(
        "External reference (optional)",
        widget=GovTextInput(),
        filters=[trim],
        description="The programme's own number in a published return or another system, "
        "like MOD_0106_1617-Q1, so the next import finds it",
        validators=[Length(max=64, message="External reference must be 64 characters or fewer")],
    )
    strategic_objective = StringField(
        "Strategic objective", widget=GovTextInput(), filters=[trim], validators=[Length(max=300)]
    )
    focus = RadioField(
        "Focus",
        widget=GovRadioInput(),
        choices=choices(FOCUS_LABELS.items()),
        validators=[InputRequired("Choose whether the programme improves services, cuts costs, or both")],
    )
    start_date = GovDateField("Start date", description="For example, 1 4 2026")
    baseline_end_date = GovDateField("Baseline end date")
    forecast_end_date = GovDateField("Forecast end date")
    whole_life_baseline = MoneyField(
        "Whole-life cost baseline",
        description="The whole-life cost as approved now, like £4.2m. Leave blank if not known",
    )
    whole_life_forecast = MoneyField(
        "Whole-life cost forecast",
        description="What the programme now expects to cost over its life. Leave blank if not known",
    )
    confidence = RadioField(
        "Delivery confidence",
        widget=GovRadioInput(),
        description="As published on the IPA's five-point scale. Where only three colours fit, "
        "Amber/Green shows as amber and Amber/Red as red",
        choices=choices([*CONFIDENCE_LABELS.items(), ("", "Not assessed yet")]),
        validators=[Optional()],
    )
    confidence_source = RadioField(
        "Who assessed it",
        widget=GovRadioInput(),
        choices=choices([*SOURCE_LABELS.items(), ("", "Not said")]),
        validators=[Optional()],
    )
    confidence_assessed_on = GovDateField("Date of the assessment", description="For example, 14 10 2026")
    confidence_commentary = TextAreaField(
        "Confidence commentary", widget=GovTextArea(), filters=[trim], validators=[Length(max=2000)]
    )
    change_plan = TextAreaField(
        "Business change plan",
        widget=GovTextArea(),
        filters=[trim],
        description="What working practice or process changes, and how the service will adopt it",
        validators=[Length(max=5000)],
    )
    adoption_owner = StringField(
        "Adoption owner in the service",
        widget=GovTextInput(),
        filters=[trim],
        description="The person in the service who owns adoption of the change",
        validators=[Length(max=120)],
    )

    def facts(self) -> KeyFacts:
        """The key facts for the service: text as typed (trimmed), choices as enums."""
        return KeyFacts(
            **{name: self[name].data or "" for name in TEXT_FACTS},
            start_date=self.start_date.data,
            baseline_end_date=self.baseline_end_date.data,
            forecast_end_date=self.forecast_end_date.data,
            focus=Focus(self.focus.data),
            confidence=as_enum(Confidence, self.confidence.data),
            confidence_source=as_enum(ConfidenceSource, self.confidence_source.data),
            confidence_assessed_on=self.confidence_assessed_on.data,
            whole_life_baseline=self.whole_life_baseline.data,
            whole_life_forecast=self.whole_life_forecast.data,
            external_reference=self.external_reference.data or None,
        )


class CreateProgrammeForm(KeyFactsForm):
    code = CODE
    stage = RadioField(
        "Stage",
        widget=GovRadioInput(),
        choices=choices((stage.value, STAGE_LABELS[stage]) for stage in OPEN_STAGES),
        default=Stage.IDEA.value,
        validators=[InputRequired("Choose the stage the programme is at")],
    )
    sro_name = StringField(
        "Senior responsible owner (SRO)", widget=GovTextInput(), filters=[trim], validators=[Length(max=120)]
    )
    manager_id = SelectField("Programme manager", widget=GovSelect(), coerce=optional_int)
    submit = SubmitField("Add programme", widget=GovSubmitInput())


class EditProgrammeForm(KeyFactsForm):
    version = HiddenField()
    submit = SubmitField("Save key facts", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    sro_name = StringField(
        "Senior responsible owner (SRO)", widget=GovTextInput(), filters=[trim], validators=[Length(max=120)]
    )
    manager_id = SelectField("Programme manager", widget=GovSelect(), coerce=optional_int)
    members = SelectMultipleField(
        "Team members",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="Programme managers on the team can update the programme as its manager can",
    )
    version = HiddenField()
    submit = SubmitField("Save team and roles", widget=GovSubmitInput())


class StageForm(FlaskForm):
    change = RadioField(
        "What do you want to do?", widget=GovRadioInput(), validators=[InputRequired("Choose what to do")]
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        description="It is kept in the programme's history",
        filters=[trim],
        validators=[Length(max=1000)],
    )
    version = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def offer(self, programme: Programme, *, can_reopen: bool) -> None:
        """What can happen next: closed programmes can only be reopened, and only by those allowed to."""
        if programme.is_closed:
            reopen = [(StageChange.REOPEN, "Reopen the programme")] if can_reopen else []
            self.change.choices = choices(reopen)
            return
        pause = (
            (StageChange.RESUME, "Resume the programme")
            if programme.paused
            else (StageChange.PAUSE, "Pause it")
        )
        # Moving to another stage, closing included, takes a gate decision (the programme's Gates page).
        self.change.choices = choices([pause])


RATING_LABELS = dict(RATING_COLUMNS)


class PortfolioFilterForm(Form):
    """The list's filters, read from the query string (a GET form, so no CSRF token)."""

    scope = HiddenField()
    directorate = SelectField("Directorate", widget=GovSelect())
    stage = SelectField(
        "Stage", widget=GovSelect(), choices=choices([("", "All stages"), *STAGE_LABELS.items()])
    )
    manager = SelectField("Programme manager", widget=GovSelect())
    focus = SelectField(
        "Focus", widget=GovSelect(), choices=choices([("", "Any focus"), *FOCUS_LABELS.items()])
    )
    rating = SelectField(
        "Computed rating", widget=GovSelect(), choices=choices([("", "Any rating"), *RATING_LABELS.items()])
    )
    sort = SelectField("Sort by", widget=GovSelect(), choices=choices(SORT_LABELS.items()))
    order = SelectField(
        "Order", widget=GovSelect(), choices=choices([("asc", "Ascending"), ("desc", "Descending")])
    )
    closed = BooleanField("Include closed programmes", widget=GovCheckboxInput())

    def offer(self, directorates: list[str], managers: list[tuple[int, str]]) -> None:
        """Choices that depend on the portfolio: its directorates and its managers."""
        self.directorate.choices = choices(
            [("", "All directorates"), *((name, name) for name in directorates)]
        )
        self.manager.choices = choices([("", "Anyone"), *managers, ("none", "Not assigned")])


def portfolio_query(args: MultiDict[str, str]) -> PortfolioQuery:
    """The list's filters, sort and page from the query string; values that are not choices are ignored."""
    manager = args.get("manager", "")
    return PortfolioQuery(
        mine=args.get("scope") == "mine",
        include_closed=bool(args.get("closed")),
        directorate=args.get("directorate", "")[:120] or None,
        stage=as_enum(Stage, args.get("stage")),
        manager_id=NO_MANAGER if manager == "none" else whole_number(manager, 0) or None,
        focus=as_enum(Focus, args.get("focus")),
        rating=NOT_RATED if args.get("rating") == NOT_RATED else as_enum(Rag, args.get("rating")),
        flag=flag_filter(args),
        sort=args.get("sort", "") if args.get("sort") in SORT_KEYS else "code",
        descending=args.get("order") == "desc",
        page=whole_number(args.get("page"), 1),
    )
