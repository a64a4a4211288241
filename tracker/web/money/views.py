"""Money: investment lines per financial year, with totals, gap and variance."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.calendar import financial_year_label
from tracker.models import CostType, InvestmentCategory, Programme, Recurrence
from tracker.policy import Action, can
from tracker.services import money as service
from tracker.services.errors import Invalid, Problem
from tracker.services.programmes.charts import spend_chart
from tracker.services.programmes.returns import whole_life_cost
from tracker.web.forms_support import accepted, add_service_error, problems, validate_all
from tracker.web.money.forms import CATEGORY_ITEMS, DeleteInvestmentForm, EditInvestmentForm, InvestmentForm
from tracker.web.programmes.access import found, programme_for
from tracker.web.saving import Save, stale_save

blueprint = Blueprint("money", __name__, url_prefix="/programmes/<code>/money")

Page = str | Response


def _to_index(programme: Programme, investment_id: int | None = None) -> Response:
    anchor = f"investment-{investment_id}" if investment_id else None
    return redirect(url_for("money.index", code=programme.code, _anchor=anchor))


def _line(form: InvestmentForm) -> service.Line:
    return service.Line(
        title=form.title.data or "",
        category=InvestmentCategory(form.category.data),
        cost_type=CostType(form.cost_type.data),
        recurrence=Recurrence(form.recurrence.data),
        financial_year=form.financial_year.data,
        requested=form.requested.data,
        approved=form.approved.data,
        forecast=form.forecast.data,
        actual=form.actual.data,
    )


def _line_problems(form: InvestmentForm) -> list[Problem]:
    """What the service would also refuse in the fields the form accepted (a year out of range)."""
    return service.line_problems(**accepted(form, "title", "financial_year", *service.AMOUNTS))


@blueprint.route("/")
@login_required
def index(code: str) -> Page:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    summary = service.money_summary(programme.id)
    return render_template(
        "money/index.html",
        programme=programme,
        section="money",
        summary=summary,
        spend_chart=spend_chart(summary),
        whole_life=whole_life_cost(programme),
        can_update=can(current_user, Action.UPDATE_PROGRAMME, programme),
        line_variance=service.line_variance_text,
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def create(code: str) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    form = InvestmentForm()
    if validate_all(form, lambda: _line_problems(form)):
        try:
            investment = service.create_investment(programme, _line(form), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Added investment line: {investment.title}", "success")
            return _to_index(programme, investment.id)
    return render_template(
        "money/form.html",
        programme=programme,
        section="money",
        form=form,
        problems=problems(form),
        category_items=CATEGORY_ITEMS,
    )


@blueprint.route("/<int:investment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str, investment_id: int) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    investment = found(service.get_investment, programme, investment_id)
    form = EditInvestmentForm(obj=investment)
    save = Save()
    if validate_all(form, lambda: _line_problems(form)):
        try:
            with stale_save(form, lambda: investment) as save:
                service.update_investment(
                    programme,
                    investment.id,
                    _line(form),
                    user=current_user,
                    expected_version=form.version.data,
                )
                flash(f"Saved investment line: {investment.title}", "success")
                return _to_index(programme, investment.id)
        except Invalid as error:
            add_service_error(form, error)
    return render_template(
        "money/form.html",
        programme=programme,
        section="money",
        form=form,
        investment=investment,
        conflict=save.stale,
        problems=problems(form),
        category_items=CATEGORY_ITEMS,
    )


@blueprint.route("/<int:investment_id>/delete", methods=["GET", "POST"])
@login_required
def delete(code: str, investment_id: int) -> Page:
    programme = programme_for(code, Action.UPDATE_PROGRAMME)
    investment = found(service.get_investment, programme, investment_id)
    form = DeleteInvestmentForm(obj=investment)
    if form.validate_on_submit():
        with stale_save(form, lambda: investment):
            title = service.delete_investment(
                programme, investment.id, user=current_user, expected_version=form.version.data
            )
            flash(f"Deleted investment line: {title}", "success")
            return _to_index(programme)
    return render_template(
        "money/delete.html",
        programme=programme,
        section="money",
        form=form,
        investment=investment,
        year_label=financial_year_label(investment.financial_year),
        problems=problems(form),
    )
