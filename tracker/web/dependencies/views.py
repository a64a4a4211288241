"""Dependencies: add one in two steps that need no JavaScript (find the programme waited for, then choose
the milestones and the needed-by date), remove one, and the portfolio's dependency view. A programme's
milestones page shows what it waits for and whom it holds up."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.calendar import london_today
from tracker.domain.definitions import milestone_open
from tracker.models import Programme
from tracker.models.types import utcnow
from tracker.policy import Action, require
from tracker.services.dependencies import reads, records
from tracker.services.dependencies.chart import chart_of
from tracker.services.errors import Invalid
from tracker.services.milestones.records import programme_milestones
from tracker.web.dependencies.forms import DependencyForm, FindProgrammeForm
from tracker.web.forms_support import (
    add_service_error,
    problems,
    query_text,
    validate_all,
    version_of,
    whole_number,
)
from tracker.web.programmes.access import found, programme_for
from tracker.web.programmes.views import _pagination
from tracker.web.register.forms import ConfirmForm
from tracker.web.saving import stale_save

blueprint = Blueprint("dependencies", __name__)

Page = str | Response


def _to_milestones(programme: Programme) -> Response:
    return redirect(url_for("milestones.index", code=programme.code, _anchor="dependencies"))


@blueprint.route("/programmes/<code>/dependencies/new", methods=["GET", "POST"])
@login_required
def new(code: str) -> Page:
    programme = programme_for(code, Action.MANAGE_DEPENDENCIES)
    chosen = query_text(request.args.get("depends_on"))
    other = records.find_programme(chosen)
    if other is None or other.id == programme.id:
        return _find(programme, FindProgrammeForm(request.args), chosen)
    own = [m for m in programme_milestones(programme.id) if milestone_open(m.status, m.actual_date)]
    form = DependencyForm().offer(own, records.predecessor_choices(other))
    form.predecessor_code.data = other.code

    def service_problems() -> list[tuple[str | None, str]]:
        return records.dependency_problems(programme, form.values())[0]

    if validate_all(form, service_problems):
        try:
            dependency = records.add_dependency(programme, form.values(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            waits = f"{dependency.milestone.title} waits for {other.code} {dependency.depends_on.title}"
            flash(f"Dependency added: {waits}", "success")
            return _to_milestones(programme)
    return render_template(
        "dependencies/new.html",
        programme=programme,
        section="milestones",
        other=other,
        form=form,
        problems=problems(form),
    )


def _find(programme: Programme, form: FindProgrammeForm, chosen: str | None) -> Page:
    """Step 1: find the programme by code or name; one found goes straight on to step 2."""
    matches: list[Programme] = []
    text = form.find.data if form.validate() else None
    if chosen and not text:
        text = chosen  # a link to step 2 naming this programme, or none: search for what it named
    if text:
        matches = [p for p in reads.find_programmes(text) if p.id != programme.id]
        exact = len(matches) == 1 and matches[0].code == text.strip().upper()
        if exact:
            return redirect(url_for("dependencies.new", code=programme.code, depends_on=matches[0].code))
        if text.strip().upper() == programme.code:
            form.find.errors = [records.OWN_PROGRAMME]
        elif not matches:
            form.find.errors = [f"No programme has the code {text} or a name containing it"]
    return render_template(
        "dependencies/find.html",
        programme=programme,
        section="milestones",
        form=form,
        searched=text,
        matches=matches[: reads.SEARCH_LIMIT],
        more=len(matches) > reads.SEARCH_LIMIT,
        problems=problems(form),
    )


@blueprint.route("/programmes/<code>/dependencies/<int:dependency_id>/remove", methods=["GET", "POST"])
@login_required
def remove(code: str, dependency_id: int) -> Page:
    programme = programme_for(code, Action.MANAGE_DEPENDENCIES)
    dependency = found(reads.get_dependency, programme, dependency_id)
    form = (
        ConfirmForm() if request.method == "POST" else ConfirmForm(data={"version": str(dependency.version)})
    )
    if form.validate_on_submit():
        with stale_save(form, lambda: reads.get_dependency(programme, dependency_id)) as save:
            name = records.remove_dependency(
                programme, dependency_id, user=current_user, expected_version=version_of(form)
            )
            flash(f"Dependency removed: {dependency.milestone.title} no longer waits for {name}", "success")
            return _to_milestones(programme)
        dependency = save.latest
    return render_template(
        "dependencies/remove.html",
        programme=programme,
        section="milestones",
        form=form,
        dependency=dependency,
        predecessor=reads.predecessor_name(dependency),
        problems=problems(form),
    )


@blueprint.route("/portfolio/dependencies")
@login_required
def portfolio() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    late_only = request.args.get("late") == "1"
    today = london_today(utcnow())
    page = reads.portfolio_dependencies(
        today=today, page=whole_number(request.args.get("page"), 1), late_only=late_only
    )
    return render_template(
        "dependencies/portfolio.html",
        page=page,
        late_only=late_only,
        chart=chart_of(page.lines, today=today),
        pagination=_pagination(page.page, page.pages, "dependencies.portfolio"),
    )
