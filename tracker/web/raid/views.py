"""A programme's actions and decisions: add, change, mark an action done, delete. The register page
(`register.index`) lists them beside the risks and issues."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.formatting import uk_date
from tracker.models import Programme
from tracker.policy import Action
from tracker.services import raid, register
from tracker.services.errors import Invalid
from tracker.web.forms_support import add_service_error, version_of
from tracker.web.programmes.access import found, programme_for
from tracker.web.raid.forms import ActionForm, DecisionForm
from tracker.web.register.forms import ConfirmForm
from tracker.web.saving import Save, offer_version, stale_save

blueprint = Blueprint("raid", __name__, url_prefix="/programmes/<code>/risks")


def _anchored(programme: Programme, anchor: str) -> str:
    """The register page, scrolled to a row."""
    return url_for("register.index", code=programme.code, _anchor=anchor)


def _render(template: str, programme: Programme, **context: object) -> str:
    return render_template(template, programme=programme, section="risks", **context)


def _action_form(programme: Programme, form: ActionForm) -> ActionForm:
    return form.offer_entries(register.list_entries(programme))


@blueprint.route("/actions/new", methods=["GET", "POST"])
@login_required
def new_action(code: str) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    form = _action_form(programme, ActionForm() if request.method == "POST" else ActionForm.blank())
    if form.validate_on_submit():
        try:
            action = raid.create_action(programme, values=form.values(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Action added: {action.title}", "success")
            return redirect(_anchored(programme, f"action-{action.id}"))
    return _render("raid/action_form.html", programme, form=form, action=None, saved=None)


@blueprint.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(code: str, action_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    action = found(raid.get_action, programme, action_id)
    form = ActionForm() if request.method == "POST" else ActionForm.for_action(action)
    form = _action_form(programme, form)
    save = Save()
    if form.validate_on_submit():
        try:
            with stale_save(form, lambda: raid.get_action(programme, action_id)) as save:
                raid.update_action(
                    programme,
                    action_id=action.id,
                    values=form.values(),
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash(f"Saved: {action.title}", "success")
                return redirect(_anchored(programme, f"action-{action.id}"))
        except Invalid as error:
            add_service_error(form, error)
    return _render("raid/action_form.html", programme, form=form, action=action, saved=save.latest)


@blueprint.route("/actions/<int:action_id>/done", methods=["GET", "POST"])
@login_required
def action_done(code: str, action_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    action = found(raid.get_action, programme, action_id)
    form = ConfirmForm() if request.method == "POST" else ConfirmForm(data={"version": str(action.version)})
    if form.validate_on_submit():
        try:
            with stale_save(form, lambda: raid.get_action(programme, action_id)) as save:
                done = raid.mark_action_done(
                    programme, action_id=action.id, expected_version=version_of(form), user=current_user
                )
                flash(f"Done on {uk_date(done.done_on)}: {done.title}", "success")
                return redirect(_anchored(programme, f"action-{action.id}"))
        except Invalid as error:
            add_service_error(form, error)
            save.latest = raid.get_action(programme, action_id)
            offer_version(form.version, save.latest.version)
        action = save.latest  # the page shows the action as it is now
    return _render("raid/action_done.html", programme, form=form, action=action)


@blueprint.route("/actions/<int:action_id>/delete", methods=["GET", "POST"])
@login_required
def delete_action(code: str, action_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    action = found(raid.get_action, programme, action_id)
    form = ConfirmForm() if request.method == "POST" else ConfirmForm(data={"version": str(action.version)})
    if form.validate_on_submit():
        with stale_save(form, lambda: raid.get_action(programme, action_id)) as save:
            title = raid.delete_action(
                programme, action_id=action.id, expected_version=version_of(form), user=current_user
            )
            flash(f"Deleted: {title}", "success")
            return redirect(_anchored(programme, "actions"))
        action = save.latest
    return _render("raid/delete.html", programme, form=form, record=action, what="action")


@blueprint.route("/decisions/new", methods=["GET", "POST"])
@login_required
def new_decision(code: str) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    form = DecisionForm() if request.method == "POST" else DecisionForm.blank()
    if form.validate_on_submit():
        try:
            decision = raid.create_decision(programme, values=form.values(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Decision recorded: {decision.title}", "success")
            return redirect(_anchored(programme, f"decision-{decision.id}"))
    return _render("raid/decision_form.html", programme, form=form, decision=None, saved=None)


@blueprint.route("/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@login_required
def edit_decision(code: str, decision_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    decision = found(raid.get_decision, programme, decision_id)
    form = DecisionForm() if request.method == "POST" else DecisionForm.for_decision(decision)
    save = Save()
    if form.validate_on_submit():
        try:
            with stale_save(form, lambda: raid.get_decision(programme, decision_id)) as save:
                raid.update_decision(
                    programme,
                    decision_id=decision.id,
                    values=form.values(),
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash(f"Saved: {decision.title}", "success")
                return redirect(_anchored(programme, f"decision-{decision.id}"))
        except Invalid as error:
            add_service_error(form, error)
    return _render("raid/decision_form.html", programme, form=form, decision=decision, saved=save.latest)


@blueprint.route("/decisions/<int:decision_id>/delete", methods=["GET", "POST"])
@login_required
def delete_decision(code: str, decision_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    decision = found(raid.get_decision, programme, decision_id)
    form = ConfirmForm() if request.method == "POST" else ConfirmForm(data={"version": str(decision.version)})
    if form.validate_on_submit():
        with stale_save(form, lambda: raid.get_decision(programme, decision_id)) as save:
            title = raid.delete_decision(
                programme, decision_id=decision.id, expected_version=version_of(form), user=current_user
            )
            flash(f"Deleted: {title}", "success")
            return redirect(_anchored(programme, "decisions"))
        decision = save.latest
    return _render("raid/delete.html", programme, form=form, record=decision, what="decision")
