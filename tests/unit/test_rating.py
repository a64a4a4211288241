"""The rating and score mapping, the trend between scans, and flags as stored."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.flags import Flag, Severity, Subject, weight_for
from tracker.domain.rating import Rating, Summary, Trend, rate, trend


def amber(rule: str = "stale", weight: int = 0) -> Flag:
    return Flag(rule, Severity.AMBER, "No update for 41 days", {"days": 41}, weight=weight)


def red(rule: str = "overdue_milestone", weight: int = 0) -> Flag:
    return Flag(
        rule,
        Severity.RED,
        "Go-live milestone is 23 days overdue",
        subject=Subject("milestone", 3),
        weight=weight,
    )


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], (Rating.GREEN, 0)),
        ([amber()], (Rating.AMBER, 10)),
        ([amber(), amber()], (Rating.AMBER, 20)),
        ([amber("stale"), amber("cost_overrun")], (Rating.AMBER, 20)),
        ([amber("a"), amber("a"), amber("a"), amber("b")], (Rating.AMBER, 40)),
        ([amber("a"), amber("b"), amber("c")], (Rating.RED, 30)),
        ([red()], (Rating.RED, 100)),
        ([red(), red()], (Rating.RED, 200)),
        ([red(), amber()], (Rating.RED, 110)),
        ([amber(weight=4)], (Rating.AMBER, 14)),
        ([amber(weight=4), red(weight=7), amber(weight=9)], (Rating.RED, 129)),
    ],
)
def test_rating_and_score_mapping(flags: list[Flag], expected: tuple[Rating, int]) -> None:
    assert rate(flags) == expected


flag_lists = st.lists(
    st.builds(
        Flag,
        rule=st.sampled_from(["a", "b", "c", "d"]),
        severity=st.sampled_from(Severity),
        message=st.just("m"),
        weight=st.integers(0, 9),
    ),
    max_size=8,
)


@given(flag_lists, flag_lists)
def test_more_flags_never_improve_the_rating_or_score(flags: list[Flag], extra: list[Flag]) -> None:
    rating, score = rate(flags)
    more_rating, more_score = rate(flags + extra)
    assert more_rating.rank >= rating.rank
    assert more_score >= score


@given(flag_lists)
def test_no_flags_means_green_and_any_flag_means_not(flags: list[Flag]) -> None:
    rating, score = rate(flags)
    assert (rating is Rating.GREEN) == (not flags)
    assert (score == 0) == (not flags)


def test_rating_order() -> None:
    assert [r.rank for r in (Rating.GREEN, Rating.AMBER, Rating.RED)] == [0, 1, 2]


GREEN = Summary(Rating.GREEN, 0, ())
AMBER_10 = Summary(Rating.AMBER, 10, ("stale",))
AMBER_20 = Summary(Rating.AMBER, 20, ("stale", "cost_overrun"))
RED_100 = Summary(Rating.RED, 100, ("overdue_milestone",))


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (None, GREEN, Trend.NEW),
        (None, RED_100, Trend.NEW),
        (GREEN, AMBER_10, Trend.NEW),
        (GREEN, RED_100, Trend.NEW),
        (GREEN, GREEN, Trend.SAME),
        (AMBER_10, GREEN, Trend.RESOLVED),
        (RED_100, GREEN, Trend.RESOLVED),
        (AMBER_10, RED_100, Trend.WORSE),
        (RED_100, AMBER_20, Trend.BETTER),
        (AMBER_10, AMBER_20, Trend.WORSE),
        (AMBER_20, AMBER_10, Trend.BETTER),
        (AMBER_10, AMBER_10, Trend.SAME),
        (AMBER_10, Summary(Rating.AMBER, 10, ("cost_overrun",)), Trend.SAME),
        (Summary(Rating.RED, 30, ("a", "b", "c")), Summary(Rating.AMBER, 90, ("a",)), Trend.BETTER),
    ],
)
def test_trend(previous: Summary | None, current: Summary, expected: Trend) -> None:
    assert trend(previous, current) is expected


def test_trend_accepts_stored_plain_values() -> None:
    assert trend(("amber", 10, ["stale"]), ("red", 100, ["overdue_milestone"])) is Trend.WORSE
    assert trend(["red", 100, ("x",)], ("green", 0, [])) is Trend.RESOLVED


@pytest.mark.parametrize(
    "bad",
    [("purple", 10, ("x",)), ("red", "100", ("x",)), ("red", 100, "stale"), ("red", 100)],
)
def test_trend_rejects_malformed_summaries(bad: tuple[object, ...]) -> None:
    with pytest.raises(ValueError):
        trend(bad, GREEN)


def test_flag_round_trips_through_its_stored_form() -> None:
    for flag in (red(weight=3), amber()):
        assert Flag.from_dict(flag.as_dict()) == flag
    assert red().as_dict() == {
        "rule": "overdue_milestone",
        "severity": "red",
        "message": "Go-live milestone is 23 days overdue",
        "evidence": {},
        "subject": {"kind": "milestone", "id": 3},
        "weight": 0,
    }


def test_flags_are_hashable_values() -> None:
    assert len({amber(), amber(), red()}) == 2


@pytest.mark.parametrize("weight", [-1, 10])
def test_flag_weight_must_fit_the_score_table(weight: int) -> None:
    with pytest.raises(ValueError):
        amber(weight=weight)


@pytest.mark.parametrize(
    ("excess", "step", "expected"), [(0, 10, 0), (-5, 10, 0), (9.9, 10, 0), (10, 10, 1), (500, 10, 9)]
)
def test_weight_for(excess: float, step: float, expected: int) -> None:
    assert weight_for(excess, step) == expected
