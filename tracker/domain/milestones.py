"""The rules a milestone's progress update must keep: pure checks of its dates and status.

Statuses are compared as the domain's plain values (`definitions.DONE_STATUSES`), and `today` is
passed in, so the rules read neither the database nor the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from tracker.domain.definitions import DONE_STATUSES
from tracker.domain.formatting import uk_date


@dataclass(frozen=True)
class Progress:
    """One milestone's dates and status as submitted, with the version the form was built from."""

    milestone_id: int
    expected_version: int | None
    forecast_date: date | None
    actual_date: date | None
    status: str  # a MilestoneStatus value
    reason: str = ""


class Scheduled(Protocol):
    """What the rules read of a saved milestone: its current forecast and latest approved baseline."""

    @property
    def forecast_date(self) -> date | None: ...

    @property
    def baseline_date(self) -> date | None: ...


def errors_for(milestone: Scheduled, progress: Progress, today: date) -> dict[str, str]:
    """The rules for a saved milestone's new progress; moving its current forecast needs a reason."""
    return progress_errors(
        progress.forecast_date,
        progress.actual_date,
        progress.status,
        today,
        moved_from=milestone.forecast_date or milestone.baseline_date,
        reason=progress.reason,
    )


ACTUAL_NEEDS_COMPLETE = "Choose 'Complete' when you record an actual date, or remove the actual date"


def progress_errors(
    forecast: date | None,
    actual: date | None,
    status: str,
    today: date,
    *,
    moved_from: date | None = None,
    reason: str = "",
) -> dict[str, str]:
    """The rules a milestone's dates and status must keep, as {field: message}."""
    complete = status in DONE_STATUSES
    errors: dict[str, str] = {}
    if forecast is None:
        errors["forecast_date"] = "Enter the forecast date"
    elif moved_from is not None and forecast != moved_from and not reason.strip():
        errors["reason"] = (
            f"Give a reason for moving the forecast from {uk_date(moved_from)} to {uk_date(forecast)}"
        )
    if actual is not None and actual > today:
        errors["actual_date"] = "The actual date cannot be in the future"
    elif complete and actual is None:
        errors["actual_date"] = "Enter the actual date the milestone was completed"
    if actual is not None and not complete:
        errors["status"] = ACTUAL_NEEDS_COMPLETE
    return errors
