"""A progress bar for long commands, shown only when the output is a terminal."""

from __future__ import annotations

import sys
from typing import Any

import click


class ProgressBar:
    """A click progress bar opened on the first report, once the total is known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def progress_bar(label: str) -> ProgressBar | None:
    """A bar on stderr when stdout is a terminal, else None (scripts and logs get no bar)."""
    return ProgressBar(label) if sys.stdout.isatty() else None
