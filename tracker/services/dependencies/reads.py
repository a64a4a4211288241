"""The reads behind dependencies: what a programme's milestones wait for and whom it holds up, every
dependency across the portfolio a page at a time, and which programmes wait on given ones; each in a fixed
number of queries whatever the size of the portfolio."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from tracker.domain.definitions import milestone_open
from tracker.domain.dependencies import Landing, State, landing
from tracker.domain.wording import plural
from tracker.extensions import db
from tracker.models import Milestone, MilestoneDependency, MilestoneStatus, Programme, Stage
from tracker.services.errors import NotFound
from tracker.services.paging import page_of

PER_PAGE = 50
MAX_ID = 2**31 - 1

_waiting = aliased(Milestone, name="waiting")
_waiting_programme = aliased(Programme, name="waiting_programme")
_predecessor = aliased(Milestone, name="predecessor")
_predecessor_programme = aliased(Programme, name="predecessor_programme")


@dataclass(frozen=True)
class DependencyLine:
    """One dependency as pages show it: who waits, for what, by when, and how the predecessor lands."""

    id: int
    version: int
    waiting_code: str
    waiting_name: str
    waiting_milestone_id: int
    waiting_title: str
    waiting_open: bool
    predecessor_code: str
    predecessor_name: str
    predecessor_milestone_id: int
    predecessor_title: str
    needed_by: date
    note: str
    lands: Landing

    @property
    def late(self) -> bool:
        """Late for a milestone still waiting: what the rule flags."""
        return self.waiting_open and self.lands.late

    @property
    def gap(self) -> str:
        """'12 days late', '3 days late so far', 'in time', 'will not happen', 'no longer waited for'."""
        return self.lands.verdict() if self.waiting_open else "no longer waited for"

    @property
    def status(self) -> tuple[str, str, str]:
        """A tag's words and colour, and what follows it: ('Late', 'red', 'by 12 days')."""
        days = self.lands.days_late
        if not self.waiting_open:
            return "Done", "grey", "no longer waited for"
        if self.lands.state is State.CANCELLED:
            return "Late", "red", "the milestone was cancelled"
        if days is None:
            return "Not known", "grey", "no date recorded"
        if self.late:
            return (
                "Late",
                "red",
                f"by {plural(days, 'day')}" + (" so far" if self.lands.state is State.OVERDUE else ""),
            )
        return "On time", "green", ""

    @property
    def expected_text(self) -> str:
        """'Forecast for 13 May 2027', 'Done on 2 March 2027', 'Still not done (expected 1 March 2027)'."""
        return _capital(self.lands.words())

    @property
    def holding(self) -> str:
        """How long this holds its waiting programme up: 'HSG-012 by 12 days', 'HSG-012 (cancelled)'."""
        days = self.lands.days_late
        return f"{self.waiting_code} " + ("(cancelled)" if days is None else f"by {plural(days, 'day')}")

    @property
    def sort_key(self) -> tuple[int, int, date, int]:
        """Late first, the latest of them first; then by the needed-by date."""
        days = self.lands.days_late if self.late and self.lands.days_late is not None else 0
        return (0 if self.late else 1, -days, self.needed_by, self.id)


@dataclass(frozen=True)
class ProgrammeDependencies:
    """What a programme waits for in other programmes, and who waits for it (late ones first)."""

    waits_for: list[DependencyLine]
    holding_up: list[DependencyLine]

    @property
    def late_waits(self) -> list[DependencyLine]:
        return [line for line in self.waits_for if line.late]

    @property
    def late_holds(self) -> list[DependencyLine]:
        return [line for line in self.holding_up if line.late]

    @property
    def holding_up_words(self) -> str:
        """'holding up HSG-012 by 12 days and DAT-005 by 3 days'; empty when it holds nobody up."""
        held = [line.holding for line in self.late_holds]
        if not held:
            return ""
        return "holding up " + (held[0] if len(held) == 1 else f"{', '.join(held[:-1])} and {held[-1]}")


@dataclass(frozen=True)
class DependencyPage:
    lines: list[DependencyLine]
    total: int
    late: int
    """How many of all (not just this page's) are late for a milestone still waiting."""
    page: int
    pages: int


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _statement() -> Select[Any]:
    return (
        select(
            MilestoneDependency.id,
            MilestoneDependency.version,
            _waiting_programme.code,
            _waiting_programme.name,
            _waiting.id,
            _waiting.title,
            _waiting.status,
            _waiting.actual_date,
            _predecessor_programme.code,
            _predecessor_programme.name,
            _predecessor.id,
            _predecessor.title,
            _predecessor.baseline_date,
            _predecessor.forecast_date,
            _predecessor.actual_date,
            _predecessor.status,
            MilestoneDependency.needed_by,
            MilestoneDependency.note,
        )
        .select_from(MilestoneDependency)
        .join(_waiting, _waiting.id == MilestoneDependency.milestone_id)
        .join(_waiting_programme, _waiting_programme.id == _waiting.programme_id)
        .join(_predecessor, _predecessor.id == MilestoneDependency.depends_on_id)
        .join(_predecessor_programme, _predecessor_programme.id == _predecessor.programme_id)
    )


def _line(row: Any, today: date) -> DependencyLine:
    (dependency_id, version, waiting_code, waiting_name, waiting_id, waiting_title, waiting_status,
     waiting_actual, code, name, predecessor_id, title, baseline, forecast, actual, status, needed_by,
     note) = row  # fmt: skip
    lands = landing(
        actual=actual,
        forecast=forecast,
        baseline=baseline,
        done=status is MilestoneStatus.COMPLETE or actual is not None,
        cancelled=status is MilestoneStatus.CANCELLED,
        needed_by=needed_by,
        today=today,
    )
    return DependencyLine(
        dependency_id,
        version,
        waiting_code,
        waiting_name,
        waiting_id,
        waiting_title,
        milestone_open(waiting_status, waiting_actual),
        code,
        name,
        predecessor_id,
        title,
        needed_by,
        note,
        lands,
    )


def programme_dependencies(programme_id: int, *, today: date) -> ProgrammeDependencies:
    """What the programme's milestones wait for (by waiting milestone, then needed-by date) and whom its
    milestones hold up (late ones first), in two queries."""
    waits = db.session.execute(
        _statement()
        .where(_waiting.programme_id == programme_id)
        .order_by(_waiting.baseline_date, _waiting.id, MilestoneDependency.needed_by, MilestoneDependency.id)
    )
    holds = db.session.execute(_statement().where(_predecessor.programme_id == programme_id))
    holding_up = sorted((_line(row, today) for row in holds), key=lambda line: line.sort_key)
    return ProgrammeDependencies([_line(row, today) for row in waits], holding_up)


def _open_waiting() -> ColumnElement[bool]:
    """Dependencies of open programmes' milestones still to happen: those that can hold anything up."""
    return and_(
        _waiting_programme.stage != Stage.CLOSED,
        _waiting.actual_date.is_(None),
        _waiting.status.not_in((MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED)),
    )


def portfolio_dependencies(*, today: date, page: int = 1, late_only: bool = False) -> DependencyPage:
    """Every dependency of an open programme's milestone still to happen, late ones first, then by the
    needed-by date, a page at a time, in two queries whatever the size of the portfolio.

    Lateness is worked out from dates (see `domain.dependencies`), so the late ones are picked in SQL with
    the same arithmetic: the predecessor's expected date (no earlier than today while it is open) after
    the needed-by date, or the predecessor cancelled."""
    expected = func.coalesce(_predecessor.actual_date, _predecessor.forecast_date, _predecessor.baseline_date)
    done = or_(_predecessor.actual_date.is_not(None), _predecessor.status == MilestoneStatus.COMPLETE)
    cancelled = and_(~done, _predecessor.status == MilestoneStatus.CANCELLED)
    late = or_(
        cancelled,
        expected > MilestoneDependency.needed_by,
        and_(~done, expected.is_not(None), MilestoneDependency.needed_by < today),
    )
    late_first = case((late, 0), else_=1)
    base = _statement().where(_open_waiting())
    counts = base.with_only_columns(func.count(), func.count().filter(late_first == 0)).order_by(None)
    total, late_count = db.session.execute(counts).one()
    chosen = base.where(late_first == 0) if late_only else base
    total_shown = late_count if late_only else total
    page, pages = page_of(page, total_shown, PER_PAGE)
    rows = db.session.execute(
        chosen.order_by(late_first, MilestoneDependency.needed_by, MilestoneDependency.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    return DependencyPage([_line(row, today) for row in rows], total_shown, late_count, page, pages)


def waiting_on(programme_ids: Collection[int]) -> set[int]:
    """The open programmes with a milestone waiting for a milestone of one of these, in one query."""
    if not programme_ids:
        return set()
    statement = (
        select(_waiting.programme_id)
        .select_from(MilestoneDependency)
        .join(_waiting, _waiting.id == MilestoneDependency.milestone_id)
        .join(_waiting_programme, _waiting_programme.id == _waiting.programme_id)
        .join(_predecessor, _predecessor.id == MilestoneDependency.depends_on_id)
        .where(
            _predecessor.programme_id.in_(sorted(set(programme_ids))),
            _waiting_programme.stage != Stage.CLOSED,
        )
        .distinct()
    )
    return set(db.session.scalars(statement))


def get_dependency(programme: Programme, dependency_id: int) -> MilestoneDependency:
    """A dependency of one of this programme's milestones, or NotFound."""
    dependency = db.session.get(MilestoneDependency, dependency_id) if 0 < dependency_id <= MAX_ID else None
    if dependency is None or dependency.milestone.programme_id != programme.id:
        raise NotFound("There is no such dependency in this programme")
    return dependency


def predecessor_name(dependency: MilestoneDependency) -> str:
    """What a dependency waits for, as 'FIN-002 Finance go-live'."""
    predecessor = dependency.depends_on
    code = db.session.scalar(select(Programme.code).where(Programme.id == predecessor.programme_id))
    return f"{code} {predecessor.title}"


SEARCH_LIMIT = 20


def find_programmes(text: str, *, limit: int = SEARCH_LIMIT) -> list[Programme]:
    """Programmes whose code is `text` (that one alone), else whose code or name contains it, by code: at
    most `limit` and one more, so a page can say there are more. Two queries at most, whatever the size."""
    text = text.strip()
    if not text:
        return []
    exact = db.session.scalar(select(Programme).where(Programme.code == text.upper()))
    if exact is not None:
        return [exact]
    matching = or_(
        Programme.code.icontains(text, autoescape=True), Programme.name.icontains(text, autoescape=True)
    )
    return list(
        db.session.scalars(select(Programme).where(matching).order_by(Programme.code).limit(limit + 1))
    )
