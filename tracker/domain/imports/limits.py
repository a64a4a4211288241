"""Caps on what one file may hold, applied while its rows stream in.

A sheet's declared size is never trusted (a 1.6 KB workbook can declare A1:XFD1048576): rows are
counted as they arrive, and reading stops at the first cap passed, with a message that says where.
The web is capped tightly (a worker serves other people); the command line reads big files whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from tracker.domain.imports.values import column_letter, is_blank
from tracker.domain.imports.zipcheck import MB, ZipLimits

CLI_HINT = "import it with `flask import programmes FILE`, which reads files of any length"
CHECK_EVERY = 512  # rows between looks at the clock


class UnreadableFile(ValueError):
    """The bytes are not a CSV or XLSX file we can read; the message says why in plain words."""


@dataclass(frozen=True)
class ReadLimits:
    """Rows (with something in them), columns, characters in a cell, cells in all, and seconds."""

    rows: int | None = 50_000
    columns: int = 500
    cell_chars: int = 32_767  # Excel's own limit for a cell
    cells: int | None = 2_000_000
    seconds: float | None = 20.0
    zip: ZipLimits = field(default_factory=ZipLimits)
    clock: Callable[[], float] = time.monotonic


WEB = ReadLimits()
CLI = ReadLimits(
    rows=None,
    columns=2_000,
    cell_chars=1_000_000,
    cells=None,
    seconds=None,
    zip=ZipLimits(total_bytes=2048 * MB, entry_bytes=1024 * MB, shared_strings_bytes=256 * MB),
)


def capped(
    name: str, records: Iterable[Sequence[object]], limits: ReadLimits
) -> Iterator[tuple[object, ...]]:
    """The records as they stream, trailing blank cells dropped; UnreadableFile at the first cap passed."""
    started = limits.clock()
    filled = cells = 0
    for number, record in enumerate(records, start=1):
        late = number % CHECK_EVERY == 0 and limits.seconds is not None
        if late and limits.clock() - started > limits.seconds:
            raise UnreadableFile(
                f"{name} took more than {limits.seconds:g} seconds to read (stopped at row {number:,}): "
                f"{CLI_HINT}"
            )
        width = _last_filled(record)
        if not width:
            yield ()
            continue
        if width > limits.columns:
            raise UnreadableFile(
                f"{name} row {number:,} has a value in column {column_letter(width - 1)}, "
                f"past the {limits.columns:,} columns a sheet may have: remove the extra columns"
            )
        for index in range(width):
            cell = record[index]
            if isinstance(cell, str) and len(cell) > limits.cell_chars:
                raise UnreadableFile(
                    f"{name} row {number:,}, column {column_letter(index)} holds {len(cell):,} characters "
                    f"(at most {limits.cell_chars:,}), beginning {cell[:40]!r}"
                )
        filled += 1
        cells += width
        if limits.rows is not None and filled > limits.rows:
            raise UnreadableFile(f"{name} has more than {limits.rows:,} rows: {CLI_HINT}")
        if limits.cells is not None and cells > limits.cells:
            raise UnreadableFile(
                f"{name} has more than {limits.cells:,} cells (stopped at row {number:,}): {CLI_HINT}"
            )
        yield tuple(record[:width])


def _last_filled(record: Sequence[object]) -> int:
    for index in range(len(record) - 1, -1, -1):
        if not is_blank(record[index]):
            return index + 1
    return 0
