"""Values as a slide writes them: money and dates the way the site does, and "Not known" where a figure
was never recorded, so a blank never reads as £0."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from tracker.domain.formatting import money, uk_date, uk_datetime
from tracker.domain.vocabulary import RAG_LABELS
from tracker.models import Rag

NOT_KNOWN = "Not known"


def amount(value: Decimal | None) -> str:
    return NOT_KNOWN if value is None else money(value)


def day(value: date | None) -> str:
    return NOT_KNOWN if value is None else uk_date(value)


def moment(value: datetime | None) -> str:
    return NOT_KNOWN if value is None else uk_datetime(value)


def rating_key(rating: Rag | None) -> str:
    """The colour a rating is drawn in: its own, or "none" for a programme not rated."""
    return rating.value if rating else "none"


def rating_word(rating: Rag | None, *, unrated: str = "Not yet rated") -> str:
    return RAG_LABELS[rating] if rating else unrated


def change(count: int) -> str:
    """A change in a count with its sign: "+2", "-1", "No change"."""
    return "No change" if count == 0 else f"{count:+d}"


def share(part: Decimal, whole: Decimal) -> str:
    """Part of a whole as a whole percentage, or "" when the whole is nothing."""
    return f"{part / whole:.0%}" if whole else ""
