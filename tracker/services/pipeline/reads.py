"""The reads behind the pipeline page: the ranked ideas and business cases, what each costs next financial
year, the money a scenario leaves and the teams it puts over capacity, in a fixed number of queries
whatever the size of the portfolio."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, func, select

from tracker.domain.calendar import financial_year, financial_year_label
from tracker.domain.capacity import months_ahead, team_months
from tracker.domain.pipeline import Candidate, Money, Overload, Ranked, overloads, rank, scenario_money
from tracker.domain.vocabulary import Stage
from tracker.extensions import db
from tracker.models import Investment, PipelineScore, Programme, ServiceTeam
from tracker.services.capacity import reads as capacity
from tracker.services.pipeline.scores import PIPELINE_STAGES
from tracker.services.pipeline.settings import PipelineSettings, current_settings

CAPACITY_MONTHS = 12
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class CommittedCosts:
    count: int
    unknown: int
    total: Decimal  # of the known costs


@dataclass(frozen=True)
class PipelineRow:
    ranked: Ranked
    code: str
    name: str
    stage: Stage
    cost: Decimal | None  # next financial year; None: not known
    included: bool

    @property
    def programme_id(self) -> int:
        return self.ranked.candidate.programme_id


@dataclass(frozen=True)
class TeamOverload:
    overload: Overload
    team_name: str


@dataclass(frozen=True)
class PipelineView:
    """Everything the pipeline page, a saved scenario's page and the board pack show."""

    year: int  # the next financial year, by the year it starts
    settings: PipelineSettings
    rows: list[PipelineRow]
    money: Money
    overloads: list[TeamOverload]
    months: tuple[date, ...]
    team_count: int

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def included(self) -> list[PipelineRow]:
        return [row for row in self.rows if row.included]

    @property
    def included_ids(self) -> list[int]:
        return [row.programme_id for row in self.rows if row.included]

    @property
    def pushed(self) -> list[TeamOverload]:
        """Team months the scenario itself put over capacity."""
        return [item for item in self.overloads if item.overload.pushed]


def next_financial_year(today: date) -> int:
    return financial_year(today) + 1


def pipeline_view(
    today: date, included: Collection[int], *, settings: PipelineSettings | None = None
) -> PipelineView:
    """The pipeline ranked by the council's weights, with `included` (programme ids; any not in the pipeline
    are ignored) ticked in: the money left next financial year and the teams over capacity."""
    settings = settings or current_settings()
    year = next_financial_year(today)
    programmes, committed = _programmes_and_costs(year)
    scores = _scores(programmes.keys())
    wanted = {programme_id for programme_id in included if programme_id in programmes}
    candidates = [Candidate(pid, code, scores.get(pid, {})) for pid, (code, _, _, _) in programmes.items()]
    rows = []
    for ranked in rank(candidates, settings.weights):
        code, name, stage, cost = programmes[ranked.candidate.programme_id]
        rows.append(PipelineRow(ranked, code, name, stage, cost, ranked.candidate.programme_id in wanted))
    money = scenario_money(
        settings.envelope(year),
        committed.total,
        [row.cost for row in rows if row.included],
        committed_count=committed.count,
        committed_unknown=committed.unknown,
    )
    months = months_ahead(today, CAPACITY_MONTHS)
    capacities = capacity.capacities()
    landed = capacity.landings(months)
    without = team_months(landed, capacities, months)
    chosen = capacity.landings(months, programme_ids=sorted(wanted)) if wanted else []
    with_scenario = team_months(landed + chosen, capacities, months) if wanted else without
    over = overloads(without, with_scenario)
    names = _team_names({item.team_id for item in over})
    return PipelineView(
        year=year,
        settings=settings,
        rows=rows,
        money=money,
        overloads=[TeamOverload(item, names.get(item.team_id, "Unknown team")) for item in over],
        months=months,
        team_count=len(capacities),
    )


def _programmes_and_costs(
    year: int,
) -> tuple[dict[int, tuple[str, str, Stage, Decimal | None]], CommittedCosts]:
    """Pipeline programmes (code, name, stage, cost next year) by id, and the committed programmes' costs
    next year summed in the database (thousands of them, so never row by row). A line's amount is its
    forecast, else approved, else requested; a programme with no known amount that year has an unknown
    cost (SUM of nothing is NULL, never 0)."""
    pipeline: dict[int, tuple[str, str, Stage, Decimal | None]] = {}
    for pid, code, name, stage, cost in db.session.execute(
        _costs(PIPELINE_STAGES, year, Programme.code, Programme.name)
    ):
        pipeline[pid] = (code, name, stage, None if cost is None else Decimal(cost).quantize(PENNY))
    per_programme = _costs(capacity.COMMITTED, year).subquery()
    count, known, total = db.session.execute(
        select(func.count(), func.count(per_programme.c.cost), func.sum(per_programme.c.cost))
    ).one()
    committed = CommittedCosts(count=count, unknown=count - known, total=Decimal(total or 0).quantize(PENNY))
    return pipeline, committed


def _costs(stages: Collection[Stage], year: int, *columns: Any) -> Select[Any]:
    """Each programme in `stages` with its cost in `year` (NULL: not known)."""
    amount = func.coalesce(Investment.forecast, Investment.approved, Investment.requested)
    return (
        select(Programme.id, *columns, Programme.stage, func.sum(amount).label("cost"))
        .outerjoin(
            Investment, and_(Investment.programme_id == Programme.id, Investment.financial_year == year)
        )
        .where(Programme.stage.in_(list(stages)))
        .group_by(Programme.id, *columns, Programme.stage)
    )


def _scores(pipeline_ids: Collection[int]) -> dict[int, dict[str, int]]:
    """The pipeline programmes' scores, by programme id then criterion key. Read without a join (a
    programme that left the pipeline keeps its few scores, dropped here), as it is the largest read."""
    statement = select(PipelineScore.programme_id, PipelineScore.criterion, PipelineScore.score)
    scores: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for pid, criterion, score in db.session.execute(statement):
        if pid in pipeline_ids:
            scores[pid][criterion] = score
    return dict(scores)


def _team_names(team_ids: set[int]) -> dict[int, str]:
    if not team_ids:
        return {}
    rows = db.session.execute(select(ServiceTeam.id, ServiceTeam.name).where(ServiceTeam.id.in_(team_ids)))
    return {team_id: name for team_id, name in rows}
