"""The portfolio list and one programme's own pages: overview, key facts, team, stage and history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.calendar import financial_year_label, london_today
from tracker.domain.risk_rules import RULE_LABELS
from tracker.models import Confidence, ConfidenceSource, Programme, Stage
from tracker.models.types import utcnow
from tracker.policy import Action, can, require
from tracker.services.audit import display as stored
from tracker.services.dependencies.reads import programme_dependencies
from tracker.services.editing import get_programme
from tracker.services.errors import Invalid, Problem
from tracker.services.portfolio.listing import list_programmes
from tracker.services.portfolio.scope import filter_choices
from tracker.services.programmes import records as programmes
from tracker.services.programmes.history import display, label, programme_history
from tracker.services.programmes.overview import programme_overview
from tracker.services.programmes.records import KeyFacts, StageChange
from tracker.web.forms_support import accepted, add_service_error, validate_all, version_of, whole_number
from tracker.web.programmes.access import found, programme_for
from tracker.web.programmes.forms import (
    CreateProgrammeForm,
    EditProgrammeForm,
    PortfolioFilterForm,
    StageForm,
    TeamForm,
    as_enum,
    choices,
    portfolio_query,
)
from tracker.web.saving import stale_save

blueprint = Blueprint("programmes", __name__, url_prefix="/programmes")
DONE = {
    StageChange.PAUSE: "paused",
    StageChange.RESUME: "resumed",
    StageChange.REOPEN: "reopened",
}


@blueprint.route("/")
@login_required
def index() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    query = portfolio_query(request.args)
    page = list_programmes(current_user, query)
    form = PortfolioFilterForm(request.args)
    form.offer(*filter_choices(include_closed=True))
    return render_template(
        "programmes/index.html",
        page=page,
        query=query,
        form=form,
        year=financial_year_label(page.financial_year),
        can_create=can(current_user, Action.CREATE_PROGRAMME),
        pagination=_pagination(page.page, page.pages, "programmes.index"),
        flag_labels=RULE_LABELS,
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Response | str:
    require(current_user, Action.CREATE_PROGRAMME)
    form = CreateProgrammeForm()
    form.manager_id.choices = _manager_choices()
    if validate_all(
        form, lambda: programmes.code_problems(accepted(form, "code")["code"]) + _fact_problems(form)
    ):
        try:
            programme = programmes.create_programme(
                form.code.data or "",
                facts=form.facts(),
                stage=Stage(form.stage.data),
                sro_name=form.sro_name.data or "",
                manager_id=form.manager_id.data,
                user=current_user,
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Programme {programme.code} added.", "success")
            return redirect(url_for(".overview", code=programme.code))
    return render_template("programmes/create.html", form=form)


@blueprint.route("/<code>/")
@login_required
def overview(code: str) -> str:
    require(current_user, Action.VIEW_PROGRAMME)
    shown = found(programme_overview, code)
    programme = shown.programme
    return render_template(
        "programmes/overview.html",
        programme=programme,
        section="overview",
        overview=shown,
        flags=shown.flags,
        rating=shown.assessment.rating if shown.assessment else None,
        can_edit=can(current_user, Action.EDIT_PROGRAMME, programme),  # a closed programme: never
        dependencies=programme_dependencies(programme.id, today=london_today(utcnow())),
    )


@blueprint.route("/<code>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str) -> Response | str:
    programme = programme_for(code, Action.EDIT_PROGRAMME)
    form = EditProgrammeForm(obj=programme)
    differences: list[tuple[str, str]] = []
    if request.method == "GET":
        form.confidence.data = programme.confidence.value if programme.confidence else ""
        form.confidence_source.data = programme.confidence_source.value if programme.confidence_source else ""
        form.version.data = str(programme.version)
    elif validate_all(form, lambda: _fact_problems(form)):
        try:
            with stale_save(form, lambda: found(get_programme, code)) as save:
                programmes.update_key_facts(
                    code, facts=form.facts(), expected_version=version_of(form), user=current_user
                )
                flash("Key facts saved.", "success")
                return redirect(url_for(".overview", code=programme.code))
        except Invalid as error:
            add_service_error(form, error)
        if save.stale:
            programme = save.latest
            differences = _differences(form, programme)
    return render_template(
        "programmes/edit.html", form=form, programme=programme, section="overview", differences=differences
    )


@blueprint.route("/<code>/team", methods=["GET", "POST"])
@login_required
def team(code: str) -> Response | str:
    programme = programme_for(code, Action.EDIT_PROGRAMME)
    form = TeamForm(obj=programme)
    form.manager_id.choices = _manager_choices()
    form.members.choices = choices(
        (person.id, f"{person.name} ({person.role.value.replace('_', ' ')})")
        for person in programmes.team_choices()
    )
    if request.method == "GET":
        form.members.data = sorted(programme.member_ids)
        form.version.data = str(programme.version)
    elif form.validate_on_submit():
        try:
            with stale_save(form, lambda: found(get_programme, code)):
                programmes.set_team(
                    code,
                    sro_name=form.sro_name.data or "",
                    manager_id=form.manager_id.data,
                    member_ids=form.members.data or [],
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash("Team and roles saved.", "success")
                return redirect(url_for(".overview", code=programme.code))
        except Invalid as error:
            add_service_error(form, error)
    return render_template("programmes/team.html", form=form, programme=programme, section="overview")


@blueprint.route("/<code>/stage", methods=["GET", "POST"])
@login_required
def stage(code: str) -> Response | str:
    programme = found(get_programme, code)
    # A closed programme's stage page is where an admin reopens it; others read that only one can.
    require(current_user, Action.EDIT_PROGRAMME, None if programme.is_closed else programme)
    form = StageForm()
    form.offer(programme, can_reopen=can(current_user, Action.REOPEN_PROGRAMME))
    if request.method == "GET":
        form.version.data = str(programme.version)
    elif form.validate_on_submit():
        change = StageChange(form.change.data)
        try:
            with stale_save(form, lambda: found(get_programme, code)):
                programmes.change_stage(
                    code,
                    change=change,
                    user=current_user,
                    reason=form.reason.data or "",
                    expected_version=version_of(form),
                )
                flash(f"{programme.code}: {DONE[change]}.", "success")
                return redirect(url_for(".overview", code=programme.code))
        except Invalid as error:
            add_service_error(form, error)
    return render_template("programmes/stage.html", form=form, programme=programme, section="overview")


@blueprint.route("/<code>/history")
@login_required
def history(code: str) -> str:
    require(current_user, Action.VIEW_PROGRAMME)
    shown = found(programme_history, code, page=whole_number(request.args.get("page"), 1))
    return render_template(
        "programmes/history.html",
        programme=shown.programme,
        section="history",
        history=shown,
        pagination=_pagination(shown.page, shown.pages, "programmes.history", code=shown.programme.code),
    )


def _fact_problems(form: CreateProgrammeForm | EditProgrammeForm) -> list[Problem]:
    """What the service would also refuse in the key facts the form accepted (dates, the assessment)."""
    values = accepted(form, *programmes.DATED_FACTS)
    values["confidence"] = as_enum(Confidence, values["confidence"])
    values["confidence_source"] = as_enum(ConfidenceSource, values["confidence_source"])
    return programmes.key_fact_problems(**values)


def _differences(form: EditProgrammeForm, programme: Programme) -> list[tuple[str, str]]:
    """Fields where the saved programme now differs from what this person typed."""
    typed = form.facts()
    return [
        (label(name), display(stored(getattr(programme, name))))
        for name in KeyFacts.__dataclass_fields__
        if getattr(programme, name) != getattr(typed, name)
    ]


def _manager_choices() -> list[Any]:
    return choices([("", "Not assigned"), *((user.id, user.name) for user in programmes.manager_choices())])


def _pagination(page: int, pages: int, endpoint: str, **view_args: Any) -> dict[str, Any] | None:
    """GOV.UK pagination parameters that keep every other query argument."""
    if pages <= 1:
        return None
    args = {**request.args.to_dict(), **view_args}

    def href(number: int) -> str:
        return url_for(endpoint, **{**args, "page": number})

    items: list[dict[str, Any]] = []
    for number in range(1, pages + 1):
        if number in (1, pages) or abs(number - page) <= 1:
            items.append({"number": number, "href": href(number), "current": number == page})
        elif not items[-1].get("ellipsis"):
            items.append({"ellipsis": True})
    return {
        "items": items,
        "previous": {"href": href(page - 1)} if page > 1 else None,
        "next": {"href": href(page + 1)} if page < pages else None,
    }
