"""The milestone timeline laid out as plain data, Gantt-like: a row per milestone with bars from the
programme's start to its latest approved baseline and to its forecast, a diamond on its actual date,
critical milestones marked, and a line at today.

Coordinates are SVG user units in a viewBox as wide as `WIDTH` and as tall as the rows need. No Flask,
database or clock: callers pass plain values and `today`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.domain.calendar import format_date
from tracker.domain.chart_scales import scale
from tracker.domain.charts import Box, LegendKey, Table, Tick, legend_row
from tracker.domain.definitions import overdue_days
from tracker.domain.programme_charts import Empty, month_ticks, padded_months
from tracker.domain.wording import plural

WIDTH = 760
PLOT_LEFT, PLOT_RIGHT = 250, 744
CRITICAL_X, LABEL_X = 16, 30
LEGEND_Y, AXIS_Y, PLOT_TOP, BOTTOM = 16, 48, 56, 26
ROW = 32
FORECAST_TOP, FORECAST_HEIGHT = 7, 10
BASELINE_TOP, BASELINE_HEIGHT = 20, 6
DIAMOND = 6
MIN_BAR = 2.0
"""Bars ending on the start date are drawn this wide, so every milestone shows something."""
LABEL_CHARACTERS = 32
"""Longer titles are shortened in the chart; the data table and each row's tooltip have them whole."""
BASELINE, ON_TIME, LATE, ACTUAL, CRITICAL = "#505a5f", "#1d70b8", "#d4351c", "#0b0c0c", "#d4351c"
LEGEND = (
    ("Baseline", "baseline", BASELINE),
    ("Forecast", "forecast", ON_TIME),
    ("Forecast late", "forecast", LATE),
    ("Actual", "actual", ACTUAL),
    ("Critical", "critical", CRITICAL),
    ("Today", "today", ACTUAL),
)
HEADERS = ("Milestone", "Critical", "Status", "Latest approved baseline", "Forecast", "Actual")


@dataclass(frozen=True)
class MilestoneDates:
    """One milestone as the timeline needs it; `status` is already in words."""

    id: int
    title: str
    critical: bool
    status: str
    open: bool
    baseline: date
    forecast: date | None = None
    actual: date | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class DateBar:
    """A bar from the start of the timeline to a date."""

    x: float
    y: float
    width: float
    height: float
    on: date
    text: str
    colour: str


@dataclass(frozen=True)
class DateMark:
    """A diamond centred on a date."""

    x: float
    y: float
    on: date
    text: str
    colour: str = ACTUAL

    @property
    def path(self) -> str:
        """SVG path data for the diamond."""
        x, y = self.x, self.y
        top, right, bottom, left = (
            round(y - DIAMOND, 1),
            round(x + DIAMOND, 1),
            round(y + DIAMOND, 1),
            round(x - DIAMOND, 1),
        )
        return f"M{x} {top} L{right} {y} L{x} {bottom} L{left} {y} Z"


@dataclass(frozen=True)
class TimelineRow:
    id: int
    title: str
    label: str
    critical: bool
    status: str
    top: float
    height: float
    text_y: float
    shaded: bool
    late: bool
    baseline: DateBar
    forecast: DateBar | None
    actual: DateMark | None


@dataclass(frozen=True)
class Timeline:
    key: str
    title: str
    description: str
    width: int
    height: int
    plot: Box
    ticks: tuple[Tick, ...]
    rows: tuple[TimelineRow, ...]
    today: float | None
    legend: tuple[LegendKey, ...]
    table: Table


def milestone_timeline(
    milestones: Sequence[MilestoneDates],
    *,
    today: date,
    start: date | None = None,
    key: str = "milestone-timeline",
) -> Timeline | Empty:
    """Milestones in baseline order, bars starting at the programme's start (or the earliest date shown).

    Cancelled milestones are left out and counted in the description. Today is on the axis whenever a
    milestone is still open, so the line shows how far there is to go.
    """
    title = "Milestone timeline"
    shown = sorted((m for m in milestones if not m.cancelled), key=lambda m: (m.baseline, m.id))
    if not shown:
        why = "Every milestone is cancelled" if milestones else "There are no milestones yet"
        return Empty(key, title, f"{why}, so there is no timeline to show.")
    dates = [day for m in shown for day in (m.baseline, m.forecast, m.actual) if day is not None]
    origin = min([*dates, *([start] if start else [])])
    low, high = origin, max(dates)
    if any(m.open for m in shown):
        low, high = min(low, today), max(high, today)
    low, high = padded_months(low, high)
    domain = (float(low.toordinal()), float(high.toordinal()))
    plot = Box(PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_TOP + ROW * len(shown))

    def x_of(day: date) -> float:
        return scale(day.toordinal(), domain, (plot.left, plot.right))

    rows = tuple(_row(m, index, x_of, origin) for index, m in enumerate(shown))
    return Timeline(
        key=key,
        title=title,
        description=_description(shown, len(milestones) - len(shown), today),
        width=WIDTH,
        height=int(plot.bottom + BOTTOM),
        plot=plot,
        ticks=tuple(Tick(x_of(day), text) for day, text in month_ticks(low, high)),
        rows=rows,
        today=x_of(today) if low <= today <= high else None,
        legend=_legend(),
        table=Table(
            caption=title,
            headers=HEADERS,
            rows=tuple(_table_row(m) for m in shown),
        ),
    )


def _row(milestone: MilestoneDates, index: int, x_of: Callable[[date], float], origin: date) -> TimelineRow:
    """Place one milestone's bars and diamond in its band of the chart."""
    top = PLOT_TOP + ROW * index
    left = x_of(origin)

    def bar(day: date, offset: int, height: int, colour: str) -> DateBar:
        width = max(round(x_of(day) - left, 1), MIN_BAR)
        return DateBar(left, top + offset, width, height, day, format_date(day), colour)

    title, forecast, late = milestone.title, milestone.forecast, (_slip(milestone) or 0) > 0
    colour = LATE if late else ON_TIME
    return TimelineRow(
        id=milestone.id,
        title=title,
        label=title if len(title) <= LABEL_CHARACTERS else title[: LABEL_CHARACTERS - 1].rstrip() + "…",
        critical=milestone.critical,
        status=milestone.status,
        top=top,
        height=ROW,
        text_y=top + ROW / 2 + 4,
        shaded=index % 2 == 0,
        late=late,
        baseline=bar(milestone.baseline, BASELINE_TOP, BASELINE_HEIGHT, BASELINE),
        forecast=bar(forecast, FORECAST_TOP, FORECAST_HEIGHT, colour) if forecast else None,
        actual=(
            DateMark(
                x_of(milestone.actual),
                top + FORECAST_TOP + FORECAST_HEIGHT / 2,
                milestone.actual,
                format_date(milestone.actual),
            )
            if milestone.actual
            else None
        ),
    )


def _table_row(m: MilestoneDates) -> tuple[str, ...]:
    """The same dates the row draws, in words."""
    written = [format_date(day) if day else "None" for day in (m.baseline, m.forecast, m.actual)]
    return (m.title, "Yes" if m.critical else "No", m.status, *written)


def _slip(milestone: MilestoneDates) -> int | None:
    """Days the actual (or else forecast) date is past the latest approved baseline; negative is early."""
    finished = milestone.actual or milestone.forecast
    return None if finished is None else (finished - milestone.baseline).days


def _description(shown: list[MilestoneDates], cancelled: int, today: date) -> str:
    """The timeline in words: how many, how many critical, late, still open past baseline, and done."""
    critical = sum(m.critical for m in shown)
    parts = [
        f"{plural(len(shown), 'milestone')}, {critical} critical, with latest approved baselines from "
        f"{format_date(shown[0].baseline)} to {format_date(shown[-1].baseline)}."
    ]
    slips = [(_slip(m), m.title) for m in shown]
    late = [(days, title) for days, title in slips if days is not None and days > 0]
    if late:
        days, title = max(late)
        parts.append(
            f"{len(late)} forecast or finished later than baseline; "
            f"furthest behind is {title}, by {plural(days, 'day')}."
        )
    else:
        parts.append("None is forecast or finished later than its baseline.")
    overdue = sum(overdue_days(m.open, m.baseline, today) is not None for m in shown)
    if overdue:
        parts.append(f"{overdue} still open past {'its' if overdue == 1 else 'their'} baseline.")
    parts.append(f"{sum(not m.open for m in shown)} complete.")
    if cancelled:
        parts.append(f"{plural(cancelled, 'cancelled milestone')} not shown.")
    parts.append(f"Today is {format_date(today)}.")
    return " ".join(parts)


def _legend() -> tuple[LegendKey, ...]:
    """Keys in a row along the top."""
    return legend_row(LEGEND, x=float(CRITICAL_X - 8), y=LEGEND_Y)
