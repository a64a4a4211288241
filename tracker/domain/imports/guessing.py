"""Guessing which field a column holds from its header and its cells, and which kind of sheet a worksheet is.

Headers of published returns carry a financial year and a unit (`2013/2014 Budget (£million)`): both
are set aside before matching, and the year is kept, as it says which year the amounts are for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice

from tracker.domain.imports.fields import CATALOGUE, SHEET_NAMES, Field, SheetKind
from tracker.domain.imports.profiles import SAMPLE, Profile, fits, profile
from tracker.domain.imports.units import HEADER_UNIT

_FINANCIAL_YEAR = re.compile(
    r"(?<!\d)(?:fy\s*)?((?:19|20)\d{2})\s*[/\-]\s*(\d{4}|\d{2})(?!\d)", re.IGNORECASE
)
_UNIT = re.compile(HEADER_UNIT.pattern, re.IGNORECASE)
YEAR_KEYS = {"budget_year", "published_year"}
HEADER_WORDS = 8


@dataclass(frozen=True)
class Guess:
    """Header -> field key for the columns recognised, and fixed values read from headers (field -> text)."""

    columns: dict[str, str]
    templates: dict[str, str] = field(default_factory=dict)


def names(f: Field) -> tuple[str, ...]:
    """Every header that names this field exactly, normalised."""
    return tuple(dict.fromkeys(normalise_header(n) for n in (f.key, f.label, *f.synonyms)))


def normalise_header(text: str) -> str:
    """`originalBudget`, `Original budget (£)` and `ORIGINAL_BUDGET` all become `original budget`."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(text))
    text = re.sub(r"\(.*?\)|[£$€%*:#]", " ", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def header_forms(header: str) -> tuple[str, str]:
    """A header without its financial year and unit, normalised: as is, and keeping words in brackets.

    The second form tells `End date (forecast)` from `End date`.
    """
    text = _UNIT.sub(" ", _FINANCIAL_YEAR.sub(" ", str(header)))
    return normalise_header(text), normalise_header(re.sub(r"[()]", " ", text))


def financial_year_in_header(header: str) -> int | None:
    """The year a header's financial year starts: `2013/2014 Budget` and `2013/14 Budget` give 2013."""
    match = _FINANCIAL_YEAR.search(str(header))
    if match is None or int(match[2][-2:]) != (int(match[1]) + 1) % 100:
        return None
    return int(match[1])


@cache
def _known() -> tuple[frozenset[str], tuple[str, ...]]:
    every = {name for fields in CATALOGUE.values() for f in fields for name in names(f)}
    return frozenset(every), tuple(f" {name} " for name in every if " " in name)


def is_known_header(text: str) -> bool:
    """Whether a cell names any field of any sheet: used to find the header row, or the header column."""
    exact, phrases = _known()
    normal = header_forms(text)[0]
    if normal in exact:
        return True
    short = len(normal.split()) <= HEADER_WORDS  # prose that mentions a start date is no header
    return short and any(phrase in f" {normal} " for phrase in phrases)


def guess_mapping(headers: Sequence[str], kind: SheetKind) -> dict[str, str]:
    """Field key for each header we recognise, from the headers alone."""
    return guess_columns(headers, kind).columns


def guess_columns(headers: Sequence[str], kind: SheetKind, rows: Iterable[Sequence[object]] = ()) -> Guess:
    """Field key for each column we recognise, by its header, checked and helped by its cells.

    Exact names first, then headers containing a name (of two words, or a long word, so
    `datesDeltaYear` is not taken for a year), then the cells alone: a column of ratings is the
    delivery confidence, a column of distinct short references the code. A column whose cells
    cannot be the field's (dates for money, prose for a rating) is never guessed as it. Each field
    goes to one column, the best match winning; columns we do not recognise are left out.
    """
    sample = [tuple(cells) for cells in islice(rows, SAMPLE)]
    profiles = [profile(cells[i] for cells in sample if i < len(cells)) for i in range(len(headers))]
    candidates = []
    for index, header in enumerate(headers):
        normal, full = header_forms(header)
        column = profiles[index]
        for position, f in enumerate(CATALOGUE[kind]):
            strength = _strength(f, normal, full, column)
            if strength:
                candidates.append((*strength, -position, -index, index, f.key))
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for *_, index, key in sorted(candidates, reverse=True):
        if headers[index] not in mapping and key not in taken:
            mapping[headers[index]] = key
            taken.add(key)
    columns = {header: mapping[header] for header in headers if header in mapping}
    return Guess(columns, _year_from_headers(columns, kind))


def _strength(f: Field, normal: str, full: str, column: Profile) -> tuple[int, int] | None:
    """How well a column matches a field (higher is better), or None when it does not."""
    if not fits(f, column) or not _year_fits(f.key, normal, column):
        return None
    if f.key == "published_year" and normal == "year":
        return (2, len(normal))
    padded = f" {normal} "
    best = None
    for name in names(f):
        if full == name and full != normal:
            found = (3, len(name))
        elif normal == name:
            found = (2, len(name))
        elif (" " in name or len(name) >= 8) and f" {name} " in padded:
            found = (1, len(name))
        else:
            continue
        best = max(best or found, found)
    if best is None and f.key == "confidence" and column.is_ratings:
        best = (0, 0)
    if best is None and f.key == "code" and column.is_references:
        best = (0, 0)
    return best


def _year_fits(key: str, normal: str, column: Profile) -> bool:
    """A column headed `year` of bare years (2018) is the year a return was published, not a budget year."""
    bare = column.filled > 0 and column.bare_years >= 0.5
    if key == "budget_year":
        return not (normal == "year" and bare)
    if key == "published_year" and normal == "year":
        return bare
    return True


def _year_from_headers(columns: dict[str, str], kind: SheetKind) -> dict[str, str]:
    """The budget's financial year from a money header (`2013/2014 Budget`), when no column gives one."""
    if kind is not SheetKind.PROGRAMMES or YEAR_KEYS & set(columns.values()):
        return {}
    for header, key in columns.items():
        year = financial_year_in_header(header) if key.startswith("budget_") else None
        if year is not None:
            return {"budget_year": f"{year}/{(year + 1) % 100:02d}"}
    return {}


def sheet_kind_for(name: str) -> SheetKind | None:
    """Which kind of sheet a worksheet's name suggests, if any."""
    normal = normalise_header(name)
    return next((kind for kind, names in SHEET_NAMES.items() if normal in names), None)
