"""The RAID register: risks and issues with their 5x5 matrix here; actions and decisions in `raid`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.vocabulary import label
from tracker.models import Programme
from tracker.policy import Action, can
from tracker.services import raid, register
from tracker.services.errors import Invalid
from tracker.web.forms_support import add_service_error, version_of
from tracker.web.programmes.access import found, programme_for
from tracker.web.register.forms import ConfirmForm, EntryForm
from tracker.web.saving import Save, offer_version, stale_save

blueprint = Blueprint("register", __name__, url_prefix="/programmes/<code>/risks")


def _entry_url(programme: Programme, entry_id: int) -> str:
    """The register, scrolled to the entry."""
    return url_for("register.index", code=programme.code, _anchor=f"entry-{entry_id}")


def _render(template: str, programme: Programme, **context: object) -> str:
    return render_template(template, programme=programme, section="risks", **context)


@blueprint.route("/")
@login_required
def index(code: str) -> str:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    entries = register.list_entries(programme)
    return _render(
        "register/index.html",
        programme,
        entries=entries,
        matrix=register.risk_matrix(entries),
        actions=raid.action_rows(raid.list_actions(programme)),
        decisions=raid.list_decisions(programme),
        can_update=can(current_user, Action.UPDATE_PROGRAMME, programme),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def create(code: str) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    form = EntryForm() if request.method == "POST" else EntryForm.blank()
    if form.validate_on_submit():
        try:
            entry = register.create_entry(programme, values=form.values(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"{label(entry.kind)} added: {entry.title} (score {entry.score})", "success")
            return redirect(_entry_url(programme, entry.id))
    return _render("register/form.html", programme, form=form, entry=None, saved=None)


@blueprint.route("/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str, entry_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    entry = found(register.get_entry, programme, entry_id)
    form = EntryForm() if request.method == "POST" else EntryForm.for_entry(entry)
    save = Save()
    if form.validate_on_submit():
        try:
            with stale_save(form, lambda: register.get_entry(programme, entry_id)) as save:
                register.update_entry(
                    programme,
                    entry_id=entry.id,
                    values=form.values(),
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash(f"Saved: {entry.title}", "success")
                return redirect(_entry_url(programme, entry.id))
        except Invalid as error:
            add_service_error(form, error)
    return _render("register/form.html", programme, form=form, entry=entry, saved=save.latest)


@blueprint.route("/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete(code: str, entry_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    entry = found(register.get_entry, programme, entry_id)
    form = ConfirmForm() if request.method == "POST" else ConfirmForm(data={"version": str(entry.version)})
    if form.validate_on_submit():
        with stale_save(form, lambda: register.get_entry(programme, entry_id)) as save:
            title = register.delete_entry(
                programme, entry_id=entry.id, expected_version=version_of(form), user=current_user
            )
            flash(f"Deleted: {title}", "success")
            return redirect(url_for("register.index", code=programme.code))
        entry = save.latest  # the page shows what would be deleted now
    return _render("register/delete.html", programme, form=form, entry=entry)


@blueprint.route("/<int:entry_id>/raise-issue", methods=["GET", "POST"])
@login_required
def raise_issue(code: str, entry_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    risk = found(register.get_entry, programme, entry_id)
    form = ConfirmForm() if request.method == "POST" else ConfirmForm(data={"version": str(risk.version)})
    if form.validate_on_submit():
        try:
            with stale_save(form, lambda: register.get_entry(programme, entry_id)) as save:
                issue = register.raise_issue(
                    programme, risk_id=risk.id, expected_version=version_of(form), user=current_user
                )
                flash(f"Issue raised: {issue.title}. The risk is closed.", "success")
                return redirect(_entry_url(programme, issue.id))
        except Invalid as error:
            add_service_error(form, error)
            save.latest = register.get_entry(programme, entry_id)
            offer_version(form.version, save.latest.version)
        risk = save.latest
    return _render("register/raise_issue.html", programme, form=form, risk=risk)
