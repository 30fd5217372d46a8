"""How far rankings of the same documents agree: Kendall's tau-b, top-k overlap, rank changes.

This module owns the arithmetic behind the Rerank panel's agreement summary and its rank-change
arrows. A *ranking* is what a reranker returns: ``(document index, score)`` pairs, best first.
With ``top_n`` a ranking may list only some of the documents, so every comparison here is made
over the documents both rankings hold, and says how many those were.

- :func:`kendall_tau` is tau-b (the variant that corrects for ties, as ``scipy.stats.kendalltau``
  computes by default), in O(n log n) by Knight's method: sort by one score, then count the
  inversions of the other with a merge sort. Rerankers do give equal scores (duplicate documents,
  scores rounded by the server), so ties are the normal case, not an edge case.
- :func:`top_k_overlap` is the share of the first k documents that both rankings put there.
- :func:`rank_changes` is how many places each document moved against a reference order (the
  input order, or another model's ranking).

Pure Python and Qt-free, so the tests check it against a brute-force definition and the
published reference values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

Ranking = Sequence[tuple[int, float]]

__all__ = [
    "PairAgreement",
    "Ranking",
    "kendall_tau",
    "pairwise_agreement",
    "rank_changes",
    "ranking_tau",
    "top_k_overlap",
]


@dataclass(frozen=True, slots=True)
class PairAgreement:
    """How two rankings (``a`` and ``b`` are their positions in the list given) agree."""

    a: int
    b: int
    #: Kendall's tau-b over the documents both ranked; None when undefined (see kendall_tau).
    tau: float | None
    #: Share of the top ``k`` both rankings have in common (0 to 1); None when k is 0.
    overlap: float | None
    #: The k actually used: the one asked for, cut to the shorter ranking.
    k: int
    #: How many documents both rankings scored (what tau was computed over).
    common: int


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b between paired scores ``x[i]``, ``y[i]``.

    1 when both order every pair alike, -1 when every pair is reversed, about 0 when unrelated.
    None when it is undefined: fewer than two pairs, or every value of ``x`` (or of ``y``) tied.
    Raises ValueError if the lengths differ or a score is NaN (NaN has no order).
    """
    if len(x) != len(y):
        raise ValueError(f"{len(x)} scores against {len(y)}")
    if any(math.isnan(v) for v in x) or any(math.isnan(v) for v in y):
        raise ValueError("a score is NaN")
    n = len(x)
    if n < 2:
        return None
    pairs = sorted(zip(x, y, strict=True))
    total = n * (n - 1) // 2
    x_ties = _tied_pairs([p[0] for p in pairs])
    joint_ties = _tied_pairs(pairs)
    # Sorted by x (then y), every pair i < j out of order in y is discordant; pairs tied in x
    # are in y order already, so they never count.
    ys = [p[1] for p in pairs]
    discordant = _sort_counting_inversions(ys)
    y_ties = _tied_pairs(ys)  # ys is now sorted
    denominator = (total - x_ties) * (total - y_ties)
    if denominator == 0:
        return None
    score = (total - x_ties - y_ties + joint_ties - 2 * discordant) / math.sqrt(denominator)
    return max(-1.0, min(1.0, score))  # rounding can overshoot by an ulp


def _tied_pairs(values: Sequence[object]) -> int:
    """Pairs of equal neighbours' runs in sorted ``values``: the sum of t(t-1)/2 per run."""
    ties = 0
    run = 1
    for previous, current in pairwise(values):
        if current == previous:
            run += 1
        else:
            ties += run * (run - 1) // 2
            run = 1
    return ties + run * (run - 1) // 2


def _sort_counting_inversions(values: list[float]) -> int:
    """Sort ``values`` in place (bottom-up merge sort); return the pairs i < j with
    values[i] > values[j] (equal values are not inversions)."""
    n = len(values)
    buffer = values[:]
    inversions = 0
    width = 1
    source, target = values, buffer
    while width < n:
        for start in range(0, n, 2 * width):
            middle = min(start + width, n)
            end = min(start + 2 * width, n)
            i, j, k = start, middle, start
            while i < middle and j < end:
                if source[j] < source[i]:
                    target[k] = source[j]
                    inversions += middle - i  # source[j] jumps over every value left in i..middle
                    j += 1
                else:
                    target[k] = source[i]
                    i += 1
                k += 1
            target[k : k + middle - i] = source[i:middle]
            k += middle - i
            target[k : k + end - j] = source[j:end]
        source, target = target, source
        width *= 2
    if source is not values:
        values[:] = source
    return inversions


def ranking_tau(a: Ranking, b: Ranking) -> tuple[float | None, int]:
    """Kendall's tau-b of two rankings over the documents both scored, and how many those are."""
    scores_b = dict(b)
    common = [(score, scores_b[index]) for index, score in dict(a).items() if index in scores_b]
    tau = kendall_tau([s for s, _ in common], [s for _, s in common])
    return tau, len(common)


def top_k_overlap(a: Sequence[int], b: Sequence[int], k: int) -> tuple[float | None, int]:
    """The share of documents in the first ``k`` of both orders, and the k used.

    ``a`` and ``b`` are document indices, best first. ``k`` is cut to the shorter order (a
    ranking cut by ``top_n`` has no k-th document to compare); the share is None when that
    leaves nothing to compare.
    """
    if k < 0:
        raise ValueError("k must be >= 0")
    used = min(k, len(a), len(b))
    if used == 0:
        return None, 0
    shared = len(set(a[:used]) & set(b[:used]))
    return shared / used, used


def rank_changes(order: Sequence[int], reference: Sequence[int]) -> dict[int, int]:
    """How many places each document of ``order`` moved against ``reference``.

    Both are document indices, best first. The result maps a document to its position in
    ``reference`` minus its position in ``order``: positive when it moved up, negative when it
    moved down, 0 when it stayed. Documents missing from ``reference`` are left out; a document
    listed twice counts at its first place.
    """
    where: dict[int, int] = {}
    for position, index in enumerate(reference):
        where.setdefault(index, position)
    seen: dict[int, int] = {}
    for position, index in enumerate(order):
        if index in where and index not in seen:
            seen[index] = where[index] - position
    return seen


def pairwise_agreement(rankings: Sequence[Ranking | None], k: int) -> list[PairAgreement]:
    """Tau and top-k overlap for every pair of the rankings that exist (None: a failed model),
    in the order (0, 1), (0, 2), …, (1, 2), …"""
    present = [i for i, ranking in enumerate(rankings) if ranking is not None]
    out: list[PairAgreement] = []
    for i, j in combinations(present, 2):
        first, second = rankings[i], rankings[j]
        assert first is not None and second is not None
        tau, common = ranking_tau(first, second)
        overlap, used = top_k_overlap([d for d, _ in first], [d for d, _ in second], k)
        out.append(PairAgreement(a=i, b=j, tau=tau, overlap=overlap, k=used, common=common))
    return out
