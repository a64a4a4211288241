"""What the RAID view selects: the risks, actions, issues and decisions of the open programmes the
filters choose, read as one list (a UNION ALL of the three registers) and put in the view's order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    Text,
    case,
    cast,
    false,
    func,
    literal,
    null,
    select,
    true,
    type_coerce,
)

from tracker.domain.vocabulary import (
    ACTION_STATUS_LABELS,
    DECISION_STATUS_LABELS,
    ENTRY_STATUS_LABELS,
    ActionStatus,
    DecisionStatus,
    EntryStatus,
)
from tracker.models import Decision, Programme, ProgrammeAction, RegisterEntry, User
from tracker.services.portfolio.scope import ProgrammeFilter, scope_conditions

MEDIUM_SCORE = 5
"""The lowest score the register calls medium; high is the risk scan's threshold (a setting)."""
BANDS = ("high", "medium")
KINDS = ("risk", "action", "issue", "decision")
OPEN, CLOSED, OVERDUE = "open", "closed", "overdue"
STATUSES = (OPEN, CLOSED, OVERDUE)
KIND_NAMES = {"risk": "Risk", "action": "Action", "issue": "Issue", "decision": "Decision"}
STATUS_NAMES: dict[str, str] = {
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


def raid_items(user: User, query: RegisterQuery, high: int, today: date) -> Any:
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


def in_order(items: Any) -> Select[Any]:
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
