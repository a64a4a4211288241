"""What a digest section shows: its count, the first few lines worst first, and where the rest are listed.

However large the portfolio, a section prints at most SHOWN_PER_SECTION lines, so the email stays small
enough for council mail servers; the filtered lists in the app hold the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

SHOWN_PER_SECTION = 10

T = TypeVar("T")


@dataclass(frozen=True)
class ListLink:
    """A filtered list in the app, named as the digest words it ("all overdue milestones")."""

    text: str
    url: str


@dataclass(frozen=True)
class Section(Generic[T]):
    """The first lines of a section in its own order, how many there are in all, and where to see the rest."""

    lines: tuple[T, ...]
    total: int
    rest: tuple[ListLink, ...] = ()  # empty when every line is shown

    @property
    def more(self) -> int:
        """Lines not shown here."""
        return self.total - len(self.lines)

    def __bool__(self) -> bool:
        return self.total > 0


def first_few(lines: Sequence[T], rest: Sequence[ListLink], *, total: int | None = None) -> Section[T]:
    """The first SHOWN_PER_SECTION of `lines` (already worst first); `rest` is kept only if some are left out.

    `total` is given when only the shown lines were built.
    """
    shown = tuple(lines[:SHOWN_PER_SECTION])
    count = len(lines) if total is None else total
    return Section(shown, count, tuple(rest) if count > len(shown) else ())


EMPTY: Section = Section((), 0)
