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
from tracker.services.packs import deck, pdf
from tracker.services.packs.content import HighlightReport, PortfolioPack, highlight_report, portfolio_pack
from tracker.services.programmes import status_updates
from tracker.web.dashboard.forms import dashboard_filters
from tracker.web.programmes.access import found, programme_for

blueprint = Blueprint("packs", __name__)
# Each download in both formats, drawn from the same content: (media type, pack, highlight report).
FORMATS = {
    "pdf": (pdf.MEDIA_TYPE, pdf.portfolio_pdf, pdf.highlight_pdf),
    "pptx": (deck.MEDIA_TYPE, deck.build_deck, deck.build_highlight_deck),
}


@blueprint.route("/dashboard/pack.pdf", endpoint="portfolio_pdf", defaults={"kind": "pdf"})
@blueprint.route("/dashboard/pack.pptx", endpoint="portfolio_pptx", defaults={"kind": "pptx"})
@login_required
def portfolio(kind: str) -> Response:
    require(current_user, Action.VIEW_PORTFOLIO)
    as_of = _as_of(request.args.get("as_of", ""))
    try:
        pack: PortfolioPack = portfolio_pack(current_user, dashboard_filters(request.args), as_of=as_of)
    except Invalid as error:
        abort(400, error.message)
    media_type, draw, _ = FORMATS[kind]
    return _download(draw(pack), media_type, f"board-pack-{as_of.isoformat()}.{kind}")


@blueprint.route(
    "/programmes/<code>/updates/<int:update_id>/report.pdf",
    endpoint="highlight_pdf",
    defaults={"kind": "pdf"},
)
@blueprint.route(
    "/programmes/<code>/updates/<int:update_id>/report.pptx",
    endpoint="highlight_pptx",
    defaults={"kind": "pptx"},
)
@login_required
def highlight(code: str, update_id: int, kind: str) -> Response:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    update = found(status_updates.get_update, programme, update_id)
    if not update.is_submitted:
        abort(404)  # a draft is not a highlight report yet
    report: HighlightReport = highlight_report(programme, update)
    media_type, _, draw = FORMATS[kind]
    name = f"highlight-report-{programme.code}-{update.period_end.isoformat()}.{kind}"
    return _download(draw(report), media_type, name)


def _as_of(text: str) -> date:
    """The pack's day from the query string (`as_of=2026-11-30`, or the dashboard's day, month and
    year boxes): today when not given; a malformed or future day is a 400 that says so."""
    today = london_today(utcnow())
    parts = [request.args.get(f"as_of-{part}", "").strip() for part in ("year", "month", "day")]
    if not text.strip() and not any(parts):
        return today
    try:
        day = date.fromisoformat(text.strip()) if text.strip() else date(*(int(part) for part in parts))
    except (ValueError, OverflowError):
        abort(400, "Enter the pack's day as a real date, like 30 11 2026, or as_of=2026-11-30.")
    if day > today:
        abort(400, "A pack shows figures as they stood: choose today or an earlier day.")
    return day


def _download(data: bytes, media_type: str, filename: str) -> Response:
    safe = "".join(c if c.isalnum() or c in "-." else "-" for c in filename)
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
