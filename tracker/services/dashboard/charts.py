"""The portfolio charts, laid out from the dashboard's sums.

Spend burn-up: spend is recorded as a year-to-date total on each cost line, not month by month, so the
actual line runs straight from nothing on 1 April to today's total; the budget profile assumes the
approved budget is spent evenly over the days of the year.

Cashable savings: planned is the trajectory's latest point on or before a date, realised the latest
measurement on or before it, summed over the programmes in scope; each programme's changes by month
come from its row of figures (see the figures service, which says what counts as a saving).

Ratings: for each of the last 12 weeks, each programme's newest assessment by the end of that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tracker.domain.calendar import MONTHS, financial_year_bounds, format_date
from tracker.domain.chart_scales import short_money, whole_number
from tracker.domain.charts import Chart, LineSeries, Stack, line_chart, stacked_bar_chart
from tracker.domain.money import format_money
from tracker.models import Rag
from tracker.models.figures import PAST_WEEKS

WEEKS = PAST_WEEKS + 1
BLUE, GREY, RED, ORANGE, GREEN = "#1d70b8", "#505a5f", "#ca3535", "#f47738", "#0f7a52"
RATING_STACKS = ((Rag.RED, "Red", RED), (Rag.AMBER, "Amber", ORANGE), (Rag.GREEN, "Green", GREEN))


@dataclass(frozen=True)
class YearAxis:
    """Positions on a financial year, in days from 1 April: its start, each month's end, and today."""

    start: date
    days: int
    month_ends: list[tuple[int, date]]
    today: date
    today_x: int
    ticks: list[tuple[float, str]]

    def positions(self, *, past_only: bool = False) -> list[tuple[int, str, date | None]]:
        """(x, row label, month end or None for today), in order; today replaces a month end it falls on."""
        points: list[tuple[int, str, date | None]] = [(0, f"{format_date(self.start)} (start of year)", None)]
        for x, day in self.month_ends:
            if x < self.today_x:
                points.append((x, format_date(day), day))
            elif x == self.today_x or (x > self.today_x and points[-1][0] < self.today_x):
                points.append((self.today_x, f"{format_date(self.today)} (today)", None))
            if x > self.today_x and not past_only:
                points.append((x, format_date(day), day))
        return points


def year_axis(year: int, today: date) -> YearAxis:
    """The financial year containing today, laid out in days."""
    start, end = financial_year_bounds(year)
    month_ends, ticks, first = [], [], start
    for _ in range(12):
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = following - timedelta(days=1)
        month_ends.append(((last - start).days + 1, last))
        ticks.append((((first - start).days + (last - start).days + 1) / 2, MONTHS[first.month - 1][:3]))
        first = following
    return YearAxis(start, (end - start).days + 1, month_ends, today, (today - start).days + 1, ticks)


def burn_up_chart(axis: YearAxis, *, approved: Decimal, forecast: Decimal, actual: Decimal) -> Chart:
    """Cumulative actual spend against the approved budget spread evenly over the year."""
    profile = [(x, label, pounds(approved * x / axis.days)) for x, label, _ in axis.positions()]
    to_date = pounds(approved * axis.today_x / axis.days)
    share = f" ({actual / to_date:.0%} of the profile)" if to_date else ""
    return line_chart(
        key="spend-burn-up",
        title="Spend against budget profile",
        description=(
            f"Actual spend to {format_date(axis.today)} is {format_money(actual)}, against "
            f"{format_money(to_date)} on a straight-line profile of the {format_money(approved)} approved "
            f"budget{share}. Forecast spend for the year is {format_money(forecast)}. Spend is recorded as a "
            "total to date, so the actual line runs straight from 1 April to today."
        ),
        x_domain=(0, axis.days),
        x_ticks=axis.ticks,
        series=[
            LineSeries("profile", "Approved budget profile", GREY, profile, dash="6 4"),
            LineSeries(
                "actual",
                "Actual spend",
                BLUE,
                [(0, axis.positions()[0][1], Decimal("0.00")), (axis.today_x, _today_label(axis), actual)],
            ),
        ],
        value_format=format_money,
        axis_format=short_money,
        row_header="Date",
        markers=[(axis.today_x, "Today")],
    )


def cashable_series(
    planned: tuple[list[Decimal], Decimal], realised: tuple[list[Decimal], Decimal], axis: YearAxis
) -> dict[str, Any]:
    """Planned and realised savings at each position on the year, and the headline totals, from the
    changes summed by month (index 0 before the year, 13 after) and up to today."""
    planned_months, planned_to_date = planned
    realised_months, realised_to_date = realised

    def running(
        months: list[Decimal], to_date: Decimal, *, past_only: bool
    ) -> list[tuple[int, str, Decimal]]:
        values = []
        for x, label, month_end in axis.positions(past_only=past_only):
            if month_end is not None:
                values.append((x, label, sum(months[: _month_index(axis, month_end) + 1], Decimal(0))))
            else:
                values.append((x, label, months[0] if x == 0 else to_date))
        return values

    return {
        "planned": running(planned_months, planned_to_date, past_only=False),
        "realised": running(realised_months, realised_to_date, past_only=True),
        "planned_to_date": planned_to_date,
        "target_year_end": sum(planned_months[:13], Decimal(0)),
        "realised_to_date": realised_to_date,
    }


def cashable_chart(axis: YearAxis, series: dict[str, Any]) -> Chart:
    """Cashable savings realised against the planned trajectory over the financial year."""
    return line_chart(
        key="cashable-savings",
        title="Cashable savings realised against plan",
        description=(
            f"Cashable savings realised by {format_date(axis.today)} are "
            f"{format_money(series['realised_to_date'])}, against "
            f"{format_money(series['planned_to_date'])} planned by now. The plan reaches "
            f"{format_money(series['target_year_end'])} by {format_date(axis.month_ends[-1][1])}."
        ),
        x_domain=(0, axis.days),
        x_ticks=axis.ticks,
        series=[
            LineSeries("planned", "Planned (trajectory)", GREY, series["planned"], dash="6 4"),
            LineSeries("realised", "Realised (measured)", GREEN, series["realised"]),
        ],
        value_format=format_money,
        axis_format=short_money,
        row_header="Date",
        markers=[(axis.today_x, "Today")],
    )


def ratings_history(
    weeks: list[dict[Rag | None, int]], *, now: datetime
) -> list[tuple[datetime, dict[Rag | None, int]]]:
    """Programmes by rating at the end of the day eleven weeks ago ... one week ago (oldest first), each
    programme's newest assessment by then; None counts programmes not rated by then."""
    moments = [now - timedelta(weeks=weeks_ago) for weeks_ago in range(WEEKS - 1, 0, -1)]
    return list(zip(moments, weeks, strict=True))


def ratings_chart(history: list[tuple[datetime, dict[Rag | None, int]]], today: date) -> Chart:
    """Red, Amber and Green programmes week by week, stacked."""
    days = [today - timedelta(weeks=WEEKS - 1 - index) for index in range(len(history))]
    first, last = history[0][1], history[-1][1]

    def summary(counts: dict[Rag | None, int]) -> str:
        return ", ".join(f"{counts.get(rating, 0)} {name}" for rating, name, _ in RATING_STACKS)

    return stacked_bar_chart(
        key="ratings-history",
        title=f"Ratings over the last {WEEKS} weeks",
        description=(
            f"Programmes by computed rating each week. On {format_date(days[-1])}: {summary(last)}. "
            f"{WEEKS - 1} weeks earlier, on {format_date(days[0])}: {summary(first)}."
        ),
        categories=[(f"{day.day} {MONTHS[day.month - 1][:3]}", format_date(day)) for day in days],
        stacks=[
            Stack(rating.value, name, colour, [counts.get(rating, 0) for _, counts in history])
            for rating, name, colour in RATING_STACKS
        ],
        value_format=whole_number,
        row_header="Week to",
        total_header="Rated programmes",
    )


def pounds(value: Decimal) -> Decimal:
    """A profile value to the nearest pound: pence on a spread budget would be false precision."""
    return value.quantize(Decimal(1))


def _month_index(axis: YearAxis, month_end: date) -> int:
    """1 for April's end through 12 for March's."""
    return next(index for index, (_, day) in enumerate(axis.month_ends, start=1) if day == month_end)


def _today_label(axis: YearAxis) -> str:
    return next(label for x, label, _ in axis.positions() if x == axis.today_x)
