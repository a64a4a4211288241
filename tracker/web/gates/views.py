"""A programme's gates: where it stands in the council's stage model, asking for the next gate decision,
the approver's decision, the planned gate date; and the admin's choice of stage model."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.stage_models import MODELS
from tracker.models import GateStatus
from tracker.policy import Action, can, may_decide_gate, require
from tracker.services.errors import Conflict, Invalid
from tracker.services.programmes import gates
from tracker.services.settings import current_stage_model, update_stage_model
from tracker.web.forms_support import add_service_error, version_of
from tracker.web.gates.forms import AskForm, DecideForm, PlanForm, StageModelForm, WithdrawForm
from tracker.web.programmes.access import found, programme_for
from tracker.web.saving import stale_save

blueprint = Blueprint("gates", __name__)


@blueprint.route("/programmes/<code>/gates/", methods=["GET", "POST"])
@login_required
def index(code: str) -> Response | str:
    """The stage ladder, the next gate, every request; the planned gate date is set here."""
    require(current_user, Action.VIEW_PROGRAMME)
    page = found(gates.gates_page, code)
    plan = PlanForm()
    if request.method == "GET":
        plan.planned_gate_date.data = page.programme.planned_gate_date
        plan.version.data = str(page.programme.version)
    else:
        require(current_user, Action.UPDATE_PROGRAMME, page.programme)
        if plan.validate_on_submit():
            try:
                with stale_save(plan, lambda: found(gates.gates_page, code).programme):
                    gates.set_planned_gate_date(
                        code,
                        planned=plan.planned_gate_date.data,
                        user=current_user,
                        expected_version=version_of(plan),
                    )
                    flash("Planned gate date saved.", "success")
                    return redirect(url_for(".index", code=page.programme.code))
            except Invalid as error:
                add_service_error(plan, error)
    pending = page.pending
    return render_template(
        "gates/index.html",
        page=page,
        plan=plan,
        may_decide_pending=pending is not None
        and may_decide_gate(current_user, pending.approver_role, page.programme),
        programme=page.programme,
        section="gates",
    )


@blueprint.route("/programmes/<code>/gates/ask", methods=["GET", "POST"])
@login_required
def ask(code: str) -> Response | str:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    page = gates.gates_page(code)
    if page.gate is None:
        abort(404)
    form = AskForm.for_gate(page.gate)
    if request.method == "GET":
        form.version.data = str(programme.version)
    elif form.validate_on_submit():
        answers = [gates.Answer(item, met, note) for item, met, note in form.answers(page.gate.checklist)]
        try:
            with stale_save(form, lambda: found(gates.gates_page, code).programme):
                gates.ask_for_gate(
                    code,
                    answers=answers,
                    summary=form.summary.data or "",
                    user=current_user,
                    expected_version=version_of(form),
                )
                flash(f"The “{page.gate.name}” gate decision has been asked for.", "success")
                return redirect(url_for(".index", code=programme.code))
        except Invalid as error:
            add_service_error(form, error)
    return render_template("gates/ask.html", page=page, form=form, programme=programme, section="gates")


@blueprint.route("/programmes/<code>/gates/<int:request_id>", methods=["GET", "POST"])
@login_required
def decide(code: str, request_id: int) -> Response | str:
    """A gate request: everyone who may see the programme reads it; its approver decides it here."""
    require(current_user, Action.VIEW_PROGRAMME)
    page = found(gates.gates_page, code)
    gate_request = next((item for item in page.requests if item.id == request_id), None)
    if gate_request is None:
        abort(404)
    may_decide = gate_request.is_pending and may_decide_gate(
        current_user, gate_request.approver_role, page.programme
    )
    form = DecideForm()
    if request.method == "GET":
        form.version.data = str(gate_request.version)
    else:
        if not may_decide:
            require(current_user, Action.DECIDE_GATE, page.programme)  # 403 or 409 (closed)
            if gate_request.is_pending:
                abort(403)  # the gate names another approving role
        if form.validate_on_submit():
            try:
                with stale_save(form, lambda: gates.get_gate_request(request_id)):
                    decided = gates.decide_gate(
                        request_id,
                        outcome=GateStatus(form.outcome.data),
                        conditions=form.conditions.data or "",
                        note=form.note.data or "",
                        user=current_user,
                        expected_version=version_of(form),
                    )
                    flash(f"{page.programme.code}: {gates.decision_words(decided)}.", "success")
                    return redirect(url_for(".index", code=page.programme.code))
            except Invalid as error:
                add_service_error(form, error)
    return render_template(
        "gates/decide.html",
        page=page,
        item=gate_request,
        form=form,
        may_decide=may_decide,
        may_withdraw=gate_request.is_pending and can(current_user, Action.UPDATE_PROGRAMME, page.programme),
        withdraw=WithdrawForm(),
        programme=page.programme,
        section="gates",
    )


@blueprint.route("/programmes/<code>/gates/<int:request_id>/withdraw", methods=["POST"])
@login_required
def withdraw(code: str, request_id: int) -> Response:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    gate_request = found(gates.get_gate_request, request_id)
    if gate_request.programme_id != programme.id:
        abort(404)
    try:
        gates.withdraw_gate(request_id, user=current_user)
        flash("The request was withdrawn.", "success")
    except Conflict as error:
        flash(error.message, "error")
    return redirect(url_for(".index", code=programme.code))


@blueprint.route("/admin/settings/stage-model", methods=["GET", "POST"])
@login_required
def stage_model() -> Response | str:
    require(current_user, Action.MANAGE_SETTINGS)
    current = current_stage_model()
    form = StageModelForm.for_model(current)
    if request.method == "GET":
        form.model.data = current.key
        for gate in current.gates:
            form[f"checklist_{gate.key}"].data = "\n".join(gate.checklist)
            form[f"approver_{gate.key}"].data = gate.approver.value
    elif form.validate_on_submit():
        chosen = form.model.data
        edits: dict[str, tuple[list[str], str]] = {}
        if chosen == current.key:
            edits = {
                gate.key: (
                    (form[f"checklist_{gate.key}"].data or "").splitlines(),
                    form[f"approver_{gate.key}"].data or "",
                )
                for gate in current.gates
            }
        try:
            update_stage_model(chosen, edits, user_id=current_user.id)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Stage model saved: {MODELS[chosen].name}.", "success")
            return redirect(url_for(".stage_model"))
    return render_template("gates/stage_model.html", form=form, current=current, models=MODELS)
