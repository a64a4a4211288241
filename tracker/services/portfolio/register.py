"""The RAID view across the portfolio: the risks, actions, issues and decisions of the open programmes the
filters select, a page at a time or all of them for a download; a fixed number of queries whatever the
portfolio's size.

The three registers are read as one list (a UNION ALL): risks and issues first, highest score first;
then actions, soonest due first; then decisions, latest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    Text,
    and_,
    case,
    cast,
    distinct,
    false,
    func,
    literal,
    null,
    select,
    true,
    type_coerce,
)

from tracker.domain.calendar import london_today
from tracker.domain.definitions import overdue_days
from tracker.domain.spreadsheet import Column, Kind, Sheet
from tracker.domain.vocabulary import (
    ACTION_STATUS_LABELS,
    DECISION_STATUS_LABELS,
    ENTRY_STATUS_LABELS,
    RESPONSE_LABELS,
    ActionStatus,
    DecisionStatus,
    EntryStatus,
    Response,
)
from tracker.extensions import db
from tracker.models import Decision, Programme, ProgrammeAction, RegisterEntry, User
from tracker.models.types import utcnow
from tracker.services.paging import page_of
from tracker.services.portfolio.scope import ProgrammeFilter, filter_choices, scope_conditions
from tracker.services.register import band_for
from tracker.services.settings import current_thresholds

PER_PAGE = 50
MEDIUM_SCORE = 5
"""The lowest score the register calls medium; high is the risk scan's threshold (a setting)."""
BANDS = ("high", "medium")
KINDS = ("risk", "action", "issue", "decision")
OPEN, CLOSED, OVERDUE = "open", "closed", "overdue"
STATUSES = (OPEN, CLOSED, OVERDUE)
KIND_LABELS = {"risk": "Risk", "action": "Action", "issue": "Issue", "decision": "Decision"}
STATUS_LABELS: dict[str, str] = {
    **{status.value: text for status, text in ENTRY_STATUS_LABELS.items()},
    **{status.value: text for status, text in ACTION_STATUS_LABELS.items()},
    **{status.value: text for status, text in DECISION_STATUS_LABELS.items()},
}


@dataclass(frozen=True)
class RegisterQuery:
    """The page's filters: which programmes and kinds, which status, the least band, the owner."""

    mine: bool = False
    directorate: str | None = None
    manager_id: int | None = None
    kind: str | None = None
    """One of KINDS; None: all four."""
    status: str | None = OPEN
    """"open": open risks, issues and actions and decisions in force or proposed; "closed": closed, done
    or superseded; "overdue": open actions past their due date; None: every status."""
    band: str | None = None
    """"high": the risk scan's high scores only; "medium": medium and high; None: every score. A band
    leaves out actions and decisions, which have no score."""
    owner: str | None = None
    """Part of the owner's name (a decision's decider), in any case."""
    page: int = 1

    def programmes(self) -> ProgrammeFilter:
        """The programme filters, which leave out closed programmes as the list does."""
        return ProgrammeFilter(mine=self.mine, directorate=self.directorate, manager_id=self.manager_id)


@dataclass(frozen=True)
class RegisterRow:
    """One risk, action, issue or decision and its programme, as plain values (None where the kind has
    no such field)."""

    kind: str
    id: int
    title: str
    description: str
    owner: str
    likelihood: int | None
    impact: int | None
    response: str | None
    mitigation: str | None
    status: str
    review_date: date | None
    due_date: date | None
    done_on: date | None
    decided_by: str | None
    decided_on: date | None
    programme_id: int
    code: str
    programme_name: str
    directorate: str
    manager_name: str | None
    band: str | None
    review_overdue: bool
    days_overdue: int | None

    @property
    def score(self) -> int | None:
        return None if self.likelihood is None or self.impact is None else self.likelihood * self.impact

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def response_label(self) -> str | None:
        return None if self.response is None else RESPONSE_LABELS[Response(self.response)]


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    total: int
    programmes: int
    page: int
    pages: int
    high_score: int
    counts: dict[str, int] = field(default_factory=dict)
    """How many of each kind the filters select, and how many of those actions are overdue."""
    directorates: list[str] = field(default_factory=list)
    managers: list[tuple[int, str]] = field(default_factory=list)


def register_page(
    user: User, query: RegisterQuery, *, today: date | None = None, per_page: int = PER_PAGE
) -> RegisterPage:
    """One page of items, the counts, and the filters' choices: four queries and the thresholds (read
    once a request)."""
    today = today or london_today(utcnow())
    high = current_thresholds().high_risk_score
    items = _items(user, query, high, today).subquery()
    overdue = and_(
        items.c.kind == "action",
        items.c.status == ActionStatus.OPEN.value,
        items.c.due_date < today,
    )
    counted = db.session.execute(
        select(
            func.count(),
            func.count(distinct(items.c.programme_id)),
            *(func.coalesce(func.sum(case((items.c.kind == kind, 1), else_=0)), 0) for kind in KINDS),
            func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
        )
    ).one()
    total, programmes, *per_kind, overdue_count = counted
    page, pages = page_of(query.page, total, per_page)
    statement = _ordered(items).limit(per_page).offset((page - 1) * per_page)
    rows = [_row(values, high, today) for values in db.session.execute(statement)]
    directorates, managers = filter_choices()
    return RegisterPage(
        rows=rows,
        total=total,
        programmes=programmes,
        page=page,
        pages=pages,
        high_score=high,
        counts={**dict(zip(KINDS, per_kind, strict=True)), OVERDUE: overdue_count},
        directorates=directorates,
        managers=managers,
    )


CSV_COLUMNS = [
    Column("Programme code", width=14),
    Column("Programme", width=40),
    Column("Directorate", width=24),
    Column("Programme manager", width=24),
    Column("Type", width=9),
    Column("Title", width=40),
    Column("Description", width=60),
    Column("Likelihood", Kind.NUMBER, 10),
    Column("Impact", Kind.NUMBER, 10),
    Column("Score", Kind.NUMBER, 8),
    Column("Band", width=8),
    Column("Owner", width=24),
    Column("Response", width=10),
    Column("Mitigation", width=60),
    Column("Review date", Kind.DATE),
    Column("Due date", Kind.DATE),
    Column("Days overdue", Kind.NUMBER, 8),
    Column("Date done", Kind.DATE),
    Column("Decided by", width=24),
    Column("Date decided", Kind.DATE),
    Column("Status", width=10),
]


def register_sheet(user: User, query: RegisterQuery, *, today: date | None = None) -> Sheet:
    """Every item the page's filters select, all pages, in the page's order; read as it is written."""
    today = today or london_today(utcnow())
    return Sheet("RAID", CSV_COLUMNS, _sheet_rows(user, query, today))


def _sheet_rows(user: User, query: RegisterQuery, today: date) -> Iterator[tuple[Any, ...]]:
    high = current_thresholds().high_risk_score
    statement = _ordered(_items(user, query, high, today).subquery()).execution_options(yield_per=500)
    for values in db.session.execute(statement):
        row = _row(values, high, today)
        yield (
            row.code,
            row.programme_name,
            row.directorate,
            row.manager_name,
            KIND_LABELS[row.kind],
            row.title,
            row.description or None,
            row.likelihood,
            row.impact,
            row.score,
            row.band.capitalize() if row.band else None,
            row.owner or None,
            row.response_label,
            row.mitigation or None,
            row.review_date,
            row.due_date,
            row.days_overdue,
            row.done_on,
            row.decided_by or None,
            row.decided_on,
            row.status_label,
        )


PROGRAMME_COLUMNS = (
    Programme.id.label("programme_id"),
    Programme.code,
    Programme.name.label("programme_name"),
    Programme.directorate,
    User.name.label("manager_name"),
)


def _nothing(type_: Any) -> Any:
    """A typed NULL, so the union's columns agree on both databases."""
    return cast(null(), type_)


def _text(column: Any) -> Any:
    """An enum column read as its stored string, so the three registers' statuses share a column."""
    return type_coerce(column, String)


def _items(user: User, query: RegisterQuery, high: int, today: date) -> Any:
    """The chosen kinds of item of the programmes the filters select, as one UNION ALL."""
    programmes = scope_conditions(user.id, query.programmes())
    owner = (query.owner or "").lower()
    wanted = set(KINDS if query.kind is None else [query.kind])
    if query.band in BANDS:
        wanted -= {"action", "decision"}
    if query.status == OVERDUE:
        wanted &= {"action"}

    entries = [
        RegisterEntry.kind.in_(sorted(wanted & {"risk", "issue"})),
        *_status(RegisterEntry.status, query.status, [EntryStatus.OPEN], [EntryStatus.CLOSED]),
    ]
    if query.band in BANDS:
        least = high if query.band == "high" else MEDIUM_SCORE
        entries.append(RegisterEntry.likelihood * RegisterEntry.impact >= least)
    if owner:
        entries.append(func.lower(RegisterEntry.owner).contains(owner, autoescape=True))
    actions = [
        true() if "action" in wanted else false(),
        *_status(ProgrammeAction.status, query.status, [ActionStatus.OPEN], [ActionStatus.DONE]),
    ]
    if query.status == OVERDUE:
        actions += [ProgrammeAction.status == ActionStatus.OPEN, ProgrammeAction.due_date < today]
    if owner:
        actions.append(func.lower(ProgrammeAction.owner).contains(owner, autoescape=True))
    decisions = [
        true() if "decision" in wanted else false(),
        *_status(
            Decision.status,
            query.status,
            [DecisionStatus.PROPOSED, DecisionStatus.MADE],
            [DecisionStatus.SUPERSEDED],
        ),
    ]
    if owner:
        decisions.append(func.lower(Decision.decided_by).contains(owner, autoescape=True))

    def of(model: Any, *columns: Any, where: list[Any]) -> Select[Any]:
        return (
            select(*columns, *PROGRAMME_COLUMNS)
            .join(Programme, Programme.id == model.programme_id)
            .outerjoin(User, User.id == Programme.manager_id)
            .where(*programmes, *where)
        )

    return of(
        RegisterEntry,
        _text(RegisterEntry.kind).label("kind"),
        RegisterEntry.id.label("id"),
        RegisterEntry.title.label("title"),
        RegisterEntry.description.label("description"),
        RegisterEntry.owner.label("owner"),
        RegisterEntry.likelihood.label("likelihood"),
        RegisterEntry.impact.label("impact"),
        _text(RegisterEntry.response).label("response"),
        RegisterEntry.mitigation.label("mitigation"),
        _text(RegisterEntry.status).label("status"),
        RegisterEntry.review_date.label("review_date"),
        _nothing(Date).label("due_date"),
        _nothing(Date).label("done_on"),
        _nothing(String).label("decided_by"),
        _nothing(Date).label("decided_on"),
        where=entries,
    ).union_all(
        of(
            ProgrammeAction,
            literal("action", String).label("kind"),
            ProgrammeAction.id,
            ProgrammeAction.title,
            ProgrammeAction.description,
            ProgrammeAction.owner,
            _nothing(Integer),
            _nothing(Integer),
            _nothing(String),
            _nothing(Text),
            _text(ProgrammeAction.status),
            _nothing(Date),
            ProgrammeAction.due_date,
            ProgrammeAction.done_on,
            _nothing(String),
            _nothing(Date),
            where=actions,
        ),
        of(
            Decision,
            literal("decision", String).label("kind"),
            Decision.id,
            Decision.title,
            Decision.detail,
            literal("", String),
            _nothing(Integer),
            _nothing(Integer),
            _nothing(String),
            _nothing(Text),
            _text(Decision.status),
            _nothing(Date),
            _nothing(Date),
            _nothing(Date),
            Decision.decided_by,
            Decision.decided_on,
            where=decisions,
        ),
    )


def _status(column: Any, status: str | None, open_: list[Any], closed: list[Any]) -> list[Any]:
    """The condition a status filter puts on one register (none for every status)."""
    if status in (OPEN, OVERDUE):
        return [column.in_(open_)]
    if status == CLOSED:
        return [column.in_(closed)]
    return []


def _ordered(items: Any) -> Select[Any]:
    """Risks and issues by score, highest first, then the soonest review; then actions, soonest due
    first (open before done); then decisions, latest first; each then by programme."""
    score = items.c.likelihood * items.c.impact
    rank = case((items.c.kind == "action", 1), (items.c.kind == "decision", 2), else_=0)
    soonest = func.coalesce(items.c.review_date, items.c.due_date)
    return select(items).order_by(
        rank,
        score.desc(),
        items.c.status == ActionStatus.DONE.value,
        soonest.is_(None),
        soonest,
        items.c.decided_on.is_(None),
        items.c.decided_on.desc(),
        items.c.code,
        items.c.id,
    )


def _row(values: Any, high: int, today: date) -> RegisterRow:
    """A row of `_items`, whose columns are RegisterRow's first fields in order."""
    is_open = values.status in (EntryStatus.OPEN.value, ActionStatus.OPEN.value)
    score = None if values.likelihood is None else values.likelihood * values.impact
    review = values.review_date
    return RegisterRow(
        *values,
        band=None if score is None else band_for(score, high),
        review_overdue=is_open and review is not None and review < today,
        days_overdue=overdue_days(is_open and values.kind == "action", values.due_date, today),
    )
