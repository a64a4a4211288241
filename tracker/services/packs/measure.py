"""How much room text takes on a slide, from Arial's character widths, so blocks can be stacked and long
tables split between slides without anything running off the slide. PowerPoint cannot be asked, so this
errs wide: a little white space at the foot of a slide is better than a row cut off.

Widths are Arial's advance widths in thousandths of its size (the same as Helvetica's, which Arial was
drawn to match); bold runs about seven per cent wider.
"""

from __future__ import annotations

from collections.abc import Sequence

from pptx.util import Pt

_ARIAL: dict[int, str] = {
    191: "'",
    222: "ijl",
    260: "|",
    278: " !,./:;I[\\]ft\u00b7",
    333: '()-`r"\u2018\u2019',
    355: '"',
    389: "*",
    469: "^",
    500: "Jckvxyz\u201c\u201d",
    556: "#$0123456789?L_abdeghnopqu\u00a3\u2013",
    584: "+<=>~",
    611: "FTZ",
    667: "&ABEKPSVXY",
    722: "CDHNRUw",
    778: "GOQ",
    833: "Mm",
    889: "%",
    944: "W",
    1000: "\u2026\u2014",
    1015: "@",
}
WIDTHS: dict[str, float] = {character: width / 1000 for width, text in _ARIAL.items() for character in text}
UNLISTED = 0.6
"""Any other character (accented letters, symbols): a little wider than most."""
BOLD = 1.07
SAFETY = 1.04
"""Every estimate is this much wider than the metrics say, for kerning and rounding in the renderer."""
LEADING = 1.2
"""A line's height as a multiple of the font size."""


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """How wide text is in Arial at a size, in points."""
    em = sum(WIDTHS.get(character, UNLISTED) for character in text)
    return em * size * SAFETY * (BOLD if bold else 1.0)


def text_lines(text: str, width: int, size: float, *, bold: bool = False) -> int:
    """How many lines text takes in a width (EMU), each paragraph wrapping at spaces; a word too long for
    the line breaks within itself, as PowerPoint breaks it."""
    room = width / Pt(1)
    space = text_width(" ", size, bold=bold)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            needed = text_width(word, size, bold=bold)
            if used and used + space + needed > room:
                lines += 1
                used = 0.0
            elif used:
                used += space
            while needed > room:
                lines += 1
                needed -= room
            used += needed
    return lines


def line_height(size: float) -> int:
    """One line's height at a size, in EMU."""
    return Pt(size * LEADING)


def fit_paragraphs(paragraphs: Sequence[str], width: int, height: int, size: int) -> tuple[list[str], bool]:
    """As many paragraphs as fit a width and height (EMU) at a size, the last cut at a word; and whether
    anything was left out."""
    lines_left = height // line_height(size)
    shown: list[str] = []
    for paragraph in paragraphs:
        needed = text_lines(paragraph, width, size)
        if needed <= lines_left:
            shown.append(paragraph)
            lines_left -= needed
            continue
        words = paragraph.split(" ")
        while words and text_lines(" ".join(words) + " …", width, size) > lines_left:
            words.pop()
        if words:
            shown.append(" ".join(words) + " …")
        return shown, True
    return shown, False
