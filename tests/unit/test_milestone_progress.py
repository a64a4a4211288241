"""The rules of a milestone progress update, with plain values."""

from dataclasses import dataclass
from datetime import date

import pytest

from tracker.domain.milestones import Progress, errors_for, progress_errors

TODAY = date(2027, 3, 10)
FORECAST = date(2027, 4, 1)


@dataclass(frozen=True)
class Saved:
    forecast_date: date | None
    baseline_date: date | None


@pytest.mark.parametrize(
    ("forecast", "actual", "status", "fields"),
    [
        (FORECAST, None, "in_progress", set()),
        (None, None, "in_progress", {"forecast_date"}),
        (FORECAST, date(2027, 3, 11), "complete", {"actual_date"}),  # in the future
        (FORECAST, None, "complete", {"actual_date"}),  # complete needs the date it happened
        (FORECAST, TODAY, "complete", set()),
        (FORECAST, TODAY, "in_progress", {"status"}),  # an actual date means complete
    ],
)
def test_dates_and_status_must_agree(forecast, actual, status, fields) -> None:
    assert set(progress_errors(forecast, actual, status, TODAY)) == fields


def test_moving_the_current_forecast_needs_a_reason() -> None:
    moved = Progress(1, 1, date(2027, 5, 1), None, "in_progress")
    errors = errors_for(Saved(FORECAST, date(2027, 2, 1)), moved, TODAY)
    assert errors == {"reason": "Give a reason for moving the forecast from 1 April 2027 to 1 May 2027"}
    assert (
        errors_for(
            Saved(FORECAST, date(2027, 2, 1)),
            Progress(1, 1, date(2027, 5, 1), None, "in_progress", "Late"),
            TODAY,
        )
        == {}
    )
    # With no forecast yet, the baseline is what moves.
    assert errors_for(Saved(None, FORECAST), Progress(1, 1, FORECAST, None, "in_progress"), TODAY) == {}
