"""Board packs as downloads. Everyone who may read the dashboard may download its pack, with the same
filters (a programme manager's "my programmes" pack holds only theirs); everyone who may read a
programme may download its submitted highlight reports."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, request
from flask_login import current_user, login_required

from tracker.domain.calendar import london_today
from tracker.models.types import utcnow
from tracker.policy import Action, require
from tracker.services.errors import Invalid
from tracker.services.packs import pdf
from tracker.services.packs.content import highlight_report, portfolio_pack
from tracker.services.programmes import status_updates
from tracker.web.dashboard.forms import dashboard_filters
from tracker.web.programmes.access import found, programme_for

blueprint = Blueprint("packs", __name__)
# Where the PowerPoint downloads go when the deck renderer lands: /dashboard/pack.pptx and
# /programmes/<code>/updates/<id>/report.pptx, built from the same content.


@blueprint.route("/dashboard/pack.pdf")
@login_required
def portfolio_pdf() -> Response:
    require(current_user, Action.VIEW_PORTFOLIO)
    as_of = _as_of(request.args.get("as_of", ""))
    try:
        pack = portfolio_pack(current_user, dashboard_filters(request.args), as_of=as_of)
    except Invalid:
        abort(400)
    return _download(pdf.portfolio_pdf(pack), f"board-pack-{as_of.isoformat()}.pdf")


@blueprint.route("/programmes/<code>/updates/<int:update_id>/report.pdf")
@login_required
def highlight_pdf(code: str, update_id: int) -> Response:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    update = found(status_updates.get_update, programme, update_id)
    if not update.is_submitted:
        abort(404)  # a draft is not a highlight report yet
    report = highlight_report(programme, update)
    name = f"highlight-report-{programme.code}-{update.period_end.isoformat()}.pdf"
    return _download(pdf.highlight_pdf(report), name)


def _as_of(text: str) -> date:
    """The pack's day from the query string: today when not given; a malformed or future day is a 400."""
    today = london_today(utcnow())
    if not text.strip():
        return today
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        abort(400)
    if day > today:
        abort(400)
    return day


def _download(data: bytes, filename: str) -> Response:
    safe = "".join(c if c.isalnum() or c in "-." else "-" for c in filename)
    response = Response(data, mimetype=pdf.MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
