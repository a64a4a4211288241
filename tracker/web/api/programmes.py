"""The portfolio and one programme: its key facts, its latest rating with the flags behind it, and the
history of its ratings."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from tracker.domain.calendar import financial_year_label
from tracker.models import Programme, RiskAssessment
from tracker.policy import Action, require
from tracker.services.api_reads import assessment_history
from tracker.services.portfolio.listing import PortfolioQuery, list_programmes
from tracker.services.programmes.overview import programme_overview
from tracker.web.api.auth import api_blueprint, api_user, documents, programme_for
from tracker.web.api.schemas import (
    AssessmentListSchema,
    FlagListSchema,
    ProgrammePageSchema,
    ProgrammeQuerySchema,
    ProgrammeSchema,
    dump_programme_row,
)

blueprint = api_blueprint("api_programmes", "Programmes, their current rating and flags, and rating history")


@blueprint.route("/programmes")
@blueprint.arguments(ProgrammeQuerySchema, location="query")
@blueprint.response(200, ProgrammePageSchema)
@documents(blueprint, 403, 422)
def index(query: dict[str, Any]) -> Response:
    """List programmes (closed ones only when asked), filtered and sorted as on the Programmes page."""
    user = api_user()
    require(user, Action.VIEW_PORTFOLIO)
    per_page = query.pop("per_page")
    page = list_programmes(user, PortfolioQuery(**query), per_page=per_page)
    # Written by dump_programme_row, which does what ProgrammePageSchema would in a fifth of the time.
    return jsonify(
        {
            "items": [dump_programme_row(row) for row in page.rows],
            "page": page.page,
            "pages": page.pages,
            "per_page": per_page,
            "total": page.total,
            "financial_year": financial_year_label(page.financial_year),
        }
    )


@blueprint.route("/programmes/<code>")
@blueprint.response(200, ProgrammeSchema)
@documents(blueprint, 403, 404)
def detail(code: str) -> dict[str, Any]:
    """One programme's key facts, with its latest rating, score and the flags behind them."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    shown = programme_overview(programme.code)
    return programme_data(programme) | {"assessment": assessment_data(shown.assessment)}


@blueprint.route("/programmes/<code>/assessments")
@blueprint.response(200, AssessmentListSchema)
@documents(blueprint, 403, 404)
def assessments(code: str) -> dict[str, Any]:
    """The risk scan's assessments of a programme, newest first (at most 200)."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return {"items": [assessment_data(assessment) for assessment in assessment_history(programme)]}


@blueprint.route("/programmes/<code>/flags")
@blueprint.response(200, FlagListSchema)
@documents(blueprint, 403, 404)
def flags(code: str) -> dict[str, Any]:
    """The flags of the latest assessment: why the programme is rated as it is (none once closed)."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    assessment = programme_overview(programme.code).assessment
    shown = assessment_data(assessment)
    return {"assessed_at": shown["assessed_at"] if shown else None, "items": shown["flags"] if shown else []}


def programme_data(programme: Programme) -> dict[str, Any]:
    """Key facts as plain values; the manager by name."""
    names = [
        "code",
        "external_reference",
        "name",
        "description",
        "directorate",
        "strategic_objective",
        "focus",
        "stage",
        "paused",
        "sro_name",
        "start_date",
        "baseline_end_date",
        "forecast_end_date",
        "confidence",
        "confidence_source",
        "confidence_assessed_on",
        "confidence_commentary",
        "whole_life_baseline",
        "whole_life_forecast",
        "change_plan",
        "adoption_owner",
        "last_update_at",
    ]
    data = {name: getattr(programme, name) for name in names}
    return data | {"manager_name": programme.manager.name if programme.manager else None}


def assessment_data(assessment: RiskAssessment | None) -> dict[str, Any] | None:
    if assessment is None:
        return None
    return {
        "assessed_at": assessment.assessed_at,
        "rating": assessment.rating,
        "score": assessment.score,
        "trend": assessment.trend,
        "flags": [flag_data(flag) for flag in assessment.flags if isinstance(flag, dict)],
    }


def flag_data(flag: dict[str, Any]) -> dict[str, Any]:
    """A stored flag read defensively: an odd shape gives what it can, never an error."""
    subject = flag.get("subject")
    evidence = flag.get("evidence")
    return {
        "rule": str(flag.get("rule", "")),
        "severity": str(flag.get("severity", "amber")),
        "message": str(flag.get("message", "")),
        "evidence": evidence if isinstance(evidence, dict) else {},
        "subject": {
            "kind": str(subject.get("kind")) if subject.get("kind") is not None else None,
            "id": subject.get("id") if isinstance(subject.get("id"), int) else None,
        }
        if isinstance(subject, dict)
        else None,
    }
