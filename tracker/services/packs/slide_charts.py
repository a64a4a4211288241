"""The dashboard's charts as native PowerPoint charts: the data lives in the chart (PowerPoint's "Edit
data" opens it), the colours and dashes are the dashboard's, and the chart's description is its alt text.

Lines become a line chart over the positions their points are labelled with (1 April, each month's end,
today); a line with no point at a position runs straight on across it, as the dashboard draws actual
spend from 1 April to today. Stacked bars become a stacked column chart.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from pptx.chart.chart import Chart as PptxChart
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.util import Pt

from tracker.domain.calendar import MONTHS
from tracker.domain.charts import Chart
from tracker.services.packs.slides import FONT, Box

GRIDLINES = "dddddd"
_DATE = re.compile(r"(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]+) (?P<year>\d{4})(?: \((?P<today>today)\))?")


def native_chart(slide: Slide, box: Box, chart: Chart, *, number_format: str) -> GraphicFrame:
    """Draw the chart in the box; values are written with the number format (an Excel one)."""
    data = CategoryChartData(number_format=number_format)
    dated = False
    if chart.lines:
        labels = _ordered_labels([(point.x, point.label) for line in chart.lines for point in line.points])
        days = [as_date(label) for label in labels]
        dated = all(days)
        data.categories = days if dated else [short_label(label) for label in labels]
        for line in chart.lines:
            values = {point.label: float(point.value) for point in line.points}
            data.add_series(line.name, [values.get(label) for label in labels])
        kind = XL_CHART_TYPE.LINE_MARKERS
    else:
        labels = [row[0] for row in chart.table.rows]
        data.categories = [short_label(label) for label in labels]
        for item in chart.legend:
            values = {bar.label: bar.value for bar in chart.bars if bar.name == item.name}
            data.add_series(item.name, [float(values.get(label, Decimal(0))) for label in labels])
        kind = XL_CHART_TYPE.COLUMN_STACKED
    frame = slide.shapes.add_chart(kind, box.left, box.top, box.width, box.height, data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", chart.description)
    drawn = frame.chart
    drawn.has_legend = True
    drawn.legend.position = XL_LEGEND_POSITION.TOP
    drawn.legend.include_in_layout = False
    drawn.font.name = FONT
    drawn.font.size = Pt(11)
    axis = drawn.value_axis
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = RGBColor.from_string(GRIDLINES)
    axis.tick_labels.number_format = number_format
    axis.tick_labels.number_format_is_linked = False
    if dated:
        _month_ticks(drawn)
    if chart.lines:
        drawn._chartSpace.chart.find(qn("c:dispBlanksAs")).set("val", "span")
        for series, line in zip(drawn.plots[0].series, chart.lines, strict=True):
            colour = RGBColor.from_string(line.colour.lstrip("#"))
            series.smooth = False
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(2.5)
            if line.dash:
                series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 5
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
            series.marker.format.line.color.rgb = colour
    else:
        drawn.plots[0].gap_width = 60
        for series, item in zip(drawn.plots[0].series, chart.legend, strict=True):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(item.colour.lstrip("#"))
    return frame


def _month_ticks(drawn: PptxChart) -> None:
    """A date axis spaced by days, as the dashboard spaces its x axis, labelled at each month."""
    labels = drawn.category_axis.tick_labels
    labels.number_format = "d mmm"
    labels.number_format_is_linked = False
    axis = drawn._chartSpace.find(f"{qn('c:chart')}/{qn('c:plotArea')}/{qn('c:dateAx')}")
    unit = axis.find(qn("c:baseTimeUnit"))
    for name, value in (("c:majorTimeUnit", "months"), ("c:majorUnit", "1")):
        element = OxmlElement(name)
        element.set("val", value)
        unit.addnext(element)


def as_date(label: str) -> date | None:
    """The day a row label names ("30 April 2026", "5 December 2026 (today)"), or None."""
    match = _DATE.fullmatch(label.replace(" (start of year)", ""))
    if not match or match["month"] not in MONTHS:
        return None
    return date(int(match["year"]), MONTHS.index(match["month"]) + 1, int(match["day"]))


def _ordered_labels(points: list[tuple[float, str]]) -> list[str]:
    """Each label once, in the order of its position along the x axis."""
    first: dict[str, float] = {}
    for x, label in points:
        first.setdefault(label, x)
    return sorted(first, key=lambda label: first[label])


def short_label(label: str) -> str:
    """An axis label from a row label: "30 April 2026" as "30 Apr", today's as "Today"; others as given."""
    match = _DATE.fullmatch(label.replace(" (start of year)", ""))
    if not match:
        return label
    return "Today" if match["today"] else f"{match['day']} {match['month'][:3]}"
