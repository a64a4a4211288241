"""The pipeline's ranking and sums, with plain values: the weighted score, where unscored programmes go,
the money left and the teams a scenario puts over capacity."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.capacity import Landing, team_months
from tracker.domain.pipeline import (
    CRITERION_KEYS,
    DEFAULT_WEIGHTS,
    Candidate,
    overloads,
    rank,
    scenario_money,
    weighted_score,
)

EVEN = dict.fromkeys(CRITERION_KEYS, 1)


def full(value: int, **changes: int) -> dict[str, int]:
    return {key: changes.get(key, value) for key in CRITERION_KEYS}


def test_the_weighted_score_is_weight_times_score_over_the_weights_to_one_decimal_place() -> None:
    weights = {**dict.fromkeys(CRITERION_KEYS, 0), "strategic_fit": 2, "cost": 1}
    [ranked] = rank([Candidate(1, "A", full(0, strategic_fit=5, cost=3))], weights)
    assert ranked.score == Decimal("4.3")  # (2 x 5 + 1 x 3) / 3 = 4.33...
    assert ranked.complete


def test_higher_scores_rank_first_and_ties_go_by_code() -> None:
    ranked = rank([Candidate(1, "C", full(2)), Candidate(2, "B", full(4)), Candidate(3, "A", full(2))], EVEN)
    assert [(item.rank, item.candidate.code) for item in ranked] == [(1, "B"), (2, "A"), (3, "C")]


def test_a_programme_missing_scores_is_ranked_after_every_scored_one_and_says_what_is_missing() -> None:
    partial = Candidate(1, "A", {key: 5 for key in CRITERION_KEYS if key != "risk"})
    ranked = rank([partial, Candidate(2, "B", full(0))], DEFAULT_WEIGHTS)
    assert [item.candidate.code for item in ranked] == ["B", "A"]
    assert ranked[1].score is None and ranked[1].missing == ("Risk",)
    assert ranked[0].score == Decimal("0.0")  # scored 0 everywhere: known, and not the same as unknown


def test_weights_all_zero_rank_nobody_by_score() -> None:
    ranked = rank([Candidate(1, "B", full(5)), Candidate(2, "A", full(1))], dict.fromkeys(CRITERION_KEYS, 0))
    assert [item.candidate.code for item in ranked] == ["A", "B"]
    assert all(item.score is None and not item.missing for item in ranked)


scores = st.dictionaries(st.sampled_from(CRITERION_KEYS), st.integers(0, 5))
weights = st.fixed_dictionaries({key: st.integers(0, 10) for key in CRITERION_KEYS})


@given(
    st.lists(scores, min_size=1, max_size=8),
    weights,
    st.data(),
)
def test_raising_one_score_never_lowers_a_programmes_rank(field, weights, data) -> None:
    candidates = [Candidate(i, f"P{i:02d}", s) for i, s in enumerate(field)]
    who = data.draw(st.integers(0, len(candidates) - 1))
    key = data.draw(st.sampled_from(CRITERION_KEYS))
    before = candidates[who].scores.get(key)
    raised = data.draw(st.integers(0 if before is None else before, 5))
    changed = list(candidates)
    changed[who] = Candidate(who, f"P{who:02d}", {**candidates[who].scores, key: raised})

    def position(ranking) -> int:
        return next(item.rank for item in ranking if item.candidate.programme_id == who)

    assert position(rank(changed, weights)) <= position(rank(candidates, weights))


@given(st.lists(scores, max_size=10), weights)
def test_every_programme_is_ranked_once_and_the_scored_come_first(field, weights) -> None:
    ranked = rank([Candidate(i, f"P{i:02d}", s) for i, s in enumerate(field)], weights)
    assert [item.rank for item in ranked] == list(range(1, len(field) + 1))
    known = [item.score is not None for item in ranked]
    assert known == sorted(known, reverse=True)
    values = [item.score for item in ranked if item.score is not None]
    assert values == sorted(values, reverse=True)
    assert all(Decimal(0) <= value <= Decimal(5) for value in values)


def test_money_left_is_the_envelope_less_what_is_known_and_counts_what_is_not() -> None:
    money = scenario_money(
        Decimal("1000000"),
        Decimal("600000"),
        [Decimal("250000"), None, Decimal("50000")],
        committed_count=2,
        committed_unknown=1,
    )
    assert money.left == Decimal("100000")
    assert (money.committed_unknown, money.chosen_unknown, money.chosen_count) == (1, 1, 3)
    assert not money.over
    assert scenario_money(Decimal("100"), Decimal("150"), [], committed_count=1, committed_unknown=0).over


def test_without_an_envelope_the_money_left_cannot_be_worked_out() -> None:
    money = scenario_money(None, Decimal("1"), [Decimal("2")], committed_count=1, committed_unknown=0)
    assert money.left is None


def test_the_shown_score_rounds_halves_up_to_one_place() -> None:
    weights = {**dict.fromkeys(CRITERION_KEYS, 0), "risk": 1, "cost": 1}
    assert weighted_score(full(0, risk=4, cost=3), weights) == Decimal("3.5")
    assert weighted_score(full(0), dict.fromkeys(CRITERION_KEYS, 0)) is None
    assert weighted_score({"risk": 5}, weights) is None


def test_overloads_say_which_team_months_the_scenario_itself_pushed_over() -> None:
    months = (date(2027, 1, 1), date(2027, 2, 1))
    capacities = {1: Decimal("10"), 2: Decimal("5"), 3: None}
    committed = [
        Landing(1, date(2027, 1, 1), 100, 1, Decimal("8")),
        Landing(2, date(2027, 2, 1), 100, 2, Decimal("6")),  # already over
        Landing(3, date(2027, 1, 1), 100, 3, Decimal("50")),  # capacity not set: never over
    ]
    chosen = [
        Landing(1, date(2027, 1, 1), 200, 4, Decimal("3")),
        Landing(2, date(2027, 2, 1), 200, 5, Decimal("1")),
        Landing(3, date(2027, 1, 1), 200, 6, Decimal("1")),
    ]
    without = team_months(committed, capacities, months)
    found = overloads(without, team_months(committed + chosen, capacities, months))
    assert [(item.team_id, item.month, item.pushed, item.load_with) for item in found] == [
        (1, date(2027, 1, 1), True, Decimal("11")),
        (2, date(2027, 2, 1), False, Decimal("7")),
    ]
    assert overloads(without, without) == [
        found[1].__class__(2, date(2027, 2, 1), Decimal("5"), Decimal("6"), Decimal("6"), False)
    ]
