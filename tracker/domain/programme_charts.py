"""The programme page's charts as plain data: the milestone timeline, spend by financial year, and a
benefit's planned trajectory against its measurements.

Spend and benefits are `tracker.domain.charts.Chart`s, drawn by the dashboard's chart macro; the
timeline has rows of milestones rather than values, so it has a shape of its own. No Flask, database
or clock: callers pass plain values and `today`. Nothing to chart gives an `Empty` that says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.domain.calendar import financial_year, financial_year_label, format_date
from tracker.domain.chart_scales import nice_ticks, scale, short_money
from tracker.domain.charts import (
    CHARACTER_WIDTH,
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    WIDTH,
    Bar,
    Box,
    Chart,
    LineSeries,
    Table,
    Tick,
    legend,
    line_chart,
)
from tracker.domain.money import format_money

Format = Callable[[Decimal], str]
APPROVED, FORECAST, ACTUAL = "#505a5f", "#5694ca", "#003078"
PLANNED, MEASURED = "#505a5f", "#1d70b8"
GROUP_SHARE = 0.8
"""Share of each year's band its three bars fill together; the rest separates the years."""
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
"""Months between date-axis labels; steps count from April so that wide ones fall on financial years."""
MOST_DATE_LABELS = 7
APRIL, LAST_MONTH = 3, 9999 * 12 + 12
"""Months counted from January of year 0: April's remainder, and the first month past `date.max`."""
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MEASURES = (
    ("approved", "Approved", APPROVED),
    ("forecast", "Forecast", FORECAST),
    ("actual", "Actual", ACTUAL),
)


@dataclass(frozen=True)
class Empty:
    """Nothing to chart yet: the chart's title and a sentence saying why, shown in its place."""

    key: str
    title: str
    message: str


@dataclass(frozen=True)
class YearSpend:
    """One financial year's totals, the year by its starting calendar year."""

    start: int
    approved: Decimal
    forecast: Decimal
    actual: Decimal


def spend_by_year(years: Sequence[YearSpend], *, today: date, key: str = "spend-by-year") -> Chart | Empty:
    """Approved, forecast and actual side by side for each financial year, oldest first."""
    title = "Spend by financial year"
    if not years:
        return Empty(key, title, "No investment lines yet, so there is no spend to chart.")
    years = sorted(years, key=lambda year: year.start)
    plot = Box(MARGIN_LEFT, MARGIN_TOP, WIDTH - MARGIN_RIGHT, HEIGHT - MARGIN_BOTTOM)
    amounts = [getattr(year, name) for year in years for name, _, _ in MEASURES]
    y_values = nice_ticks(min(amounts), max(amounts), whole=True)
    y_domain = (float(y_values[0]), float(y_values[-1]))
    zero = scale(0, y_domain, (plot.bottom, plot.top))
    band = plot.width / len(years)
    bar_width = round(band * GROUP_SHARE / len(MEASURES), 1)
    bars = []
    for index, year in enumerate(years):
        left = plot.left + band * index + band * (1 - GROUP_SHARE) / 2
        label = financial_year_label(year.start)
        for offset, (name, heading, colour) in enumerate(MEASURES):
            value = getattr(year, name)
            top = scale(value, y_domain, (plot.bottom, plot.top))
            bars.append(
                Bar(round(left + offset * bar_width, 1), min(top, zero), bar_width, round(abs(zero - top), 1),
                    name, heading, colour, label, value, format_money(value))
            )  # fmt: skip
    every = max(1, -(-(7 * CHARACTER_WIDTH + 8) // max(int(band), 1)))
    return Chart(
        key=key,
        title=title,
        description=_spend_description(years, today),
        width=WIDTH,
        height=HEIGHT,
        plot=plot,
        x_ticks=tuple(
            Tick(round(plot.left + band * (index + 0.5), 1), financial_year_label(year.start))
            for index, year in enumerate(years)
            if (len(years) - 1 - index) % every == 0
        ),
        y_ticks=tuple(Tick(scale(v, y_domain, (plot.bottom, plot.top)), short_money(v)) for v in y_values),
        lines=(),
        bars=tuple(bars),
        legend=legend([(heading, colour, "", True) for _, heading, colour in MEASURES]),
        markers=(),
        table=Table(
            caption=title,
            headers=("Financial year", *(heading for _, heading, _ in MEASURES)),
            rows=tuple(
                (
                    financial_year_label(year.start),
                    *(format_money(getattr(year, name)) for name, _, _ in MEASURES),
                )
                for year in years
            ),
        ),
    )


def _spend_description(years: Sequence[YearSpend], today: date) -> str:
    """Whole-life totals, and this year's when the programme spends in it."""
    first, last = financial_year_label(years[0].start), financial_year_label(years[-1].start)
    span = first if first == last else f"from {first} to {last}"
    totals = [format_money(sum((getattr(y, name) for y in years), Decimal(0))) for name, _, _ in MEASURES]
    text = (
        f"Approved, forecast and actual spend for each financial year, {span}. "
        f"Whole life: {totals[0]} approved, {totals[1]} forecast, {totals[2]} spent."
    )
    this_year = next((y for y in years if y.start == financial_year(today)), None)
    if this_year:
        approved, forecast, actual = (format_money(getattr(this_year, name)) for name, _, _ in MEASURES)
        text += (
            f" This year, {financial_year_label(this_year.start)}: {forecast} forecast "
            f"against {approved} approved, {actual} spent so far."
        )
    return text


def benefit_trajectory(
    *,
    title: str,
    planned: Sequence[tuple[date, Decimal]],
    measured: Sequence[tuple[date, Decimal]],
    higher_is_better: bool,
    today: date,
    value_format: Format,
    axis_format: Format,
    key: str = "benefit-trajectory",
) -> Chart | Empty:
    """The planned trajectory as a dashed line and the measurements as points joined in date order.

    A date measured twice shows its last value given, so every point drawn has its own row in the table.
    """
    chart_title = f"{title}: planned and measured"
    planned, measured = _one_per_date(planned), _one_per_date(measured)
    if not planned and not measured:
        return Empty(key, chart_title, "Nothing planned or measured yet, so there is nothing to chart.")
    dates = [day for day, _ in (*planned, *measured)]
    low, high = padded_months(min(dates), max(dates))
    if min(dates) == max(dates):
        low = _add_months(low, -1)  # a month either side, so a single point is not drawn on the axis
    domain = (float(low.toordinal()), float(high.toordinal()))
    series = [
        LineSeries(name.lower(), name, colour, [(d.toordinal(), format_date(d), v) for d, v in points], dash)
        for name, colour, points, dash in (
            ("Planned", PLANNED, planned, "6 4"),
            ("Measured", MEASURED, measured, ""),
        )
        if points
    ]
    return line_chart(
        key=key,
        title=chart_title,
        description=_benefit_description(planned, measured, higher_is_better, value_format),
        x_domain=domain,
        x_ticks=[(float(d.toordinal()), text) for d, text in month_ticks(low, high)],
        series=series,
        value_format=value_format,
        axis_format=axis_format,
        row_header="Date",
        markers=[(float(today.toordinal()), "Today")] if low <= today <= high else [],
        missing="None",
    )


def _one_per_date(points: Sequence[tuple[date, Decimal]]) -> list[tuple[date, Decimal]]:
    return sorted(dict(points).items())


def _benefit_description(
    planned: list[tuple[date, Decimal]], measured: list[tuple[date, Decimal]], higher: bool, write: Format
) -> str:
    """Which way is better, where the plan ends, and the latest measurement."""
    parts = ["Higher is better." if higher else "Lower is better."]
    if planned:
        end_day, end_value = planned[-1]
        parts.append(f"The plan reaches {write(end_value)} by {format_date(end_day)}.")
    else:
        parts.append("No planned values yet.")
    if measured:
        day, value = measured[-1]
        count = f"{len(measured)} measurement{'' if len(measured) == 1 else 's'}"
        parts.append(f"{count}, the latest {write(value)} on {format_date(day)}.")
    else:
        parts.append("Nothing measured yet.")
    return " ".join(parts)


def padded_months(low: date, high: date) -> tuple[date, date]:
    """Widen a date range to whole months, at least one, so the first and last points sit inside the plot."""
    start = low.replace(day=1)
    end = _add_months(high.replace(day=1), 1)
    return start, end


def month_ticks(low: date, high: date, *, most: int = MOST_DATE_LABELS) -> list[tuple[date, str]]:
    """First days of months from `low` up to `high`, spaced so that at most `most` are labelled ('Apr 2026').

    None falls on `high` itself, the right edge, where a centred label would run off the chart.
    """
    months = (high.year - low.year) * 12 + high.month - low.month
    step = next((step for step in MONTH_STEPS if months // step < most), -(-months // (most * 12)) * 12)
    first = low.year * 12 + low.month - 1 + (low.day > 1)
    ticks, index = [], first + (APRIL - first) % step
    while index < LAST_MONTH:
        day = date(index // 12, index % 12 + 1, 1)
        if day >= high:
            break
        ticks.append((day, f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"))
        index += step
    return ticks


def _add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month (or the calendar's last day, past its end)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1) if index < LAST_MONTH else date.max


def axis_number(value: Decimal) -> str:
    """Axis labels for measures that are not money: 1,250 or 2.5, no unit."""
    return f"{value.normalize():,f}"
