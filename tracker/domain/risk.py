"""Assess a programme: run every rule, rate the flags, then check the self-assessment against the rating.

Closed programmes are finished, so they are not assessed: Green, score 0, no flags.

`optimism` is added after rating. On the five-point scale Green is step 0 and Red step 4; the
computed Green, Amber and Red sit at steps 0, 2 and 4. A self-assessment three or more steps better
than the computed rating is optimistic: Green or Amber/Green while the computed rating is Red. Green
while the computed rating is Amber (two steps) is not flagged: one amber concern is a matter of
judgement, not of fact. It is an amber flag, so it never changes the rating (already Red) but adds its
10 points to the score, sorting over-optimistic programmes above otherwise equal ones.

`assess(..., include_optimism=False)` gives the rating and score from the facts alone, for comparing
ratings with reported confidence without the comparison feeding itself. Paused programmes are
assessed like any other, except that the `stale` rule leaves them alone.
"""

from dataclasses import dataclass
from datetime import date

from tracker.domain.confidence import rank
from tracker.domain.flags import Flag, Severity, Subject
from tracker.domain.rating import Rating, Summary, rate
from tracker.domain.risk_rules import RULES
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds
from tracker.domain.vocabulary import CONFIDENCE_LABELS, RAG_LABELS


@dataclass(frozen=True)
class Assessment:
    """The result of a scan for one programme: rating, sort score and the flags behind them."""

    rating: Rating
    score: int
    flags: tuple[Flag, ...]

    @property
    def rules(self) -> tuple[str, ...]:
        """The distinct rules that flagged, in the order they first appear."""
        return tuple(dict.fromkeys(flag.rule for flag in self.flags))

    def summary(self) -> Summary:
        """What the next scan needs from this one to work out a trend."""
        return Summary(self.rating, self.score, self.rules)


RATING_STEPS = {Rating.GREEN: 0, Rating.AMBER: 2, Rating.RED: 4}
"""Where each computed rating sits on the five-point scale."""
OPTIMISM_STEPS = 3
"""How many five-point steps better than the computed rating a self-assessment must be to flag."""


def optimism(snapshot: ProgrammeSnapshot, rating: Rating, flag_count: int) -> list[Flag]:
    """Green or Amber/Green reported on a Red programme means the board hears better news than the facts."""
    confidence = snapshot.confidence
    if confidence is None or RATING_STEPS[rating] - rank(confidence) < OPTIMISM_STEPS:
        return []
    label = CONFIDENCE_LABELS[confidence]
    return [
        Flag(
            rule="optimism",
            severity=Severity.AMBER,
            message=f"Reported confidence is {label}, but {flag_count} flags make the computed rating "
            f"{RAG_LABELS[rating]}",
            evidence={"confidence": confidence, "rating": rating.value, "flags": flag_count},
            subject=Subject("programme", snapshot.id),
        )
    ]


def assess(
    snapshot: ProgrammeSnapshot,
    today: date,
    thresholds: Thresholds | None = None,
    *,
    include_optimism: bool = True,
) -> Assessment:
    """Score one programme from plain values; the scan service stores the result as history."""
    if snapshot.stage == "closed":
        return Assessment(Rating.GREEN, 0, ())
    limits = thresholds or Thresholds()
    flags = [flag for _, rule in RULES for flag in rule(snapshot, today, limits)]
    rating, _ = rate(flags)
    if include_optimism:
        flags += optimism(snapshot, rating, len(flags))
    _, score = rate(flags)
    flags.sort(key=lambda flag: flag.severity is not Severity.RED)
    return Assessment(rating, score, tuple(flags))
