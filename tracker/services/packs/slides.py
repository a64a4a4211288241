"""Drawing on PowerPoint slides with python-pptx: 16:9, Arial, British English, GOV.UK colours.

Everything is native and editable: text in text boxes, figures in tables, charts as PowerPoint charts
carrying their own data. Nothing here knows about programmes; the deck modules say what goes where.
Text is measured (see `measure`) so a slide can stack blocks without overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import Font, TextFrame
from pptx.util import Emu, Inches, Pt

from tracker.services.packs.measure import line_height, text_lines

FONT = "Arial"
LANGUAGE = MSO_LANGUAGE_ID.ENGLISH_UK
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)
"""16:9, 13.33 by 7.5 inches: PowerPoint's own widescreen size."""
MARGIN = Inches(0.5)
CONTENT_TOP = Inches(1.35)
CONTENT_BOTTOM = HEIGHT - Inches(0.55)
TITLE_ONLY = 5
"""The default template's "Title Only" layout: its title placeholder is what PowerPoint, screen readers
and the outline view take as the slide's title."""
TEXT_INSET, TEXT_END = Inches(0.1), Inches(0.05)
"""A text box's default inner margins: left and right, top and bottom."""

BLACK, WHITE, BLUE, DARK_GREY, MID_GREY, LIGHT_GREY = (
    "0b0c0c",
    "ffffff",
    "1d70b8",
    "505a5f",
    "b1b4b6",
    "f3f2f1",
)
RATING_TAGS: dict[str, tuple[str, str]] = {
    "red": ("651b1b", "f4d7d7"),
    "amber": ("7a3c1c", "fde4d7"),
    "green": ("083d29", "cfe4dc"),
    "none": (BLACK, LIGHT_GREY),
}
"""Ink and fill for a rating (or "none"), as the site's tags draw them: GOV.UK red, orange and green."""
HEAT_FILLS: dict[str, tuple[str, str, str]] = {
    "red": ("fcf5f5", "f4d7d7", "e59a9a"),
    "amber": ("fef8f5", "fde4d7", "fabb9c"),
    "green": ("f3f8f6", "cfe4dc", "87bca8"),
    "none": ("f3f3f3", "cecece", "858686"),
}
"""The dashboard heatmap's three shades of each rating, lightest first."""


@dataclass(frozen=True)
class Box:
    """Where a shape goes, in EMU."""

    left: int
    top: int
    width: int
    height: int


CONTENT = Box(MARGIN, CONTENT_TOP, WIDTH - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP)


@dataclass(frozen=True)
class Text:
    """A paragraph and how it looks."""

    text: str
    size: int = 14
    bold: bool = False
    colour: str = BLACK


class Deck:
    """A 16:9 presentation in the house style, each slide's footer naming the council and its number."""

    def __init__(self, *, title: str, org_name: str, subject: str, footer: str, made: datetime) -> None:
        self.presentation = Presentation()
        self.presentation.slide_width = WIDTH
        self.presentation.slide_height = HEIGHT
        properties = self.presentation.core_properties
        properties.title = title[:255]
        properties.subject = subject[:255]
        properties.author = properties.last_modified_by = org_name[:255]
        properties.comments = "Made by the change programme tracker."
        properties.language = "en-GB"
        # The file's own dates, in UTC without a zone as the format stores them (not the template's).
        properties.created = properties.modified = made.astimezone(UTC).replace(tzinfo=None)
        properties.revision = 1
        self.footer = footer
        self._numbered = False
        self._house_style()

    def _house_style(self) -> None:
        """Make what people add later Arial and British English too: the template's theme says Calibri
        and its master and layouts say American English."""
        master = self.presentation.slide_master
        theme = master.part.part_related_by(RT.THEME)
        theme._blob = theme.blob.replace(
            b'<a:latin typeface="Calibri"', f'<a:latin typeface="{FONT}"'.encode()
        )
        for element in (master.element, *(layout.element for layout in master.slide_layouts)):
            for node in element.iter():
                if node.get("lang") == "en-US":
                    node.set("lang", "en-GB")

    def slide(self, title: str, *, cover: bool = False) -> Slide:
        """A new slide with its title in the title placeholder and a blue rule under it; a cover has its
        title large, in white on a blue band. The title shrinks to stay on two lines at most."""
        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[TITLE_ONLY])
        heading = slide.shapes.title
        if cover:
            band = rectangle(slide, Box(0, Inches(1.9), WIDTH, Inches(2.3)), BLUE)
            tree = slide.shapes._spTree
            tree.remove(band._element)
            tree.insert(2, band._element)  # behind the title: after the tree's own two properties
            place(heading, Box(MARGIN, Inches(2.1), WIDTH - 2 * MARGIN, Inches(1.9)))
            write(
                heading.text_frame, [Text(title, size=36, bold=True, colour=WHITE)], anchor=MSO_ANCHOR.MIDDLE
            )
        else:
            place(heading, Box(MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.85)))
            size = 26 if len(title) <= 60 else 22 if len(title) <= 80 else 18
            write(heading.text_frame, [Text(title, size=size, bold=True)], anchor=MSO_ANCHOR.BOTTOM)
            rectangle(slide, Box(MARGIN, Inches(1.17), WIDTH - 2 * MARGIN, Pt(3)), BLUE)
        heading.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        return slide

    def to_bytes(self) -> bytes:
        """The .pptx file, each slide's footer added last so a screen reader reaches it after the content."""
        slides = self.presentation.slides
        for number, slide in enumerate(slides if not self._numbered else [], start=1):
            box = Box(MARGIN, HEIGHT - Inches(0.45), WIDTH - 2 * MARGIN, Inches(0.3))
            words = f"{self.footer}    {number} of {len(slides)}"
            shape = text_box(slide, box, [Text(words, size=10, colour=DARK_GREY)])
            shape.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
        self._numbered = True
        out = BytesIO()
        self.presentation.save(out)
        return out.getvalue()


def place(shape: Shape, box: Box) -> None:
    """Move and size a shape to a box (placeholders come where the 4:3 template put them)."""
    shape.left, shape.top, shape.width, shape.height = box.left, box.top, box.width, box.height


def write(frame: TextFrame, paragraphs: Sequence[Text], *, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> None:
    """Replace a text frame's text with paragraphs, each one run in Arial, British English."""
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for index, paragraph in enumerate(paragraphs):
        target = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = target.add_run()
        run.text = paragraph.text
        style(run.font, size=paragraph.size, bold=paragraph.bold, colour=paragraph.colour)


def style(font: Font, *, size: int, bold: bool = False, colour: str = BLACK) -> None:
    """Set a run's font in full, so nothing falls back to the template's Calibri or American English."""
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor.from_string(colour)
    font.language_id = LANGUAGE


def text_box(slide: Slide, box: Box, paragraphs: Sequence[Text]) -> Shape:
    """A text box of paragraphs that wrap within its width."""
    shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
    write(shape.text_frame, paragraphs)
    return shape


def bullets(slide: Slide, box: Box, heading: str, lines: Sequence[str], *, size: int = 12) -> Shape:
    """A bold heading, then one bulleted paragraph for each line."""
    shape = text_box(
        slide, box, [Text(heading, size=size + 1, bold=True), *(Text(line, size=size) for line in lines)]
    )
    for paragraph in shape.text_frame.paragraphs[1:]:
        properties = paragraph._p.get_or_add_pPr()
        properties.set("marL", str(Inches(0.22)))
        properties.set("indent", str(-Inches(0.22)))
        bullet = OxmlElement("a:buChar")
        bullet.set("char", "\u2022")
        properties.append(bullet)
    return shape


def rectangle(slide: Slide, box: Box, colour: str) -> Shape:
    """A flat filled rectangle: no outline, and none of the theme's shadow or text colour."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, box.left, box.top, box.width, box.height)
    shape._element.remove(shape._element.find(qn("p:style")))
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(colour)
    shape.line.fill.background()
    return shape


def tag(slide: Slide, box: Box, label: str, rating: str, *, size: int = 16) -> Shape:
    """A rating as the site shows it: the word, bold, in the rating's dark shade on its light tint."""
    ink, paper = RATING_TAGS.get(rating, RATING_TAGS["none"])
    shape = rectangle(slide, box, paper)
    write(shape.text_frame, [Text(label, size=size, bold=True, colour=ink)], anchor=MSO_ANCHOR.MIDDLE)
    shape.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    return shape


def text_height(paragraphs: Sequence[Text], width: int, *, indent: int = 0) -> int:
    """Roughly the height (EMU) paragraphs take in a text box of a width, with its inner margins."""
    usable = width - 2 * TEXT_INSET - indent
    lines = sum(text_lines(p.text, usable, p.size, bold=p.bold) * line_height(p.size) for p in paragraphs)
    return Emu(lines + 2 * TEXT_END)
