"""What a column's cells look like (dates, amounts, ratings, prose), to check a guess by its header.

A header can mislead (`Forecast finish` is a date, not a forecast amount); the cells rarely do.
Only a sample of rows is read, so guessing a 10,000-row sheet costs no more than a 500-row one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tracker.domain.imports.fields import Field, Kind
from tracker.domain.imports.values import (
    cell_text,
    is_blank,
    is_withheld,
    parse_confidence,
    parse_date,
    parse_money,
)

SAMPLE = 500
LONG = 100  # characters: prose, not a value
FEW = 5  # filled cells: fewer is too little to overrule a header
_BARE_YEAR = re.compile(r"^(19|20)\d{2}$")
_REFERENCE = re.compile(r"^[a-z]{1,6}[-_/ ]?\d{1,6}[a-z]?$", re.IGNORECASE)


@dataclass(frozen=True)
class Profile:
    """Shares of a column's filled cells that read as each kind of value."""

    filled: int = 0
    dates: float = 0.0
    money: float = 0.0
    ratings: float = 0.0
    prose: float = 0.0
    bare_years: float = 0.0
    references: float = 0.0
    distinct: float = 0.0

    @property
    def is_ratings(self) -> bool:
        """Mostly Green, Amber/Green, Amber, Amber/Red or Red, in any case."""
        return self.filled > 0 and self.ratings >= 0.8

    @property
    def is_references(self) -> bool:
        """Short references like `DIG-004`, each row its own: a code column."""
        return self.filled > 1 and self.references >= 0.9 and self.distinct >= 0.95


def profile(cells: Iterable[object]) -> Profile:
    """The profile of a column's cells; blank and withheld cells are left out of every share."""
    filled = [c for c in cells if not is_blank(c) and not is_withheld(c)]
    if not filled:
        return Profile()
    texts = [cell_text(c) for c in filled]
    count = len(filled)
    dates = [_reads(parse_date, c) for c in filled]
    return Profile(
        filled=count,
        dates=sum(dates) / count,
        money=sum(1 for c, d in zip(filled, dates, strict=True) if not d and _reads(parse_money, c)) / count,
        ratings=sum(_reads(parse_confidence, c) for c in filled) / count,
        prose=sum(len(t) > LONG for t in texts) / count,
        bare_years=sum(bool(_BARE_YEAR.match(t)) for t in texts) / count,
        references=sum(bool(_REFERENCE.match(t)) for t in texts) / count,
        distinct=len({t.lower() for t in texts}) / count,
    )


def fits(f: Field, column: Profile) -> bool:
    """Whether a column's cells could be this field's: dates are never money, prose is never a rating."""
    if column.filled == 0:
        return True
    thin = column.filled < FEW  # a mistyped cell or two must not hide a column from its header
    if f.kind is Kind.MONEY:
        return column.dates < 0.5 and column.prose < 0.5 and (thin or column.money >= 0.3)
    if f.kind is Kind.DATE:
        return column.dates >= 0.3 or (column.money < 0.5 and column.prose < 0.5)
    if f.kind is Kind.CONFIDENCE:
        return column.ratings >= 0.3 or (thin and column.prose < 0.5)
    if f.kind in (Kind.CHOICE, Kind.FLAG, Kind.YEAR) or f.max_length:
        return column.prose < 0.5
    return True


def _reads(parser: Callable[[object], object], cell: object) -> bool:
    try:
        parser(cell)
    except ValueError:
        return False
    return True
