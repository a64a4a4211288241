"""Capacity to change, as pure functions: the change days milestones land on each service team in each
month, set against the change days the team can give.

A change day is a staff day a service team gives to a programme's business change (training, testing,
learning new ways of working) rather than to its usual work. A milestone lands in the month of its actual
date, else its forecast, else its baseline. A team whose capacity is not set is never over capacity: its
load is shown, and its capacity said to be unknown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO_DAYS = Decimal("0.0")


@dataclass(frozen=True)
class Landing:
    """The change days one milestone lands on one team, in the month it lands (its first day)."""

    team_id: int
    month: date
    programme_id: int
    milestone_id: int
    change_days: Decimal


@dataclass(frozen=True)
class TeamMonth:
    """One team's load in one month, against its capacity (None: not set)."""

    team_id: int
    month: date
    capacity: Decimal | None
    load: Decimal
    landings: tuple[Landing, ...]

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.load > self.capacity

    @property
    def programme_ids(self) -> tuple[int, ...]:
        """The programmes landing work in this team this month, each once, in id order."""
        return tuple(sorted({landing.programme_id for landing in self.landings}))


def month_of(day: date) -> date:
    return day.replace(day=1)


def landing_day(baseline: date, forecast: date | None, actual: date | None) -> date:
    """The day a milestone's change lands: its actual date, else its forecast, else its baseline."""
    return actual or forecast or baseline


def months_ahead(today: date, count: int = 12) -> tuple[date, ...]:
    """The first day of this month and of the `count - 1` months after it."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def team_months(
    landings: Iterable[Landing], capacities: Mapping[int, Decimal | None], months: Sequence[date]
) -> dict[tuple[int, date], TeamMonth]:
    """Every team in `capacities` in every one of `months`, with the landings on it that month; landings on
    other teams or in other months are left out."""
    wanted = set(months)
    grouped: defaultdict[tuple[int, date], list[Landing]] = defaultdict(list)
    for landing in landings:
        if landing.team_id in capacities and landing.month in wanted:
            grouped[landing.team_id, landing.month].append(landing)
    result = {}
    for team_id, capacity in capacities.items():
        for month in months:
            here = tuple(grouped.get((team_id, month), ()))
            load = sum((landing.change_days for landing in here), ZERO_DAYS)
            result[team_id, month] = TeamMonth(team_id, month, capacity, load, here)
    return result
