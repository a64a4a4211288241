"""The portfolio's dependencies laid out as plain data: a row per programme taking part, and for each
dependency a line from the date the milestone waited for is expected (a circle, on its programme's row) to
the date it is needed by (a diamond, on the waiting programme's row). A late one is drawn dashed, with a
warning mark and the words 'late', so colour is never the only sign; and a line at today.

Coordinates are SVG user units in a viewBox `WIDTH` wide and as tall as the rows need. No Flask, database or
clock: callers pass plain values and `today`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tracker.domain.calendar import format_date
from tracker.domain.chart_scales import scale
from tracker.domain.charts import Box, LegendKey, Tick, legend_row
from tracker.domain.programme_charts import Empty, month_ticks, padded_months
from tracker.domain.wording import plural

WIDTH = 760
PLOT_LEFT, PLOT_RIGHT = 230, 744
LABEL_X, LEGEND_Y, PLOT_TOP, BOTTOM = 8, 16, 56, 26
ROW = 30
GAP = 8
"""How far short of the needed-by diamond a line stops."""
LABEL_CHARACTERS = 30
ON_TIME, LATE, MARK = "#1d70b8", "#d4351c", "#0b0c0c"
LEGEND = (
    ("Expected", "expected", MARK),
    ("Needed by", "needed", MARK),
    ("In time", "in_time", ON_TIME),
    ("Late", "late", LATE),
    ("Today", "today", MARK),
)


@dataclass(frozen=True)
class DependencyDates:
    """One dependency as the chart needs it; `status` is already in words ('late by 12 days')."""

    id: int
    waiting_code: str
    waiting_name: str
    waiting_title: str
    predecessor_code: str
    predecessor_name: str
    predecessor_title: str
    expected: date | None
    needed_by: date
    late: bool
    status: str


@dataclass(frozen=True)
class ProgrammeRow:
    code: str
    label: str
    title: str
    top: float
    height: float
    middle: float
    shaded: bool


@dataclass(frozen=True)
class Link:
    """One dependency drawn: from the expected date (None when not known) to the needed-by date."""

    id: int
    text: str
    late: bool
    start: tuple[float, float] | None
    end: tuple[float, float]
    colour: str

    @property
    def line_end(self) -> tuple[float, float]:
        """Where the line stops: just short of the diamond, so its arrowhead shows."""
        x, y = self.end
        if self.start is None:
            return self.end
        dx, dy = x - self.start[0], y - self.start[1]
        length = (dx * dx + dy * dy) ** 0.5
        if length <= GAP:
            return self.end
        return round(x - dx * GAP / length, 1), round(y - dy * GAP / length, 1)

    @property
    def needed_path(self) -> str:
        """A diamond on the needed-by date."""
        x, y = self.end
        return f"M{x} {y - 6} L{x + 6} {y} L{x} {y + 6} L{x - 6} {y} Z"

    @property
    def warning_path(self) -> str:
        """A warning triangle just above the needed-by date, on late ones."""
        x, y = self.end
        return f"M{x} {y - 21} L{x + 8} {y - 8} L{x - 8} {y - 8} Z"


@dataclass(frozen=True)
class DependencyChart:
    key: str
    title: str
    description: str
    width: int
    height: int
    plot: Box
    ticks: tuple[Tick, ...]
    rows: tuple[ProgrammeRow, ...]
    links: tuple[Link, ...]
    today: float | None
    legend: tuple[LegendKey, ...]


def dependency_chart(
    dependencies: Sequence[DependencyDates], *, today: date, key: str = "dependency-chart"
) -> DependencyChart | Empty:
    """The programmes taking part, by code, each dependency a line between their rows."""
    title = "When each is expected and needed"
    if not dependencies:
        return Empty(
            key,
            title,
            "No open programme's milestone waits for another programme's, so there is nothing to draw.",
        )
    names: dict[str, str] = {}
    for d in dependencies:
        names.setdefault(d.waiting_code, d.waiting_name)
        names.setdefault(d.predecessor_code, d.predecessor_name)
    codes = sorted(names)
    dates = [day for d in dependencies for day in (d.expected, d.needed_by) if day is not None]
    low, high = padded_months(min([*dates, today]), max([*dates, today]))
    domain = (float(low.toordinal()), float(high.toordinal()))
    plot = Box(PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_TOP + ROW * len(codes))

    def x_of(day: date) -> float:
        return scale(day.toordinal(), domain, (plot.left, plot.right))

    rows = tuple(_row(code, names[code], index) for index, code in enumerate(codes))
    middle = {row.code: row.middle for row in rows}
    links = tuple(
        Link(
            id=d.id,
            text=_words(d),
            late=d.late,
            start=None if d.expected is None else (x_of(d.expected), middle[d.predecessor_code]),
            end=(x_of(d.needed_by), middle[d.waiting_code]),
            colour=LATE if d.late else ON_TIME,
        )
        for d in dependencies
    )
    return DependencyChart(
        key=key,
        title=title,
        description=_description(dependencies, len(codes), today),
        width=WIDTH,
        height=int(plot.bottom + BOTTOM),
        plot=plot,
        ticks=tuple(Tick(x_of(day), text) for day, text in month_ticks(low, high)),
        rows=rows,
        links=links,
        today=x_of(today) if low <= today <= high else None,
        legend=_legend(),
    )


def _row(code: str, name: str, index: int) -> ProgrammeRow:
    title = f"{code} {name}"
    label = title if len(title) <= LABEL_CHARACTERS else title[: LABEL_CHARACTERS - 1].rstrip() + "…"
    top = PLOT_TOP + ROW * index
    return ProgrammeRow(code, label, title, top, ROW, top + ROW / 2, index % 2 == 0)


def _words(d: DependencyDates) -> str:
    """What a line means, for its tooltip."""
    expected = format_date(d.expected) if d.expected else "no date"
    return (
        f"{d.waiting_code} {d.waiting_title} waits for {d.predecessor_code} {d.predecessor_title}: "
        f"expected {expected}, needed by {format_date(d.needed_by)}, {d.status}"
    )


def _description(dependencies: Sequence[DependencyDates], programmes: int, today: date) -> str:
    late = [d for d in dependencies if d.late]
    count = plural(len(dependencies), "dependency", "dependencies")
    parts = [f"{count} between {plural(programmes, 'programme')}."]
    if late:
        parts.append(f"{len(late)} late, drawn dashed with a warning mark.")
    else:
        parts.append("None is late.")
    parts.append(f"Today is {format_date(today)}.")
    return " ".join(parts)


def _legend() -> tuple[LegendKey, ...]:
    return legend_row(LEGEND, x=float(LABEL_X), y=LEGEND_Y)
