"""The capacity heatmap as plain data: service teams, grouped by directorate, by month, each cell the
load against the capacity, with words for it and a shade. Templates only draw what is here.

Shades reuse the dashboard heatmap's tints: green while well within capacity, amber near it, red over it
(the darker red when over by more than the red threshold), grey when the capacity is not set. The words
in each cell say the same, so nothing depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.domain.capacity import TeamMonth
from tracker.domain.wording import format_number

NEAR_CAPACITY = Decimal("0.8")
"""From this share of capacity a month is 'near capacity' (amber)."""


@dataclass(frozen=True)
class Cell:
    team_id: int
    month: date
    load: Decimal
    capacity: Decimal | None
    programmes: int
    shade: str
    """The dashboard heatmap's class suffix, like `red-3`; empty for no load."""
    status: str
    """In words: Over capacity, Near capacity, Within capacity, Capacity not set, No change planned."""

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.load > self.capacity

    @property
    def text(self) -> str:
        """`48 / 30`, `12 / not set`, or `0 / 30`."""
        capacity = "not set" if self.capacity is None else format_number(self.capacity)
        return f"{format_number(self.load)} / {capacity}"


@dataclass(frozen=True)
class TeamRow:
    team_id: int
    team: str
    capacity: Decimal | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class DirectorateGroup:
    directorate: str
    teams: tuple[TeamRow, ...]


@dataclass(frozen=True)
class Heatmap:
    months: tuple[date, ...]
    groups: tuple[DirectorateGroup, ...]

    @property
    def over(self) -> tuple[tuple[TeamRow, Cell], ...]:
        """Every team-month over capacity, by directorate, team and month."""
        return tuple(
            (row, cell) for group in self.groups for row in group.teams for cell in row.cells if cell.over
        )


def cell_for(team_month: TeamMonth, *, red_pct: int) -> Cell:
    """One team-month with its shade and words."""
    load, capacity = team_month.load, team_month.capacity
    programmes = len(team_month.programme_ids)
    if load == 0:
        return Cell(team_month.team_id, team_month.month, load, capacity, 0, "", "No change planned")
    if capacity is None:
        return Cell(
            team_month.team_id, team_month.month, load, capacity, programmes, "none-1", "Capacity not set"
        )
    if load > capacity:
        far = capacity == 0 or (load - capacity) * 100 > capacity * red_pct
        return Cell(
            team_month.team_id,
            team_month.month,
            load,
            capacity,
            programmes,
            "red-3" if far else "red-2",
            "Over capacity",
        )
    if load >= capacity * NEAR_CAPACITY:
        return Cell(
            team_month.team_id, team_month.month, load, capacity, programmes, "amber-2", "Near capacity"
        )
    return Cell(
        team_month.team_id, team_month.month, load, capacity, programmes, "green-1", "Within capacity"
    )


def heatmap(
    teams: Sequence[tuple[int, str, str]],
    sums: Mapping[tuple[int, date], TeamMonth],
    months: Sequence[date],
    *,
    red_pct: int,
) -> Heatmap:
    """Teams given as (id, name, directorate), grouped by directorate (in name order), each by `months`."""
    groups: dict[str, list[TeamRow]] = {}
    for team_id, name, directorate in sorted(teams, key=lambda team: (team[2].lower(), team[1].lower())):
        cells = tuple(cell_for(sums[team_id, month], red_pct=red_pct) for month in months)
        capacity = sums[team_id, months[0]].capacity if months else None
        groups.setdefault(directorate, []).append(TeamRow(team_id, name, capacity, cells))
    return Heatmap(tuple(months), tuple(DirectorateGroup(name, tuple(rows)) for name, rows in groups.items()))
