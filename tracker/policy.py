"""Who may see and change what: the one place authorisation is decided."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from werkzeug.exceptions import Forbidden

from tracker.domain.vocabulary import Role


class Action(StrEnum):
    VIEW_PORTFOLIO = "view_portfolio"
    VIEW_PROGRAMME = "view_programme"
    CREATE_PROGRAMME = "create_programme"
    EDIT_PROGRAMME = "edit_programme"  # key facts, stage, pause and close, SRO, manager and team
    UPDATE_PROGRAMME = "update_programme"  # milestones, money, benefits, register, status updates
    APPROVE_REBASELINE = "approve_rebaseline"
    REOPEN_PROGRAMME = "reopen_programme"  # closing is final for everyone else
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_DELIVERY_LOG = "view_delivery_log"
    RECEIVE_PORTFOLIO_DIGEST = "receive_portfolio_digest"
    IMPORT_PROGRAMMES = "import_programmes"  # spreadsheet import; programme managers only for their own


class Actor(Protocol):
    id: int
    role: Role

    @property
    def is_authenticated(self) -> bool: ...


class ProgrammeTeam(Protocol):
    """What the policy needs of a programme: its manager and its team's user ids."""

    manager_id: int | None

    @property
    def member_ids(self) -> frozenset[int]: ...


# Actions each role may take anywhere. Programme managers get UPDATE_PROGRAMME only
# on their own programmes, and IMPORT_PROGRAMMES only into programmes they manage, decided in `can` below.
_ADMIN_ONLY = {Action.MANAGE_USERS, Action.MANAGE_SETTINGS, Action.VIEW_DELIVERY_LOG, Action.REOPEN_PROGRAMME}
_GRANTS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.CIO: frozenset(Action) - _ADMIN_ONLY,
    Role.PROGRAMME_MANAGER: frozenset({Action.VIEW_PORTFOLIO, Action.VIEW_PROGRAMME}),
    Role.VIEWER: frozenset({Action.VIEW_PORTFOLIO, Action.VIEW_PROGRAMME}),
}


def can(user: Actor | None, action: Action, programme: ProgrammeTeam | None = None) -> bool:
    """Whether `user` may take `action` (on `programme`, when the action concerns one)."""
    if user is None or not user.is_authenticated:
        return False
    if action in _GRANTS[user.role]:
        return True
    if action is Action.UPDATE_PROGRAMME and user.role is Role.PROGRAMME_MANAGER and programme is not None:
        return programme.manager_id == user.id or user.id in programme.member_ids
    if action is Action.IMPORT_PROGRAMMES and user.role is Role.PROGRAMME_MANAGER:
        # "A programme manager can bring their spreadsheet in": only programmes they manage.
        return programme is None or programme.manager_id == user.id
    return False


def require(user: Actor | None, action: Action, programme: ProgrammeTeam | None = None) -> None:
    """Raise 403 unless `can` says yes."""
    if not can(user, action, programme):
        raise Forbidden("You do not have permission to do that.")


def landing_endpoint(user: Actor) -> tuple[str, dict[str, str]]:
    """Where a user lands after signing in: programme managers see their own programmes first."""
    if user.role is Role.PROGRAMME_MANAGER:
        return "dashboard.index", {"scope": "mine"}
    return "dashboard.index", {}
