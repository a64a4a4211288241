"""Cell values as people type them: money with units, UK-first dates, RAG ratings, yes and no.

Each parser takes a cell (text from a CSV, or a number or date from a workbook) and returns the
tracker's value, None for a blank cell, or raises ValueError with a message a person can act on.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from tracker.domain.calendar import EARLIEST_YEAR, LATEST_YEAR

BLANKS = frozenset(
    {"", "-", "--", "n/a", "na", "none", "null", "tbc", "tbd", "?", "unknown", "not known", "not provided"}
)
PENNY = Decimal("0.01")


class Unit(StrEnum):
    """What a bare number in a money column counts: pounds, or thousands, millions or billions of them."""

    POUNDS = "pounds"
    THOUSANDS = "thousands"
    MILLIONS = "millions"
    BILLIONS = "billions"


UNIT_FACTORS = {
    Unit.POUNDS: Decimal(1),
    Unit.THOUSANDS: Decimal(1_000),
    Unit.MILLIONS: Decimal(1_000_000),
    Unit.BILLIONS: Decimal(1_000_000_000),
}
SUFFIX_FACTORS = {
    "k": Decimal(1_000),
    "thousand": Decimal(1_000),
    "thousands": Decimal(1_000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "millions": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
    "billions": Decimal(1_000_000_000),
}
_MONEY = re.compile(r"^(?P<number>\d+(?:\.\d+)?|\.\d+)\s*(?P<suffix>[a-z]*)$")
_CURRENCY = re.compile(r"£|\$|€|\bgbp\b|\busd\b|\bcad\b|\beur\b")


def is_blank(cell: object) -> bool:
    """Empty cells, and the placeholders people type for 'nothing yet'."""
    return cell is None or (isinstance(cell, str) and cell.strip().lower() in BLANKS)


_WITHHELD = re.compile(
    r"\bexempt(?:ed|ion)?\b|\bnot provided\b|\bnot in a position to provide\b|\bwithheld\b|\bredacted\b"
    r"|\bnot (?:available|applicable|disclosed)\b|^#n/?a$|^no (?:dca|end date|data|rating)$|^reset$"
)


def is_withheld(cell: object) -> bool:
    """A sentence saying the figure is exempt, not provided or not rated: unknown, not a mistake in the file.

    Published returns put these where a number, date or rating would be; a PMO imports the rest of the
    row and records the figure as unknown.
    """
    return isinstance(cell, str) and _WITHHELD.search(" ".join(cell.lower().split())) is not None


def cell_text(cell: object) -> str:
    """A cell as trimmed text (whole numbers from a workbook without a trailing .0)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(" ")
    return str(cell).strip()


def parse_money(cell: object, unit: Unit = Unit.POUNDS) -> Decimal | None:
    """Pounds and pence from `£1,234`, `$6,279,429`, `£1.9m`, `250k` or a bare number in `unit`.

    A suffix (k, m, bn) says its own unit and wins over `unit`; brackets or a minus sign mean negative,
    but a lone bracket (`(100`) is refused: it is more likely a slip than a negative amount. A withheld
    figure ("Exempt under Section 43 ...") is unknown.
    """
    if is_blank(cell) or is_withheld(cell):
        return None
    if isinstance(cell, bool):
        raise ValueError("is not an amount of money")
    if isinstance(cell, int | float | Decimal):
        return _pence(Decimal(str(cell)) * UNIT_FACTORS[unit])
    text = str(cell).strip().lower()
    opens, closes = text.startswith("("), text.endswith(")")
    negative = opens or text.startswith("-")
    cleaned = _CURRENCY.sub("", text.strip("()").lstrip("-")).replace(",", "").replace(" ", "")
    cleaned = cleaned.lstrip("-")
    match = _MONEY.match(cleaned)
    if match is None:
        raise ValueError(f"'{cell_text(cell)}' is not an amount of money, like £1,250,000 or £1.2m")
    if opens != closes:
        raise ValueError(f"'{cell_text(cell)}' has one bracket: write (100) for a negative amount, or 100")
    suffix = match["suffix"]
    if suffix and suffix not in SUFFIX_FACTORS:
        raise ValueError(f"'{cell_text(cell)}' ends in '{suffix}': use k for thousands or m for millions")
    factor = SUFFIX_FACTORS[suffix] if suffix else UNIT_FACTORS[unit]
    try:
        amount = Decimal(match["number"]) * factor
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise ValueError(f"'{cell_text(cell)}' is not an amount of money") from None
    return _pence(-amount if negative else amount)


def _pence(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


MONTH_NUMBERS = (
    {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
    | {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{2}|\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[\s\-]+(\d{2}|\d{4})$")
DATE_EXAMPLE = "like 31/05/2010, 31 May 2010 or 2010-05-31"


FIRST_YEAR, LAST_YEAR = EARLIEST_YEAR, LATEST_YEAR
"""The years the forms accept: a 9999-12-31 "no end" date is refused here too, never stored."""


def parse_date(cell: object) -> date | None:
    """A date as `read_date` finds it, refused outside 1950 to 2100 with the forms' own words."""
    found = read_date(cell)
    if found is not None and not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise ValueError(f"'{cell_text(cell)}' must be between {FIRST_YEAR} and {LAST_YEAR}")
    return found


def read_date(cell: object) -> date | None:
    """A date from the ways spreadsheets write them; day before month when both could be either.

    `31/05/2010`, `31.05.10`, `2010-05-31`, `31 May 2010`, `March 31, 2017`. A month without a day
    (`May 2010`) means the last day of that month: a deadline of "May" is met until May ends.
    Two-digit years are 2000 to 2069, or 1970 to 1999. A withheld date is unknown.
    """
    if is_blank(cell) or is_withheld(cell):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell).lower()
    try:
        if match := _ISO_DATE.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC_DATE.match(text):
            first, second, year = int(match[1]), int(match[2]), _year(match[3])
            try:
                return date(year, second, first)
            except ValueError:
                return date(year, first, second)  # 05/31/2010: only month-first makes sense
        if match := _DAY_MONTH_YEAR.match(text):
            return date(_year(match[3]), _month(match[2]), int(match[1]))
        if match := _MONTH_DAY_YEAR.match(text):
            return date(int(match[3]), _month(match[1]), int(match[2]))
        if match := _MONTH_YEAR.match(text):
            year, month = _year(match[2]), _month(match[1])
            return date(year, month, calendar.monthrange(year, month)[1])
    except (KeyError, ValueError):
        pass
    raise ValueError(f"'{cell_text(cell)}' is not a date we recognise: write it {DATE_EXAMPLE}")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _month(name: str) -> int:
    return MONTH_NUMBERS[name.lower()]


_RAG_WORDS = {"green": "green", "g": "green", "amber": "amber", "a": "amber", "red": "red", "r": "red"}
_SPLITS = {
    frozenset({"amber", "green"}): "amber_green",
    frozenset({"amber", "red"}): "amber_red",
}
RAG_EXAMPLE = "Green, Amber/Green, Amber, Amber/Red or Red"


def parse_confidence(cell: object) -> str | None:
    """A delivery confidence on the IPA's five-point scale: green, amber_green, amber, amber_red or red.

    Split ratings are kept as published (`Amber/Green`, `Green-Amber`, `AR`), because the IPA's
    Amber/Red is a different judgement from Red. "No DCA" or an exemption sentence is unknown.
    """
    if is_blank(cell) or is_withheld(cell):
        return None
    words = [
        w for w in re.split("[\\s/\\-\u2013\u2014_,+&]+|\\bto\\b|\\band\\b", cell_text(cell).lower()) if w
    ]
    if len(words) == 1 and words[0] in {"ag", "ga", "ar", "ra"}:
        words = list(words[0])
    colours = [_RAG_WORDS.get(word) for word in words]
    if not colours or None in colours or len(colours) > 2:
        raise ValueError(f"'{cell_text(cell)}' is not a delivery confidence: use {RAG_EXAMPLE}")
    if len(set(colours)) == 1:
        return str(colours[0])
    split = _SPLITS.get(frozenset(str(c) for c in colours))
    if split is None:
        raise ValueError(f"'{cell_text(cell)}' is not a delivery confidence: use {RAG_EXAMPLE}")
    return split


_ASSESSMENT_HEADER = re.compile(r"\b(?:dca|ipa|mpa|assurance|confidence assessment)\b")


def assessed_by(header: str) -> str:
    """Who made a column's ratings, from its header: a DCA is an assurance review, else self-assessment."""
    text = " ".join(header.lower().replace("_", " ").split())
    if "gateway" in text:
        return "gateway_review"
    return "assurance_review" if _ASSESSMENT_HEADER.search(text) else "self_assessment"


_TRUE = frozenset({"yes", "y", "true", "t", "1", "x", "critical", "✓", "✔"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "not critical"})


def parse_flag(cell: object) -> bool | None:
    """Yes or no, as people write it in a column (`Y`, `x`, `TRUE`, `1`)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool):
        return cell
    text = cell_text(cell).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{cell_text(cell)}' is not yes or no")


def parse_choice(cell: object, choices: dict[str, str], what: str) -> str | None:
    """One of a closed list, matched without regard to case, spaces, hyphens or underscores."""
    if is_blank(cell):
        return None
    key = normalise_word(cell_text(cell))
    if key in choices:
        return choices[key]
    allowed = ", ".join(dict.fromkeys(choices.values())).replace("_", " ")
    raise ValueError(f"'{cell_text(cell)}' is not a {what}: use one of {allowed}")


def normalise_word(text: str) -> str:
    """`Business-Case `, `business case` and `BUSINESS_CASE` all become `business case`."""
    return re.sub(r"[\s_\-/]+", " ", text.strip().lower()).strip()


_FINANCIAL_YEAR = re.compile(r"^(?:fy\s*)?(\d{4})(?:\s*[/\-]\s*(\d{2}|\d{4}))?$")


def parse_financial_year(cell: object) -> int | None:
    """The year a UK financial year starts: `2026/27`, `2026-2027`, `FY2026/27` and `2026` give 2026."""
    if is_blank(cell):
        return None
    match = _FINANCIAL_YEAR.match(cell_text(cell).lower())
    if match is None:
        raise ValueError(f"'{cell_text(cell)}' is not a financial year: write it like 2026/27")
    start = int(match[1])
    if match[2] is not None and int(match[2][-2:]) != (start + 1) % 100:
        raise ValueError(
            f"'{cell_text(cell)}' is not a financial year: the second year must follow the first"
        )
    if not 1990 <= start <= 2100:
        raise ValueError(f"'{cell_text(cell)}' is not a financial year between 1990/91 and 2100/01")
    return start


def column_letter(index: int) -> str:
    """Spreadsheet column letters from a 0-based index: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
