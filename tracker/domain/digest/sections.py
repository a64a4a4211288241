"""The sections of a digest, each a frozen value worked out from the digest source for some programmes.

Each section keeps its count and only its first few lines (`shown`), so only those are put into words.

Pure functions of plain values: no Flask, no database, no clock (`today` comes in with the source).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.domain.calendar import london_today
from tracker.domain.definitions import overdue_days
from tracker.domain.digest.links import Links
from tracker.domain.digest.rows import (
    DUE_SOON_DAYS,
    AssessmentRow,
    ChangeRow,
    ClosedBenefitRow,
    MilestoneRow,
    RequestRow,
)
from tracker.domain.digest.shown import SHOWN_PER_SECTION, ListLink, Section, first_few
from tracker.domain.evidence import describe
from tracker.domain.flags import Flag, Severity
from tracker.domain.rating import Rating
from tracker.domain.risk_rules import RULE_LABELS
from tracker.domain.vocabulary import Trend

FLAGS_PER_PROGRAMME = 5
_WORST_FIRST = {"red": 0, "amber": 1, "green": 2}  # keyed by value: ratings and severities are StrEnums
_RANK = {rating: rating.rank for rating in Rating}  # looked up once: the loop below runs per programme


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
class ChangeLine:
    programme: ProgrammeRef
    kind: str
    title: str
    approved: bool
    moved: str
    decided_by: str
    decided_on: date
    note: str
    url: str


@dataclass(frozen=True)
class TodoLine:
    programme: ProgrammeRef
    text: str
    url: str


def movements(
    latest: dict[int, AssessmentRow],
    previous: dict[int, AssessmentRow],
    refs: dict[int, ProgrammeRef],
    links: Links,
    *,
    mine: bool,
) -> tuple[Section[Movement], Section[Movement]]:
    """Programmes newly at risk or worse, and those improved or resolved, since a week before; worst first.

    A move is a change of rating or of flags; a score that crept up (a stale flag a week older)
    with the same rating and the same flags is not news. Only the shown moves are put into words.
    """
    worse: list[_Move] = []
    better: list[_Move] = []
    for pid, now in latest.items():
        before = previous.get(pid)
        rank, was = _RANK[now.rating], _RANK[before.rating if before else Rating.GREEN]
        added, cleared = _new_or_escalated(now, before), _cleared_or_eased(now, before)
        if rank > was or (rank == was and added):
            kind = Trend.NEW if before is None or not before.flags else Trend.WORSE
            worse.append(_Move(pid, now, before, kind, added))
        elif rank < was or (rank == was and cleared):
            better.append(_Move(pid, now, before, Trend.BETTER if now.flags else Trend.RESOLVED, cleared))
    return _moves_section(worse, refs, links, mine=mine), _moves_section(better, refs, links, mine=mine)


@dataclass(frozen=True)
class _Move:
    pid: int
    now: AssessmentRow
    before: AssessmentRow | None
    kind: Trend
    changes: tuple[tuple[Flag, str], ...]


def _moves_section(
    moves: list[_Move], refs: dict[int, ProgrammeRef], links: Links, *, mine: bool
) -> Section[Movement]:
    moves.sort(key=lambda move: (_WORST_FIRST[move.now.rating], refs[move.pid].code))
    shown = [_movement(move, refs[move.pid]) for move in moves[:SHOWN_PER_SECTION]]
    ratings = sorted({move.now.rating.value for move in moves[SHOWN_PER_SECTION:]}, key=_WORST_FIRST.get)
    rest = [
        ListLink(f"{_whose(mine)} {rating} programmes", links.programmes(rating=rating, mine=mine))
        for rating in ratings
    ]
    return first_few(shown, rest, total=len(moves))


def _movement(move: _Move, ref: ProgrammeRef) -> Movement:
    ordered = sorted(move.changes, key=lambda change: _WORST_FIRST[change[0].severity])
    shown = tuple(_line(flag, change) for flag, change in ordered[:FLAGS_PER_PROGRAMME])
    return Movement(
        ref, move.now.rating.value, _rating(move.before), move.kind.value, shown, len(ordered) - len(shown)
    )


def _whose(mine: bool) -> str:
    return "your" if mine else "all"


def _rating(row: AssessmentRow | None) -> str | None:
    return None if row is None else row.rating.value


def _key(flag: Flag) -> tuple[str, str, int]:
    """A flag's identity across scans: its rule and the record it is about."""
    subject = flag.subject
    return (flag.rule, subject.kind if subject else "", subject.id if subject else 0)


def _new_or_escalated(now: AssessmentRow, before: AssessmentRow | None) -> tuple[tuple[Flag, str], ...]:
    old = {_key(flag): flag for flag in (before.flags if before else ())}
    changes = []
    for flag in now.flags:
        was = old.get(_key(flag))
        if was is None:
            changes.append((flag, "new"))
        elif was.severity is Severity.AMBER and flag.severity is Severity.RED:
            changes.append((flag, "worse"))
    return tuple(changes)


def _cleared_or_eased(now: AssessmentRow, before: AssessmentRow | None) -> tuple[tuple[Flag, str], ...]:
    current = {_key(flag): flag for flag in now.flags}
    changes = []
    for flag in before.flags if before else ():
        still = current.get(_key(flag))
        if still is None:
            changes.append((flag, "resolved"))
        elif flag.severity is Severity.RED and still.severity is Severity.AMBER:
            changes.append((still, "eased"))
    return tuple(changes)


def _line(flag: Flag, change: str) -> FlagLine:
    label = RULE_LABELS.get(flag.rule, flag.rule.replace("_", " ").capitalize())
    return FlagLine(
        label, flag.severity.value, flag.message, tuple(describe(flag.rule, flag.evidence)), change
    )


@dataclass(frozen=True)
class MilestoneSections:
    """Overdue and due-soon milestones, and how many of each every programme has (for the to-do list)."""

    overdue: Section[MilestoneLine]
    due_soon: Section[MilestoneLine]
    late_by_programme: Counter[int]
    soon_by_programme: Counter[int]


def milestones(
    rows: Iterable[MilestoneRow], refs: dict[int, ProgrammeRef], today: date, links: Links, *, mine: bool
) -> MilestoneSections:
    """Overdue (past the approved baseline, oldest first) and due in the next 14 days (soonest first)."""
    overdue: list[tuple[int, str, MilestoneRow]] = []
    due_soon: list[tuple[int, str, MilestoneRow]] = []
    for row in rows:
        code = refs[row.programme_id].code
        days_late = overdue_days(True, row.baseline_date, today)  # the source reads open milestones only
        if days_late is not None:
            overdue.append((-days_late, code, row))
            continue
        days = ((row.forecast_date or row.baseline_date) - today).days
        if 0 <= days <= DUE_SOON_DAYS:
            due_soon.append((days, code, row))
    overdue.sort(key=lambda entry: entry[:2])
    due_soon.sort(key=lambda entry: entry[:2])
    weeks = DUE_SOON_DAYS // 7
    return MilestoneSections(
        first_few(
            [_milestone_line(row, -days, refs, links) for days, _, row in overdue[:SHOWN_PER_SECTION]],
            [ListLink(f"{_whose(mine)} overdue milestones", links.milestones("overdue", mine=mine))],
            total=len(overdue),
        ),
        first_few(
            [_milestone_line(row, days, refs, links) for days, _, row in due_soon[:SHOWN_PER_SECTION]],
            [
                ListLink(
                    f"{_whose(mine)} milestones due in the next {weeks} weeks",
                    links.milestones(weeks, mine=mine),
                )
            ],
            total=len(due_soon),
        ),
        Counter(row.programme_id for _, _, row in overdue),
        Counter(row.programme_id for _, _, row in due_soon),
    )


def _milestone_line(
    row: MilestoneRow, days: int, refs: dict[int, ProgrammeRef], links: Links
) -> MilestoneLine:
    ref = refs[row.programme_id]
    return MilestoneLine(
        ref,
        row.title,
        row.critical,
        row.baseline_date,
        row.forecast_date,
        days,
        links.section(ref.code, "milestones"),
    )


def flagged(
    latest: dict[int, AssessmentRow],
    refs: dict[int, ProgrammeRef],
    rule: str,
    links: Links,
    section: str,
    *,
    mine: bool,
) -> Section[FlagItem]:
    """Every flag one rule raised on these programmes, red first, each linking to its section."""
    found = sorted(
        (
            (_WORST_FIRST[flag.severity], refs[pid].code, pid, flag)
            for pid, row in latest.items()
            for flag in row.flags
            if flag.rule == rule
        ),
        key=lambda entry: entry[:2],
    )
    shown = [
        FlagItem(refs[pid], flag.severity.value, flag.message, links.section(refs[pid].code, section))
        for _, _, pid, flag in found[:SHOWN_PER_SECTION]
    ]
    label = RULE_LABELS.get(rule, rule)
    rest = [ListLink(f"{_whose(mine)} programmes flagged “{label}”", links.programmes(flag=rule, mine=mine))]
    return first_few(shown, rest, total=len(found))


def requests(
    rows: Sequence[RequestRow], refs: dict[int, ProgrammeRef], links: Links, *, approver: bool
) -> Section[RequestLine]:
    """Pending re-baselines, oldest first; an approver's link goes to the approval queue, others' to the
    milestones."""
    lines = []
    for row in rows[:SHOWN_PER_SECTION]:
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
    rest = ListLink("every request awaiting approval", links.rebaselines())
    if not approver:
        rest = ListLink("your programmes", links.my_programmes)
    return first_few(lines, [rest], total=len(rows))


def decided_changes(
    rows: Sequence[ChangeRow], refs: dict[int, ProgrammeRef], links: Links, *, mine: bool
) -> Section[ChangeLine]:
    """Change requests decided in the week, newest first: approved ones say what moved."""
    lines = [
        ChangeLine(
            refs[row.programme_id],
            row.kind,
            row.title,
            row.approved,
            row.moved,
            row.decided_by,
            london_today(row.decided_at),
            row.note,
            links.change_request(refs[row.programme_id].code, row.id),
        )
        for row in rows[:SHOWN_PER_SECTION]
    ]
    rest = ListLink(
        "your programmes" if mine else "every recent decision",
        links.my_programmes if mine else links.rebaselines(),
    )
    return first_few(lines, [rest], total=len(rows))


@dataclass(frozen=True)
class ClosedBenefitLine:
    code: str
    name: str
    title: str
    owner: str
    message: str
    url: str


def after_closure(rows: Sequence[ClosedBenefitRow], links: Links) -> Section[ClosedBenefitLine]:
    """Benefits of closed programmes behind plan: the programme has gone, the benefit's owner has not."""
    lines = [
        ClosedBenefitLine(
            row.programme_code,
            row.programme_name,
            row.title,
            row.owner,
            row.message,
            links.programme(row.programme_code) + "benefits/",
        )
        for row in rows[:SHOWN_PER_SECTION]
    ]
    return first_few(lines, [], total=len(rows))
