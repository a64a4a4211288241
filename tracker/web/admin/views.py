"""Admin pages: the digest delivery log, resending a stored digest on purpose, the sign-in log, and
(nested) users."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.domain.calendar import week_of
from tracker.domain.vocabulary import SignInResult
from tracker.models import DeliveryStatus
from tracker.policy import Action, require
from tracker.services.accounts.sign_in_log import SignInQuery, sign_in_page
from tracker.services.digest.jobs import resend_delivery
from tracker.services.digest.log import delivery_log
from tracker.services.errors import NotFound, ServiceError
from tracker.web.admin.forms import ResendForm
from tracker.web.admin.provisioning import blueprint as provisioning_blueprint
from tracker.web.admin.users import blueprint as users_blueprint
from tracker.web.programmes.views import _pagination

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
blueprint.register_blueprint(users_blueprint)  # endpoints admin.users.*, under /admin/users
blueprint.register_blueprint(provisioning_blueprint)  # admin.provisioning.*, the SCIM tokens


@blueprint.route("/deliveries")
@login_required
def deliveries() -> str:
    require(current_user, Action.VIEW_DELIVERY_LOG)
    log = delivery_log(week=request.args.get("week"), status=request.args.get("status"))
    return render_template("admin/deliveries.html", log=log, statuses=list(DeliveryStatus))


@blueprint.route("/deliveries/<int:delivery_id>/resend", methods=["POST"])
@login_required
def resend(delivery_id: int) -> Response:
    require(current_user, Action.VIEW_DELIVERY_LOG)
    form = ResendForm()
    try:
        delivery = resend_delivery(delivery_id, user_id=current_user.id)
    except NotFound:
        abort(404)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.deliveries", week=form.week.data or None))
    week = week_of(delivery.iso_week)
    flash(f"The digest for the {week} was sent again to {delivery.recipient}.", "success")
    return redirect(url_for("admin.deliveries", week=delivery.iso_week))


@blueprint.route("/sign-ins")
@login_required
def sign_ins() -> str:
    require(current_user, Action.MANAGE_USERS)
    query = _sign_in_query()
    log = sign_in_page(query)
    return render_template(
        "admin/sign_ins.html",
        log=log,
        query=query,
        results=list(SignInResult),
        pagination=_pagination(log.page, log.pages, "admin.sign_ins"),
    )


def _sign_in_query() -> SignInQuery:
    """The log's filters from the address; anything not understood is left out."""
    result = request.args.get("result", "")
    page = request.args.get("page", "")
    return SignInQuery(
        result=SignInResult(result) if result in SignInResult._value2member_map_ else None,
        email=request.args.get("email", "")[:254],
        page=int(page) if page.isdigit() and len(page) < 7 else 1,
    )
