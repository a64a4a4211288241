"""The sections of a digest, each a frozen value worked out from the digest source for some programmes.

Pure functions of plain values: no Flask, no database, no clock (`today` comes in with the source).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.domain.calendar import london_today
from tracker.domain.definitions import overdue_days
from tracker.domain.digest.links import Links
from tracker.domain.digest.rows import DUE_SOON_DAYS, AssessmentRow, MilestoneRow, RequestRow
from tracker.domain.evidence import describe
from tracker.domain.flags import Flag, Severity
from tracker.domain.rating import Rating
from tracker.domain.risk_rules import RULE_LABELS
from tracker.domain.vocabulary import Trend

FLAGS_PER_PROGRAMME = 5
_WORST_FIRST = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class ProgrammeRef:
    code: str
    name: str
    manager: str
    manager_email: str
    url: str


@dataclass(frozen=True)
class FlagLine:
    label: str
    severity: str
    message: str
    evidence: tuple[tuple[str, str], ...]
    change: str  # "new", "worse" (amber to red), "resolved" or "eased" (red to amber)


@dataclass(frozen=True)
class Movement:
    programme: ProgrammeRef
    rating: str
    previous: str | None
    trend: str
    flags: tuple[FlagLine, ...]  # the first few that changed, worst first
    more_flags: int  # how many more changed: the programme page lists them


@dataclass(frozen=True)
class MilestoneLine:
    programme: ProgrammeRef
    title: str
    critical: bool
    baseline: date
    forecast: date | None
    days: int  # days overdue (overdue list) or days until due (due-soon list)
    url: str


@dataclass(frozen=True)
class FlagItem:
    programme: ProgrammeRef
    severity: str
    message: str
    url: str


@dataclass(frozen=True)
class RequestLine:
    programme: ProgrammeRef
    milestone: str
    baseline: date
    proposed: date
    requested_by: str
    requested_on: date
    reason: str
    url: str


@dataclass(frozen=True)
class TodoLine:
    programme: ProgrammeRef
    text: str
    url: str


def movements(
    latest: dict[int, AssessmentRow], previous: dict[int, AssessmentRow], refs: dict[int, ProgrammeRef]
) -> tuple[tuple[Movement, ...], tuple[Movement, ...]]:
    """Programmes newly at risk or worse, and those improved or resolved, since a week before.

    A move is a change of rating or of flags; a score that crept up (a stale flag a week older)
    with the same rating and the same flags is not news.
    """
    worse, better = [], []
    for pid, now in latest.items():
        before = previous.get(pid)
        was = before.rating if before else Rating.GREEN
        added, cleared = _new_or_escalated(now, before), _cleared_or_eased(now, before)
        if now.rating.rank > was.rank or (now.rating.rank == was.rank and added):
            kind = Trend.NEW if before is None or not before.flags else Trend.WORSE
            target, flags = worse, added
        elif now.rating.rank < was.rank or (now.rating.rank == was.rank and cleared):
            target, flags, kind = better, cleared, Trend.BETTER if now.flags else Trend.RESOLVED
        else:
            continue
        shown = tuple(sorted(flags, key=lambda line: _WORST_FIRST[line.severity])[:FLAGS_PER_PROGRAMME])
        target.append(
            Movement(refs[pid], now.rating.value, _rating(before), kind.value, shown, len(flags) - len(shown))
        )
    return tuple(sorted(worse, key=_worst_first)), tuple(sorted(better, key=_worst_first))


def _worst_first(movement: Movement) -> tuple[int, str]:
    return (_WORST_FIRST[movement.rating], movement.programme.code)


def _rating(row: AssessmentRow | None) -> str | None:
    return None if row is None else row.rating.value


def _key(flag: Flag) -> tuple[str, str, int]:
    """A flag's identity across scans: its rule and the record it is about."""
    subject = flag.subject
    return (flag.rule, subject.kind if subject else "", subject.id if subject else 0)


def _new_or_escalated(now: AssessmentRow, before: AssessmentRow | None) -> tuple[FlagLine, ...]:
    old = {_key(flag): flag for flag in (before.flags if before else ())}
    lines = []
    for flag in now.flags:
        was = old.get(_key(flag))
        if was is None:
            lines.append(_line(flag, "new"))
        elif was.severity is Severity.AMBER and flag.severity is Severity.RED:
            lines.append(_line(flag, "worse"))
    return tuple(lines)


def _cleared_or_eased(now: AssessmentRow, before: AssessmentRow | None) -> tuple[FlagLine, ...]:
    current = {_key(flag): flag for flag in now.flags}
    lines = []
    for flag in before.flags if before else ():
        still = current.get(_key(flag))
        if still is None:
            lines.append(_line(flag, "resolved"))
        elif flag.severity is Severity.RED and still.severity is Severity.AMBER:
            lines.append(_line(still, "eased"))
    return tuple(lines)


def _line(flag: Flag, change: str) -> FlagLine:
    label = RULE_LABELS.get(flag.rule, flag.rule.replace("_", " ").capitalize())
    return FlagLine(
        label, flag.severity.value, flag.message, tuple(describe(flag.rule, flag.evidence)), change
    )


def milestones(
    rows: Iterable[MilestoneRow], refs: dict[int, ProgrammeRef], today: date, links: Links
) -> tuple[tuple[MilestoneLine, ...], tuple[MilestoneLine, ...]]:
    """Overdue (past the approved baseline, oldest first) and due in the next 14 days (soonest first)."""
    overdue, due_soon = [], []
    for row in rows:
        ref = refs[row.programme_id]
        url = links.section(ref.code, "milestones")
        due = row.forecast_date or row.baseline_date
        days_late = overdue_days(True, row.baseline_date, today)  # the source reads open milestones only
        if days_late is not None:
            days = days_late
            overdue.append(
                MilestoneLine(ref, row.title, row.critical, row.baseline_date, row.forecast_date, days, url)
            )
        elif 0 <= (due - today).days <= DUE_SOON_DAYS:
            days = (due - today).days
            due_soon.append(
                MilestoneLine(ref, row.title, row.critical, row.baseline_date, row.forecast_date, days, url)
            )
    overdue.sort(key=lambda line: (-line.days, line.programme.code))
    due_soon.sort(key=lambda line: (line.days, line.programme.code))
    return tuple(overdue), tuple(due_soon)


def flagged(
    latest: dict[int, AssessmentRow], refs: dict[int, ProgrammeRef], rule: str, links: Links, section: str
) -> tuple[FlagItem, ...]:
    """Every flag one rule raised on these programmes, red first, each linking to its section."""
    items = [
        FlagItem(refs[pid], flag.severity.value, flag.message, links.section(refs[pid].code, section))
        for pid, row in latest.items()
        for flag in row.flags
        if flag.rule == rule
    ]
    return tuple(sorted(items, key=lambda item: (_WORST_FIRST[item.severity], item.programme.code)))


def requests(
    rows: Iterable[RequestRow], refs: dict[int, ProgrammeRef], links: Links, *, approver: bool
) -> tuple[RequestLine, ...]:
    """Pending re-baselines; an approver's link goes to the approval queue, others' to the milestones."""
    lines = []
    for row in rows:
        ref = refs[row.programme_id]
        url = links.rebaselines() if approver else links.section(ref.code, "milestones")
        lines.append(
            RequestLine(
                ref,
                row.milestone_title,
                row.baseline_date,
                row.proposed_date,
                row.requested_by,
                london_today(row.requested_at),
                row.reason,
                url,
            )
        )
    return tuple(lines)


# What a programme manager should do this week about a flag, and where.
TODO_BY_RULE: dict[str, tuple[str, str]] = {
    "stale": ("Submit a status update ({message})", "updates"),
    "benefits_behind_trajectory": (
        "Record the latest benefit measurements, or explain the shortfall",
        "benefits",
    ),
    "cost_overrun": ("Review forecast spend against the approved budget", "money"),
    "unmitigated_high_risks": ("Give each high-scoring risk a mitigation and an owner", "risks"),
    "no_benefits": ("Define the benefits, each with an owner in the service", "benefits"),
}


def todo(
    refs: dict[int, ProgrammeRef],
    latest: dict[int, AssessmentRow],
    overdue: tuple[MilestoneLine, ...],
    due_soon: tuple[MilestoneLine, ...],
    links: Links,
) -> tuple[TodoLine, ...]:
    """What to update this week, per programme: late and imminent milestones, then what the flags ask."""
    lines = []
    for pid, ref in sorted(refs.items(), key=lambda item: item[1].code):
        milestones_url = links.section(ref.code, "milestones")
        late = sum(1 for line in overdue if line.programme == ref)
        soon = sum(1 for line in due_soon if line.programme == ref)
        if late:
            what = "1 overdue milestone" if late == 1 else f"{late} overdue milestones"
            text = f"Record progress on {what}: the actual date, or a new forecast with the reason"
            lines.append(TodoLine(ref, text, milestones_url))
        if soon:
            what = "1 milestone" if soon == 1 else f"{soon} milestones"
            text = f"Confirm the forecast for {what} due in the next {DUE_SOON_DAYS} days"
            lines.append(TodoLine(ref, text, milestones_url))
        rules = dict.fromkeys(flag.rule for flag in latest[pid].flags) if pid in latest else {}
        messages = {flag.rule: flag.message for flag in reversed(latest[pid].flags)} if pid in latest else {}
        for rule in rules:
            if rule in TODO_BY_RULE:
                text, section = TODO_BY_RULE[rule]
                message = messages[rule][:1].lower() + messages[rule][1:]
                lines.append(TodoLine(ref, text.format(message=message), links.section(ref.code, section)))
    return tuple(lines)
