"""Rating: turn a programme's flags into Green, Amber or Red and a score, and compare two scans.

Rating from flags:

| flags                                              | rating |
| -------------------------------------------------- | ------ |
| any red flag                                       | Red    |
| no red, amber flags from 3 or more different rules | Red    |
| no red, amber flags from 1 or 2 rules              | Amber  |
| no flags                                           | Green  |

Amber flags are counted by rule, not one by one, so three late minor milestones are one concern
(Amber) while slippage, overspend and a stale programme together are Red.

Score, for sorting (higher is worse; a Green programme scores 0):

| part           | points                                                          |
| -------------- | --------------------------------------------------------------- |
| each red flag  | 100                                                             |
| each amber     | 10                                                              |
| magnitude      | 0 to 9: the largest flag weight (how far past its threshold)   |

Trend, from the previous scan's (rating, score, rules) to this one's:

| previous                 | current   | trend                                             |
| ------------------------ | --------- | ------------------------------------------------- |
| none (first assessment)  | anything  | new                                               |
| no flags                 | flags     | new                                               |
| flags                    | no flags  | resolved                                          |
| no flags                 | no flags  | same                                              |
| flags                    | flags     | worse or better by rating; if equal, by score;    |
|                          |           | same when both are equal                          |
"""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from tracker.domain.flags import Flag, Severity
from tracker.domain.vocabulary import Rag, Trend

RED_POINTS = 100
AMBER_POINTS = 10
AMBER_RULES_FOR_RED = 3


Rating = Rag
"""A programme's computed rating is a RAG colour; the values are what gets stored."""


class Summary(NamedTuple):
    """What a stored assessment must keep for the next scan to work out a trend."""

    rating: Rating
    score: int
    rules: tuple[str, ...]


def rate(flags: Iterable[Flag]) -> tuple[Rating, int]:
    """The rating must follow from the flags alone, so the page can say exactly which flags made it."""
    flags = list(flags)
    reds = sum(1 for flag in flags if flag.severity is Severity.RED)
    ambers = len(flags) - reds
    amber_rules = {flag.rule for flag in flags if flag.severity is Severity.AMBER}
    if reds or len(amber_rules) >= AMBER_RULES_FOR_RED:
        rating = Rating.RED
    elif ambers:
        rating = Rating.AMBER
    else:
        rating = Rating.GREEN
    magnitude = max((flag.weight for flag in flags), default=0)
    return rating, reds * RED_POINTS + ambers * AMBER_POINTS + magnitude


def trend(previous: Sequence[object] | None, current: Sequence[object]) -> Trend:
    """Digests lead with what changed, so compare this scan's (rating, score, rules) with the last one."""
    if previous is None:
        return Trend.NEW
    before, now = _summary(previous), _summary(current)
    if not before.rules:
        return Trend.NEW if now.rules else Trend.SAME
    if not now.rules:
        return Trend.RESOLVED
    if now.rating.rank != before.rating.rank:
        return Trend.WORSE if now.rating.rank > before.rating.rank else Trend.BETTER
    if now.score != before.score:
        return Trend.WORSE if now.score > before.score else Trend.BETTER
    return Trend.SAME


def _summary(value: Sequence[object]) -> Summary:
    """Accept a Summary or a plain (rating, score, rules) tuple, e.g. as read back from the database."""
    rating, score, rules = value
    if not isinstance(score, int) or isinstance(rules, str) or not isinstance(rules, Iterable):
        raise ValueError("Expected (rating, score, rules)")
    return Summary(Rating(str(rating)), score, tuple(str(rule) for rule in rules))
