"""The summary page's counts from each programme's ratings at the pack's moment and a month before: pure
functions of the rows read, so the pack adds no query per programme."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from tracker.domain.risk_rules import RULE_LABELS
from tracker.domain.vocabulary import FOCUS_LABELS, RAG_LABELS, STAGE_LABELS
from tracker.models import Rag
from tracker.services.dashboard.page import RATING_COLUMNS
from tracker.services.dashboard.totals import SEVERITY, top_flag_message
from tracker.services.packs.reads import RatedProgramme
from tracker.services.portfolio.scope import NOT_RATED, ProgrammeFilter


@dataclass(frozen=True)
class RatingLine:
    """Programmes with a rating (or none yet) at the end of the pack's day, and a month before."""

    key: str
    """A Rag value, or NOT_RATED."""
    label: str
    count: int
    last_month: int

    @property
    def change(self) -> int:
        return self.count - self.last_month


@dataclass(frozen=True)
class RatingMove:
    """A programme rated differently from a month before, and the main reason for its rating now."""

    code: str
    name: str
    before: Rag | None
    """None: not rated a month before."""
    after: Rag
    worse: bool
    why: str


def month_before(day: date) -> date:
    """The same day of the month before, or that month's last day when it is shorter."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def by_rating(rated: list[RatedProgramme], earlier: int | None) -> dict[Rag | None, int]:
    """Programmes by rating at the pack's moment (None) or at one of the earlier moments."""
    counts: dict[Rag | None, int] = {}
    for row in rated:
        rating = row.rating if earlier is None else row.earlier[earlier]
        counts[rating] = counts.get(rating, 0) + 1
    return counts


def rating_lines(rated: list[RatedProgramme]) -> tuple[RatingLine, ...]:
    now, then = by_rating(rated, None), by_rating(rated, 0)

    def keyed(counts: dict[Rag | None, int]) -> dict[str, int]:
        return {(rating.value if rating else NOT_RATED): count for rating, count in counts.items()}

    return tuple(
        RatingLine(key, label, keyed(now).get(key, 0), keyed(then).get(key, 0))
        for key, label in RATING_COLUMNS
    )


def moves(rated: list[RatedProgramme]) -> dict[str, object]:
    """Programmes rated differently from a month before: how many got worse, better or were new, and each."""
    moves = []
    for row in rated:
        before, after = row.earlier[0], row.rating
        if after is None or before == after:
            continue
        worse = before is not None and SEVERITY[after.value] > SEVERITY[before.value]
        moves.append((row, RatingMove(row.code, row.name, before, after, worse, top_flag_message(row.flags))))
    kinds = [
        (2 if move.worse else 1 if move.before is None else 0, row.score or 0, move) for row, move in moves
    ]
    kinds.sort(key=lambda item: (-item[0], -item[1], item[2].code))
    return {
        "worse": sum(1 for kind, _, _ in kinds if kind == 2),
        "new": sum(1 for kind, _, _ in kinds if kind == 1),
        "better": sum(1 for kind, _, _ in kinds if kind == 0),
        "moves": tuple(move for _, _, move in kinds),
    }


def by_directorate(rated: list[RatedProgramme]) -> list[tuple[str, Rag | None, int]]:
    counts: dict[tuple[str, Rag | None], int] = {}
    for row in rated:
        counts[(row.directorate, row.rating)] = counts.get((row.directorate, row.rating), 0) + 1
    return [(directorate, rating, count) for (directorate, rating), count in counts.items()]


def scope_words(filters: ProgrammeFilter, managers: list[tuple[int, str]]) -> str:
    """Whose programmes the pack covers, in words for its cover."""
    words = ["My programmes" if filters.mine else filters.directorate or "Whole council"]
    if filters.mine and filters.directorate:
        words.append(filters.directorate)
    if filters.stage:
        words.append(f"stage: {STAGE_LABELS[filters.stage]}")
    if filters.focus:
        words.append(f"focus: {FOCUS_LABELS[filters.focus]}")
    if filters.manager_id is not None:
        words.append(f"manager: {dict(managers).get(filters.manager_id, 'none')}")
    if filters.rating:
        words.append(f"rated {RAG_LABELS[Rag(filters.rating)] if filters.rating != NOT_RATED else 'not yet'}")
    if filters.flag:
        words.append(f"flagged '{RULE_LABELS.get(filters.flag, filters.flag)}'")
    return ", ".join(words)
