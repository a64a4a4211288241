"""Dependencies between programmes: when a predecessor lands against the date it is needed by, the rule
that flags a late one, and the check that refuses a loop. Plain values, with properties by hypothesis."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.calendar import format_date
from tracker.domain.dependencies import State, landing, loop_message, loop_through
from tracker.domain.flags import Severity, Subject
from tracker.domain.risk import assess
from tracker.domain.rules_dependencies import dependency_late
from tracker.domain.snapshot import DependencySnap, MilestoneSnap, ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.wording import plural

TODAY = date(2026, 11, 27)
NEEDED = date(2027, 4, 1)
T = Thresholds()


def predecessor(**changes: object) -> MilestoneSnap:
    """FIN-002's finance go-live, forecast for its baseline unless told otherwise."""
    base = MilestoneSnap(30, "Finance go-live", "it_delivery", True, date(2027, 3, 1), date(2027, 3, 1))
    return replace(base, **changes)


def waiting(
    lands: MilestoneSnap | None = None, *, needed_by: date = NEEDED, **milestone: object
) -> ProgrammeSnapshot:
    """DAT-005, whose open 'Dashboards live' waits for `lands` by `needed_by`."""
    own = replace(
        MilestoneSnap(2, "Dashboards live", "business_change", False, date(2027, 5, 1)), **milestone
    )
    dependency = DependencySnap(
        9, 2, own.title, needed_by, "FIN-002", "Finance and HR system", lands or predecessor()
    )
    return ProgrammeSnapshot(
        5,
        "DAT-005",
        "Data platform",
        "business_case",
        last_update_on=TODAY,
        milestones=(own,),
        dependencies=(dependency,),
    )


def only(flags):
    assert len(flags) == 1, flags
    return flags[0]


# where a predecessor stands


def test_landing_reads_actual_then_forecast_then_baseline() -> None:
    needed = date(2027, 4, 1)
    done = landing(
        actual=date(2027, 4, 5),
        forecast=None,
        baseline=None,
        done=True,
        cancelled=False,
        needed_by=needed,
        today=TODAY,
    )
    assert (done.state, done.expected, done.days_late, done.verdict()) == (
        State.DONE,
        date(2027, 4, 5),
        4,
        "4 days late",
    )
    forecast = landing(
        actual=None,
        forecast=date(2027, 3, 30),
        baseline=date(2027, 1, 1),
        done=False,
        cancelled=False,
        needed_by=needed,
        today=TODAY,
    )
    assert (forecast.state, forecast.days_late, forecast.late, forecast.verdict()) == (
        State.FORECAST,
        -2,
        False,
        "in time",
    )
    baseline = landing(
        actual=None,
        forecast=None,
        baseline=date(2027, 4, 2),
        done=False,
        cancelled=False,
        needed_by=needed,
        today=TODAY,
    )
    assert (baseline.expected, baseline.days_late, baseline.words()) == (
        date(2027, 4, 2),
        1,
        "forecast for 2 April 2027",
    )


def test_an_open_predecessor_past_its_date_lands_no_earlier_than_today() -> None:
    lands = landing(
        actual=None,
        forecast=date(2026, 11, 1),
        baseline=date(2026, 11, 1),
        done=False,
        cancelled=False,
        needed_by=date(2026, 11, 20),
        today=TODAY,
    )
    assert (lands.state, lands.days_late) == (State.OVERDUE, 7)
    assert lands.verdict() == "7 days late so far"
    assert lands.words() == "still not done (expected 1 November 2026)"


def test_a_cancelled_predecessor_will_not_land_and_one_without_dates_is_not_known() -> None:
    cancelled = landing(
        actual=None,
        forecast=NEEDED,
        baseline=NEEDED,
        done=False,
        cancelled=True,
        needed_by=NEEDED,
        today=TODAY,
    )
    assert (cancelled.state, cancelled.late, cancelled.days_late, cancelled.verdict()) == (
        State.CANCELLED,
        True,
        None,
        "will not happen",
    )
    unknown = landing(
        actual=None, forecast=None, baseline=None, done=False, cancelled=False, needed_by=NEEDED, today=TODAY
    )
    assert (unknown.state, unknown.late, unknown.verdict()) == (State.UNKNOWN, False, "not known")


# the rule


def test_a_predecessor_forecast_after_the_needed_by_date_flags_the_waiting_milestone() -> None:
    flag = only(dependency_late(waiting(predecessor(forecast_date=date(2027, 4, 13))), TODAY, T))
    assert flag.rule == "dependency_late"
    assert flag.severity is Severity.AMBER
    assert flag.subject == Subject("milestone", 2)
    assert flag.message == (
        "Depends on FIN-002 Finance go-live, forecast for 13 April 2027, "
        "needed by 1 April 2027 for Dashboards live: 12 days late"
    )
    assert flag.evidence == {
        "waiting_milestone": "Dashboards live",
        "predecessor_programme": "FIN-002 Finance and HR system",
        "predecessor_milestone": "Finance go-live",
        "predecessor_state": "Forecast, not done yet",
        "predecessor_date": "2027-04-13",
        "needed_by": "2027-04-01",
        "days_late": 12,
    }


@pytest.mark.parametrize(
    ("forecast", "severity"),
    [(NEEDED, None), (NEEDED + timedelta(days=1), Severity.AMBER),
     (NEEDED + timedelta(days=30), Severity.AMBER), (NEEDED + timedelta(days=31), Severity.RED)],
)  # fmt: skip
def test_on_the_needed_by_date_is_in_time_and_red_is_past_the_threshold(
    forecast: date, severity: Severity | None
) -> None:
    flags = dependency_late(waiting(predecessor(forecast_date=forecast)), TODAY, T)
    assert [flag.severity for flag in flags] == ([] if severity is None else [severity])


def test_a_predecessor_done_late_still_flags_an_open_dependant_but_not_a_finished_one() -> None:
    late = predecessor(actual_date=date(2027, 4, 3), complete=True)
    assert only(dependency_late(waiting(late, needed_by=date(2027, 4, 1)), date(2027, 4, 10), T)).message == (
        "Depends on FIN-002 Finance go-live, done on 3 April 2027, needed by 1 April 2027 "
        "for Dashboards live: 2 days late"
    )
    assert (
        dependency_late(waiting(late, actual_date=date(2027, 4, 9), complete=True), date(2027, 4, 10), T)
        == []
    )
    assert dependency_late(waiting(late, cancelled=True), date(2027, 4, 10), T) == []


def test_an_overdue_predecessor_is_late_so_far_and_a_cancelled_one_is_named() -> None:
    overdue = only(
        dependency_late(
            waiting(predecessor(forecast_date=date(2026, 11, 1)), needed_by=date(2026, 11, 20)), TODAY, T
        )
    )
    assert overdue.message.endswith("needed by 20 November 2026 for Dashboards live: 7 days late so far")
    cancelled = only(dependency_late(waiting(predecessor(cancelled=True)), TODAY, T))
    assert cancelled.severity is Severity.AMBER
    assert (
        cancelled.message
        == "Depends on FIN-002 Finance go-live, cancelled, needed by 1 April 2027 for Dashboards live"
    )


def test_the_flag_makes_a_green_programme_amber() -> None:
    assert (
        assess(waiting(predecessor(forecast_date=NEEDED + timedelta(days=5))), TODAY, T).rating.value
        == "amber"
    )
    assert assess(waiting(), TODAY, T).rating.value == "green"


DAYS = st.integers(min_value=-400, max_value=400)


@given(
    actual=st.none() | DAYS,
    forecast=st.none() | DAYS,
    baseline=st.none() | DAYS,
    complete=st.booleans(),
    cancelled=st.booleans(),
    needed=DAYS,
    red=st.integers(min_value=1, max_value=365),
)
def test_the_flag_fires_exactly_when_the_predecessor_lands_after_the_needed_by_date(
    actual, forecast, baseline, complete, cancelled, needed, red
) -> None:
    day = lambda offset: None if offset is None else TODAY + timedelta(days=offset)  # noqa: E731
    lands = predecessor(
        actual_date=day(actual),
        forecast_date=day(forecast),
        baseline_date=day(baseline),
        complete=complete and actual is not None,
        cancelled=cancelled,
    )
    needed_by = day(needed)
    flags = dependency_late(
        waiting(lands, needed_by=needed_by), TODAY, Thresholds(dependency_late_red_days=red)
    )

    expected = day(actual) or day(forecast) or day(baseline)
    if lands.cancelled and not lands.done:
        assert only(flags).message.endswith(
            f", cancelled, needed by {format_date(needed_by)} for Dashboards live"
        )
        return
    if expected is None:
        assert flags == []
        return
    # Done, it landed on its date; open, it lands on its date or today, whichever is later.
    landed = expected if lands.done else max(expected, TODAY)
    gap = (landed - needed_by).days
    if gap <= 0:
        assert flags == []  # on or before the needed-by date: never a flag
        return
    flag = only(flags)
    assert flag.evidence["days_late"] == gap
    assert flag.message.endswith(f": {plural(gap, 'day')} late" + (" so far" if landed != expected else ""))
    assert flag.severity is (Severity.RED if gap > red else Severity.AMBER)
    assert flag.evidence["needed_by"] == needed_by.isoformat()
    assert flag.evidence["predecessor_date"] == expected.isoformat()


@given(needed=DAYS, early=st.integers(min_value=0, max_value=400), done=st.booleans())
def test_never_a_flag_when_the_predecessor_lands_on_or_before_the_needed_by_date(needed, early, done) -> None:
    needed_by = TODAY + timedelta(days=needed)
    on = needed_by - timedelta(days=early)
    if not done and on < TODAY:
        on = TODAY  # an open milestone cannot be expected before today
        if on > needed_by:
            return
    lands = predecessor(actual_date=on if done else None, forecast_date=on, complete=done)
    assert dependency_late(waiting(lands, needed_by=needed_by), TODAY, T) == []


# loops


def test_a_dependency_that_closes_a_loop_is_named_round_the_loop() -> None:
    edges = [(1, 2), (2, 3), (5, 6)]
    assert loop_through(edges, (3, 1)) == (3, 1, 2, 3)
    assert loop_through(edges, (1, 3)) is None  # a second path is not a loop
    assert loop_through(edges, (4, 4)) == (4, 4)
    names = {1: "DIG-001 Go-live", 2: "FIN-002 Finance go-live", 3: "DAT-005 Dashboards live"}
    assert loop_message((3, 1, 2, 3), names) == (
        "That would make a loop: DAT-005 Dashboards live would wait for DIG-001 Go-live, which waits for "
        "FIN-002 Finance go-live, which waits for DAT-005 Dashboards live. "
        "A milestone cannot wait, even through others, for itself."
    )
    assert loop_message((4, 4), names) == "A milestone cannot wait for itself."


def reaches(edges: set[tuple[int, int]], start: int, goal: int) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(end for begin, end in edges if begin == node)
    return False


NODES = st.integers(min_value=1, max_value=8)


@given(edges=st.sets(st.tuples(NODES, NODES), max_size=20), new=st.tuples(NODES, NODES))
def test_a_loop_is_found_exactly_when_the_new_dependency_closes_one(edges, new) -> None:
    edges = {(a, b) for a, b in edges if a < b}  # an existing graph without loops: every edge points up
    loop = loop_through(edges, new)
    waiting_id, predecessor_id = new
    assert (loop is not None) == reaches(edges, predecessor_id, waiting_id)
    if loop is not None:
        assert loop[0] == loop[-1] == waiting_id and loop[1] == predecessor_id
        steps = list(pairwise(loop))
        assert all(step in edges or step == new for step in steps)
