"""Saved pipeline scenarios: which ideas and business cases a CIO would take on next financial year, kept
with the envelope as it was, and at most one of them the chosen one the management team and the board
pack see."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import AuditAction, PipelineScenario, PipelineScenarioProgramme, Programme, User
from tracker.services import audit
from tracker.services.errors import Invalid, NotFound, Problem
from tracker.services.pipeline.reads import next_financial_year
from tracker.services.pipeline.scores import PIPELINE_STAGES
from tracker.services.pipeline.settings import current_settings

MAX_NAME = 120
MAX_NOTE = 2000


@dataclass(frozen=True)
class ScenarioSummary:
    scenario: PipelineScenario
    programme_count: int


def scenario_problems(*, name: str | None, note: str | None) -> list[Problem]:
    """Every rule a scenario as typed breaks (None: not given, or refused by the form already)."""
    problems: list[Problem] = []
    if name is not None and not name.strip():
        problems.append(("name", "Enter a name for the scenario"))
    elif name is not None and len(name.strip()) > MAX_NAME:
        problems.append(("name", f"Enter a name of {MAX_NAME} characters or fewer"))
    if note is not None and len(note.strip()) > MAX_NOTE:
        problems.append(("note", f"Enter a note of {MAX_NOTE} characters or fewer"))
    return problems


def save_scenario(
    *, name: str, note: str, programme_ids: Collection[int], today: date, user: User
) -> PipelineScenario:
    """Keep the ticked pipeline programmes as a named scenario for next financial year."""
    problems = scenario_problems(name=name, note=note)
    if problems:
        raise Invalid.every(problems)
    user_id = user.id
    year = next_financial_year(today)
    known = set(
        db.session.scalars(
            select(Programme.id).where(
                Programme.id.in_(list(programme_ids)), Programme.stage.in_(PIPELINE_STAGES)
            )
        )
    )
    scenario = PipelineScenario(
        name=name.strip(),
        note=note.strip(),
        financial_year=year,
        envelope=current_settings().envelope(year),
        saved_by_id=user_id,
        programmes=[PipelineScenarioProgramme(programme_id=pid) for pid in sorted(known)],
    )
    db.session.add(scenario)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        scenario,
        user_id=user_id,
        programme_id=None,
        summary=f"Saved the pipeline scenario “{scenario.name}” with {len(known)} programmes",
    )
    db.session.commit()
    return scenario


def choose_scenario(scenario_id: int, *, user: User) -> PipelineScenario:
    """Make this the chosen scenario (and no other)."""
    scenario = get_scenario(scenario_id)
    user_id = user.id
    if not scenario.chosen:
        db.session.execute(
            update(PipelineScenario).where(PipelineScenario.chosen.is_(True)).values(chosen=False)
        )
        scenario.chosen = True
        audit.record(
            AuditAction.UPDATE,
            scenario,
            user_id=user_id,
            programme_id=None,
            summary=f"Chose the pipeline scenario “{scenario.name}”",
            changes={"chosen": (False, True)},
        )
        db.session.commit()
    return scenario


def get_scenario(scenario_id: int) -> PipelineScenario:
    """A saved scenario with who saved it, or NotFound."""
    scenario = db.session.scalar(
        select(PipelineScenario)
        .where(PipelineScenario.id == scenario_id)
        .options(joinedload(PipelineScenario.saved_by))
    )
    if scenario is None:
        raise NotFound("There is no such scenario")
    return scenario


def scenario_programme_ids(scenario_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(PipelineScenarioProgramme.programme_id).where(
                PipelineScenarioProgramme.scenario_id == scenario_id
            )
        )
    )


def chosen_scenario() -> PipelineScenario | None:
    return db.session.scalar(
        select(PipelineScenario)
        .where(PipelineScenario.chosen.is_(True))
        .options(joinedload(PipelineScenario.saved_by))
        .order_by(PipelineScenario.id.desc())
        .limit(1)
    )


def list_scenarios(limit: int = 50) -> list[ScenarioSummary]:
    """The latest saved scenarios, newest first, each with how many programmes it ticks: one query."""
    counts = (
        select(PipelineScenarioProgramme.scenario_id, func.count().label("n"))
        .group_by(PipelineScenarioProgramme.scenario_id)
        .subquery()
    )
    rows = db.session.execute(
        select(PipelineScenario, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.scenario_id == PipelineScenario.id)
        .options(joinedload(PipelineScenario.saved_by))
        .order_by(PipelineScenario.saved_at.desc(), PipelineScenario.id.desc())
        .limit(limit)
    )
    return [ScenarioSummary(scenario, count) for scenario, count in rows]
