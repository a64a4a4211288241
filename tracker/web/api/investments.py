"""Investment lines: what a programme asked for, was approved, forecasts and has spent, per year."""

from __future__ import annotations

from typing import Any

from tracker.domain.calendar import financial_year_label
from tracker.models import Investment
from tracker.policy import Action
from tracker.services.money import AMOUNTS, money_summary
from tracker.web.api.auth import api_blueprint, documents, programme_for
from tracker.web.api.schemas import InvestmentListSchema

blueprint = api_blueprint(
    "api_investments", "Investment lines and their totals, in pounds as decimal strings"
)


@blueprint.route("/programmes/<code>/investments")
@blueprint.response(200, InvestmentListSchema)
@documents(blueprint, 403, 404)
def index(code: str) -> dict[str, Any]:
    """A programme's investment lines by financial year, with whole-life totals."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    summary = money_summary(programme.id)
    lines = [line for year in summary.years for line in year.lines]
    return {"items": [_line(line) for line in lines], "whole_life": summary.whole_life}


def _line(line: Investment) -> dict[str, Any]:
    return {
        "id": line.id,
        "title": line.title,
        "category": line.category,
        "cost_type": line.cost_type,
        "recurrence": line.recurrence,
        "financial_year": financial_year_label(line.financial_year),
        "version": line.version,
        "gap": line.gap,
        "variance": line.variance,
        **{name: getattr(line, name) for name in AMOUNTS},
    }
