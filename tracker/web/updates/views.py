"""Status updates (highlight reports), frozen once submitted."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.calendar import london_today
from tracker.domain.vocabulary import DIMENSION_LABELS
from tracker.models import Programme, StatusUpdate
from tracker.models.types import utcnow
from tracker.policy import Action, can
from tracker.services.errors import Invalid, Problem
from tracker.services.programmes import status_updates
from tracker.web.forms_support import accepted, add_service_error, validate_all, version_of
from tracker.web.programmes.access import found, programme_for
from tracker.web.saving import Save, stale_save
from tracker.web.updates.forms import SubmitForm, UpdateForm

blueprint = Blueprint("updates", __name__, url_prefix="/programmes/<code>/updates")


def _render(template: str, programme: Programme, **context: object) -> str:
    return render_template(
        template, programme=programme, section="updates", dimensions=DIMENSION_LABELS, **context
    )


def _frozen(programme: Programme, update: StatusUpdate) -> str:
    """A submitted update is shown with why it cannot change; nothing is written."""
    return _render(
        "updates/frozen.html", programme, update=update, message=status_updates.frozen_message(update)
    )


def _problems(form: UpdateForm) -> list[Problem]:
    """What the service would also refuse in the fields the form accepted."""
    return status_updates.update_problems(**accepted(form, "period_start", "period_end", "narrative"))


@blueprint.route("/")
@login_required
def index(code: str) -> str:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return _render(
        "updates/index.html",
        programme,
        updates=status_updates.list_updates(programme),
        can_update=can(current_user, Action.UPDATE_PROGRAMME, programme),
    )


@blueprint.route("/<int:update_id>")
@login_required
def detail(code: str, update_id: int) -> str:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return _render(
        "updates/detail.html",
        programme,
        update=found(status_updates.get_update, programme, update_id),
        can_update=can(current_user, Action.UPDATE_PROGRAMME, programme),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def create(code: str) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    if request.method == "POST":
        form = UpdateForm()
    else:
        previous = next(iter(status_updates.list_updates(programme)), None)
        form = UpdateForm.starting_after(previous, london_today(utcnow()))
    if validate_all(form, lambda: _problems(form)):
        try:
            update = status_updates.create_draft(programme, values=form.values(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash("Draft saved. Submit it when it is ready: it cannot be changed after that.", "success")
            return redirect(url_for("updates.detail", code=programme.code, update_id=update.id))
    return _render("updates/form.html", programme, form=form, update=None, saved=None)


@blueprint.route("/<int:update_id>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str, update_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    update = found(status_updates.get_update, programme, update_id)
    if update.is_submitted:
        return _frozen(programme, update)
    form = UpdateForm() if request.method == "POST" else UpdateForm.for_update(update)
    save = Save()
    if validate_all(form, lambda: _problems(form)):
        try:
            with stale_save(form, lambda: status_updates.get_update(programme, update_id)) as save:
                status_updates.update_draft(
                    programme,
                    update_id=update.id,
                    values=form.values(),
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash("Draft saved", "success")
                return redirect(url_for("updates.detail", code=programme.code, update_id=update.id))
        except Invalid as error:
            add_service_error(form, error)
        if save.latest is not None and save.latest.is_submitted:
            return _frozen(programme, save.latest)
    return _render("updates/form.html", programme, form=form, update=update, saved=save.latest)


@blueprint.route("/<int:update_id>/submit", methods=["GET", "POST"])
@login_required
def submit(code: str, update_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    update = found(status_updates.get_update, programme, update_id)
    if update.is_submitted:
        return _frozen(programme, update)
    form = SubmitForm() if request.method == "POST" else SubmitForm(data={"version": str(update.version)})
    if form.validate_on_submit():
        with stale_save(form, lambda: status_updates.get_update(programme, update_id)) as save:
            status_updates.submit(
                programme, update_id=update.id, expected_version=version_of(form), user=current_user
            )
            flash("Update submitted. It is now the programme's report for the period.", "success")
            return redirect(url_for("updates.detail", code=programme.code, update_id=update.id))
        if save.latest.is_submitted:
            return _frozen(programme, save.latest)
        update = save.latest  # the page shows what would be submitted now
    return _render("updates/submit.html", programme, form=form, update=update)
