"""Chart layout as plain data: round axis steps, scales, and tables that carry the drawn numbers."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.chart_scales import nice_ticks, scale, short_money, whole_number
from tracker.domain.charts import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    LineSeries,
    Stack,
    line_chart,
    stacked_bar_chart,
)
from tracker.domain.money import format_money, parse_money

BOTTOM, TOP = HEIGHT - MARGIN_BOTTOM, MARGIN_TOP


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 10, [0, 2, 4, 6, 8, 10]),
        (0, 1_000_000, [0, 200_000, 400_000, 600_000, 800_000, 1_000_000]),
        (0, 1_100_000, [0, 250_000, 500_000, 750_000, 1_000_000, 1_250_000]),
        (0, 0, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
        (-30, 70, [-40, -20, 0, 20, 40, 60, 80]),
    ],
)
def test_nice_ticks_fall_on_round_values(low, high, expected) -> None:
    assert nice_ticks(Decimal(low), Decimal(high)) == [Decimal(value) for value in expected]


def test_whole_ticks_never_step_by_fractions() -> None:
    assert nice_ticks(Decimal(0), Decimal(3), whole=True) == [Decimal(value) for value in (0, 1, 2, 3)]


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
)
def test_ticks_cover_the_values_and_zero(a: Decimal, b: Decimal) -> None:
    low, high = min(a, b), max(a, b)
    ticks = nice_ticks(low, high)
    assert ticks[0] <= min(low, 0) and ticks[-1] >= max(high, 0)
    assert Decimal(0) in ticks
    steps = {later - earlier for earlier, later in pairwise(ticks)}
    assert len(steps) == 1 and 2 <= len(ticks) <= 12


def test_scale_maps_linearly_and_flips_for_svg_y() -> None:
    assert scale(0, (0, 100), (BOTTOM, TOP)) == BOTTOM
    assert scale(100, (0, 100), (BOTTOM, TOP)) == TOP
    assert scale(50, (0, 100), (0, 200)) == 100.0
    assert scale(5, (5, 5), (10, 20)) == 10  # an empty domain does not divide by zero


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "£0"),
        (950, "£950"),
        (250_000, "£250k"),
        (1_500_000, "£1.5m"),
        (2_000_000, "£2m"),
        (-40_000, "-£40k"),
    ],
)
def test_short_money_for_axis_labels(value: int, text: str) -> None:
    assert short_money(Decimal(value)) == text


def spend_chart():
    profile = [(0, "Start", Decimal(0)), (30, "30 April", Decimal(1000)), (365, "31 March", Decimal(10000))]
    actual = [(0, "Start", Decimal(0)), (30, "30 April", Decimal(800))]
    return line_chart(
        key="spend",
        title="Spend",
        description="Spend so far",
        x_domain=(0, 365),
        x_ticks=[(15, "Apr"), (45, "May")],
        series=[
            LineSeries("profile", "Profile", "#505a5f", profile, dash="6 4"),
            LineSeries("actual", "Actual", "#1d70b8", actual),
        ],
        value_format=format_money,
        axis_format=short_money,
        row_header="Date",
        markers=[(30, "Today")],
    )


def test_line_chart_table_has_a_row_per_position_and_a_column_per_line() -> None:
    chart = spend_chart()
    assert chart.table.headers == ("Date", "Profile", "Actual")
    assert chart.table.rows == (
        ("Start", "£0", "£0"),
        ("30 April", "£1,000", "£800"),
        ("31 March", "£10,000", "Not yet"),
    )


def test_line_chart_points_are_placed_by_value_and_match_the_table() -> None:
    chart = spend_chart()
    profile, actual = chart.lines
    top_tick = chart.y_ticks[-1]
    assert top_tick.label == "£10k" and top_tick.position == chart.plot.top
    assert profile.points[-1].y == chart.plot.top and profile.points[-1].x == chart.plot.right
    assert actual.points[0].y == chart.plot.bottom
    assert (
        actual.path
        == f"M{float(chart.plot.left)} {float(chart.plot.bottom)} L{actual.points[1].x} {actual.points[1].y}"
    )
    for column, line in enumerate(chart.lines, start=1):
        drawn = {point.label: point.value for point in line.points}
        tabled = {row[0]: parse_money(row[column]) for row in chart.table.rows if row[column] != "Not yet"}
        assert drawn == tabled
    assert chart.markers[0].x == actual.points[-1].x
    assert [item.name for item in chart.legend] == ["Profile", "Actual"]
    assert chart.legend[1].x > chart.legend[0].x


def ratings_chart(weeks: int = 3):
    return stacked_bar_chart(
        key="ratings",
        title="Ratings",
        description="Ratings by week",
        categories=[(f"{day} Nov", f"{day} November 2026") for day in range(1, weeks + 1)],
        stacks=[
            Stack("red", "Red", "#ca3535", [1, 0, 2][:weeks] + [1] * (weeks - 3)),
            Stack("green", "Green", "#0f7a52", [3, 2, 0][:weeks] + [1] * (weeks - 3)),
        ],
        value_format=whole_number,
        row_header="Week to",
    )


def test_stacked_bars_stack_from_the_bottom_and_skip_empty_layers() -> None:
    chart = ratings_chart()
    assert [(bar.label, bar.key, bar.value) for bar in chart.bars] == [
        ("1 November 2026", "red", 1),
        ("1 November 2026", "green", 3),
        ("2 November 2026", "green", 2),
        ("3 November 2026", "red", 2),
    ]
    first_red, first_green = chart.bars[0], chart.bars[1]
    assert first_red.y + first_red.height == chart.plot.bottom
    assert first_green.y + first_green.height == pytest.approx(first_red.y, abs=0.1)
    assert first_green.y == chart.plot.top  # the tallest bar, 4, is the top of the axis
    assert chart.table.rows == (
        ("1 November 2026", "1", "3", "4"),
        ("2 November 2026", "0", "2", "2"),
        ("3 November 2026", "2", "0", "2"),
    )


def test_bar_heights_are_proportional_to_values() -> None:
    chart = ratings_chart()
    unit = chart.bars[0].height
    assert [bar.height for bar in chart.bars] == pytest.approx(
        [unit * int(bar.value) for bar in chart.bars], abs=0.2
    )


def test_crowded_category_labels_are_thinned_but_the_newest_is_kept() -> None:
    chart = ratings_chart(weeks=24)
    assert 1 < len(chart.x_ticks) < 24
    assert chart.x_ticks[-1].label == "24 Nov"
    assert len(ratings_chart(weeks=3).x_ticks) == 3
