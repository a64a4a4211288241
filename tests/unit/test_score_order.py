"""The score orders programmes within a rating the way a CIO reading the dashboard would expect."""

from dataclasses import replace
from datetime import timedelta

from tests.unit.weight_support import (
    TODAY,
    T,
    flat_plan,
    measured,
    milestone,
    money,
    programme,
)
from tracker.domain.risk import assess
from tracker.domain.snapshot import ProgrammeSnapshot


def ranked(**programmes: ProgrammeSnapshot) -> list[str]:
    """Names, worst first: by rating, then by score, as the dashboard lists them."""
    results = {name: assess(snapshot, TODAY, T) for name, snapshot in programmes.items()}
    return sorted(results, key=lambda name: (results[name].rating.rank, results[name].score), reverse=True)


def overdue_by(*days: int, critical: bool = False) -> ProgrammeSnapshot:
    late = (
        milestone(n, critical=critical, baseline_date=TODAY - timedelta(days=d))
        for n, d in enumerate(days, 1)
    )
    return programme(milestones=tuple(late))


def test_longer_overdue_sorts_above_shorter_within_a_rating() -> None:
    assert ranked(month=overdue_by(31), quarter=overdue_by(90)) == ["quarter", "month"]
    assert ranked(month=overdue_by(31, critical=True), year=overdue_by(365, critical=True)) == [
        "year",
        "month",
    ]
    assert [assess(overdue_by(d), TODAY, T).score for d in (31, 90, 365)] == [11, 13, 19]


def test_the_worst_flag_sets_the_magnitude() -> None:
    assert [assess(overdue_by(*d), TODAY, T).score for d in ((31, 31), (31, 270), (270, 31))] == [21, 29, 29]
    assert ranked(both_month=overdue_by(31, 31), one_year=overdue_by(31, 270)) == ["one_year", "both_month"]
    stale_and_late = replace(overdue_by(31), last_update_on=TODAY - timedelta(days=61))
    assert assess(stale_and_late, TODAY, T).score == 100 + 10 + 2


def test_more_flags_outweigh_a_larger_magnitude() -> None:
    assert ranked(one_very_late=overdue_by(365), two_late=overdue_by(31, 31)) == ["two_late", "one_very_late"]
    assert ranked(amber=overdue_by(365), red=overdue_by(1, critical=True)) == ["red", "amber"]


def test_further_past_the_threshold_sorts_higher_for_each_measure() -> None:
    def stale_for(days: int) -> ProgrammeSnapshot:
        return programme(last_update_on=TODAY - timedelta(days=days))

    def overspent(forecast: str) -> ProgrammeSnapshot:
        return programme(investments=(money(approved="100", forecast=forecast),))

    def realised(actual: str) -> ProgrammeSnapshot:
        return programme(benefits=(measured(flat_plan("200"), actual),))

    assert ranked(a=stale_for(61), b=stale_for(120)) == ["b", "a"]
    assert ranked(a=overspent("130"), b=overspent("180")) == ["b", "a"]
    assert ranked(a=realised("90"), b=realised("10")) == ["b", "a"]
