"""Milestones: add, edit, update forecasts and actuals, re-baseline requests, and the CIO's queue."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.calendar import london_today
from tracker.models import Milestone, MilestoneStatus, Programme
from tracker.models.types import utcnow
from tracker.policy import Action, can, require
from tracker.services.capacity.loads import programme_loads
from tracker.services.changes import reads as changes
from tracker.services.dependencies.reads import programme_dependencies
from tracker.services.errors import Conflict, Invalid, Problem
from tracker.services.milestones import rebaselines
from tracker.services.milestones import records as service
from tracker.services.programmes import gates
from tracker.services.programmes.charts import timeline_chart
from tracker.web.forms_support import accepted, add_service_error, problems, validate_all
from tracker.web.milestones.forms import (
    DecisionForm,
    DeleteForm,
    EditMilestoneForm,
    MilestoneForm,
    RebaselineForm,
    UpdateMilestonesForm,
    details_from,
    milestone_data,
    progress_from,
    progress_rows,
    row_data,
    row_problems,
    show_row_errors,
)
from tracker.web.programmes.access import found, programme_for
from tracker.web.saving import Save, stale_save

blueprint = Blueprint("milestones", __name__, url_prefix="/programmes/<code>/milestones")
rebaselines_blueprint = Blueprint("rebaselines", __name__, url_prefix="/rebaselines")

Page = str | Response


def _to_index(programme: Programme, milestone_id: int | None = None) -> Response:
    anchor = f"milestone-{milestone_id}" if milestone_id else None
    return redirect(url_for("milestones.index", code=programme.code, _anchor=anchor))


def _show_errors(form: Any, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form[name].errors.append(message)


def _new_problems(form: MilestoneForm) -> list[Problem]:
    """What the service would also refuse in the fields the add form accepted."""
    fields = accepted(form, "baseline_date", "forecast_date", "actual_date", "status")
    return list(service.new_milestone_problems(**fields).items())


def _progress_problems(form: EditMilestoneForm, milestone: Milestone) -> list[Problem]:
    """What the service would also refuse in the fields the edit form accepted."""
    fields = accepted(form, "forecast_date", "actual_date", "status", "reason")
    return list(service.progress_problems(milestone, **fields).items())


def _row_problems(form: UpdateMilestonesForm, milestones: dict[int, Milestone]) -> dict[int, dict[str, str]]:
    """The service's rules for each row of the update page, on the fields the form accepted."""
    found: dict[int, dict[str, str]] = {}
    for row in form.rows:
        milestone = milestones.get(row.form.milestone_id.data or 0)
        if milestone is not None and not row.form.milestone_id.errors:
            fields = accepted(row.form, "forecast_date", "actual_date", "status", "reason")
            found[milestone.id] = service.progress_problems(milestone, **fields)
    return found


@blueprint.route("/")
@login_required
def index(code: str) -> Page:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    rows = rebaselines.milestone_rows(programme.id)
    return render_template(
        "milestones/index.html",
        programme=programme,
        section="milestones",
        rows=rows,
        timeline=timeline_chart(programme, [row.milestone for row in rows]),
        can_update=can(current_user, Action.UPDATE_PROGRAMME, programme),
        team_loads=programme_loads(programme.id),
        dependencies=programme_dependencies(programme.id, today=london_today(utcnow())),
        can_manage_dependencies=can(current_user, Action.MANAGE_DEPENDENCIES, programme),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def create(code: str) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    form = MilestoneForm()
    if validate_all(form, lambda: _new_problems(form)):
        try:
            milestone = service.create_milestone(
                programme,
                user=current_user,
                details=details_from(form),
                baseline_date=form.baseline_date.data,
                forecast_date=form.forecast_date.data,
                actual_date=form.actual_date.data,
                status=MilestoneStatus(form.status.data),
            )
        except service.MilestoneInvalid as error:
            _show_errors(form, next(iter(error.rows.values())))
        else:
            flash(f"Added milestone: {milestone.title}", "success")
            return _to_index(programme, milestone.id)
    return render_template(
        "milestones/form.html", programme=programme, section="milestones", form=form, problems=problems(form)
    )


@blueprint.route("/<int:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str, milestone_id: int) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    milestone = found(service.get_milestone, programme, milestone_id)
    form = EditMilestoneForm(data=milestone_data(milestone))
    save = Save()
    if validate_all(form, lambda: _progress_problems(form, milestone)):
        progress = progress_from(form, milestone.id)
        try:
            with stale_save(form, lambda: milestone) as save:
                service.edit_milestone(programme, progress, user=current_user, details=details_from(form))
                flash(f"Saved milestone: {milestone.title}", "success")
                return _to_index(programme, milestone.id)
        except service.MilestoneInvalid as error:
            _show_errors(form, error.rows[milestone.id])
    return render_template(
        "milestones/form.html",
        programme=programme,
        section="milestones",
        form=form,
        milestone=milestone,
        conflict=save.stale,
        problems=problems(form),
    )


@blueprint.route("/<int:milestone_id>/delete", methods=["GET", "POST"])
@login_required
def delete(code: str, milestone_id: int) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    milestone = found(service.get_milestone, programme, milestone_id)
    form = DeleteForm(data={"version": milestone.version})
    if form.validate_on_submit():
        with stale_save(form, lambda: milestone):
            title = service.delete_milestone(
                programme, milestone.id, user=current_user, expected_version=form.version.data
            )
            flash(f"Deleted milestone: {title}", "success")
            return _to_index(programme)
    return render_template(
        "milestones/delete.html",
        programme=programme,
        section="milestones",
        form=form,
        milestone=milestone,
        problems=problems(form),
    )


@blueprint.route("/update", methods=["GET", "POST"])
@login_required
def update(code: str) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    milestones = {milestone.id: milestone for milestone in service.programme_milestones(programme.id)}
    open_ones = [m for m in milestones.values() if m.status in service.OPEN_STATUSES]
    # A posted page is read from the post alone: rows must never borrow values from another milestone.
    rows = None if request.method == "POST" else [row_data(milestone) for milestone in open_ones]
    form = UpdateMilestonesForm(data={"rows": rows} if rows is not None else None)
    conflicts: dict[int, str] = {}
    general: list[str] = []
    if form.is_submitted() and not form.validate():
        # Some fields were refused: the service's rules still check the rest of every row.
        show_row_errors(form, _row_problems(form, milestones))
    elif form.is_submitted():
        try:
            changed = service.update_progress(programme, user=current_user, updates=progress_rows(form))
        except service.MilestoneInvalid as error:
            show_row_errors(form, error.rows)
        except service.MilestoneConflict as error:
            conflicts = error.rows
            form.offer_versions(milestones, conflicts)
        except (Conflict, Invalid) as error:  # a race lost while saving: the rows keep what was typed
            general.append(error.message)
        else:
            confirmed = f", {len(form.rows) - changed} confirmed" if changed < len(form.rows) else ""
            flash(f"Milestones saved: {changed} changed{confirmed}.", "success")
            return _to_index(programme)
    return render_template(
        "milestones/update.html",
        programme=programme,
        section="milestones",
        form=form,
        milestones=milestones,
        conflicts=conflicts,
        problems=row_problems(form, milestones, conflicts, general),
        variance=rebaselines.variance_wording,
    )


@blueprint.route("/<int:milestone_id>/rebaseline", methods=["GET", "POST"])
@login_required
def request_rebaseline(code: str, milestone_id: int) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    milestone = found(service.get_milestone, programme, milestone_id)
    form = RebaselineForm()
    if validate_all(
        form, lambda: rebaselines.rebaseline_problems(milestone, **accepted(form, "proposed_date", "reason"))
    ):
        try:
            rebaselines.request_rebaseline(
                programme,
                milestone.id,
                user=current_user,
                proposed_date=form.proposed_date.data,
                reason=form.reason.data or "",
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Re-baseline request for {milestone.title} sent to the CIO.", "success")
            return _to_index(programme, milestone.id)
    return render_template(
        "milestones/rebaseline.html",
        programme=programme,
        section="milestones",
        form=form,
        milestone=milestone,
        problems=problems(form),
    )


@rebaselines_blueprint.route("/", endpoint="index")
@login_required
def queue() -> Page:
    require(current_user, Action.VIEW_REBASELINES)
    can_decide = can(current_user, Action.APPROVE_REBASELINE)
    of_user = None if can_decide else current_user.id  # a programme manager sees their programmes'
    return render_template(
        "milestones/queue.html",
        pending=rebaselines.pending_queue(of_user=of_user),
        decided=rebaselines.recent_decisions(of_user=of_user),
        changes_pending=changes.pending_changes(of_user=of_user),
        changes_decided=changes.recent_change_decisions(of_user=of_user),
        gates_pending=gates.pending_gates(of_user=of_user),
        can_decide=can_decide,
    )


@rebaselines_blueprint.route("/<int:request_id>", methods=["GET", "POST"])
@login_required
def decide(request_id: int) -> Page:
    require(current_user, Action.APPROVE_REBASELINE)
    item = found(rebaselines.get_request, request_id)
    require(current_user, Action.APPROVE_REBASELINE, item.programme)
    form = DecisionForm()
    general: list[str] = []
    if form.validate_on_submit():
        approve = form.decision.data == "approve"
        try:
            item = rebaselines.decide(
                request_id, user=current_user, approve=approve, note=form.note.data or ""
            )
        except Invalid as error:
            form[error.field or "note"].errors.append(error.message)
        except Conflict as error:
            general.append(error.message)
            item = rebaselines.get_request(request_id)
        else:
            outcome = "Approved" if approve else "Rejected"
            flash(f"{outcome}: re-baseline of {item.milestone.title} ({item.programme.code}).", "success")
            return redirect(url_for("rebaselines.index"))
    return render_template("milestones/decide.html", item=item, form=form, problems=problems(form, *general))
