"""The unit of a money column: what its header says (`£million`, `(£000s)`), else a guess from its amounts.

Published returns give money in millions or thousands and say so once, in the header; a council's
own sheet says nothing and means pounds. A guess from the size of the amounts is only ever a
proposal, with a reason the caller shows, and a unit the person gives outranks both.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from statistics import median

from tracker.domain.imports.values import Unit, is_blank, parse_money

_WORDS = r"bn|billions?|mn|m|millions?|k|000s?|thousands?"
HEADER_UNIT = re.compile(
    rf"(?:£|\bgbp\b)\s*({_WORDS})(?![a-z0-9])"  # £m, £ million, £000s, GBP k
    rf"|\(\s*({_WORDS})\s*\)"  # (m), (000s)
    r"|\bin\s+(billions|millions|thousands)\b"  # "in millions"
    r"|\(\s*(£)\s*\)",  # (£): pounds, said outright
)
_UNIT_WORDS = {
    "bn": Unit.BILLIONS,
    "billion": Unit.BILLIONS,
    "billions": Unit.BILLIONS,
    "m": Unit.MILLIONS,
    "mn": Unit.MILLIONS,
    "million": Unit.MILLIONS,
    "millions": Unit.MILLIONS,
    "k": Unit.THOUSANDS,
    "000": Unit.THOUSANDS,
    "000s": Unit.THOUSANDS,
    "thousand": Unit.THOUSANDS,
    "thousands": Unit.THOUSANDS,
    "£": Unit.POUNDS,
}
UNIT_NAMES = {
    Unit.POUNDS: "pounds",
    Unit.THOUSANDS: "£ thousands",
    Unit.MILLIONS: "£ millions",
    Unit.BILLIONS: "£ billions",
}
SMALL = Decimal(100_000)  # amounts all below this, in a sheet of millions, are millions too
TINY = Decimal(1_000)  # a typical budget below £1,000 is not a programme's: it is in millions
SAMPLE = 500


@dataclass(frozen=True)
class UnitChoice:
    """The unit chosen for one money column, why, and whether it was only assumed."""

    unit: Unit
    reason: str
    assumed: bool = False


def unit_in_header(header: str) -> Unit | None:
    """The unit a header names (`2013/2014 Budget (£million)` is millions), or None when it is silent."""
    match = HEADER_UNIT.search(str(header).lower())
    if match is None:
        return None
    return _UNIT_WORDS[next(group for group in match.groups() if group)]


def choose_units(
    headers: Sequence[str],
    money_columns: Mapping[str, int],
    rows: Iterable[Sequence[object]],
    *,
    given: Unit | None,
) -> dict[str, UnitChoice]:
    """For each money field (key -> column index): the header's unit, else a proposal from the amounts.

    Empty when the person gave a unit: theirs applies to every column. Fields left out have no
    reason to be anything but pounds.
    """
    if given is not None:
        return {}
    choices = {}
    for key, index in money_columns.items():
        unit = unit_in_header(headers[index])
        if unit is not None:
            choices[key] = UnitChoice(unit, f"the header '{_short(headers[index])}' says {UNIT_NAMES[unit]}")
    stated = Counter(choice.unit for choice in choices.values() if choice.unit is not Unit.POUNDS)
    sample = [tuple(cells) for cells in islice(rows, SAMPLE)]
    for key, index in money_columns.items():
        if key not in choices:
            proposal = propose_unit(
                [cells[index] for cells in sample if index < len(cells)],
                beside=stated.most_common(1)[0][0] if stated else None,
            )
            if proposal is not None:
                choices[key] = proposal
    return choices


def propose_unit(cells: Iterable[object], *, beside: Unit | None = None) -> UnitChoice | None:
    """A unit for a silent column from its bare amounts, or None when they look like pounds.

    Amounts all below 100,000 beside columns said to be in millions (or thousands) are taken to be
    in the same unit; on their own, amounts with decimals and a typical size under 1,000 are
    millions, as no programme's budget is a few hundred pounds.
    """
    amounts = [amount for amount in map(_bare_amount, cells) if amount is not None]
    if not amounts or max(abs(a) for a in amounts) >= SMALL:
        return None
    if beside is not None:
        return UnitChoice(beside, f"assumed {UNIT_NAMES[beside]} like the other money columns", True)
    with_decimals = sum(1 for a in amounts if a != a.to_integral_value())
    if with_decimals * 2 >= len(amounts) and median(abs(a) for a in amounts) < TINY:
        return UnitChoice(Unit.MILLIONS, "assumed £ millions from the size of the amounts", True)
    return None


def _bare_amount(cell: object) -> Decimal | None:
    """A cell's amount when it carries no unit of its own (`£1.9m` says millions itself)."""
    if is_blank(cell) or isinstance(cell, bool):
        return None
    if isinstance(cell, str) and re.search(r"\d\s*[a-z]", cell.lower().replace("gbp", "")):
        return None
    try:
        return parse_money(cell)
    except ValueError:
        return None


def _short(header: str) -> str:
    text = " ".join(str(header).split())
    return text if len(text) <= 40 else text[:39] + "…"
