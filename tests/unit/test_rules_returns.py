"""The end date moved since the previous return: plain values in, flags out."""

from dataclasses import replace
from datetime import date

from tracker.domain.evidence import describe
from tracker.domain.flags import Flag, Severity
from tracker.domain.rules_returns import end_date_moved, previous_return_end
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds

TODAY = date(2026, 11, 27)
T = Thresholds()


def programme(**changes: object) -> ProgrammeSnapshot:
    return replace(ProgrammeSnapshot(7, "DIG-007", "Crossrail", "delivery", last_update_on=TODAY), **changes)


def test_an_end_date_moved_later_since_the_previous_return_is_flagged_by_how_far() -> None:
    def moved(current: date | None, previous: date | None) -> list[Flag]:
        snapshot = programme(forecast_end_date=current, previous_return_end_date=previous)
        return end_date_moved(snapshot, TODAY, T)

    assert moved(date(2027, 6, 29), date(2027, 3, 31)) == []  # 90 days: at the threshold
    (amber,) = moved(date(2027, 6, 30), date(2027, 3, 31))
    assert (amber.severity, amber.evidence["moved_days"]) == (Severity.AMBER, 91)
    assert amber.message == (
        "End date moved 91 days later since the previous return: 31 March 2027 to 30 June 2027"
    )
    assert describe("end_date_moved", amber.evidence) == [
        ("End date now", "30 June 2027"),
        ("End date in the previous return", "31 March 2027"),
        ("Moved by", "91 days"),
    ]
    (red,) = moved(date(2028, 6, 30), date(2027, 3, 31))
    assert red.severity is Severity.RED
    assert moved(date(2026, 3, 31), date(2027, 3, 31)) == []  # brought forward
    assert moved(None, date(2027, 3, 31)) == moved(date(2028, 3, 31), None) == []  # unknown is no flag


def test_the_previous_return_is_the_one_before_the_return_in_force() -> None:
    ends = (date(2028, 3, 31), date(2027, 3, 31))
    assert previous_return_end(date(2028, 3, 31), ends) == date(2027, 3, 31)
    # Edited since its newest return: that return is the previous one.
    assert previous_return_end(date(2029, 3, 31), ends) == date(2028, 3, 31)
    assert previous_return_end(date(2028, 3, 31), ends[:1]) is None
    assert previous_return_end(None, ()) is None
