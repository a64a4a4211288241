"""The policy module decides every permission; checked role by role with plain objects."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tracker.domain.vocabulary import Role
from tracker.policy import Action, can, landing_endpoint, require


@dataclass
class Person:
    id: int
    role: Role
    is_authenticated: bool = True


@dataclass
class Team:
    manager_id: int | None
    member_ids: frozenset[int] = field(default_factory=frozenset)
    is_closed: bool = False


ADMIN, CIO, PM, VIEWER = (
    Person(1, Role.ADMIN),
    Person(2, Role.CIO),
    Person(3, Role.PROGRAMME_MANAGER),
    Person(4, Role.VIEWER),
)
THEIRS = Team(manager_id=3)
ON_TEAM = Team(manager_id=9, member_ids=frozenset({3}))
SOMEONE_ELSES = Team(manager_id=9, member_ids=frozenset({8}))


@pytest.mark.parametrize(
    ("user", "action", "programme", "allowed"),
    [
        (ADMIN, Action.MANAGE_USERS, None, True),
        (ADMIN, Action.UPDATE_PROGRAMME, SOMEONE_ELSES, True),
        (ADMIN, Action.REOPEN_PROGRAMME, None, True),
        (CIO, Action.MANAGE_USERS, None, False),
        (CIO, Action.MANAGE_SETTINGS, None, False),
        (CIO, Action.CREATE_PROGRAMME, None, True),
        (CIO, Action.APPROVE_REBASELINE, None, True),
        (CIO, Action.UPDATE_PROGRAMME, SOMEONE_ELSES, True),
        (CIO, Action.RECEIVE_PORTFOLIO_DIGEST, None, True),
        (CIO, Action.EDIT_PROGRAMME, SOMEONE_ELSES, True),
        (CIO, Action.REOPEN_PROGRAMME, None, False),
        (PM, Action.VIEW_PORTFOLIO, None, True),
        (PM, Action.UPDATE_PROGRAMME, THEIRS, True),
        (PM, Action.UPDATE_PROGRAMME, ON_TEAM, True),
        (PM, Action.UPDATE_PROGRAMME, SOMEONE_ELSES, False),
        (PM, Action.UPDATE_PROGRAMME, None, False),
        (PM, Action.MANAGE_DEPENDENCIES, THEIRS, True),
        (PM, Action.MANAGE_DEPENDENCIES, ON_TEAM, True),
        (PM, Action.MANAGE_DEPENDENCIES, SOMEONE_ELSES, False),
        (CIO, Action.MANAGE_DEPENDENCIES, SOMEONE_ELSES, True),
        (ADMIN, Action.MANAGE_DEPENDENCIES, SOMEONE_ELSES, True),
        (VIEWER, Action.MANAGE_DEPENDENCIES, THEIRS, False),
        (CIO, Action.MANAGE_DEPENDENCIES, Team(manager_id=9, is_closed=True), False),
        (PM, Action.EDIT_PROGRAMME, THEIRS, False),
        (PM, Action.CREATE_PROGRAMME, None, False),
        (PM, Action.APPROVE_REBASELINE, None, False),
        (PM, Action.RECEIVE_PORTFOLIO_DIGEST, None, False),
        (PM, Action.REOPEN_PROGRAMME, THEIRS, False),
        (PM, Action.RECORD_MEASUREMENT, THEIRS, True),
        (PM, Action.RECORD_MEASUREMENT, SOMEONE_ELSES, False),
        (PM, Action.RECORD_LESSON, THEIRS, True),
        (PM, Action.RECORD_LESSON, SOMEONE_ELSES, False),
        (VIEWER, Action.RECORD_LESSON, Team(manager_id=4), False),
        (PM, Action.VIEW_REBASELINES, None, True),
        (VIEWER, Action.VIEW_REBASELINES, None, False),
        (VIEWER, Action.VIEW_PROGRAMME, SOMEONE_ELSES, True),
        (VIEWER, Action.UPDATE_PROGRAMME, Team(manager_id=4), False),
        (VIEWER, Action.CREATE_PROGRAMME, None, False),
    ],
)
def test_role_matrix(user: Person, action: Action, programme: Team | None, allowed: bool) -> None:
    assert can(user, action, programme) is allowed


def test_viewers_can_change_nothing() -> None:
    changing = set(Action) - {Action.VIEW_PORTFOLIO, Action.VIEW_PROGRAMME, Action.VIEW_REBASELINES}
    assert not [action for action in changing if can(VIEWER, action, Team(manager_id=VIEWER.id))]


@pytest.mark.parametrize("action", list(Action))
def test_nobody_signed_out_may_do_anything(action: Action) -> None:
    assert not can(Person(5, Role.ADMIN, is_authenticated=False), action)
    assert not can(None, action)


def test_only_an_admin_reopens_a_closed_programme() -> None:
    assert [person.role for person in (ADMIN, CIO, PM, VIEWER) if can(person, Action.REOPEN_PROGRAMME)] == [
        Role.ADMIN
    ]


def test_require_raises_forbidden() -> None:
    from werkzeug.exceptions import Forbidden

    require(CIO, Action.CREATE_PROGRAMME)
    with pytest.raises(Forbidden):
        require(VIEWER, Action.CREATE_PROGRAMME)


def test_programme_managers_land_on_their_own_programmes() -> None:
    assert landing_endpoint(PM) == ("dashboard.index", {"scope": "mine"})
    assert landing_endpoint(CIO) == ("dashboard.index", {})


CLOSED = Team(manager_id=3, is_closed=True)


@pytest.mark.parametrize("user", [ADMIN, CIO, PM])
def test_a_closed_programme_takes_no_change_but_a_measurement(user: Person) -> None:
    from werkzeug.exceptions import Conflict

    for action in (Action.UPDATE_PROGRAMME, Action.EDIT_PROGRAMME, Action.APPROVE_REBASELINE):
        assert not can(user, action, CLOSED)
    assert can(user, Action.RECORD_MEASUREMENT, CLOSED)
    assert can(user, Action.RECORD_LESSON, CLOSED)  # a closure writes its lessons
    assert can(user, Action.VIEW_PROGRAMME, CLOSED)
    with pytest.raises(Conflict, match="closed"):  # 409, with the reason: the role would allow it
        require(user, Action.UPDATE_PROGRAMME, CLOSED)


def test_a_closed_programme_still_answers_403_to_whoever_could_not_change_it_open() -> None:
    from werkzeug.exceptions import Forbidden

    with pytest.raises(Forbidden):
        require(VIEWER, Action.UPDATE_PROGRAMME, CLOSED)
    with pytest.raises(Forbidden):
        require(PM, Action.UPDATE_PROGRAMME, Team(manager_id=9, is_closed=True))


BOARD = Person(6, Role.BOARD)


def test_a_board_member_decides_what_is_delegated_and_changes_nothing_else() -> None:
    deciding = {Action.APPROVE_REBASELINE, Action.DECIDE_GATE}
    reading = {Action.VIEW_PORTFOLIO, Action.VIEW_PROGRAMME, Action.VIEW_REBASELINES}
    allowed = {action for action in Action if can(BOARD, action, Team(manager_id=BOARD.id))}
    assert allowed == deciding | reading | {Action.RECEIVE_PORTFOLIO_DIGEST, Action.VIEW_PIPELINE}
    assert not can(BOARD, Action.APPROVE_REBASELINE, CLOSED)


@pytest.mark.parametrize(
    ("approver", "deciders", "words"),
    [
        ("cio", {Role.CIO, Role.ADMIN}, "the CIO or an admin"),
        ("board", {Role.BOARD, Role.CIO, Role.ADMIN}, "the board, the CIO or an admin"),
        ("admin", {Role.ADMIN}, "an admin"),
        ("someone", {Role.ADMIN}, "an admin"),  # a role the council no longer has: admins only
    ],
)
def test_a_gate_is_decided_by_its_approver_and_those_above_it(
    approver: str, deciders: set[Role], words: str
) -> None:
    from tracker.policy import gate_deciders_text, may_decide_gate

    people = (ADMIN, CIO, PM, VIEWER, BOARD)
    assert {person.role for person in people if may_decide_gate(person, approver, THEIRS)} == deciders
    assert gate_deciders_text(approver) == words
    assert not may_decide_gate(CIO, approver, CLOSED)


def test_the_pipeline_is_the_management_teams_and_managers_score_only_their_own() -> None:
    readers = {person.role for person in (ADMIN, CIO, PM, VIEWER, BOARD) if can(person, Action.VIEW_PIPELINE)}
    assert readers == {Role.ADMIN, Role.CIO, Role.BOARD}
    assert [can(person, Action.MANAGE_PIPELINE) for person in (ADMIN, CIO, PM, VIEWER, BOARD)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert can(PM, Action.SCORE_PIPELINE, THEIRS) and can(PM, Action.SCORE_PIPELINE, ON_TEAM)
    assert not can(PM, Action.SCORE_PIPELINE, SOMEONE_ELSES)
    assert can(CIO, Action.SCORE_PIPELINE, SOMEONE_ELSES)
    assert not can(VIEWER, Action.SCORE_PIPELINE, THEIRS) and not can(BOARD, Action.SCORE_PIPELINE, THEIRS)
