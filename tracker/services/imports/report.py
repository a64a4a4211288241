"""An import's problems as a person reads them: identical messages grouped, with a count and the rows.

A file of 184 new programmes with no focus column once printed the same line 184 times and hid the
20 cells that were really wrong; grouped, each distinct problem is one line however many rows share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker.domain.imports.choices import FOCUSES
from tracker.domain.imports.rows import Problem
from tracker.domain.imports.tables import column_letter

SHOWN_PLACES = 5
NEEDED = {
    "directorate": ("a directorate", "the name of the directorate"),
    "focus": ("a focus", "|".join(dict.fromkeys(FOCUSES.values()))),
}


@dataclass(frozen=True)
class ProblemGroup:
    """One distinct problem (sheet, column, message) and every row, or turned column, it occurs in."""

    sheet: str
    column: str
    message: str
    rows: tuple[int, ...]
    transposed: bool = False
    first: Problem | None = None

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def places(self) -> str:
        """`rows 3-9, 12, 40 and 31 more`, or `columns C-F` for a sheet with one project per column."""
        noun = "column" if self.transposed else "row"
        runs = _runs(sorted({row for row in self.rows if row}))
        if not runs:
            return ""
        shown = [self._run_text(first, last) for first, last in runs[:SHOWN_PLACES]]
        hidden = sum(last - first + 1 for first, last in runs[SHOWN_PLACES:])
        text = ", ".join(shown)
        if hidden:
            text += f" and {hidden} more"
        plural = len(self.rows) > 1
        return f"{noun}{'s' if plural else ''} {text}"

    def _run_text(self, first: int, last: int) -> str:
        name = (lambda r: column_letter(r - 1)) if self.transposed else str
        return name(first) if first == last else f"{name(first)}-{name(last)}"

    def describe(self) -> str:
        """One line: `gmpp_2017, Start date (F): 'TBC' is not a date ...: rows 3-9 (7 rows)`."""
        where = f"{self.sheet}, {self.column}" if self.column else self.sheet
        times = f" ({self.count} {'columns' if self.transposed else 'rows'})" if self.count > 1 else ""
        places = f": {self.places}{times}" if self.places else ""
        return f"{where}: {self.message}{places}"


def group_problems(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """Problems with the same sheet, column and message as one group, most frequent first."""
    found: dict[tuple[str, str, str, bool], list[Problem]] = {}
    for problem in problems:
        key = (problem.sheet, problem.column, problem.message, problem.transposed)
        found.setdefault(key, []).append(problem)
    groups = [
        ProblemGroup(sheet, column, message, tuple(p.row for p in same), turned, same[0])
        for (sheet, column, message, turned), same in found.items()
    ]
    return sorted(groups, key=lambda group: -group.count)


def needs_for_cli(needs: Sequence[str]) -> list[str]:
    """The once-per-file sentence for each default the file lacks, naming the option that gives it."""
    return [
        f"Every new programme needs {NEEDED[key][0]}: give --default {key}={NEEDED[key][1]}"
        for key in needs
        if key in NEEDED
    ]


def _runs(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) runs: 3,4,5,9 -> (3, 5), (9, 9)."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
