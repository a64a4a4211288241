"""Dependencies between programmes as plain values: when a predecessor milestone is expected, how late that
is against the date its dependant needs it by, and the check that refuses a loop.

A milestone waits for a milestone of another programme. The predecessor's expected date is its actual
date once done, else its forecast, else its latest approved baseline. It is late when that date is after
the needed-by date; an open predecessor cannot land before today, so one still open after its expected
date counts as landing today (late "so far"). A cancelled predecessor will not land at all.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tracker.domain.calendar import format_date
from tracker.domain.wording import plural

Edge = tuple[int, int]
"""A dependency as (waiting milestone id, predecessor milestone id)."""


class State(StrEnum):
    """Where a predecessor stands, as its dependant reads it."""

    DONE = "done"
    FORECAST = "forecast"
    """Open, expected on its forecast (or baseline) date, today or later."""
    OVERDUE = "overdue"
    """Open, its expected date already passed: it lands no earlier than today."""
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"
    """No date at all: nothing to compare."""


STATE_WORDS: dict[State, str] = {
    State.DONE: "Done",
    State.FORECAST: "Forecast, not done yet",
    State.OVERDUE: "Not done, though expected earlier",
    State.CANCELLED: "Cancelled",
    State.UNKNOWN: "No date recorded",
}


@dataclass(frozen=True)
class Landing:
    """When a predecessor lands against the date it is needed by."""

    state: State
    expected: date | None
    """Actual date once done, else forecast, else baseline; None when none is known."""
    needed_by: date
    days_late: int | None
    """Days after the needed-by date it lands (zero or less: in time); None when cancelled or unknown."""

    @property
    def late(self) -> bool:
        """Later than needed, or never coming."""
        return self.state is State.CANCELLED or (self.days_late is not None and self.days_late > 0)

    def words(self) -> str:
        """'forecast for 30 April 2027', 'done on 2 March 2027', 'still not done (expected 1 March 2027)'."""
        when = format_date(self.expected) if self.expected else ""
        return {
            State.DONE: f"done on {when}",
            State.FORECAST: f"forecast for {when}",
            State.OVERDUE: f"still not done (expected {when})",
            State.CANCELLED: "cancelled",
            State.UNKNOWN: "with no date",
        }[self.state]

    def verdict(self) -> str:
        """'29 days late', '12 days late so far', 'in time', 'will not happen', 'not known'."""
        if self.state is State.CANCELLED:
            return "will not happen"
        if self.days_late is None:
            return "not known"
        if self.days_late <= 0:
            return "in time"
        return plural(self.days_late, "day") + " late" + (" so far" if self.state is State.OVERDUE else "")


def expected_date(actual: date | None, forecast: date | None, baseline: date | None) -> date | None:
    """The predecessor's date as its dependants read it: actual, else forecast, else baseline."""
    return actual or forecast or baseline


def landing(
    *,
    actual: date | None,
    forecast: date | None,
    baseline: date | None,
    done: bool,
    cancelled: bool,
    needed_by: date,
    today: date,
) -> Landing:
    """How the predecessor lands against `needed_by`, as known on `today`."""
    expected = expected_date(actual, forecast, baseline)
    if cancelled and not done:
        return Landing(State.CANCELLED, expected, needed_by, None)
    if expected is None:
        return Landing(State.UNKNOWN, None, needed_by, None)
    if done:
        return Landing(State.DONE, expected, needed_by, (expected - needed_by).days)
    if expected < today:
        return Landing(State.OVERDUE, expected, needed_by, (today - needed_by).days)
    return Landing(State.FORECAST, expected, needed_by, (expected - needed_by).days)


def loop_through(edges: Iterable[Edge], new: Edge) -> tuple[int, ...] | None:
    """The loop `new` would close among `edges`, as milestone ids from the waiting one round to itself
    (`(a, b, c, a)`: a waits for b, b for c, c for a); None when it closes none."""
    waiting, predecessor = new
    if waiting == predecessor:
        return (waiting, waiting)
    onwards: defaultdict[int, list[int]] = defaultdict(list)
    for start, end in edges:
        onwards[start].append(end)
    came_from: dict[int, int | None] = {predecessor: None}
    queue = deque([predecessor])
    while queue:
        node = queue.popleft()
        if node == waiting:
            path: list[int] = []
            step: int | None = node
            while step is not None:
                path.append(step)
                step = came_from[step]
            return (waiting, *reversed(path))
        for following in onwards[node]:
            if following not in came_from:
                came_from[following] = node
                queue.append(following)
    return None


def loop_message(loop: tuple[int, ...], names: Mapping[int, str]) -> str:
    """The refusal, naming each milestone of the loop by its programme code and title."""
    if len(loop) == 2:
        return "A milestone cannot wait for itself."
    steps = [names.get(milestone_id, f"milestone {milestone_id}") for milestone_id in loop]
    chain = ", which waits for ".join(steps[1:])
    return (
        f"That would make a loop: {steps[0]} would wait for {chain}. "
        "A milestone cannot wait, even through others, for itself."
    )
