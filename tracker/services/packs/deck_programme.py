"""One programme on one slide: its rating and the flags behind it in words, key milestones, money,
benefits and its latest submitted highlight report. The portfolio pack has one for each Red and Amber
programme; a highlight report's deck is one such slide, as the programme stood when it was submitted.

Blocks are stacked down two columns by their estimated heights; what does not fit is counted ("3 of 8")
rather than drawn over the next block, and the whole highlight report goes in the slide's notes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pptx.slide import Slide
from pptx.util import Emu, Inches

from tracker.models import Rag
from tracker.services.packs.content import BenefitLine, ProgrammeStatus, SubmittedUpdate
from tracker.services.packs.deck_values import NOT_KNOWN, amount, day, moment, rating_key, rating_word
from tracker.services.packs.measure import fit_paragraphs, line_height
from tracker.services.packs.slide_tables import Cell, table, table_height
from tracker.services.packs.slides import (
    CONTENT,
    CONTENT_BOTTOM,
    DARK_GREY,
    MARGIN,
    RATING_TAGS,
    TEXT_END,
    TEXT_INSET,
    Box,
    Deck,
    Text,
    bullets,
    tag,
    text_box,
    text_height,
    write,
)

FLAGS_SHOWN = 3
BENEFITS_SHOWN = 4
GAP = Inches(0.1)
HEADING = Inches(0.32)
LEFT = Box(MARGIN, CONTENT.top, Inches(7.55), CONTENT.height)
RIGHT = Box(
    MARGIN + LEFT.width + Inches(0.3), CONTENT.top, CONTENT.width - LEFT.width - Inches(0.3), CONTENT.height
)
MILESTONE_COLUMNS = (
    ("Milestone", 3.1),
    ("Baseline", 1.3),
    ("Forecast", 1.3),
    ("Actual", 1.3),
    ("Status", 0.9),
)
MONEY_HEADERS = (
    "Whole-life cost baseline",
    "Whole-life cost forecast",
    "Approved (cost lines)",
    "Forecast (cost lines)",
    "Spent (cost lines)",
)
BENEFIT_COLUMNS = (("Benefit", 2.0), ("Planned by now", 1.1), ("Measured", 1.4))
SIZE = 10


def programme_slide(
    deck: Deck, status: ProgrammeStatus, update: SubmittedUpdate | None, *, title: str
) -> Slide:
    """Everything a board asks about one programme, on one slide."""
    slide = deck.slide(title)
    money = [_money_row(status)]
    money_top = CONTENT_BOTTOM - table_height(
        MONEY_HEADERS, money, LEFT.width, [1] * len(MONEY_HEADERS), SIZE
    )
    y = _rating(slide, status, CONTENT.top)
    y = _flags(slide, status, y + GAP)
    _milestones(slide, status, y + GAP, bottom=money_top - GAP)
    box = Box(LEFT.left, money_top, LEFT.width, 0)
    table(slide, box, MONEY_HEADERS, money, size=SIZE, numeric=range(5), name="Money")
    y = _benefits(slide, status, RIGHT.top)
    _update(slide, update, y + GAP, as_of=status.as_of)
    return slide


def _rating(slide: Slide, status: ProgrammeStatus, top: int) -> int:
    label = status.rating_label
    size = 16 if len(label) <= 6 else 11  # "Not yet rated" on one line in the same box
    tag(slide, Box(LEFT.left, top, Inches(1.5), Inches(0.45)), label, rating_key(status.rating), size=size)
    facts = [
        f"{rating_word(status.rating_last_month, unrated='Not rated')} a month before",
        f"Stage: {status.stage_label}",
        f"SRO: {status.sro or NOT_KNOWN}",
        f"Manager: {status.manager or 'Not assigned'}",
        f"Delivery confidence: {status.confidence_label}",
        f"Forecast end {day(status.forecast_end_date)} (baseline {day(status.baseline_end_date)})",
    ]
    words = [Text(" · ".join(facts), size=SIZE)]
    width = LEFT.width - Inches(1.6)
    height = text_height(words, width)
    text_box(slide, Box(LEFT.left + Inches(1.6), top - Inches(0.04), width, height), words)
    return top + max(Inches(0.45), height)


def _flags(slide: Slide, status: ProgrammeStatus, top: int) -> int:
    heading = f"Why it is rated {status.rating_label}" if status.rating else "Not rated yet"
    lines = [f"{flag.label}: {flag.message}" for flag in status.flags[:FLAGS_SHOWN]]
    if len(status.flags) > FLAGS_SHOWN:
        lines.append(f"And {len(status.flags) - FLAGS_SHOWN} more on the programme's page.")
    if not lines:
        scan = "raised no flags" if status.rating else f"had not rated it by {day(status.as_of)}"
        lines = [f"The daily risk scan {scan}."]
    paragraphs = [Text(heading, size=SIZE + 1, bold=True), *(Text(line, size=SIZE) for line in lines)]
    height = text_height(paragraphs, LEFT.width, indent=Inches(0.22))
    bullets(slide, Box(LEFT.left, top, LEFT.width, height), heading, lines, size=SIZE)
    return top + height


def _milestones(slide: Slide, status: ProgrammeStatus, top: int, *, bottom: int) -> None:
    rows = [
        (
            line.title + (" (critical)" if line.critical else ""),
            day(line.baseline_date),
            day(line.forecast_date),
            day(line.actual_date) if line.actual_date else "",
            line.status,
        )
        for line in status.milestones
    ]
    widths = [share for _, share in MILESTONE_COLUMNS]
    headers = [name for name, _ in MILESTONE_COLUMNS]
    shown = len(rows)
    while shown and table_height(headers, rows[:shown], LEFT.width, widths, SIZE) > bottom - top - HEADING:
        shown -= 1
    counted = f" ({shown} of {status.milestones_total})" if rows else ""
    heading = [Text(f"Key milestones{counted}", size=12, bold=True)]
    text_box(slide, Box(LEFT.left, top, LEFT.width, HEADING), heading)
    below = Box(LEFT.left, top + HEADING, LEFT.width, HEADING)
    if rows:
        table(slide, below, headers, rows[:shown], widths=widths, size=SIZE, name="Key milestones")
    else:
        text_box(slide, below, [Text("No milestones recorded.", size=11)])


def _money_row(status: ProgrammeStatus) -> list[str]:
    money = status.money
    values = (
        money.whole_life_baseline,
        money.whole_life_forecast,
        money.approved,
        money.forecast,
        money.actual,
    )
    return [amount(value) for value in values]


def _benefits(slide: Slide, status: ProgrammeStatus, top: int) -> int:
    shown = status.benefits[:BENEFITS_SHOWN]
    heading = f"Benefits ({len(shown)} of {len(status.benefits)})" if shown else "Benefits"
    text_box(slide, Box(RIGHT.left, top, RIGHT.width, HEADING), [Text(heading, size=12, bold=True)])
    if not shown:
        text_box(
            slide,
            Box(RIGHT.left, top + HEADING, RIGHT.width, HEADING),
            [Text("No benefits recorded.", size=11)],
        )
        return top + 2 * HEADING
    rows = [
        (benefit.title, _measure(benefit.planned_to_date, benefit), _measured(benefit)) for benefit in shown
    ]
    headers = [name for name, _ in BENEFIT_COLUMNS]
    widths = [share for _, share in BENEFIT_COLUMNS]
    box = Box(RIGHT.left, top + HEADING, RIGHT.width, 0)
    height = table(slide, box, headers, rows, widths=widths, size=SIZE, name="Benefits")
    return top + HEADING + height


def _measured(benefit: BenefitLine) -> str:
    value = _measure(benefit.measured, benefit)
    return f"{value} ({day(benefit.measured_on)})" if benefit.measured_on else value


def _measure(value: Decimal | None, benefit: BenefitLine) -> str:
    """A benefit's figure in its unit: pounds as money, anything else as a number then the unit."""
    if value is None:
        return NOT_KNOWN
    if benefit.unit.strip() in ("£", "GBP", "pounds"):
        return amount(value)
    number = f"{value.normalize():,f}"
    return f"{number}%" if benefit.unit.strip() == "%" else f"{number} {benefit.unit}".strip()


def _update(slide: Slide, update: SubmittedUpdate | None, top: int, *, as_of: date) -> None:
    """The report's period, author, self-ratings and as much narrative as fits; all of it in the notes."""
    if update is None:
        none = [
            Text("Highlight report", size=12, bold=True),
            Text(f"None submitted by {day(as_of)}.", size=11),
        ]
        text_box(slide, Box(RIGHT.left, top, RIGHT.width, Inches(0.7)), none)
        return
    period = f"{day(update.period_start)} to {day(update.period_end)}"
    by = f" by {update.author}" if update.author else ""
    head = [
        Text(f"Highlight report, {period}", size=12, bold=True),
        Text(f"Submitted {moment(update.submitted_at)}{by}", size=SIZE, colour=DARK_GREY),
    ]
    height = text_height(head, RIGHT.width)
    text_box(slide, Box(RIGHT.left, top, RIGHT.width, height), head)
    ratings = (("Overall", update.overall), *update.dimensions)
    headers = [label for label, _ in ratings]
    top += height + table(
        slide,
        Box(RIGHT.left, top + height, RIGHT.width, 0),
        headers,
        [[_rated(r) for _, r in ratings]],
        size=SIZE,
        name="The report's own ratings",
    )
    paragraphs = [line for line in update.narrative.splitlines() if line.strip()] or ["No narrative written."]
    room = Emu(CONTENT_BOTTOM - top - GAP)
    usable = Box(RIGHT.left, top, RIGHT.width - 2 * TEXT_INSET, room - 2 * TEXT_END - line_height(SIZE))
    shown, cut = fit_paragraphs(paragraphs, usable.width, usable.height, SIZE)
    if cut:
        shown.append("The whole report is in this slide's notes.")
    text_box(slide, Box(RIGHT.left, top + GAP, RIGHT.width, room), [Text(line, size=SIZE) for line in shown])
    notes = [f"Highlight report, {period}", *update.narrative.splitlines()]
    write(slide.notes_slide.notes_text_frame, [Text(line, size=12) for line in notes])


def _rated(rating: Rag) -> Cell:
    ink, paper = RATING_TAGS[rating_key(rating)]
    return Cell(rating_word(rating), fill=paper, colour=ink, bold=True)
