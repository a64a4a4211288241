"""Spearman's rho as the calibration computes it: ranks with ties averaged, then Pearson on the ranks."""

from __future__ import annotations

import pytest

from bench.calibration import rank, spearman


def test_tied_values_share_the_average_of_their_ranks() -> None:
    assert rank([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]
    assert rank([3, 3, 3]) == [2.0, 2.0, 2.0]


def test_the_same_order_is_one_and_the_reverse_minus_one() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [9, 4, 1, 0]) == pytest.approx(-1.0)


def test_a_known_value_with_ties() -> None:
    # Ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4 -> rho = 4.5 / sqrt(4.5 * 5) = 0.9487
    assert spearman([1, 5, 5, 9], [1, 2, 3, 4]) == pytest.approx(0.948683, abs=1e-6)


def test_no_rho_when_one_side_does_not_vary() -> None:
    assert spearman([7, 7, 7], [1, 2, 3]) is None
    assert spearman([1], [1]) is None
