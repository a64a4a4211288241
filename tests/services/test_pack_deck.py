"""The PowerPoint board packs, read back with python-pptx: slide titles in order, tables whose cells are
the programmes' data, a heatmap that counts the ratings, native charts carrying the chart's values."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, timedelta
from io import BytesIO

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Inches
from sqlalchemy import select

from tests.factories import InvestmentFactory, ProgrammeFactory, StatusUpdateFactory
from tracker.domain.calendar import format_date, london_today
from tracker.domain.money import format_money
from tracker.domain.vocabulary import RAG_LABELS
from tracker.extensions import db
from tracker.models import Programme, RiskAssessment, Role, Stage, StatusUpdate
from tracker.models.types import utcnow
from tracker.services.demo.seed import seed_demo
from tracker.services.packs.content import PortfolioPack, highlight_report, portfolio_pack
from tracker.services.packs.deck import (
    APPENDIX_TITLE,
    HEATMAP_TITLE,
    build_deck,
    build_highlight_deck,
)
from tracker.services.packs.measure import text_lines, text_width
from tracker.services.packs.slide_charts import as_date, short_label
from tracker.services.portfolio.scope import ProgrammeFilter

EXCEL_EPOCH = date(1899, 12, 30)
"""Day 0 of the serial numbers a chart's date axis stores."""
APPENDIX_HEADERS = [
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
]


def read(data: bytes) -> Deck:
    return Presentation(BytesIO(data))


def title(slide: Slide) -> str:
    return slide.shapes.title.text


def tables(slide: Slide) -> list[list[list[str]]]:
    """Each table on the slide as rows of cell texts."""
    return [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for shape in slide.shapes
        if shape.has_table
    ]


def slides_titled(deck: Deck, prefix: str) -> list[Slide]:
    return [slide for slide in deck.slides if title(slide).startswith(prefix)]


def open_programmes() -> list[Programme]:
    """The programmes a pack covers: every one not closed."""
    return list(db.session.scalars(select(Programme).where(Programme.stage != Stage.CLOSED)))


def money_or_not_known(value) -> str:
    return "Not known" if value is None else format_money(value)


def pack_of_today(make_user) -> PortfolioPack:
    user = make_user(Role.ADMIN)
    return portfolio_pack(user, ProgrammeFilter(), as_of=london_today(utcnow()))


@pytest.fixture
def demo(app, make_user) -> tuple[PortfolioPack, Deck]:
    """The demo council's pack for today, and its deck read back."""
    seed_demo(london_today(utcnow()))
    pack = pack_of_today(make_user)
    return pack, read(build_deck(pack, org_name="Testshire County Council"))


def test_the_slides_come_in_the_pack_order_with_their_titles(demo) -> None:
    pack, deck = demo

    titles = [title(slide) for slide in deck.slides]

    red_or_amber = [f"{page.status.code} {page.status.name}" for page in pack.programme_pages]
    assert red_or_amber, "the demo council has Red and Amber programmes"
    assert titles == [
        pack.title,
        "Summary",
        HEATMAP_TITLE,
        *(chart.title for chart in pack.charts),
        *red_or_amber,
        APPENDIX_TITLE,
    ]
    assert [chart.title for chart in pack.charts] == [
        "Spend against budget profile",
        "Cashable savings realised against plan",
        "Ratings over the last 12 weeks",
    ]
    assert deck.slide_width * 9 == deck.slide_height * 16


def test_the_deck_is_native_text_tables_and_charts_in_arial_and_british_english(demo) -> None:
    pack, deck = demo

    shapes = [shape for slide in deck.slides for shape in slide.shapes]
    assert not [shape for shape in shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert sum(1 for shape in shapes if shape.has_chart) == 3
    names = {shape.name for shape in shapes if shape.has_table}
    assert {"Key milestones", "Money", APPENDIX_TITLE, f"Data: {pack.charts[0].title}"} <= names
    assert not [name for name in names if name.startswith("Table")], "every table is named for what it holds"
    frames = [shape.text_frame for shape in shapes if shape.has_text_frame] + [
        cell.text_frame
        for shape in shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    runs = [run for frame in frames for paragraph in frame.paragraphs for run in paragraph.runs]
    assert len(runs) > 500
    assert {run.font.name for run in runs} == {"Arial"}
    assert {run.font.language_id for run in runs} == {MSO_LANGUAGE_ID.ENGLISH_UK}
    theme = deck.slide_master.part.part_related_by(RT.THEME).blob
    assert b'<a:latin typeface="Arial"' in theme and b"Calibri" not in theme, "text people add is Arial too"
    assert b'lang="en-US"' not in deck.slide_master.part.blob
    properties = deck.core_properties
    assert (properties.title, properties.author, properties.language) == (
        pack.title,
        "Testshire County Council",
        "en-GB",
    )
    assert properties.created == pack.generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    cover = [shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame]
    assert "Testshire County Council" in cover
    count = len(deck.slides)
    footers = [slide.shapes[-1].text_frame.text for slide in deck.slides]
    footer = f"Testshire County Council · {pack.title} · Whole council"
    assert footers == [f"{footer}    {n} of {count}" for n in range(1, count + 1)], "last, for screen readers"


def test_the_appendix_lists_every_programme_with_its_data(demo) -> None:
    pack, deck = demo
    (appendix,) = slides_titled(deck, APPENDIX_TITLE)
    ((header, *rows),) = tables(appendix)

    programmes = {p.code: p for p in open_programmes()}
    assert header == APPENDIX_HEADERS
    assert [row[0] for row in rows] == sorted(programmes)
    assert [row[1:3] for row in rows] == [
        [programmes[code].name, programmes[code].directorate] for code in sorted(programmes)
    ]
    assert rows == [appendix_row(row) for row in pack.appendix]
    assert any(row[9] == "Not known" for row in rows), "a programme with no whole-life baseline says so"
    assert not any(cell == "£0" for row in rows for cell in row[9:11])


def appendix_row(data) -> list[str]:
    """What the appendix should say for a programme, written out here from the content's values."""
    return [
        data.code,
        data.name,
        data.directorate,
        data.stage_label,
        data.manager or "Not assigned",
        data.rating_label,
        RAG_LABELS[data.rating_last_month] if data.rating_last_month else "Not rated",
        data.confidence_label,
        format_date(data.forecast_end_date) if data.forecast_end_date else "Not known",
        money_or_not_known(data.whole_life_baseline),
        money_or_not_known(data.whole_life_forecast),
        str(data.flags),
    ]


def test_the_heatmap_counts_each_directorates_programmes_by_their_latest_rating(demo) -> None:
    _, deck = demo
    (heatmap,) = slides_titled(deck, HEATMAP_TITLE)
    ((header, *rows),) = tables(heatmap)

    newest: dict[int, RiskAssessment] = {}
    for assessment in db.session.scalars(select(RiskAssessment).order_by(RiskAssessment.assessed_at)):
        newest[assessment.programme_id] = assessment
    expected: dict[str, list[int]] = {}
    columns = {"red": 0, "amber": 1, "green": 2}
    for programme in open_programmes():
        counts = expected.setdefault(programme.directorate, [0, 0, 0, 0])
        rating = newest.get(programme.id)
        counts[columns[rating.rating.value] if rating else 3] += 1
    assert header == ["Directorate", "Red", "Amber", "Green", "Not yet rated", "Total"]
    *directorates, total = rows
    assert {row[0]: [int(cell) for cell in row[1:5]] for row in directorates} == expected
    assert [row[0] for row in directorates] == sorted(expected, key=str.lower)
    assert all(int(row[5]) == sum(map(int, row[1:5])) for row in rows)
    sums = [str(sum(counts[column] for counts in expected.values())) for column in range(4)]
    assert total == ["All directorates", *sums, str(len(open_programmes()))]


def test_the_ratings_chart_is_a_native_stacked_chart_of_the_weeks_counts(demo) -> None:
    pack, deck = demo
    chart_data = pack.charts[2]
    (slide,) = slides_titled(deck, chart_data.title)

    (frame,) = [shape for shape in slide.shapes if shape.has_chart]
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert list(series) == ["Red", "Amber", "Green"]
    weeks = chart_data.table.rows
    assert len(chart.plots[0].categories) == len(weeks) == 12
    for index, name in enumerate(series, start=1):
        assert series[name] == [float(week[index]) for week in weeks]
    now = {line.label: line.count for line in pack.summary.ratings}
    assert [values[-1] for values in series.values()] == [
        float(now["Red"]),
        float(now["Amber"]),
        float(now["Green"]),
    ]
    ((header, *rows),) = tables(slide)
    assert header == list(chart_data.table.headers)
    assert rows == [list(row) for row in weeks]


def test_the_spend_chart_is_a_native_line_chart_ending_at_the_spend_to_date(demo) -> None:
    pack, deck = demo
    (slide,) = slides_titled(deck, "Spend against budget profile")

    (frame,) = [shape for shape in slide.shapes if shape.has_chart]
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert list(series) == ["Approved budget profile", "Actual spend"]
    actual = [value for value in series["Actual spend"] if value is not None]
    assert actual == [0.0, float(pack.summary.actual)]
    assert series["Approved budget profile"][-1] == pytest.approx(float(pack.summary.approved), abs=1)
    days = [EXCEL_EPOCH + timedelta(days=float(serial)) for serial in chart.plots[0].categories]
    assert days[0] == date(pack.as_of.year if pack.as_of.month > 3 else pack.as_of.year - 1, 4, 1)
    today = series["Actual spend"].index(float(pack.summary.actual))
    assert days[today] == pack.as_of, (
        "a date axis, spaced by days, with actual spend to date on the pack's day"
    )


def test_the_summary_gives_ratings_against_a_month_before_and_the_money(demo) -> None:
    pack, deck = demo
    (slide,) = slides_titled(deck, "Summary")
    ratings, moves, money = tables(slide)

    summary = pack.summary
    assert ratings[1:] == [
        [line.label, str(line.count), str(line.last_month), change_words(line.count - line.last_month)]
        for line in summary.ratings
    ]
    assert summary.moves, "the demo council has ratings that changed in the month"
    assert moves[0] == ["Programme", "Was", "Now", "Main reason"]
    assert moves[1:] == [
        [
            f"{move.code} {move.name}",
            RAG_LABELS[move.before] if move.before else "Not rated",
            RAG_LABELS[move.after],
            move.why or "No flags now",
        ]
        for move in summary.moves[:5]
    ]
    assert dict(money[1:])["Cashable savings realised by now"] == format_money(
        summary.cashable_realised_to_date
    )
    assert dict(money[1:])["Approved budget this year"] == format_money(summary.approved)
    text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
    assert f"Decisions waiting: {summary.decisions_waiting} " in text


def change_words(change: int) -> str:
    return "No change" if change == 0 else f"{change:+d}"


def test_a_red_or_amber_programme_has_its_rating_milestones_money_and_latest_report(demo) -> None:
    pack, deck = demo
    page = pack.programme_pages[0]
    status = page.status
    (slide,) = slides_titled(deck, f"{status.code} {status.name}")

    text = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert status.rating_label in text
    assert any(status.flags[0].message in words for words in text)
    milestones, money, benefits, *report = tables(slide)
    assert benefits[0] == ["Benefit", "Planned by now", "Measured"]
    assert [row[0] for row in benefits[1:]] == [
        benefit.title for benefit in status.benefits[: len(benefits) - 1]
    ]
    assert milestones[0] == ["Milestone", "Baseline", "Forecast", "Actual", "Status"]
    assert [row[0] for row in milestones[1:]] == [
        line.title + (" (critical)" if line.critical else "")
        for line in status.milestones[: len(milestones) - 1]
    ]
    assert [row[1] for row in milestones[1:]] == [
        format_date(line.baseline_date) if line.baseline_date else "Not known"
        for line in status.milestones[: len(milestones) - 1]
    ]
    assert money[1] == [
        money_or_not_known(value)
        for value in (
            status.money.whole_life_baseline,
            status.money.whole_life_forecast,
            status.money.approved,
            status.money.forecast,
            status.money.actual,
        )
    ]
    assert page.update is not None
    ((labels, ratings),) = report
    assert labels == ["Overall", "Schedule", "Cost", "Benefits", "Resources"]
    assert ratings == [RAG_LABELS[page.update.overall], *(RAG_LABELS[r] for _, r in page.update.dimensions)]
    assert page.update.narrative in slide.notes_slide.notes_text_frame.text


def test_a_highlight_report_is_one_slide_with_the_figures_as_submitted(app, make_user) -> None:
    seed_demo(london_today(utcnow()))
    update = db.session.scalars(
        select(StatusUpdate).where(StatusUpdate.submitted_at.is_not(None)).order_by(StatusUpdate.id)
    ).first()
    report = highlight_report(db.session.get(Programme, update.programme_id), update)

    deck = read(build_highlight_deck(report))

    (slide,) = deck.slides
    assert title(slide) == report.title
    assert deck.core_properties.title == report.title
    assert deck.core_properties.author == "Testshire County Council"
    *_, (labels, ratings) = tables(slide)
    assert labels == ["Overall", "Schedule", "Cost", "Benefits", "Resources"]
    assert ratings == [RAG_LABELS[update.overall], *(RAG_LABELS[r] for _, r in report.update.dimensions)]
    assert report.update.narrative in slide.notes_slide.notes_text_frame.text


def test_a_long_appendix_runs_over_slides_with_its_header_on_each(app, make_user) -> None:
    for number in range(45):
        programme = ProgrammeFactory(
            code=f"LONG-{number:03d}",
            name=f"Programme number {number} & <phase two>, a name long enough to wrap in its column",
            directorate=("Adults", "Children", "Place")[number % 3],
            whole_life_baseline=None if number % 2 else 1_000_000 + number,
        )
        InvestmentFactory(programme=programme)
    pack = pack_of_today(make_user)

    deck = read(build_deck(pack))

    pages = slides_titled(deck, APPENDIX_TITLE)
    assert len(pages) > 2
    assert [title(page) for page in pages] == [
        f"{APPENDIX_TITLE} ({number} of {len(pages)})" for number in range(1, len(pages) + 1)
    ]
    rows = []
    for page in pages:
        ((header, *body),) = tables(page)
        assert header == APPENDIX_HEADERS
        (frame,) = [shape for shape in page.shapes if shape.has_table]
        assert frame.top + frame.height <= deck.slide_height - Inches(0.5), "clear of the footer"
        rows += body
    assert rows == [appendix_row(row) for row in pack.appendix]
    assert [row[0] for row in rows] == [f"LONG-{number:03d}" for number in range(45)]
    assert {row[9] for row in rows[1::2]} == {"Not known"}
    assert deck.core_properties.author == "Testshire County Council"


def test_the_councils_name_comes_from_the_app_when_the_pack_has_none(app, make_user) -> None:
    ProgrammeFactory()
    pack = replace(pack_of_today(make_user), organisation="")
    app.config["ORG_NAME"] = "Elsewhere District Council"

    deck = read(build_deck(pack))

    assert deck.core_properties.author == "Elsewhere District Council"
    assert read(build_deck(pack, org_name="Named Borough")).core_properties.author == "Named Borough"


def test_a_portfolio_with_no_programmes_still_makes_a_whole_deck(app, make_user) -> None:
    pack = pack_of_today(make_user)

    deck = read(build_deck(pack))

    assert [title(slide) for slide in deck.slides] == [
        pack.title,
        "Summary",
        HEATMAP_TITLE,
        *(chart.title for chart in pack.charts),
        APPENDIX_TITLE,
    ]
    (appendix,) = slides_titled(deck, APPENDIX_TITLE)
    assert tables(appendix) == [[APPENDIX_HEADERS]]


def test_a_long_report_is_cut_on_its_slide_and_kept_whole_in_the_notes(app, make_user) -> None:
    seed_demo(london_today(utcnow()))
    update = db.session.scalars(select(StatusUpdate).where(StatusUpdate.submitted_at.is_not(None))).first()
    report = highlight_report(db.session.get(Programme, update.programme_id), update)
    paragraphs = [
        f"Paragraph {n}: " + "the supplier has asked for more time and money again. " * 6 for n in range(12)
    ]
    long = replace(report, update=replace(report.update, narrative="\n".join(paragraphs)))

    deck = read(build_highlight_deck(long))

    (slide,) = deck.slides
    words = "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
    assert paragraphs[0] in words
    assert paragraphs[-1] not in words
    assert "The whole report is in this slide's notes." in words
    assert slide.notes_slide.notes_text_frame.text.endswith(paragraphs[-1])
    assert all(shape.top + shape.height <= deck.slide_height for shape in slide.shapes)


def test_text_is_measured_in_arial_widths_wrapping_at_spaces() -> None:
    inch = Inches(1)

    assert text_width("Il", 10) < text_width("MW", 10)
    assert text_lines("Red", inch, 10) == 1
    assert text_lines("Red\nAmber", inch, 10) == 2
    assert text_lines("one two three four five six seven eight", inch, 10) == 3
    assert text_lines("x" * 40, inch, 10) == 3, "a word longer than the line breaks within itself"
    assert text_lines("Amber Amber", inch, 10, bold=True) >= text_lines("Amber Amber", inch, 10)


def test_chart_row_labels_are_read_as_days() -> None:
    assert as_date("30 April 2026") == date(2026, 4, 30)
    assert as_date("1 April 2026 (start of year)") == date(2026, 4, 1)
    assert as_date("5 December 2026 (today)") == date(2026, 12, 5)
    assert as_date("Week 3") is None
    assert short_label("5 December 2026 (today)") == "Today"
    assert short_label("30 April 2026") == "30 Apr"


def test_a_report_on_a_bare_programme_says_what_is_not_recorded(app) -> None:
    programme = ProgrammeFactory(whole_life_baseline=None, whole_life_forecast=None)
    update = StatusUpdateFactory(programme=programme, narrative="", submitted_at=utcnow())
    report = highlight_report(programme, update)

    deck = read(build_highlight_deck(report))

    (slide,) = deck.slides
    words = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert "Not yet rated" in words
    assert {"No milestones recorded.", "No benefits recorded.", "No narrative written."} <= set(words)
    money, _ratings = tables(slide)
    assert money[1] == ["Not known"] * 5, "no cost lines and no whole-life cost: never £0"
