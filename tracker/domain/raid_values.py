"""What a person gives for an action or a decision, and the rules it must keep: pure, so the RAID
register's forms and the spreadsheet import share them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from tracker.domain.vocabulary import ActionStatus, DecisionStatus

Problem = tuple[str | None, str]
"""A field (None: the whole record) and what is wrong with it, as `services.errors.Problem`."""


@dataclass(frozen=True)
class ActionValues:
    """What a person enters for an action; a done action without a date was done today."""

    title: str
    description: str
    owner: str
    due_date: date | None
    entry_id: int | None = None
    status: ActionStatus = ActionStatus.OPEN
    done_on: date | None = None


@dataclass(frozen=True)
class DecisionValues:
    """What a person enters for a decision."""

    title: str
    detail: str
    decided_by: str
    decided_on: date | None
    status: DecisionStatus = DecisionStatus.MADE


def action_problems(values: ActionValues, today: date) -> list[Problem]:
    """Every rule an action breaks (but for the risk or issue it answers): a title, no done date to come."""
    problems: list[Problem] = title_problems(values.title)
    if values.done_on is not None and values.done_on > today:
        problems.append(("done_on", "The date it was done must be today or in the past"))
    return problems


def settled(values: ActionValues, today: date, *, done_before: date | None = None) -> ActionValues:
    """A done action keeps its date (or the one it had), else takes today's; an open one has none."""
    if values.status is ActionStatus.OPEN:
        return replace(values, done_on=None)
    return replace(values, done_on=values.done_on or done_before or today)


def decision_problems(values: DecisionValues, today: date) -> list[Problem]:
    """Every rule a decision breaks: a title, and a decision date not in the future unless only proposed."""
    problems: list[Problem] = title_problems(values.title)
    if values.status is not DecisionStatus.PROPOSED and values.decided_on and values.decided_on > today:
        problems.append(("decided_on", "The date decided must be today or in the past"))
    return problems


def title_problems(title: str) -> list[Problem]:
    return [] if title.strip() else [("title", "Enter the title")]
