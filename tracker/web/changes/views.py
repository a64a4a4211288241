"""Change requests: a programme's list, raising one, its own page, withdrawing it, and deciding it from
the CIO's queue (which lives at /rebaselines/ with the re-baseline requests)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.models import ChangeRequestKind, Programme
from tracker.policy import Action, can, require
from tracker.services.changes import reads
from tracker.services.changes import requests as service
from tracker.services.errors import Invalid
from tracker.web.changes.forms import ChangeDecisionForm, ChangeRequestForm, WithdrawForm
from tracker.web.forms_support import add_service_error, problems, validate_all, version_of
from tracker.web.programmes.access import found, programme_for
from tracker.web.saving import stale_save

blueprint = Blueprint("changes", __name__, url_prefix="/programmes/<code>/change-requests")
decisions_blueprint = Blueprint("change_decisions", __name__, url_prefix="/rebaselines/changes")

Page = str | Response


def _render(template: str, programme: Programme, **context: object) -> str:
    return render_template(template, programme=programme, section="changes", **context)


def _may_withdraw(item: reads.ChangeItem) -> bool:
    return (
        item.is_pending
        and item.request.requested_by_id == current_user.id
        and can(current_user, Action.UPDATE_PROGRAMME, item.programme)
    )


@blueprint.route("/")
@login_required
def index(code: str) -> Page:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return _render(
        "changes/index.html",
        programme,
        items=reads.programme_changes(programme.id),
        can_raise=can(current_user, Action.UPDATE_PROGRAMME, programme),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def create(code: str) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    benefits = reads.programme_benefits(programme.id)
    form = ChangeRequestForm()
    form.offer_benefits(benefits)

    def service_problems() -> list[tuple[str | None, str]]:
        if form.kind.errors or form.kind.data not in {kind.value for kind in ChangeRequestKind}:
            return []
        return service.proposal_problems(programme, form.proposal())

    if validate_all(form, service_problems):
        try:
            raised = service.raise_request(programme, form.proposal(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Change request sent to the CIO: {raised.title}", "success")
            return redirect(url_for("changes.show", code=programme.code, request_id=raised.id))
    return _render("changes/form.html", programme, form=form, benefits=benefits, problems=problems(form))


@blueprint.route("/<int:request_id>")
@login_required
def show(code: str, request_id: int) -> Page:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    item = found(reads.get_change, request_id, programme_id=programme.id)
    return _render(
        "changes/show.html",
        programme,
        item=item,
        may_withdraw=_may_withdraw(item),
        may_decide=item.is_pending and can(current_user, Action.APPROVE_REBASELINE, programme),
    )


@blueprint.route("/<int:request_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(code: str, request_id: int) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    item = found(reads.get_change, request_id, programme_id=programme.id)
    if item.request.requested_by_id != current_user.id:
        abort(403)
    version = {"version": str(item.request.version)}
    form = WithdrawForm() if request.method == "POST" else WithdrawForm(data=version)
    general: list[str] = []
    if form.validate_on_submit():
        with stale_save(form, lambda: reads.get_change(request_id).request) as save:
            try:
                service.withdraw(programme, request_id, user=current_user, expected_version=version_of(form))
            except Invalid as error:
                general.append(error.message)
            else:
                flash(f"Change request withdrawn: {item.request.title}", "success")
                return redirect(url_for("changes.index", code=programme.code))
        if save.stale:
            item = reads.get_change(request_id)
    return _render(
        "changes/withdraw.html", programme, item=item, form=form, problems=problems(form, *general)
    )


@decisions_blueprint.route("/<int:request_id>", methods=["GET", "POST"], endpoint="decide")
@login_required
def decide(request_id: int) -> Page:
    require(current_user, Action.APPROVE_REBASELINE)
    item = found(reads.get_change, request_id)
    require(current_user, Action.APPROVE_REBASELINE, item.programme)
    version = {"version": str(item.request.version)}
    form = ChangeDecisionForm() if request.method == "POST" else ChangeDecisionForm(data=version)
    if form.validate_on_submit():
        approve = form.decision.data == "approve"
        with stale_save(form, lambda: reads.get_change(request_id).request) as save:
            try:
                item = service.decide(
                    request_id,
                    user=current_user,
                    approve=approve,
                    note=form.note.data or "",
                    expected_version=version_of(form),
                )
            except Invalid as error:
                form[error.field or "note"].errors.append(error.message)
            else:
                outcome = "Approved" if approve else "Rejected"
                flash(f"{outcome}: change request {item.request.title} ({item.programme.code}).", "success")
                return redirect(url_for("rebaselines.index"))
        if save.stale:
            item = reads.get_change(request_id)
    return render_template("changes/decide.html", item=item, form=form, problems=problems(form))
