"""The risk and issue register: entries, their 5x5 matrix, and raising an issue from a risk."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import case, select

from tracker.extensions import db
from tracker.models import AuditAction, EntryKind, EntryStatus, Programme, RegisterEntry, Response, User
from tracker.services import audit
from tracker.services.editing import check_version, commit_or_conflict, mark_programme_updated
from tracker.services.errors import Invalid, NotFound, Problem
from tracker.services.ratings.rerating import Trigger
from tracker.services.settings import current_thresholds

SCALE = range(1, 6)
ISSUE_LIKELIHOOD = 5
"""An issue has happened: it is certain."""


@dataclass(frozen=True)
class EntryValues:
    """What a person enters for a register entry."""

    kind: EntryKind
    title: str
    description: str
    likelihood: int
    impact: int
    owner: str
    response: Response
    mitigation: str
    review_date: date | None
    status: EntryStatus = EntryStatus.OPEN


@dataclass(frozen=True)
class MatrixCell:
    """How many open entries sit at one likelihood and impact."""

    likelihood: int
    impact: int
    count: int
    band: str  # low, medium or high

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class Matrix:
    """Likelihood down (5 at the top), impact across (1 on the left)."""

    rows: list[list[MatrixCell]]
    high_score: int

    @property
    def total(self) -> int:
        return sum(cell.count for row in self.rows for cell in row)


def list_entries(programme: Programme) -> list[RegisterEntry]:
    """Open entries first, highest score first, in one query."""
    return list(
        db.session.scalars(
            select(RegisterEntry)
            .where(RegisterEntry.programme_id == programme.id)
            .order_by(
                case((RegisterEntry.status == EntryStatus.OPEN, 0), else_=1),
                (RegisterEntry.likelihood * RegisterEntry.impact).desc(),
                RegisterEntry.id,
            )
        )
    )


def risk_matrix(entries: list[RegisterEntry]) -> Matrix:
    """Count the open entries in each cell of the 5x5 grid, banded as the risk scan sees them."""
    high = current_thresholds().high_risk_score
    counts = Counter(
        (entry.likelihood, entry.impact) for entry in entries if entry.status is EntryStatus.OPEN
    )
    rows = [
        [MatrixCell(lik, imp, counts[(lik, imp)], band_for(lik * imp, high)) for imp in SCALE]
        for lik in reversed(SCALE)
    ]
    return Matrix(rows=rows, high_score=high)


def band_for(score: int, high_score: int) -> str:
    """High from the scan's threshold up; low for the bottom corner of the grid."""
    if score >= high_score:
        return "high"
    return "medium" if score >= 5 else "low"


def get_entry(programme: Programme, entry_id: int) -> RegisterEntry:
    """An entry of this programme, or NotFound."""
    entry = db.session.scalar(
        select(RegisterEntry).where(RegisterEntry.id == entry_id, RegisterEntry.programme_id == programme.id)
    )
    if entry is None:
        raise NotFound("There is no such entry in this register")
    return entry


def create_entry(programme: Programme, *, values: EntryValues, user: User) -> RegisterEntry:
    """Add a risk or an issue to a programme's register."""
    user_id = user.id
    _check(values)
    entry = RegisterEntry(programme_id=programme.id, updated_by_id=user_id, **asdict(values))
    db.session.add(entry)
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        entry,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Added {values.kind.value} '{values.title}' (score {values.likelihood * values.impact})",
        changes={name: (None, value) for name, value in asdict(values).items() if value not in (None, "")},
    )
    mark_programme_updated(programme.id, trigger=Trigger.REGISTER, user_id=user_id)
    db.session.commit()
    return entry


def update_entry(
    programme: Programme,
    *,
    entry_id: int,
    values: EntryValues,
    expected_version: int | None,
    user: User,
) -> RegisterEntry:
    """Change an entry, refusing a save made from a stale copy."""
    user_id = user.id
    entry = get_entry(programme, entry_id)
    check_version(entry, expected_version, what="register entry")
    _check(values)
    changes = audit.apply_changes(entry, asdict(values))
    if not changes:
        return entry
    entry.updated_by_id = user_id
    audit.record(
        AuditAction.UPDATE,
        entry,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Changed {entry.kind.value} '{entry.title}'",
        changes=changes,
    )
    mark_programme_updated(programme.id, trigger=Trigger.REGISTER, user_id=user_id)
    commit_or_conflict(what="entry")
    return entry


def delete_entry(programme: Programme, *, entry_id: int, expected_version: int | None, user: User) -> str:
    """Remove an entry; issues raised from it keep their own record."""
    user_id = user.id
    entry = get_entry(programme, entry_id)
    check_version(entry, expected_version, what="register entry")
    title = entry.title
    audit.record(
        AuditAction.DELETE,
        entry,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Deleted {entry.kind.value} '{title}'",
        changes={"title": (title, None), "score": (entry.score, None)},
    )
    db.session.delete(entry)
    mark_programme_updated(programme.id, trigger=Trigger.REGISTER, user_id=user_id)
    commit_or_conflict(what="entry")
    return title


def raise_issue(
    programme: Programme, *, risk_id: int, expected_version: int | None, user: User
) -> RegisterEntry:
    """The risk happened: open an issue that points back at it, and close the risk."""
    user_id = user.id
    risk = get_entry(programme, risk_id)
    check_version(risk, expected_version, what="risk")
    if risk.kind is not EntryKind.RISK:
        raise Invalid("This is already an issue")
    if risk.status is not EntryStatus.OPEN:
        raise Invalid("This risk is closed. Reopen it before raising it as an issue")
    issue = RegisterEntry(
        programme_id=programme.id,
        kind=EntryKind.ISSUE,
        title=risk.title,
        description=risk.description,
        likelihood=ISSUE_LIKELIHOOD,
        impact=risk.impact,
        owner=risk.owner,
        response=Response.TREAT,
        mitigation=risk.mitigation,
        review_date=risk.review_date,
        raised_from_id=risk.id,
        updated_by_id=user_id,
    )
    db.session.add(issue)
    risk.status = EntryStatus.CLOSED
    risk.updated_by_id = user_id
    db.session.flush()
    audit.record(
        AuditAction.CREATE,
        issue,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Raised risk '{risk.title}' as an issue",
        changes={
            "kind": (None, EntryKind.ISSUE),
            "raised_from": (None, risk.id),
            "score": (None, issue.score),
        },
    )
    audit.record(
        AuditAction.UPDATE,
        risk,
        user_id=user_id,
        programme_id=programme.id,
        summary=f"Closed risk '{risk.title}': it happened and is now an issue",
        changes={"status": (EntryStatus.OPEN, EntryStatus.CLOSED)},
    )
    mark_programme_updated(programme.id, trigger=Trigger.REGISTER, user_id=user_id)
    commit_or_conflict(what="entry")
    return issue


def entry_problems(values: EntryValues) -> list[Problem]:
    """Every rule an entry breaks: a title, and the scale of 1 to 5 (the database refuses anything else)."""
    problems: list[Problem] = []
    if not values.title.strip():
        problems.append(("title", "Enter the title"))
    for field, value in (("likelihood", values.likelihood), ("impact", values.impact)):
        if value not in SCALE:
            problems.append((field, f"The {field} must be from 1 to 5"))
    return problems


def _check(values: EntryValues) -> None:
    """Say every problem at once, before the database refuses the first."""
    problems = entry_problems(values)
    if problems:
        raise Invalid.every(problems)
