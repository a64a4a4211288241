"""Benefits: profiles, planned trajectory and measurements."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.calendar import format_date
from tracker.domain.vocabulary import label
from tracker.models import Programme
from tracker.policy import Action, can
from tracker.services import benefits
from tracker.services.benefits import format_measure
from tracker.services.errors import Invalid, Problem
from tracker.services.programmes.charts import benefit_chart
from tracker.web.benefits.forms import (
    BenefitForm,
    ConfirmForm,
    MeasurementForm,
    StatusForm,
    TrajectoryForm,
)
from tracker.web.forms_support import accepted, add_service_error, validate_all, version_of
from tracker.web.programmes.access import found, programme_for
from tracker.web.saving import Save, stale_save

blueprint = Blueprint("benefits", __name__, url_prefix="/programmes/<code>/benefits")


def _detail_url(programme: Programme, benefit_id: int) -> str:
    return url_for("benefits.detail", code=programme.code, benefit_id=benefit_id)


def _render(template: str, programme: Programme, **context: object) -> str:
    """Every benefits page: the programme layout, its section, and the value formatter."""
    return render_template(
        template, programme=programme, section="benefits", format_measure=format_measure, **context
    )


def _benefit_problems(form: BenefitForm) -> list[Problem]:
    """What the service would also refuse in the fields the form accepted."""
    fields = ("title", "baseline_value", "baseline_date", "target_value", "target_date")
    return benefits.benefit_problems(**accepted(form, *fields))


@blueprint.route("/")
@login_required
def index(code: str) -> str:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return _render(
        "benefits/index.html",
        programme,
        rows=benefits.list_benefits(programme),
        can_update=can(current_user, Action.UPDATE_PROGRAMME, programme),
    )


@blueprint.route("/<int:benefit_id>")
@login_required
def detail(code: str, benefit_id: int) -> str:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    detail = found(benefits.benefit_detail, programme, benefit_id)
    return _render(
        "benefits/detail.html",
        programme,
        detail=detail,
        benefit=detail.benefit,
        trajectory_chart=benefit_chart(detail.benefit),
        can_update=can(current_user, Action.UPDATE_PROGRAMME, programme),
        can_record=can(current_user, Action.RECORD_MEASUREMENT, programme),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def create(code: str) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    form = BenefitForm()
    if validate_all(form, lambda: _benefit_problems(form)):
        try:
            benefit = benefits.create_benefit(programme, values=form.values(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Benefit added: {benefit.title}. Now enter its planned values.", "success")
            return redirect(url_for("benefits.trajectory", code=programme.code, benefit_id=benefit.id))
    return _render("benefits/form.html", programme, form=form, benefit=None, saved=None)


@blueprint.route("/<int:benefit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str, benefit_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    benefit = found(benefits.get_benefit, programme, benefit_id)
    form = BenefitForm() if request.method == "POST" else BenefitForm.for_benefit(benefit)
    save = Save()
    if validate_all(form, lambda: _benefit_problems(form)):
        try:
            with stale_save(form, lambda: benefits.get_benefit(programme, benefit_id)) as save:
                benefits.update_benefit(
                    programme,
                    benefit_id=benefit.id,
                    values=form.values(),
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash("Benefit saved", "success")
                return redirect(_detail_url(programme, benefit.id))
        except Invalid as error:
            add_service_error(form, error)
    return _render("benefits/form.html", programme, form=form, benefit=benefit, saved=save.latest)


@blueprint.route("/<int:benefit_id>/delete", methods=["GET", "POST"])
@login_required
def delete(code: str, benefit_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    benefit = found(benefits.get_benefit, programme, benefit_id)
    form = ConfirmForm() if request.method == "POST" else ConfirmForm(data={"version": str(benefit.version)})
    if form.validate_on_submit():
        with stale_save(form, lambda: benefits.get_benefit(programme, benefit_id)) as save:
            title = found(
                benefits.delete_benefit,
                programme,
                benefit_id=benefit.id,
                expected_version=version_of(form),
                user=current_user,
            )
            flash(f"Benefit deleted: {title}", "success")
            return redirect(url_for("benefits.index", code=programme.code))
        benefit = save.latest  # the page shows what would be deleted now
    return _render("benefits/delete.html", programme, form=form, benefit=benefit)


@blueprint.route("/<int:benefit_id>/trajectory", methods=["GET", "POST"])
@login_required
def trajectory(code: str, benefit_id: int) -> str | Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    benefit = found(benefits.get_benefit, programme, benefit_id)
    form = TrajectoryForm() if request.method == "POST" else TrajectoryForm.for_benefit(benefit)
    save = Save()
    if form.is_submitted() and form.more.data:
        form.add_rows()
    elif validate_all(form, lambda: benefits.trajectory_problems(form.planned_points())):
        try:
            with stale_save(form, lambda: benefits.get_benefit(programme, benefit_id)) as save:
                benefits.replace_trajectory(
                    programme,
                    benefit_id=benefit.id,
                    points=form.planned_points(),
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash("Planned values saved", "success")
                return redirect(_detail_url(programme, benefit.id))
        except Invalid as error:
            add_service_error(form, error)
    return _render("benefits/trajectory.html", programme, form=form, benefit=benefit, saved=save.latest)


@blueprint.route("/<int:benefit_id>/measurements/new", methods=["GET", "POST"])
@login_required
def record_measurement(code: str, benefit_id: int) -> str | Response:
    programme = programme_for(code, Action.RECORD_MEASUREMENT)
    benefit = found(benefits.get_benefit, programme, benefit_id)
    form = MeasurementForm()
    if validate_all(form, lambda: benefits.measurement_problems(**accepted(form, "on_date", "value"))):
        try:
            judged = benefits.record_measurement(
                programme,
                benefit_id=benefit.id,
                on_date=form.on_date.data,
                value=form.value.data,
                note=form.note.data or "",
                user=current_user,
            )
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(
                f"Measurement recorded: {format_measure(benefit, judged.actual)} on "
                f"{format_date(judged.measured_on)}. {judged.status}.",
                "success",
            )
            return redirect(_detail_url(programme, benefit.id))
    return _render("benefits/measurement.html", programme, form=form, benefit=benefit)


@blueprint.route("/<int:benefit_id>/status", methods=["GET", "POST"])
@login_required
def status(code: str, benefit_id: int) -> str | Response:
    """Realised, written off or still being measured, and the handover: allowed after closure, as
    measuring is."""
    programme = programme_for(code, Action.RECORD_MEASUREMENT)
    benefit = found(benefits.get_benefit, programme, benefit_id)
    form = StatusForm() if request.method == "POST" else StatusForm.for_benefit(benefit)
    save = Save()
    fields = ("status", "status_reason", "handed_over_on")
    if validate_all(form, lambda: benefits.status_problems(**accepted(form, *fields))):
        try:
            with stale_save(form, lambda: benefits.get_benefit(programme, benefit_id)) as save:
                changed = benefits.change_status(
                    programme,
                    benefit_id=benefit.id,
                    values=form.values(),
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash(f"Status saved: {changed.title} is {label(changed.status).lower()}", "success")
                return redirect(_detail_url(programme, benefit.id))
        except Invalid as error:
            add_service_error(form, error)
    return _render("benefits/status.html", programme, form=form, benefit=benefit, saved=save.latest)
