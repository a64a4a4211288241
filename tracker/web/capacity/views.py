"""Capacity to change: the service teams (everyone signed in reads them; admins and CIOs change them),
the heatmap of load against capacity, and the teams each milestone lands on."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.policy import Action, can, require
from tracker.services.capacity import loads, teams
from tracker.services.capacity.heatmap import capacity_heatmap, cell_page
from tracker.services.errors import Invalid
from tracker.web.benefits.forms import ConfirmForm
from tracker.web.capacity.forms import BLANK_ROWS, LoadsForm, TeamForm
from tracker.web.forms_support import accepted, add_service_error, validate_all, version_of
from tracker.web.programmes.access import found, programme_for
from tracker.web.saving import Save, stale_save

blueprint = Blueprint("capacity", __name__, url_prefix="/capacity")
loads_blueprint = Blueprint(
    "milestone_loads", __name__, url_prefix="/programmes/<code>/milestones/<int:milestone_id>/teams"
)


def _team_problems(form: TeamForm, team_id: int | None = None) -> list[tuple[str | None, str]]:
    return teams.team_problems(**accepted(form, "name", "directorate"), team_id=team_id)


def _render_team_form(form: TeamForm, team: object | None, saved: object | None = None) -> str:
    return render_template(
        "capacity/team_form.html", form=form, team=team, saved=saved, directorates=teams.directorate_choices()
    )


@blueprint.route("/")
@login_required
def index() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    return render_template("capacity/index.html", capacity=capacity_heatmap())


@blueprint.route("/teams/<int:team_id>/<month>")
@login_required
def cell(team_id: int, month: str) -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    first = _month(month)
    if first is None:
        abort(404)
    return render_template("capacity/cell.html", page=found(cell_page, team_id, first))


def _month(text: str) -> date | None:
    """`2027-03` as the first of March 2027; anything else None."""
    try:
        parsed = datetime.strptime(text, "%Y-%m")
    except ValueError:
        return None
    return parsed.date() if len(text) == 7 else None


@blueprint.route("/teams")
@login_required
def team_list() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    rows = teams.list_teams()
    by_directorate: dict[str, list[teams.TeamRow]] = {}
    for row in rows:
        by_directorate.setdefault(row.team.directorate, []).append(row)
    return render_template(
        "capacity/teams.html",
        by_directorate=by_directorate,
        can_manage=can(current_user, Action.MANAGE_TEAMS),
    )


@blueprint.route("/teams/new", methods=["GET", "POST"])
@login_required
def team_create() -> str | Response:
    require(current_user, Action.MANAGE_TEAMS)
    form = TeamForm()
    if validate_all(form, lambda: _team_problems(form)):
        try:
            team = teams.create_team(values=form.values(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Team added: {team.name}", "success")
            return redirect(url_for("capacity.team_list", _anchor=f"team-{team.id}"))
    return _render_team_form(form, None)


@blueprint.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@login_required
def team_edit(team_id: int) -> str | Response:
    require(current_user, Action.MANAGE_TEAMS)
    team = found(teams.get_team, team_id)
    form = TeamForm() if request.method == "POST" else TeamForm.for_team(team)
    save = Save()
    if validate_all(form, lambda: _team_problems(form, team_id)):
        try:
            with stale_save(form, lambda: teams.get_team(team_id)) as save:
                teams.update_team(
                    team_id=team.id,
                    values=form.values(),
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash(f"Team saved: {team.name}", "success")
                return redirect(url_for("capacity.team_list", _anchor=f"team-{team.id}"))
        except Invalid as error:
            add_service_error(form, error)
    return _render_team_form(form, team, save.latest)


@blueprint.route("/teams/<int:team_id>/delete", methods=["GET", "POST"])
@login_required
def team_delete(team_id: int) -> str | Response:
    require(current_user, Action.MANAGE_TEAMS)
    team = found(teams.get_team, team_id)
    form = ConfirmForm() if request.method == "POST" else ConfirmForm(data={"version": str(team.version)})
    if form.validate_on_submit():
        with stale_save(form, lambda: teams.get_team(team_id)) as save:
            name, count = teams.delete_team(
                team_id=team.id, expected_version=version_of(form), user=current_user
            )
            gone = "" if not count else f" and its {count} milestone load{'' if count == 1 else 's'}"
            flash(f"Team deleted: {name}{gone}", "success")
            return redirect(url_for("capacity.team_list"))
        team = save.latest
    return render_template("capacity/team_delete.html", form=form, team=team, loads=teams.load_count(team.id))


@loads_blueprint.route("/", methods=["GET", "POST"])
@login_required
def edit(code: str, milestone_id: int) -> str | Response:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    milestone = found(loads.get_load_milestone, programme, milestone_id)
    current = loads.milestone_loads(milestone)
    may_edit = can(current_user, Action.UPDATE_PROGRAMME, programme)
    if request.method == "POST":
        require(current_user, Action.UPDATE_PROGRAMME, programme)
    options = loads.team_names()
    if request.method == "POST":
        form = LoadsForm()
    else:
        rows = [
            {"team": str(line.team_id), "change_days": f"{line.change_days.normalize():f}"}
            for line in current
        ]
        form = LoadsForm(data={"rows": rows + [{"team": "", "change_days": ""}] * BLANK_ROWS})
    form.offer_teams(options)
    if form.validate_on_submit():
        rows = form.checked_rows(options)
        if rows is not None:
            try:
                loads.set_loads(programme, milestone, rows=rows, user=current_user)
            except Invalid as error:
                add_service_error(form, error)
            else:
                flash(f"Saved the teams {milestone.title} lands on", "success")
                return redirect(
                    url_for("milestones.index", code=programme.code, _anchor=f"milestone-{milestone.id}")
                )
    return render_template(
        "capacity/loads.html",
        programme=programme,
        section="milestones",
        milestone=milestone,
        current=current,
        form=form,
        may_edit=may_edit,
        has_teams=bool(options),
        problems=_row_problems(form),
    )


def _row_problems(form: LoadsForm) -> list[dict[str, str]]:
    """The error summary's list: the form's own problems, then each row's, linked to its field."""
    whole = [{"text": message, "href": "#main-content"} for message in form.form_errors]
    if form.csrf_token.errors:
        whole += [{"text": message, "href": "#main-content"} for message in form.csrf_token.errors]
    rows = [
        {"text": message, "href": f"#{field.id}"}
        for row in form.rows
        for field in (row.form.team, row.form.change_days)
        for message in field.errors
    ]
    return whole + rows
