"""Who may see and change what: the one place authorisation is decided."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from werkzeug.exceptions import Conflict, Forbidden

from tracker.domain.vocabulary import Role


class Action(StrEnum):
    VIEW_PORTFOLIO = "view_portfolio"
    VIEW_PROGRAMME = "view_programme"
    CREATE_PROGRAMME = "create_programme"
    EDIT_PROGRAMME = "edit_programme"  # key facts, stage, pause and close, SRO, manager and team
    UPDATE_PROGRAMME = "update_programme"  # milestones, money, benefits, register, status updates
    RECORD_MEASUREMENT = "record_measurement"  # a benefit's measurements and status; go on after closure
    RECORD_LESSON = "record_lesson"  # lessons learned; goes on after closure, which writes them
    APPROVE_REBASELINE = "approve_rebaseline"
    DECIDE_GATE = "decide_gate"  # a gate decision; each gate also names its approving role
    VIEW_REBASELINES = "view_rebaselines"  # the queue; a programme manager's shows their programmes'
    REOPEN_PROGRAMME = "reopen_programme"  # closing is final for everyone else
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_DELIVERY_LOG = "view_delivery_log"
    RECEIVE_PORTFOLIO_DIGEST = "receive_portfolio_digest"
    IMPORT_PROGRAMMES = "import_programmes"  # spreadsheet import; programme managers only for their own
    MANAGE_TEAMS = "manage_teams"  # service teams and their monthly capacity for change
    VIEW_PIPELINE = "view_pipeline"  # the ranked pipeline and saved scenarios: the CIO's management team
    MANAGE_PIPELINE = "manage_pipeline"  # criteria weights, the envelope, saving and choosing scenarios
    SCORE_PIPELINE = "score_pipeline"  # an idea's or business case's scores; programme managers their own
    MANAGE_DEPENDENCIES = "manage_dependencies"  # what a programme's milestones wait for in other programmes


class Actor(Protocol):
    id: int
    role: Role

    @property
    def is_authenticated(self) -> bool: ...


class ProgrammeTeam(Protocol):
    """What the policy needs of a programme: its manager, its team's user ids and whether it is closed."""

    manager_id: int | None

    @property
    def member_ids(self) -> frozenset[int]: ...

    @property
    def is_closed(self) -> bool: ...


# Actions each role may take anywhere. Programme managers get UPDATE_PROGRAMME, RECORD_MEASUREMENT,
# RECORD_LESSON and MANAGE_DEPENDENCIES (of the waiting programme) only on their own programmes, and
# IMPORT_PROGRAMMES only into programmes they manage, decided in `can` below.
_ADMIN_ONLY = {Action.MANAGE_USERS, Action.MANAGE_SETTINGS, Action.VIEW_DELIVERY_LOG, Action.REOPEN_PROGRAMME}
_GRANTS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.CIO: frozenset(Action) - _ADMIN_ONLY,
    Role.PROGRAMME_MANAGER: frozenset(
        {Action.VIEW_PORTFOLIO, Action.VIEW_PROGRAMME, Action.VIEW_REBASELINES}
    ),
    # The board the CIO delegates decisions to: it reads everything and decides re-baselines, change
    # requests and the gates whose approver is the board (`may_decide_gate`); it edits nothing.
    Role.BOARD: frozenset(
        {
            Action.VIEW_PORTFOLIO,
            Action.VIEW_PROGRAMME,
            Action.VIEW_REBASELINES,
            Action.APPROVE_REBASELINE,
            Action.DECIDE_GATE,
            Action.RECEIVE_PORTFOLIO_DIGEST,
            Action.VIEW_PIPELINE,
        }
    ),
    Role.VIEWER: frozenset({Action.VIEW_PORTFOLIO, Action.VIEW_PROGRAMME}),
}


# A closed programme is read-only for everyone: an admin reopens it to change it. What its benefits
# go on to measure is still recorded, and so are the lessons it learned (RECORD_MEASUREMENT and
# RECORD_LESSON are not refused).
CLOSED_REFUSES = frozenset(
    {
        Action.EDIT_PROGRAMME,
        Action.UPDATE_PROGRAMME,
        Action.APPROVE_REBASELINE,
        Action.DECIDE_GATE,
        Action.MANAGE_DEPENDENCIES,
        Action.SCORE_PIPELINE,
    }
)
CLOSED_MESSAGE = (
    "This programme is closed, so its records can be read but not changed. An admin can reopen it."
)
_OWN_PROGRAMMES = frozenset(
    {
        Action.UPDATE_PROGRAMME,
        Action.RECORD_MEASUREMENT,
        Action.RECORD_LESSON,
        Action.SCORE_PIPELINE,
        Action.MANAGE_DEPENDENCIES,
    }
)


def can(user: Actor | None, action: Action, programme: ProgrammeTeam | None = None) -> bool:
    """Whether `user` may take `action` (on `programme`, when the action concerns one)."""
    return not _closed_to(action, programme) and _role_allows(user, action, programme)


class ProgrammeClosed(Conflict):
    """A change the person may make to an open programme, refused because this one is closed (409:
    the state of the programme refuses it, not the person's role)."""

    description = CLOSED_MESSAGE


def require(user: Actor | None, action: Action, programme: ProgrammeTeam | None = None) -> None:
    """Raise 403 unless `can` says yes; 409 when the programme's closure is the only reason."""
    if not _role_allows(user, action, programme):
        raise Forbidden("You do not have permission to do that.")
    if _closed_to(action, programme):
        raise ProgrammeClosed()


def _closed_to(action: Action, programme: ProgrammeTeam | None) -> bool:
    return programme is not None and action in CLOSED_REFUSES and programme.is_closed


def _role_allows(user: Actor | None, action: Action, programme: ProgrammeTeam | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if action in _GRANTS[user.role]:
        return True
    if action in _OWN_PROGRAMMES and user.role is Role.PROGRAMME_MANAGER and programme is not None:
        return programme.manager_id == user.id or user.id in programme.member_ids
    if action is Action.IMPORT_PROGRAMMES and user.role is Role.PROGRAMME_MANAGER:
        # "A programme manager can bring their spreadsheet in": only programmes they manage.
        return programme is None or programme.manager_id == user.id
    return False


# Who may decide a gate, by the gate's approving role: the role itself, and those above it (the CIO
# may take back what they delegated to the board; an admin may decide any gate).
_GATE_DECIDERS: dict[str, frozenset[Role]] = {
    Role.ADMIN.value: frozenset({Role.ADMIN}),
    Role.CIO.value: frozenset({Role.CIO, Role.ADMIN}),
    Role.BOARD.value: frozenset({Role.BOARD, Role.CIO, Role.ADMIN}),
}


def gate_deciders(approver: str) -> frozenset[Role]:
    """The roles that may decide a gate whose approving role is `approver` (an admin, if unknown)."""
    return _GATE_DECIDERS.get(approver, _GATE_DECIDERS[Role.ADMIN.value])


_DECIDER_WORDS = {Role.BOARD: "the board", Role.CIO: "the CIO", Role.ADMIN: "an admin"}


def gate_deciders_text(approver: str, *, starts_sentence: bool = False) -> str:
    """Who may decide such a gate, in words: "the board, the CIO or an admin"."""
    names = [words for role, words in _DECIDER_WORDS.items() if role in gate_deciders(approver)]
    text = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return text[:1].upper() + text[1:] if starts_sentence else text


def may_decide_gate(user: Actor | None, approver: str, programme: ProgrammeTeam | None = None) -> bool:
    """Whether `user` may decide a gate whose approving role is `approver`: that role or one above it."""
    if not can(user, Action.DECIDE_GATE, programme):
        return False
    assert user is not None
    return user.role in gate_deciders(approver)


def landing_endpoint(user: Actor) -> tuple[str, dict[str, str]]:
    """Where a user lands after signing in: programme managers see their own programmes first."""
    if user.role is Role.PROGRAMME_MANAGER:
        return "dashboard.index", {"scope": "mine"}
    return "dashboard.index", {}
