"""Agreement between rankings (Rerank panel): Kendall's tau-b against a brute-force definition and
published reference values, top-k overlap, rank changes, and the pairwise summary."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfdesk.core.rank_agreement import (
    PairAgreement,
    kendall_tau,
    pairwise_agreement,
    rank_changes,
    ranking_tau,
    top_k_overlap,
)


def brute_force_tau_b(x: list[float], y: list[float]) -> float | None:
    """The textbook definition, pair by pair: (C − D) / √((C + D + Tx)(C + D + Ty)), where Tx
    counts pairs tied only in x and Ty pairs tied only in y."""
    concordant = discordant = only_x = only_y = 0
    for i, j in itertools.combinations(range(len(x)), 2):
        a = (x[i] > x[j]) - (x[i] < x[j])
        b = (y[i] > y[j]) - (y[i] < y[j])
        if a and b:
            if a == b:
                concordant += 1
            else:
                discordant += 1
        elif a == 0 and b != 0:
            only_x += 1
        elif b == 0 and a != 0:
            only_y += 1
    denominator = (concordant + discordant + only_x) * (concordant + discordant + only_y)
    if denominator == 0:
        return None
    return (concordant - discordant) / math.sqrt(denominator)


def test_tau_b_matches_the_published_scipy_example() -> None:
    # scipy.stats.kendalltau's documented example (tau-b, with ties in both variables).
    x = [12, 2, 1, 12, 2]
    y = [1, 4, 7, 1, 0]
    assert kendall_tau(x, y) == pytest.approx(-0.47140452079103173, abs=1e-15)


def test_tau_of_identical_reversed_and_shifted_orders() -> None:
    scores = [0.9, 0.5, 0.7, 0.1, 0.3]
    assert kendall_tau(scores, scores) == 1.0
    assert kendall_tau(scores, [-s for s in scores]) == -1.0
    # Only the order counts, not the scale: a monotone transform changes nothing.
    assert kendall_tau(scores, [math.exp(10 * s) for s in scores]) == 1.0
    # One adjacent swap among n = 5: 9 concordant, 1 discordant of 10 pairs.
    assert kendall_tau([1, 2, 3, 4, 5], [1, 2, 3, 5, 4]) == pytest.approx(0.8)


def test_tau_is_undefined_without_pairs_or_variation() -> None:
    assert kendall_tau([], []) is None
    assert kendall_tau([0.5], [0.2]) is None
    assert kendall_tau([0.5, 0.5, 0.5], [0.1, 0.2, 0.3]) is None  # every x tied
    with pytest.raises(ValueError, match="3 scores against 2"):
        kendall_tau([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="NaN"):
        kendall_tau([1.0, math.nan], [1.0, 2.0])


# Few distinct values, so ties (in x, in y, in both) are frequent.
_scores = st.lists(st.integers(0, 6).map(float), min_size=0, max_size=40)


@given(st.data())
def test_tau_b_equals_the_brute_force_definition(data: st.DataObject) -> None:
    x = data.draw(_scores)
    y = data.draw(st.lists(st.integers(0, 6).map(float), min_size=len(x), max_size=len(x)))
    expected = brute_force_tau_b(x, y)
    got = kendall_tau(x, y)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-12)


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=60, unique=True))
def test_tau_b_of_distinct_scores_against_a_permutation_count(x: list[float]) -> None:
    y = list(reversed(x))  # every pair of distinct values reversed in position
    order = sorted(range(len(x)), key=x.__getitem__)
    inversions = sum(
        1 for i, j in itertools.combinations(range(len(x)), 2) if y[order[i]] > y[order[j]]
    )
    total = len(x) * (len(x) - 1) // 2
    assert kendall_tau(x, y) == pytest.approx(1 - 2 * inversions / total, abs=1e-12)


def test_ranking_tau_uses_only_the_documents_both_ranked() -> None:
    full = [(0, 0.9), (1, 0.8), (2, 0.7), (3, 0.6), (4, 0.5)]
    cut = [(4, 0.99), (0, 0.5), (1, 0.4)]  # top_n = 3, with document 4 first
    tau, common = ranking_tau(full, cut)
    assert common == 3
    # On {0, 1, 4}: full orders 0 > 1 > 4, cut orders 4 > 0 > 1 → 1 concordant, 2 discordant.
    assert tau == pytest.approx(-1 / 3)
    assert ranking_tau(full, [(2, 0.3)]) == (None, 1)


def test_top_k_overlap() -> None:
    assert top_k_overlap([3, 1, 2, 0], [1, 3, 0, 2], 2) == (1.0, 2)
    assert top_k_overlap([3, 1, 2, 0], [0, 2, 1, 3], 2) == (0.0, 2)
    assert top_k_overlap([3, 1, 2, 0], [3, 2, 1, 0], 3) == (1.0, 3)
    assert top_k_overlap([3, 1, 2, 0], [3, 0, 1, 2], 3) == (pytest.approx(2 / 3), 3)
    # k beyond the shorter ranking (top_n) is cut to it; nothing to compare gives None.
    assert top_k_overlap([3, 1, 2, 0], [1, 3], 5) == (1.0, 2)
    assert top_k_overlap([], [1, 2], 3) == (None, 0)
    assert top_k_overlap([1, 2], [1, 2], 0) == (None, 0)
    with pytest.raises(ValueError):
        top_k_overlap([1], [1], -1)


def test_rank_changes_against_the_input_order_and_another_ranking() -> None:
    # Document 2 went from third to first (up 2); 0 and 1 each went down one.
    assert rank_changes([2, 0, 1], range(3)) == {2: 2, 0: -1, 1: -1}
    assert rank_changes([0, 1, 2], [0, 1, 2]) == {0: 0, 1: 0, 2: 0}
    # Against a baseline that ranks 1 first: 1 moved down 2 in this ranking.
    assert rank_changes([2, 0, 1], [1, 2, 0]) == {2: 1, 0: 1, 1: -2}
    # A document the reference lacks has no change; a repeat counts at its first place.
    assert rank_changes([5, 0, 0], [0]) == {0: -1}


def test_pairwise_agreement_skips_failed_columns_and_keeps_positions() -> None:
    a = [(0, 0.9), (1, 0.5), (2, 0.1)]
    b = [(0, 0.8), (2, 0.6), (1, 0.2)]
    pairs = pairwise_agreement([a, None, b, a], k=1)
    assert [(p.a, p.b) for p in pairs] == [(0, 2), (0, 3), (2, 3)]
    assert pairs[0] == PairAgreement(a=0, b=2, tau=pytest.approx(1 / 3), overlap=1.0, k=1, common=3)
    assert pairs[1].tau == 1.0 and pairs[1].overlap == 1.0
    assert pairwise_agreement([a, None], k=3) == []
