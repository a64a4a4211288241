"""The overdue action rule: an open action past its due date flags the programme, naming it."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.flags import Severity, Subject
from tracker.domain.risk import assess
from tracker.domain.rules_raid import overdue_action
from tracker.domain.snapshot import ActionSnap, ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds

TODAY = date(2026, 11, 27)
T = Thresholds()


def programme(*actions: ActionSnap) -> ProgrammeSnapshot:
    return ProgrammeSnapshot(7, "DIG-007", "Front door", "delivery", last_update_on=TODAY, actions=actions)


def action(days_late: int | None, *, id: int = 1, **changes: object) -> ActionSnap:
    due = None if days_late is None else TODAY - timedelta(days=days_late)
    return replace(ActionSnap(id, "Sign the data sharing agreement", "Jo Bloggs", due), **changes)


@pytest.mark.parametrize(
    ("days_late", "severity"),
    [(-1, None), (0, None), (1, Severity.AMBER), (30, Severity.AMBER), (31, Severity.RED)],
)
def test_overdue_starts_the_day_after_it_was_due_and_is_red_past_the_threshold(
    days_late: int, severity: Severity | None
) -> None:
    flags = overdue_action(programme(action(days_late)), TODAY, T)
    assert [flag.severity for flag in flags] == ([] if severity is None else [severity])


def test_the_flag_names_the_action_its_owner_its_due_date_and_how_late() -> None:
    (flag,) = overdue_action(programme(action(12, id=4)), TODAY, T)
    assert flag.message == (
        "Action 'Sign the data sharing agreement' is 12 days overdue (due 15 November 2026, owner Jo Bloggs)"
    )
    assert flag.subject == Subject("action", 4)
    assert flag.evidence == {
        "due_date": "2026-11-15",
        "days_overdue": 12,
        "owner": "Jo Bloggs",
        "overdue_actions": 1,
    }


def test_an_action_without_an_owner_says_so() -> None:
    (flag,) = overdue_action(programme(action(1, owner="  ")), TODAY, T)
    assert flag.message.endswith("(due 26 November 2026, owner not recorded)")
    assert flag.evidence["owner"] is None


@pytest.mark.parametrize("changes", [{"open": False}, {"due_date": None}])
def test_done_actions_and_unknown_due_dates_are_never_overdue(changes: dict[str, object]) -> None:
    assert overdue_action(programme(action(90, **changes)), TODAY, T) == []


def test_several_overdue_actions_at_once_are_each_red() -> None:
    two = programme(action(2, id=1), action(3, id=2), action(-5, id=3))
    assert {flag.severity for flag in overdue_action(two, TODAY, T)} == {Severity.AMBER}

    three = programme(action(2, id=1), action(3, id=2), action(4, id=3))
    flags = overdue_action(three, TODAY, T)
    assert [flag.severity for flag in flags] == [Severity.RED] * 3
    assert flags[0].message.endswith("; 3 actions are overdue")
    assert overdue_action(three, TODAY, Thresholds(overdue_actions_red_count=4))[0].severity is Severity.AMBER


def test_one_overdue_action_makes_an_otherwise_healthy_programme_amber() -> None:
    healthy = replace(programme(action(5)), stage="business_case")
    result = assess(healthy, TODAY, T)
    assert (result.rating.value, result.rules) == ("amber", ("overdue_action",))
    assert assess(replace(healthy, actions=()), TODAY, T).rating.value == "green"


late_or_not = st.integers(min_value=-400, max_value=400)


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.none() | late_or_not, st.booleans(), st.none() | st.just("Jo")), max_size=6),
    st.integers(min_value=1, max_value=365),
    st.integers(min_value=2, max_value=50),
)
def test_exactly_the_open_actions_past_due_are_flagged_with_the_severity_the_thresholds_say(
    specs: list[tuple[int | None, bool, str | None]], red_days: int, red_count: int
) -> None:
    thresholds = Thresholds(overdue_action_red_days=red_days, overdue_actions_red_count=red_count)
    actions = [action(late, id=n, open=live, owner=owner) for n, (late, live, owner) in enumerate(specs)]
    flags = overdue_action(programme(*actions), TODAY, thresholds)

    late = {a.id: (TODAY - a.due_date).days for a in actions if a.open and a.due_date and a.due_date < TODAY}
    assert [flag.subject.id for flag in flags if flag.subject] == list(late)
    several = len(late) >= red_count
    for flag in flags:
        days = late[flag.subject.id]  # type: ignore[union-attr]
        assert flag.evidence["days_overdue"] == days and f"{days} day" in flag.message
        assert (flag.severity is Severity.RED) == (several or days > red_days)
