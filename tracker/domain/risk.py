"""Assess a programme: run every rule, rate the flags, then check the self-assessment against the rating.

Closed programmes are finished, so they are not assessed: Green, score 0, no flags.

`optimism` (self-reported Green while the computed rating is Red) is added after rating. It is an
amber flag, so it never changes the rating (which is already Red) but adds its 10 points to the
score, sorting over-optimistic programmes above otherwise equal ones. Paused programmes are assessed
like any other, except that the `stale` rule leaves them alone.
"""

from dataclasses import dataclass
from datetime import date

from tracker.domain.flags import Flag, Severity, Subject
from tracker.domain.rating import Rating, Summary, rate
from tracker.domain.risk_rules import RULES
from tracker.domain.snapshot import ProgrammeSnapshot
from tracker.domain.thresholds import Thresholds


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


def optimism(snapshot: ProgrammeSnapshot, rating: Rating, flag_count: int) -> list[Flag]:
    """A Green self-assessment on a Red programme means the board is hearing better news than the facts."""
    if snapshot.confidence != "green" or rating is not Rating.RED:
        return []
    return [
        Flag(
            rule="optimism",
            severity=Severity.AMBER,
            message=f"Reported confidence is Green, but {flag_count} flags make the computed rating Red",
            evidence={"confidence": "green", "rating": rating.value, "flags": flag_count},
            subject=Subject("programme", snapshot.id),
        )
    ]


def assess(snapshot: ProgrammeSnapshot, today: date, thresholds: Thresholds | None = None) -> Assessment:
    """Score one programme from plain values; the scan service stores the result as history."""
    if snapshot.stage == "closed":
        return Assessment(Rating.GREEN, 0, ())
    limits = thresholds or Thresholds()
    flags = [flag for _, rule in RULES for flag in rule(snapshot, today, limits)]
    rating, _ = rate(flags)
    flags += optimism(snapshot, rating, len(flags))
    _, score = rate(flags)
    flags.sort(key=lambda flag: flag.severity is not Severity.RED)
    return Assessment(rating, score, tuple(flags))
