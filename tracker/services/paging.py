"""Pages of a long list: which page to show and how many there are."""

from __future__ import annotations

import math


def page_of(asked: int, total: int, per_page: int) -> tuple[int, int]:
    """The page to show (the one asked for, kept between the first and the last) and the number of
    pages; an empty list has one page."""
    pages = max(1, math.ceil(total / per_page))
    return min(max(asked, 1), pages), pages
