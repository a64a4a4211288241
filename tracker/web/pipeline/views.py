"""The pipeline: a CIO ticks ideas and business cases in or out and sees, without saving, the money left
next financial year and the teams over capacity; then saves the scenario for the management team."""

from __future__ import annotations

from math import ceil
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from tracker.domain.calendar import london_today
from tracker.domain.pipeline import CRITERIA
from tracker.models.types import utcnow
from tracker.policy import Action, can, require
from tracker.services.errors import Invalid
from tracker.services.pipeline import scenarios
from tracker.services.pipeline.reads import PipelineView, pipeline_view
from tracker.services.pipeline.scores import in_pipeline, programme_scores, save_scores, score_problems
from tracker.web.forms_support import MAX_ID, add_service_error, validate_all, whole_number
from tracker.web.pipeline.forms import ChooseForm, ScenarioForm, ScoresForm
from tracker.web.programmes.access import found, programme_for

blueprint = Blueprint("pipeline", __name__)

PAGE_SIZE = 50
"""Rows of the ranked table a page shows; the ticks on other pages travel with the form."""


def ticked(args: MultiDict[str, str]) -> list[int]:
    """The programme ids a page or form ticks in; anything that is not an id is ignored."""
    ids = []
    for value in args.getlist("include"):
        value = value.strip()
        if len(value) <= 10 and value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
            ids.append(int(value))
    return sorted(set(ids))


def _render_index(view: PipelineView, form: ScenarioForm, page: int) -> str:
    pages = max(1, ceil(len(view.rows) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = view.rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    shown_ids = {row.programme_id for row in shown}
    return render_template(
        "pipeline/index.html",
        view=view,
        rows=shown,
        criteria=CRITERIA,
        form=form,
        page=page,
        pagination=_pagination(page, pages, view.included_ids),
        hidden_ticks=[pid for pid in view.included_ids if pid not in shown_ids],
        saved=scenarios.list_scenarios(),
        can_manage=can(current_user, Action.MANAGE_PIPELINE),
        can_score=can(current_user, Action.SCORE_PIPELINE),
    )


def _pagination(page: int, pages: int, included: list[int]) -> dict[str, Any] | None:
    """GOV.UK pagination whose links keep the ticks."""
    if pages <= 1:
        return None

    def href(number: int) -> str:
        return url_for("pipeline.index", include=included, page=number, _anchor="ranking")

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


@blueprint.route("/pipeline/")
@login_required
def index() -> str:
    """A GET form: ticking in or out recomputes the figures and saves nothing."""
    require(current_user, Action.VIEW_PIPELINE)
    today = london_today(utcnow())
    view = pipeline_view(today, ticked(request.args))
    return _render_index(view, ScenarioForm(formdata=None), whole_number(request.args.get("page"), 1))


@blueprint.route("/pipeline/scenarios", methods=["POST"])
@login_required
def save() -> str | Response:
    require(current_user, Action.MANAGE_PIPELINE)
    form = ScenarioForm()
    include = ticked(request.form)
    today = london_today(utcnow())
    if validate_all(
        form,
        lambda: scenarios.scenario_problems(
            name=None if form.name.errors else form.name.data or "",
            note=None if form.note.errors else form.note.data or "",
        ),
    ):
        try:
            scenario = scenarios.save_scenario(
                name=form.name.data or "",
                note=form.note.data or "",
                programme_ids=include,
                today=today,
                user=current_user,
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Scenario saved: {scenario.name}", "success")
            return redirect(url_for("pipeline.scenario", scenario_id=scenario.id))
    return _render_index(pipeline_view(today, include), form, 1)


@blueprint.route("/pipeline/scenarios/<int:scenario_id>")
@login_required
def scenario(scenario_id: int) -> str:
    """A saved scenario, read-only: its programmes, and the money and capacity as at now."""
    require(current_user, Action.VIEW_PIPELINE)
    saved = found(scenarios.get_scenario, scenario_id)
    ticked_ids = scenarios.scenario_programme_ids(scenario_id)
    view = pipeline_view(london_today(utcnow()), ticked_ids)
    return render_template(
        "pipeline/scenario.html",
        scenario=saved,
        view=view,
        moved_on=len(ticked_ids) - len(view.included_ids),
        criteria=CRITERIA,
        choose_form=ChooseForm(formdata=None),
        can_manage=can(current_user, Action.MANAGE_PIPELINE),
    )


@blueprint.route("/pipeline/scenarios/<int:scenario_id>/choose", methods=["POST"])
@login_required
def choose(scenario_id: int) -> Response:
    require(current_user, Action.MANAGE_PIPELINE)
    form = ChooseForm()
    if not form.validate_on_submit():
        abort(400)
    chosen = found(scenarios.choose_scenario, scenario_id, user=current_user)
    flash(f"“{chosen.name}” is now the chosen scenario", "success")
    return redirect(url_for("pipeline.scenario", scenario_id=scenario_id))


@blueprint.route("/programmes/<code>/pipeline-scores", methods=["GET", "POST"])
@login_required
def scores(code: str) -> str | Response:
    """Score an idea or business case on each criterion; a criterion left not scored stays unknown."""
    programme = programme_for(code, Action.SCORE_PIPELINE)
    if not in_pipeline(programme):
        abort(404)
    form = ScoresForm()
    if not form.is_submitted():
        form.fill(programme_scores(programme.id))
    elif validate_all(form, lambda: score_problems(form.values())):
        try:
            save_scores(programme, form.values(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash("Pipeline scores saved", "success")
            if request.args.get("from") == "pipeline" and can(current_user, Action.VIEW_PIPELINE):
                return redirect(url_for("pipeline.index", _anchor="ranking"))
            return redirect(url_for("programmes.overview", code=programme.code, _anchor="pipeline"))
    return render_template(
        "pipeline/scores.html",
        programme=programme,
        section="overview",
        form=form,
        back=request.args.get("from") == "pipeline" and can(current_user, Action.VIEW_PIPELINE),
    )
