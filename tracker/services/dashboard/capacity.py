"""The dashboard's capacity to change: the heatmap of every service team's load against its capacity over
the next 12 months, and, for the programmes in the attention list, the teams over capacity their latest
rating names (so a programme whose main concern is something else still shows it shares a team too
busy to take its change)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select

from tracker.domain.capacity_heatmap import Heatmap
from tracker.extensions import db
from tracker.models import Programme, RiskAssessment
from tracker.services.capacity.heatmap import capacity_heatmap


@dataclass(frozen=True)
class DashboardCapacity:
    heatmap: Heatmap
    notes: dict[str, list[tuple[str, str]]]
    """By programme code, the (team, month) pairs over capacity its latest rating names."""


def dashboard_capacity(codes: Collection[str]) -> DashboardCapacity:
    """The heatmap, for every team (teams serve every directorate's programmes), and the over-capacity
    notes of the programmes `codes` (the attention list's); no team, no note, and no query for them."""
    drawn = capacity_heatmap()
    return DashboardCapacity(drawn, over_capacity_notes(codes) if drawn.groups else {})


def over_capacity_notes(codes: Collection[str]) -> dict[str, list[tuple[str, str]]]:
    """For each of these programmes, the over-capacity flags of its latest rating, as (team, month)
    (one query)."""
    if not codes:
        return {}
    statement = (
        select(Programme.code, RiskAssessment.flags)
        .join(RiskAssessment, RiskAssessment.programme_id == Programme.id)
        .where(Programme.code.in_(sorted(codes)), RiskAssessment.is_latest.is_(True))
    )
    notes: dict[str, list[tuple[str, str]]] = {}
    for code, flags in db.session.execute(statement):
        for flag in flags or []:
            evidence = flag.get("evidence") if isinstance(flag, dict) else None
            if flag.get("rule") == "over_capacity" and isinstance(evidence, dict):
                notes.setdefault(code, []).append((str(evidence.get("team")), str(evidence.get("month"))))
    return notes
