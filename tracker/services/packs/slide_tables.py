"""Tables on slides, GOV.UK style: a grey header row, a thin rule under each row, numbers on the right.

The table's XML is written in one go and parsed once: setting each cell through python-pptx's objects
costs about a millisecond a cell, which a hundred-programme appendix would feel. Each row is given the
height its wrapped text needs, so a slide can tell how much of its space a table takes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from tracker.services.packs.measure import line_height, text_lines, text_width
from tracker.services.packs.slides import (
    BLACK,
    CONTENT,
    FONT,
    LIGHT_GREY,
    MID_GREY,
    WHITE,
    Box,
    Deck,
    Text,
    text_box,
)

NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
"""PowerPoint's "No Style, No Grid": only the cells' own fills and rules show, in any program."""
CELL_SIDE, CELL_END = Inches(0.06), Inches(0.03)
INTRO = Inches(0.45)
"""Room for a line of introduction above a long table."""
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Cell:
    """A table cell's text, and optionally its fill, ink and weight."""

    text: str
    fill: str = WHITE
    colour: str = BLACK
    bold: bool = False


def table_rows_height(
    rows: Sequence[Sequence[str | Cell]], box_width: int, widths: Sequence[float], size: int
) -> list[int]:
    """The height each row needs, in EMU, when its cells wrap in their columns."""
    columns = _column_widths(box_width, widths)
    return [
        max(
            (
                text_lines(_cell(value).text, width - 2 * CELL_SIDE, size, bold=_cell(value).bold)
                for value, width in zip(row, columns, strict=False)
            ),
            default=1,
        )
        * line_height(size)
        + 2 * CELL_END
        + Pt(2)
        for row in rows
    ]


def table(
    slide: Slide,
    box: Box,
    headers: Sequence[str],
    rows: Sequence[Sequence[str | Cell]],
    *,
    widths: Sequence[float] | None = None,
    size: int = 11,
    numeric: Sequence[int] = (),
    name: str = "",
) -> int:
    """Draw a table at the box's top left across its width; returns the height it takes, in EMU. Its
    name shows in PowerPoint's selection pane and is read out as the table's description."""
    shares = list(widths or [1.0] * len(headers))
    everything = [_header(headers), *rows]
    heights = table_rows_height(everything, box.width, shares, size)
    frame = slide.shapes.add_table(1, 1, box.left, box.top, box.width, heights[0])
    if name:
        frame.name = name
        frame._element.nvGraphicFramePr.cNvPr.set("descr", name)
    old = frame.table._tbl
    grid = "".join(f'<a:gridCol w="{width}"/>' for width in _column_widths(box.width, shares))
    body = "".join(
        f'<a:tr h="{height}">'
        + "".join(
            _cell_xml(_cell(value), size, "r" if index in numeric else "l") for index, value in enumerate(row)
        )
        + "</a:tr>"
        for row, height in zip(everything, heights, strict=True)
    )
    new = parse_xml(
        f'<a:tbl {nsdecls("a")}><a:tblPr firstRow="1"><a:tableStyleId>{NO_STYLE_TABLE}</a:tableStyleId>'
        f"</a:tblPr><a:tblGrid>{grid}</a:tblGrid>{body}</a:tbl>"
    )
    old.getparent().replace(old, new)
    frame.height = Emu(sum(heights))
    return sum(heights)


def table_height(
    headers: Sequence[str],
    rows: Sequence[Sequence[str | Cell]],
    box_width: int,
    widths: Sequence[float],
    size: int,
) -> int:
    """The height (EMU) `table` will give these rows and their header row in a width."""
    return sum(table_rows_height([_header(headers), *rows], box_width, widths, size))


def fitted_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], size: int) -> list[float]:
    """Column shares from their content: each as wide as its widest cell or the longest word of its
    header, so a table of short figures gives every column the room it needs and no more."""
    return [
        max(
            max((text_width(word, size, bold=True) for word in header.split()), default=0),
            max((text_width(row[index], size) for row in rows), default=0),
        )
        + 2 * CELL_SIDE / Pt(1)
        for index, header in enumerate(headers)
    ]


def _header(headers: Sequence[str]) -> list[Cell]:
    return [Cell(text, fill=LIGHT_GREY, bold=True) for text in headers]


def _cell(value: str | Cell) -> Cell:
    return value if isinstance(value, Cell) else Cell(value)


def _column_widths(total: int, shares: Sequence[float]) -> list[int]:
    whole = sum(shares)
    widths = [math.floor(total * share / whole) for share in shares]
    widths[-1] += total - sum(widths)
    return widths


def _cell_xml(cell: Cell, size: int, align: str) -> str:
    """One cell: its text in Arial, British English, a rule below and its fill (DrawingML's order)."""
    run_properties = (
        f'lang="en-GB" sz="{size * 100}" b="{int(cell.bold)}" dirty="0">'
        f'<a:solidFill><a:srgbClr val="{cell.colour.upper()}"/></a:solidFill>'
        f'<a:latin typeface="{FONT}"/><a:cs typeface="{FONT}"/>'
    )
    paragraphs = "".join(
        f'<a:p><a:pPr algn="{align}"/>'
        + (f"<a:r><a:rPr {run_properties}</a:rPr><a:t>{escape(line)}</a:t></a:r>" if line else "")
        + f"<a:endParaRPr {run_properties}</a:endParaRPr></a:p>"
        for line in _UNPRINTABLE.sub("", cell.text).split("\n")
    )
    no_line = "<a:noFill/>"
    return (
        f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</a:txBody>"
        f'<a:tcPr marL="{CELL_SIDE}" marR="{CELL_SIDE}" marT="{CELL_END}" marB="{CELL_END}" anchor="ctr">'
        f'<a:lnL w="0">{no_line}</a:lnL><a:lnR w="0">{no_line}</a:lnR><a:lnT w="0">{no_line}</a:lnT>'
        f'<a:lnB w="{Pt(0.75)}"><a:solidFill><a:srgbClr val="{MID_GREY.upper()}"/></a:solidFill></a:lnB>'
        f'<a:solidFill><a:srgbClr val="{cell.fill.upper()}"/></a:solidFill></a:tcPr></a:tc>'
    )


def long_table(
    deck: Deck,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str | Cell]],
    *,
    intro: str = "",
    widths: Sequence[float] | None = None,
    size: int = 11,
    numeric: Sequence[int] = (),
) -> list[Slide]:
    """A table over as many slides as it needs, its header row on each; titled "(2 of 3)" when it runs on."""
    shares = list(widths or [1.0] * len(headers))
    top = CONTENT.top + (INTRO if intro else 0)
    room = CONTENT.top + CONTENT.height - top
    heights = table_rows_height([_header(headers), *rows], CONTENT.width, shares, size)
    pages: list[list[Sequence[str | Cell]]] = [[]]
    used = heights[0]
    for row, height in zip(rows, heights[1:], strict=True):
        if pages[-1] and used + height > room:
            pages.append([])
            used = heights[0]
        pages[-1].append(row)
        used += height
    slides = []
    for number, page in enumerate(pages, start=1):
        slide = deck.slide(title if len(pages) == 1 else f"{title} ({number} of {len(pages)})")
        if intro:
            text_box(slide, Box(CONTENT.left, CONTENT.top, CONTENT.width, INTRO), [Text(intro, size=12)])
        box = Box(CONTENT.left, top, CONTENT.width, 0)
        table(slide, box, headers, page, widths=shares, size=size, numeric=numeric, name=title)
        slides.append(slide)
    return slides
