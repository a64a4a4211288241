"""The dashboard's filters: a GET form read from the query string, so a view can be bookmarked."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField, SelectField

from tracker.domain.risk_rules import RULE_LABELS
from tracker.domain.vocabulary import FOCUS_LABELS, STAGE_LABELS, Focus, Stage
from tracker.services.dashboard.page import RATING_COLUMNS
from tracker.services.portfolio.scope import NO_MANAGER, ProgrammeFilter
from tracker.web.forms_support import choices, flag_filter

STAGE_CHOICES = {stage: name for stage, name in STAGE_LABELS.items() if stage is not Stage.CLOSED}
RATINGS = dict(RATING_COLUMNS)
MAX_DIRECTORATE = 120


class DashboardFilterForm(Form):
    """Filters applied to every figure and chart on the page (a GET form, so no CSRF token)."""

    scope = HiddenField()
    directorate = SelectField("Directorate", widget=GovSelect())
    stage = SelectField(
        "Stage", widget=GovSelect(), choices=choices([("", "All stages"), *STAGE_CHOICES.items()])
    )
    focus = SelectField(
        "Focus", widget=GovSelect(), choices=choices([("", "Any focus"), *FOCUS_LABELS.items()])
    )
    manager = SelectField("Programme manager", widget=GovSelect())
    rating = SelectField(
        "Rating", widget=GovSelect(), choices=choices([("", "Any rating"), *RATINGS.items()])
    )

    def offer(self, directorates: list[str], managers: list[tuple[int, str]]) -> None:
        """Choices that depend on the portfolio: its directorates and its managers."""
        self.directorate.choices = choices(
            [("", "All directorates"), *((name, name) for name in directorates)]
        )
        self.manager.choices = choices([("", "Anyone"), *managers, ("none", "Not assigned")])


def dashboard_filters(args: MultiDict[str, str]) -> ProgrammeFilter:
    """The filters from the query string; a value that is not one of the choices is ignored (and NUL,
    which PostgreSQL text cannot hold, is dropped: query strings skip the form's cleaning)."""
    manager = args.get("manager", "").strip()
    stage, focus, rating = args.get("stage", ""), args.get("focus", ""), args.get("rating", "")
    return ProgrammeFilter(
        mine=args.get("scope") == "mine",
        directorate=args.get("directorate", "").replace("\x00", "").strip()[:MAX_DIRECTORATE] or None,
        stage=Stage(stage) if stage in STAGE_CHOICES else None,
        focus=Focus(focus) if focus in FOCUS_LABELS else None,
        manager_id=NO_MANAGER if manager == "none" else _whole_number(manager),
        rating=rating if rating in RATINGS else None,
        flag=flag_filter(args),
    )


def _whole_number(value: str) -> int | None:
    """A positive id from the URL, or None for anything else."""
    return int(value) if value.isdigit() and len(value) < 10 and int(value) > 0 else None


def describe_filters(form: DashboardFilterForm, filters: ProgrammeFilter) -> str:
    """The filters in words for the summary line above the (folded) form: "all directorates, all stages,
    any focus, any programme manager, any rating"; a chosen value by its label."""
    words = []
    for field, unset in (
        (form.directorate, "all directorates"),
        (form.stage, "all stages"),
        (form.focus, "any focus"),
        (form.manager, "any programme manager"),
        (form.rating, "any rating"),
    ):
        chosen = {choice.value: choice.label for choice in field.choices}.get(field.data or "")
        words.append(unset if not field.data or chosen is None else f"{field.label.text.lower()}: {chosen}")
    if filters.flag:
        words.append(f"flagged '{RULE_LABELS[filters.flag]}'")
    return ", ".join(words)
