"""Pages of a long list: which page to show and how many there are; and a whole list read in batches,
for a download."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select

from tracker.extensions import db


def page_of(asked: int, total: int, per_page: int) -> tuple[int, int]:
    """The page to show (the one asked for, kept between the first and the last) and the number of
    pages; an empty list has one page."""
    pages = max(1, math.ceil(total / per_page))
    return min(max(asked, 1), pages), pages


def in_batches(statement: Select[Any], batch: int) -> Iterator[Any]:
    """The statement's rows, fetched `batch` at a time and not kept once yielded."""
    result = db.session.execute(statement.execution_options(yield_per=batch))
    try:
        yield from result
    finally:
        result.close()  # a download stopped halfway frees its cursor
