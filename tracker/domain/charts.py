"""Charts laid out as plain data: scales, ticks, lines, bars, a legend and the table of the same numbers.

Templates only draw what is here, so a test can hold the SVG's numbers against the table's. Coordinates
are SVG user units in a fixed viewBox, y growing downwards. No Flask, database or clock: callers pass
the values, their labels and how to write them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tracker.domain.chart_scales import nice_ticks, scale

Format = Callable[[Decimal], str]

WIDTH = 640
HEIGHT = 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 76, 16, 44, 34
LEGEND_Y = 14
LEGEND_SWATCH = 22
CHARACTER_WIDTH = 7
"""Rough width of a 14px Arial character, to space legend items without measuring text."""
BAR_SHARE = 0.6
"""Share of each category's band a bar fills; the rest is the gap between bars."""


@dataclass(frozen=True)
class Box:
    """The plot area inside the margins."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    """A value placed on the chart: where it is drawn, what it is, and how it is written."""

    x: float
    y: float
    label: str
    value: Decimal
    text: str


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    colour: str
    dash: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        """SVG path data joining the points in order."""
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x} {p.y}" for i, p in enumerate(self.points))


@dataclass(frozen=True)
class Bar:
    """One segment of a stacked bar."""

    x: float
    y: float
    width: float
    height: float
    key: str
    name: str
    colour: str
    label: str
    value: Decimal
    text: str


@dataclass(frozen=True)
class LegendItem:
    name: str
    colour: str
    dash: str
    x: float
    y: float
    filled: bool


@dataclass(frozen=True)
class LegendKey:
    """A timeline's key: a named swatch drawn in `shape` (the template knows each shape)."""

    name: str
    shape: str
    colour: str
    x: float
    y: float


def legend_row(entries: Sequence[tuple[str, str, str]], *, x: float, y: float) -> tuple[LegendKey, ...]:
    """Keys (name, shape, colour) in a row from `x`, each swatch 22 wide and followed by its name."""
    keys = []
    for name, shape, colour in entries:
        keys.append(LegendKey(name, shape, colour, x, y))
        x += 22 + 8 + len(name) * CHARACTER_WIDTH + 16
    return tuple(keys)


@dataclass(frozen=True)
class Marker:
    """A vertical line across the plot, such as today."""

    x: float
    label: str


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    plot: Box
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]
    markers: tuple[Marker, ...]
    table: Table


@dataclass(frozen=True)
class LineSeries:
    """Input for a line: (x, row label, value) points, x in the units of the chart's x domain."""

    key: str
    name: str
    colour: str
    points: Sequence[tuple[float, str, Decimal]]
    dash: str = ""


@dataclass(frozen=True)
class Stack:
    """Input for one layer of stacked bars: a value per category."""

    key: str
    name: str
    colour: str
    values: Sequence[Decimal | int]


def line_chart(
    *,
    key: str,
    title: str,
    description: str,
    x_domain: tuple[float, float],
    x_ticks: Sequence[tuple[float, str]],
    series: Sequence[LineSeries],
    value_format: Format,
    axis_format: Format,
    row_header: str,
    markers: Sequence[tuple[float, str]] = (),
    missing: str = "Not yet",
) -> Chart:
    """Lines over a numeric x axis; the table has a row per x position and a column per line."""
    plot = _plot()
    values = [value for line in series for _, _, value in line.points]
    y_values = nice_ticks(min(values, default=Decimal(0)), max(values, default=Decimal(0)))
    y_domain = (float(y_values[0]), float(y_values[-1]))

    def place(x: float, value: Decimal) -> tuple[float, float]:
        return scale(x, x_domain, (plot.left, plot.right)), scale(value, y_domain, (plot.bottom, plot.top))

    lines = tuple(
        Line(
            key=line.key,
            name=line.name,
            colour=line.colour,
            dash=line.dash,
            points=tuple(
                Point(*place(x, value), label=label, value=value, text=value_format(value))
                for x, label, value in sorted(line.points, key=lambda point: point[0])
            ),
        )
        for line in series
    )
    rows: dict[float, list[str]] = {}
    for column, line in enumerate(series):
        for x, label, value in line.points:
            row = rows.setdefault(x, [label] + [missing] * len(series))
            row[column + 1] = value_format(value)
    return Chart(
        key=key,
        title=title,
        description=description,
        width=WIDTH,
        height=HEIGHT,
        plot=plot,
        x_ticks=tuple(Tick(scale(x, x_domain, (plot.left, plot.right)), label) for x, label in x_ticks),
        y_ticks=_y_ticks(y_values, y_domain, plot, axis_format),
        lines=lines,
        bars=(),
        legend=legend([(line.name, line.colour, line.dash, False) for line in series]),
        markers=tuple(Marker(scale(x, x_domain, (plot.left, plot.right)), label) for x, label in markers),
        table=Table(
            caption=title,
            headers=(row_header, *(line.name for line in series)),
            rows=tuple(tuple(rows[x]) for x in sorted(rows)),
        ),
    )


def stacked_bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    categories: Sequence[tuple[str, str]],
    stacks: Sequence[Stack],
    value_format: Format,
    row_header: str,
    total_header: str = "Total",
) -> Chart:
    """A bar per category, its layers stacked from the bottom in the order given; categories are
    (tick label, row label) pairs, and the table adds each category's total."""
    plot = _plot()
    totals = [sum((Decimal(stack.values[i]) for stack in stacks), Decimal(0)) for i in range(len(categories))]
    y_values = nice_ticks(Decimal(0), max(totals, default=Decimal(0)), whole=True)
    y_domain = (float(y_values[0]), float(y_values[-1]))
    band = plot.width / max(len(categories), 1)
    bars: list[Bar] = []
    for index, (_, label) in enumerate(categories):
        x = round(plot.left + band * index + band * (1 - BAR_SHARE) / 2, 1)
        base = Decimal(0)
        for stack in stacks:
            value = Decimal(stack.values[index])
            if value:
                top = scale(base + value, y_domain, (plot.bottom, plot.top))
                bottom = scale(base, y_domain, (plot.bottom, plot.top))
                bars.append(
                    Bar(x, top, round(band * BAR_SHARE, 1), round(bottom - top, 1), stack.key, stack.name,
                        stack.colour, label, value, value_format(value))
                )  # fmt: skip
            base += value
    return Chart(
        key=key,
        title=title,
        description=description,
        width=WIDTH,
        height=HEIGHT,
        plot=plot,
        x_ticks=tuple(
            Tick(round(plot.left + band * (index + 0.5), 1), tick)
            for index, (tick, _) in enumerate(categories)
            if (len(categories) - 1 - index) % _tick_every(categories, band) == 0
        ),
        y_ticks=_y_ticks(y_values, y_domain, plot, value_format),
        lines=(),
        bars=tuple(bars),
        legend=legend([(stack.name, stack.colour, "", True) for stack in stacks]),
        markers=(),
        table=Table(
            caption=title,
            headers=(row_header, *(stack.name for stack in stacks), total_header),
            rows=tuple(
                (
                    label,
                    *(value_format(Decimal(stack.values[i])) for stack in stacks),
                    value_format(totals[i]),
                )
                for i, (_, label) in enumerate(categories)
            ),
        ),
    )


def _tick_every(categories: Sequence[tuple[str, str]], band: float) -> int:
    """Label every category when the labels fit their bands, else every second or third (ending on the
    last category, the newest), so labels never overlap."""
    widest = max((len(tick) for tick, _ in categories), default=0) * CHARACTER_WIDTH + 8
    return max(1, -(-int(widest) // max(int(band), 1)))


def _plot() -> Box:
    return Box(MARGIN_LEFT, MARGIN_TOP, WIDTH - MARGIN_RIGHT, HEIGHT - MARGIN_BOTTOM)


def _y_ticks(
    values: list[Decimal], domain: tuple[float, float], plot: Box, write: Format
) -> tuple[Tick, ...]:
    return tuple(Tick(scale(value, domain, (plot.bottom, plot.top)), write(value)) for value in values)


def legend(items: Sequence[tuple[str, str, str, bool]]) -> tuple[LegendItem, ...]:
    """Legend entries (name, colour, dash, filled) in a row above the plot, each swatch then its name."""
    placed, x = [], float(MARGIN_LEFT)
    for name, colour, dash, filled in items:
        placed.append(LegendItem(name, colour, dash, x, LEGEND_Y, filled))
        x += LEGEND_SWATCH + 8 + len(name) * CHARACTER_WIDTH + 16
    return tuple(placed)
