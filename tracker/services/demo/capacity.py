"""The demo council's service teams, their monthly capacity for change, and the change days the delivery
programmes' milestones land on them. Adult social care teams are over capacity in one month, when the
adults' case management go-live and the early help pilot land together, so both programmes are flagged.
The housing repairs business case plans more training than its team can give in a month: no committed
sum counts it, but ticking it in on the pipeline page puts Housing repairs over capacity."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Milestone, MilestoneTeamLoad, Programme, ServiceTeam

TEAMS: tuple[tuple[str, str, int], ...] = (
    ("Customer contact centre", "Customer and Digital", 40),
    ("Revenues and benefits", "Resources", 30),
    ("Finance and payroll", "Resources", 25),
    ("Adult social care teams", "Adults' Social Care", 60),
    ("Waste and street scene", "Place and Environment", 20),
    ("Libraries", "Place and Environment", 15),
    ("Housing repairs", "Housing and Communities", 25),
    ("Children's early help", "Children's Services", 30),
)
"""(name, directorate, monthly capacity in change days)."""

LOADS: tuple[tuple[str, str, str, int], ...] = (
    ("DIG-001", "Council tax phone line closes", "Customer contact centre", 30),
    ("DIG-001", "Council tax phone line closes", "Revenues and benefits", 10),
    ("FIN-002", "Finance go-live", "Finance and payroll", 20),
    ("FIN-002", "Finance go-live", "Revenues and benefits", 8),
    ("FIN-002", "Budget managers raise their own orders", "Finance and payroll", 12),
    ("FIN-002", "HR and payroll go-live", "Finance and payroll", 22),
    ("ASC-004", "Social workers trained (240 staff)", "Adult social care teams", 45),
    ("ASC-004", "Go-live for adults' teams", "Adult social care teams", 48),
    ("DAT-005", "Performance packs replaced by dashboards", "Customer contact centre", 6),
    ("REV-006", "Agency contracts ended", "Revenues and benefits", 15),
    ("WST-007", "Paper round sheets withdrawn", "Waste and street scene", 12),
    ("LIB-008", "Self-service live in all six libraries", "Libraries", 10),
    ("CHI-010", "Shared family plan live for pilot schools", "Children's early help", 20),
    ("CHI-010", "Pilot schools' practitioners use the shared plan", "Children's early help", 25),
    # Parents with care needs: adults' social workers join the family plans (a "think family" pilot).
    ("CHI-010", "Pilot schools' practitioners use the shared plan", "Adult social care teams", 18),
    ("HSG-012", "Repairs planners trained on the scheduler", "Housing repairs", 30),
)
"""(programme code, milestone title, team, change days)."""

OVERLOADED = frozenset({"ASC-004", "CHI-010"})
"""The programmes the demo's over-capacity month flags."""


def seed_capacity(*, user_id: int | None) -> None:
    """Add the teams and the loads (the caller commits)."""
    teams = {
        name: ServiceTeam(
            name=name, directorate=directorate, monthly_capacity=Decimal(capacity), updated_by_id=user_id
        )
        for name, directorate, capacity in TEAMS
    }
    db.session.add_all(teams.values())
    db.session.flush()
    milestones = {
        (code, title): milestone_id
        for code, title, milestone_id in db.session.execute(
            select(Programme.code, Milestone.title, Milestone.id).join(Programme)
        )
    }
    db.session.add_all(
        MilestoneTeamLoad(
            milestone_id=milestones[code, title], team_id=teams[team].id, change_days=Decimal(days)
        )
        for code, title, team, days in LOADS
    )
