"""Board packs as PowerPoint: the portfolio pack and a highlight report, drawn from the pack's content
(see `content`) as native slides, tables and charts that people can edit before the meeting."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from pptx.util import Inches

from tracker.domain.charts import Chart
from tracker.domain.formatting import uk_datetime
from tracker.models.types import utcnow
from tracker.services.packs.content import COST_LINES_TODAY, HighlightReport, PackSummary, PortfolioPack
from tracker.services.packs.deck_programme import programme_slide
from tracker.services.packs.deck_values import amount, change, day, rating_key, rating_word, share
from tracker.services.packs.slide_charts import native_chart
from tracker.services.packs.slide_tables import Cell, fitted_widths, long_table, table, table_height
from tracker.services.packs.slides import (
    CONTENT,
    DARK_GREY,
    HEAT_FILLS,
    MARGIN,
    RATING_TAGS,
    WHITE,
    Box,
    Deck,
    Text,
    bullets,
    text_box,
    text_height,
)
from tracker.services.pipeline.deck import pipeline_slides

HEATMAP_TITLE = "Programmes by directorate and rating"
APPENDIX_TITLE = "Appendix: every programme"
CHART_WIDTH = Inches(7.6)
APPENDIX_WIDTHS = (0.95, 2.2, 1.5, 1, 1.2, 0.8, 0.9, 1, 1.2, 1.05, 1.05, 0.5)
MOVES_SHOWN = 5
MOVE_HEADERS = ("Programme", "Was", "Now", "Main reason")
MOVE_WIDTHS = (2.1, 0.75, 0.75, 2.5)
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
SUBJECT = "Change portfolio board pack"
GAP = Inches(0.3)
HEADING = Inches(0.4)
MONEY_FORMAT = '"£"#,##0'
COUNT_FORMAT = "0"


def build_deck(pack: PortfolioPack, *, org_name: str | None = None) -> bytes:
    """The portfolio pack as a .pptx: cover, summary, heatmap, the three charts, a slide for each Red and
    Amber programme, and every programme in an appendix."""
    org = _organisation(org_name, pack.organisation)
    footer = f"{org} · {pack.title} · {pack.scope}"
    deck = Deck(title=pack.title, org_name=org, subject=SUBJECT, footer=footer, made=pack.generated_at)
    _cover(deck, pack, org)
    _summary(deck, pack.summary)
    _heatmap(deck, pack)
    for chart in pack.charts:
        _chart(deck, chart)
    for page in pack.programme_pages:
        status = page.status
        programme_slide(deck, status, page.update, title=f"{status.code} {status.name}")
    if pack.pipeline is not None:
        pipeline_slides(deck, pack.pipeline)
    _appendix(deck, pack)
    return deck.to_bytes()


def build_highlight_deck(
    report: HighlightReport, *, org_name: str | None = None, made: datetime | None = None
) -> bytes:
    """A submitted highlight report as a one-slide deck, with the programme as it stood when submitted."""
    org = _organisation(org_name, report.organisation)
    footer = f"{org} · Figures as at {day(report.status.as_of)}"
    subject = f"Highlight report: {report.status.code} {report.status.name}"
    deck = Deck(title=report.title, org_name=org, subject=subject, footer=footer, made=made or utcnow())
    programme_slide(deck, report.status, report.update, title=report.title)
    return deck.to_bytes()


def _organisation(given: str | None, recorded: str) -> str:
    """The council's name: as given, else as the content recorded it, else as the app is configured."""
    return (given or recorded or str(current_app.config.get("ORG_NAME", ""))).strip()


def _cover(deck: Deck, pack: PortfolioPack, org: str) -> None:
    """The council, the pack's title and day, whose programmes it covers and when it was made."""
    slide = deck.slide(pack.title, cover=True)
    text_box(slide, Box(MARGIN, Inches(0.8), CONTENT.width, Inches(0.8)), [Text(org, size=28, bold=True)])
    prepared = f"Prepared {uk_datetime(pack.generated_at)} from the change programme tracker."
    lines = [
        Text(f"Programmes: {pack.scope}", size=18),
        Text(f"Ratings and figures as they stood at the end of {day(pack.as_of)}.", size=16),
        Text(prepared, size=14, colour=DARK_GREY),
    ]
    text_box(slide, Box(MARGIN, Inches(4.5), CONTENT.width, Inches(1.6)), lines)


def _summary(deck: Deck, summary: PackSummary) -> None:
    """Ratings now and a month before with what moved, beside money, savings and what is waiting."""
    slide = deck.slide("Summary")
    left = Box(MARGIN, CONTENT.top, Inches(5.9), CONTENT.height)
    right = Box(left.left + left.width + GAP, CONTENT.top, CONTENT.width - left.width - GAP, CONTENT.height)
    then = day(summary.compared_with)
    heading = f"Ratings of the {summary.programmes} programmes, and a month before"
    text_box(slide, Box(left.left, left.top, left.width, HEADING), [Text(heading, size=14, bold=True)])
    ratings = [
        (_rating_cell(line.key, line.label), str(line.count), str(line.last_month), change(line.change))
        for line in summary.ratings
    ]
    headers = ("Rating", "Now", f"On {then}", "Change")
    top = left.top + HEADING
    box = Box(left.left, top, left.width, 0)
    name = "Programmes by rating, now and a month before"
    top += table(slide, box, headers, ratings, widths=(2, 1, 1.6, 1.2), size=12, numeric=(1, 2, 3), name=name)
    moved = (
        f"Since {then}: {summary.worse} worse, {summary.better} better, {summary.new} newly rated."
        if summary.moves
        else f"No programme's rating has changed since {then}."
    )
    top += GAP
    text_box(slide, Box(left.left, top, left.width, HEADING), [Text(moved, size=12, bold=True)])
    top += HEADING
    moves = [
        [
            f"{move.code} {move.name}",
            _rating_cell(rating_key(move.before), rating_word(move.before, unrated="Not rated")),
            _rating_cell(rating_key(move.after), rating_word(move.after)),
            move.why or "No flags now",
        ]
        for move in summary.moves[:MOVES_SHOWN]
    ]
    room = left.top + left.height - top - HEADING  # a line under the table for those left out
    while moves and table_height(MOVE_HEADERS, moves, left.width, MOVE_WIDTHS, 10) > room:
        moves.pop()
    if moves:
        box = Box(left.left, top, left.width, 0)
        top += table(
            slide, box, MOVE_HEADERS, moves, widths=MOVE_WIDTHS, size=10, name="Ratings that changed"
        )
    if len(summary.moves) > len(moves):
        extra = len(summary.moves) - len(moves)
        more = f"And {extra} more: the appendix gives each programme's rating a month before."
        text_box(slide, Box(left.left, top, left.width, HEADING), [Text(more, size=10, colour=DARK_GREY)])
    heading = f"Money and savings, financial year {summary.financial_year}"
    text_box(slide, Box(right.left, right.top, right.width, HEADING), [Text(heading, size=14, bold=True)])
    realised, planned = summary.cashable_realised_to_date, summary.cashable_planned_to_date
    figures = [
        ("Approved budget this year", amount(summary.approved)),
        ("Forecast spend this year", amount(summary.forecast)),
        ("Spent to date", amount(summary.actual)),
        ("Cashable savings planned by now", amount(planned)),
        ("Cashable savings realised by now", amount(realised)),
        ("Realised against plan", share(realised, planned) or "No savings planned by now"),
        ("Cashable savings planned by year end", amount(summary.cashable_target_year_end)),
    ]
    top = right.top + HEADING
    box = Box(right.left, top, right.width, 0)
    name = "Money and savings this financial year"
    top += table(
        slide, box, ("Measure", "Amount"), figures, widths=(3.2, 2), size=12, numeric=(1,), name=name
    )
    waiting = [
        f"Decisions waiting: {summary.decisions_waiting} (re-baselines, change requests and gate decisions).",
        f"Overdue milestones: {summary.overdue_milestones}.",
        f"Programmes with no update for too long: {summary.stale_programmes}.",
    ]
    if summary.lines_without_forecast:
        lines = summary.lines_without_forecast
        waiting.append(
            f"{lines} cost {'line has' if lines == 1 else 'lines have'} no forecast: "
            f"{'its' if lines == 1 else 'their'} spend to date is counted in the forecast."
        )
    box = Box(right.left, top + GAP, right.width, right.top + right.height - top - GAP)
    if summary.cost_lines_today:
        waiting.append(COST_LINES_TODAY)
    bullets(slide, box, "Waiting and overdue", waiting, size=12)


def _heatmap(deck: Deck, pack: PortfolioPack) -> None:
    """Directorates by rating, each count shaded as the dashboard shades it, and a row of totals."""
    headers = ("Directorate", *(label for _, label in pack.heat_columns), "Total")
    rows = [
        [
            Cell(row.directorate),
            *(_heat(cell.rating, cell.count, cell.level) for cell in row.cells),
            Cell(str(row.total), bold=True),
        ]
        for row in pack.heatmap
    ]
    totals = [sum(row.cells[index].count for row in pack.heatmap) for index in range(len(pack.heat_columns))]
    rows.append(
        [
            Cell("All directorates", bold=True),
            *(Cell(str(count), bold=True) for count in totals),
            Cell(str(sum(totals)), bold=True),
        ]
    )
    widths = (4, *(1.5 for _ in pack.heat_columns), 1.2)
    intro = "Each cell counts a directorate's programmes with that rating: the deeper the shade, the more."
    long_table(
        deck,
        HEATMAP_TITLE,
        headers,
        rows,
        intro=intro,
        widths=widths,
        size=12,
        numeric=range(1, len(headers)),
    )


def _heat(rating: str, count: int, level: int) -> Cell:
    """A count on its rating's shade for its level (none for an empty cell)."""
    shade = HEAT_FILLS.get(rating, HEAT_FILLS["none"])[level - 1] if level else WHITE
    return Cell(str(count), fill=shade)


def _chart(deck: Deck, chart: Chart) -> None:
    """The chart as a native chart, its description above and its data table beside it."""
    slide = deck.slide(chart.title)
    about = [Text(chart.description, size=12)]
    height = text_height(about, CONTENT.width)
    text_box(slide, Box(CONTENT.left, CONTENT.top, CONTENT.width, height), about)
    top = CONTENT.top + height + Inches(0.1)
    drawn = Box(CONTENT.left, top, CHART_WIDTH, CONTENT.top + CONTENT.height - top)
    native_chart(slide, drawn, chart, number_format=COUNT_FORMAT if chart.bars else MONEY_FORMAT)
    beside = Box(drawn.left + drawn.width + Inches(0.3), top, CONTENT.width - drawn.width - Inches(0.3), 0)
    data = chart.table
    widths = fitted_widths(data.headers, data.rows, 9)
    numeric = range(1, len(data.headers))
    table(
        slide,
        beside,
        data.headers,
        data.rows,
        widths=widths,
        size=9,
        numeric=numeric,
        name=f"Data: {chart.title}",
    )


def _appendix(deck: Deck, pack: PortfolioPack) -> None:
    """Every programme in a table that runs over as many slides as it needs."""
    headers = (
        "Code",
        "Programme",
        "Directorate",
        "Stage",
        "Manager",
        "Rating",
        "A month before",
        "Confidence",
        "Forecast end",
        "Whole-life baseline",
        "Whole-life forecast",
        "Flags",
    )
    rows = [
        [
            row.code,
            row.name,
            row.directorate,
            row.stage_label,
            row.manager or "Not assigned",
            _rating_cell(rating_key(row.rating), row.rating_label),
            rating_word(row.rating_last_month, unrated="Not rated"),
            row.confidence_label,
            day(row.forecast_end_date),
            amount(row.whole_life_baseline),
            amount(row.whole_life_forecast),
            str(row.flags),
        ]
        for row in pack.appendix
    ]
    long_table(deck, APPENDIX_TITLE, headers, rows, widths=APPENDIX_WIDTHS, size=9, numeric=(9, 10, 11))


def _rating_cell(key: str, label: str) -> Cell:
    ink, paper = RATING_TAGS[key]
    return Cell(label, fill=paper, colour=ink, bold=True)
