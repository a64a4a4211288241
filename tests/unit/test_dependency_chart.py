"""The portfolio's dependency chart as plain data: a row per programme, a line per dependency from the
expected date to the needed-by date, late ones marked beyond their colour."""

from __future__ import annotations

from datetime import date

from tracker.domain.dependency_chart import DependencyDates, dependency_chart
from tracker.domain.programme_charts import Empty

TODAY = date(2026, 12, 5)


def dependency(id: int, waiting: str, predecessor: str, expected: date | None, needed: date, late: bool):
    status = "late by 10 days" if late else "on time"
    names = (f"{waiting} name", "Start", predecessor, f"{predecessor} name", "Ready")
    return DependencyDates(id, waiting, *names, expected, needed, late, status)


def test_each_programme_is_a_row_and_each_dependency_a_line_between_rows() -> None:
    chart = dependency_chart(
        [
            dependency(1, "ASC-004", "ICT-003", date(2027, 1, 29), date(2027, 1, 19), True),
            dependency(2, "HSG-012", "DIG-001", date(2027, 1, 26), date(2027, 6, 23), False),
        ],
        today=TODAY,
    )
    assert not isinstance(chart, Empty)
    assert [row.code for row in chart.rows] == ["ASC-004", "DIG-001", "HSG-012", "ICT-003"]
    middles = {row.code: row.middle for row in chart.rows}
    late, in_time = chart.links
    assert (late.start[1], late.end[1]) == (middles["ICT-003"], middles["ASC-004"])
    assert late.start[0] > late.end[0]  # expected after it is needed: the line runs back in time
    assert in_time.start[0] < in_time.end[0]
    assert (late.late, late.colour, in_time.late) == (True, "#d4351c", False)
    assert late.warning_path.startswith("M")
    assert chart.description == (
        "2 dependencies between 4 programmes. 1 late, drawn dashed with a warning mark. "
        "Today is 5 December 2026."
    )
    assert late.text == (
        "ASC-004 Start waits for ICT-003 Ready: expected 29 January 2027, needed by 19 January 2027, "
        "late by 10 days"
    )
    # The line stops short of the diamond, so its arrowhead shows.
    (x2, y2), (x3, y3) = late.line_end, late.end
    assert 7.9 <= ((x3 - x2) ** 2 + (y3 - y2) ** 2) ** 0.5 <= 8.1
    assert chart.plot.left <= min(link.end[0] for link in chart.links) and chart.today is not None


def test_without_an_expected_date_only_the_needed_by_date_is_drawn() -> None:
    chart = dependency_chart([dependency(1, "A-1", "B-1", None, date(2027, 3, 1), False)], today=TODAY)
    assert chart.links[0].start is None and chart.links[0].line_end == chart.links[0].end


def test_nothing_to_draw_says_why() -> None:
    assert isinstance(dependency_chart([], today=TODAY), Empty)
