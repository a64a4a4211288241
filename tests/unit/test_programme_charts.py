"""The programme page's charts as plain data: timeline bars placed by date, today's line, critical
milestones marked, spend bars and benefit points that match their tables, and nothing to chart."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.money import parse_money
from tracker.domain.programme_charts import (
    Empty,
    YearSpend,
    axis_number,
    benefit_trajectory,
    month_ticks,
    padded_months,
    spend_by_year,
)
from tracker.domain.programme_timeline import (
    LATE,
    LEGEND,
    ON_TIME,
    PLOT_LEFT,
    PLOT_RIGHT,
    MilestoneDates,
    Timeline,
    milestone_timeline,
)

TODAY = date(2026, 11, 20)
START = date(2026, 4, 1)


def milestone(number: int, baseline: date, **values: object) -> MilestoneDates:
    defaults: dict[str, object] = {"title": f"Milestone {number}", "critical": False, "status": "Not started"}
    defaults["open"] = values.get("actual") is None
    return MilestoneDates(id=number, baseline=baseline, **{**defaults, **values})  # type: ignore[arg-type]


def timeline(*milestones: MilestoneDates, today: date = TODAY, start: date | None = START) -> Timeline:
    chart = milestone_timeline(milestones, today=today, start=start)
    assert isinstance(chart, Timeline)
    return chart


# --- milestone timeline ---------------------------------------------------------


def test_bars_run_from_the_programme_start_to_each_date_in_proportion() -> None:
    chart = timeline(
        milestone(1, date(2026, 6, 1), forecast=date(2026, 7, 1)),
        milestone(2, date(2026, 9, 1), forecast=date(2026, 8, 1)),
    )
    first, second = chart.rows
    origin_x = first.baseline.x
    assert {first.baseline.x, second.baseline.x, first.forecast.x, second.forecast.x} == {origin_x}
    per_day = first.baseline.width / (date(2026, 6, 1) - START).days
    for bar in (first.baseline, first.forecast, second.baseline, second.forecast):
        assert bar.width == pytest.approx((bar.on - START).days * per_day, abs=0.2)
    assert first.forecast.width > first.baseline.width  # a month late
    assert second.forecast.width < second.baseline.width  # a month early
    assert (first.late, first.forecast.colour) == (True, LATE)
    assert (second.late, second.forecast.colour) == (False, ON_TIME)
    assert origin_x >= PLOT_LEFT and second.baseline.x + second.baseline.width <= PLOT_RIGHT


def test_rows_follow_baseline_order_one_band_each() -> None:
    chart = timeline(milestone(1, date(2026, 9, 1)), milestone(2, date(2026, 5, 1)))
    assert [row.id for row in chart.rows] == [2, 1]
    assert [row.top for row in chart.rows] == [chart.plot.top, chart.plot.top + chart.rows[0].height]
    assert chart.height > chart.plot.bottom == chart.rows[-1].top + chart.rows[-1].height
    assert [row[0] for row in chart.table.rows] == ["Milestone 2", "Milestone 1"]


def test_actual_date_is_a_diamond_on_its_date_and_in_the_table() -> None:
    chart = timeline(
        milestone(
            1, date(2026, 6, 1), forecast=date(2026, 6, 10), actual=date(2026, 6, 10), status="Complete"
        )
    )
    row = chart.rows[0]
    assert row.actual is not None and row.actual.on == date(2026, 6, 10)
    assert row.actual.x == pytest.approx(row.forecast.x + row.forecast.width, abs=0.2)
    assert row.actual.path.startswith(f"M{row.actual.x} ")
    assert chart.table.rows[0] == (
        "Milestone 1",
        "No",
        "Complete",
        "1 June 2026",
        "10 June 2026",
        "10 June 2026",
    )


def test_milestone_without_forecast_or_actual_shows_its_baseline_only() -> None:
    row = timeline(milestone(1, date(2026, 6, 1))).rows[0]
    assert (row.forecast, row.actual, row.late) == (None, None, False)
    assert timeline(milestone(1, date(2026, 6, 1))).table.rows[0][-2:] == ("None", "None")


def test_critical_milestones_are_marked_and_tabled() -> None:
    chart = timeline(
        milestone(1, date(2026, 6, 1), critical=True), milestone(2, date(2026, 7, 1), critical=False)
    )
    assert [row.critical for row in chart.rows] == [True, False]
    assert [row[1] for row in chart.table.rows] == ["Yes", "No"]
    assert "2 milestones, 1 critical" in chart.description
    assert "Critical" in [key.name for key in chart.legend]


def test_today_line_sits_at_todays_date() -> None:
    chart = timeline(milestone(1, date(2026, 6, 1)), milestone(2, date(2027, 2, 1)))
    first = chart.rows[0].baseline
    per_day = first.width / (first.on - START).days
    assert chart.today == pytest.approx(first.x + (TODAY - START).days * per_day, abs=0.2)
    assert "Today is 20 November 2026." in chart.description
    assert [key.name for key in chart.legend] == [name for name, _, _ in LEGEND]


def test_open_milestones_stretch_the_axis_to_today() -> None:
    """All dates past and one still open: the axis reaches today, so the line shows how late it is."""
    chart = timeline(milestone(1, date(2026, 5, 1)), today=date(2027, 3, 15))
    assert chart.today is not None and chart.rows[0].baseline.x < chart.today <= PLOT_RIGHT
    assert "1 still open past its baseline." in chart.description


def test_no_today_line_when_everything_is_done_long_ago() -> None:
    done = milestone(1, date(2026, 5, 1), forecast=date(2026, 5, 1), actual=date(2026, 5, 1), open=False)
    chart = timeline(done, today=date(2030, 1, 1))
    assert chart.today is None
    assert "1 complete." in chart.description


def test_long_titles_are_shortened_in_the_chart_but_whole_in_the_table() -> None:
    title = "Every resident can report a missed bin collection online and track it"
    chart = timeline(milestone(1, date(2026, 6, 1), title=title))
    assert chart.rows[0].label.endswith("…") and len(chart.rows[0].label) <= 32
    assert chart.rows[0].title == chart.table.rows[0][0] == title


def test_cancelled_milestones_are_left_out_and_counted() -> None:
    chart = timeline(
        milestone(1, date(2026, 6, 1)), milestone(2, date(2026, 7, 1), cancelled=True, open=False)
    )
    assert [row.id for row in chart.rows] == [1]
    assert "1 cancelled milestone not shown." in chart.description


def test_description_names_the_furthest_behind() -> None:
    chart = timeline(
        milestone(1, date(2026, 6, 1), forecast=date(2026, 6, 5)),
        milestone(2, date(2026, 7, 1), forecast=date(2026, 8, 1), title="Go-live"),
    )
    assert "2 forecast or finished later than baseline; furthest behind is Go-live, by 31 days." in (
        chart.description
    )


def test_dates_before_the_programme_start_widen_the_axis_rather_than_crash() -> None:
    chart = timeline(milestone(1, date(2026, 2, 1)), start=START)
    assert chart.rows[0].baseline.x >= PLOT_LEFT and chart.rows[0].baseline.width >= 2


@pytest.mark.parametrize(
    ("milestones", "message"),
    [
        ((), "There are no milestones yet, so there is no timeline to show."),
        (
            (milestone(1, date(2026, 6, 1), cancelled=True, open=False),),
            "Every milestone is cancelled, so there is no timeline to show.",
        ),
    ],
)
def test_nothing_to_chart_says_why(milestones, message) -> None:
    chart = milestone_timeline(milestones, today=TODAY)
    assert chart == Empty("milestone-timeline", "Milestone timeline", message)


# --- date axis ------------------------------------------------------------------


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=0, max_value=20_000),
)
def test_month_ticks_are_few_first_days_inside_the_range(low: date, days: int) -> None:
    start, end = padded_months(low, low + timedelta(days=days))
    ticks = month_ticks(start, end)
    assert 1 <= len(ticks) <= 7
    assert all(day.day == 1 and start <= day < end for day, _ in ticks)
    assert all(later > earlier for (earlier, _), (later, _) in pairwise(ticks))


def test_wide_ranges_label_financial_year_starts() -> None:
    ticks = month_ticks(date(2024, 1, 1), date(2029, 1, 1))
    assert [label for _, label in ticks] == ["Apr 2024", "Apr 2025", "Apr 2026", "Apr 2027", "Apr 2028"]


def test_padded_months_survive_the_end_of_the_calendar() -> None:
    assert padded_months(date(9999, 12, 5), date(9999, 12, 31)) == (date(9999, 12, 1), date.max)


# --- spend by year --------------------------------------------------------------


def years() -> list[YearSpend]:
    return [
        YearSpend(2027, Decimal(50_000), Decimal(60_000), Decimal(0)),
        YearSpend(2026, Decimal(100_000), Decimal(130_000), Decimal(40_000)),
    ]


def test_spend_bars_are_grouped_by_year_and_match_the_table() -> None:
    chart = spend_by_year(years(), today=TODAY)
    assert [(bar.label, bar.key) for bar in chart.bars[:3]] == [
        ("2026/27", "approved"),
        ("2026/27", "forecast"),
        ("2026/27", "actual"),
    ]
    assert chart.table.headers == ("Financial year", "Approved", "Forecast", "Actual")
    assert chart.table.rows == (
        ("2026/27", "£100,000", "£130,000", "£40,000"),
        ("2027/28", "£50,000", "£60,000", "£0"),
    )
    names = ("approved", "forecast", "actual")
    tabled = {
        (row[0], name): parse_money(cell)
        for row in chart.table.rows
        for name, cell in zip(names, row[1:], strict=True)
    }
    assert {(bar.label, bar.key): bar.value for bar in chart.bars} == tabled
    assert [tick.label for tick in chart.x_ticks] == ["2026/27", "2027/28"]


def test_spend_bars_stand_on_zero_with_heights_in_proportion() -> None:
    chart = spend_by_year(years(), today=TODAY)
    per_pound = chart.bars[0].height / 100_000
    for bar in chart.bars:
        assert bar.y + bar.height == chart.plot.bottom
        assert bar.height == pytest.approx(float(bar.value) * per_pound, abs=0.2)
    lefts = [bar.x for bar in chart.bars]
    assert lefts == sorted(lefts) and len(set(lefts)) == 6  # side by side, never overlapping


def test_spend_description_gives_whole_life_and_this_year() -> None:
    text = spend_by_year(years(), today=TODAY).description
    assert "Whole life: £150,000 approved, £190,000 forecast, £40,000 spent." in text
    assert "This year, 2026/27: £130,000 forecast against £100,000 approved, £40,000 spent so far." in text
    assert "This year" not in spend_by_year(years(), today=date(2030, 5, 1)).description


def test_many_years_thin_the_labels_but_keep_the_last() -> None:
    many = [YearSpend(2020 + n, Decimal(n), Decimal(n), Decimal(n)) for n in range(15)]
    chart = spend_by_year(many, today=TODAY)
    assert 1 < len(chart.x_ticks) < 15 and chart.x_ticks[-1].label == "2034/35"
    assert len(chart.bars) == 45 and len(chart.table.rows) == 15


def test_no_money_is_nothing_to_chart() -> None:
    chart = spend_by_year([], today=TODAY)
    assert isinstance(chart, Empty) and "No investment lines yet" in chart.message


# --- benefit trajectory ---------------------------------------------------------


def calls(value: Decimal) -> str:
    return f"{axis_number(value)} calls"


def trajectory(**values: object):
    arguments: dict[str, object] = {
        "title": "Fewer calls",
        "planned": [(date(2026, 4, 1), Decimal(1000)), (date(2027, 3, 31), Decimal(600))],
        "measured": [(date(2026, 10, 1), Decimal(900)), (date(2026, 7, 1), Decimal(950))],
        "higher_is_better": False,
        "today": TODAY,
        "value_format": calls,
        "axis_format": axis_number,
    }
    return benefit_trajectory(**{**arguments, **values})  # type: ignore[arg-type]


def test_planned_line_and_measured_points_match_the_table() -> None:
    chart = trajectory()
    planned, measured = chart.lines
    assert (planned.name, planned.dash, measured.name, measured.dash) == ("Planned", "6 4", "Measured", "")
    assert [point.label for point in measured.points] == ["1 July 2026", "1 October 2026"]
    assert chart.table.rows == (
        ("1 April 2026", "1,000 calls", "None"),
        ("1 July 2026", "None", "950 calls"),
        ("1 October 2026", "None", "900 calls"),
        ("31 March 2027", "600 calls", "None"),
    )
    for column, line in enumerate(chart.lines, start=1):
        drawn = {point.label: point.text for point in line.points}
        assert drawn == {row[0]: row[column] for row in chart.table.rows if row[column] != "None"}
    assert measured.points[0].y < measured.points[1].y  # 950 is drawn higher than 900
    assert planned.points[0].x < measured.points[0].x < measured.points[1].x < planned.points[1].x


def test_trajectory_notes_direction_and_marks_today() -> None:
    chart = trajectory()
    assert chart.description.startswith("Lower is better.")
    assert "The plan reaches 600 calls by 31 March 2027." in chart.description
    assert "2 measurements, the latest 900 calls on 1 October 2026." in chart.description
    assert [marker.label for marker in chart.markers] == ["Today"]
    assert trajectory(higher_is_better=True).description.startswith("Higher is better.")
    assert trajectory(today=date(2030, 1, 1)).markers == ()


def test_a_date_measured_twice_shows_its_last_value() -> None:
    chart = trajectory(measured=[(date(2026, 7, 1), Decimal(950)), (date(2026, 7, 1), Decimal(940))])
    assert [point.value for point in chart.lines[1].points] == [Decimal(940)]


def test_measurements_without_a_plan_still_chart() -> None:
    chart = trajectory(planned=[], measured=[(date(2026, 7, 1), Decimal(950))])
    assert [line.name for line in chart.lines] == ["Measured"]
    assert chart.table.headers == ("Date", "Measured")
    assert chart.plot.left < chart.lines[0].points[0].x < chart.plot.right
    assert "No planned values yet." in chart.description


def test_nothing_planned_or_measured_is_nothing_to_chart() -> None:
    chart = trajectory(planned=[], measured=[])
    assert chart == Empty(
        "benefit-trajectory",
        "Fewer calls: planned and measured",
        "Nothing planned or measured yet, so there is nothing to chart.",
    )
