"""The numbers behind the Embeddings panel: similarity matrices, rankings, orderings, 2-D maps
and the comparison of two models on the same texts.

This module owns the arithmetic only. It takes vectors (one row per text, any float dtype) or an
n × n similarity matrix and returns plain numpy arrays and Python lists; it knows nothing of
models, requests, the cache or widgets. numpy is its only dependency (no scipy: it would add
~40 MB to the bundle for two algorithms that fit in a page here). It is imported lazily by the
panel, never at start-up.

Sizes it is written for: up to a few thousand texts of up to 4,096 dimensions. The similarity
matrix and everything derived from it is O(n²) in memory (1,000 texts: 4 MB as float32).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.floating[Any]]

#: Above this many rows or columns, :func:`pca_2d` uses a randomized SVD: the exact one costs
#: ~300 ms for 1,000 × 1,024 on two cores, the randomized one ~30 ms for the same two axes.
PCA_EXACT_LIMIT = 500
#: Randomized PCA: extra directions sampled beyond the two kept, and power iterations. More of
#: either costs little and makes the two axes closer to the exact ones when the spectrum of the
#: data decays slowly (typical of embeddings, where no single direction dominates).
_PCA_OVERSAMPLING = 18
_PCA_POWER_ITERATIONS = 7
#: Fixed, so the same vectors always give the same map.
_PCA_SEED = 20240601


class Disagreement(NamedTuple):
    """A pair of texts two models rank differently (see :func:`disagreements`)."""

    i: int
    j: int
    score_a: float
    score_b: float


# --- similarity -------------------------------------------------------------------------------


def cosine_matrix(vectors: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """The n × n cosine similarity of the rows of ``vectors`` (n × d), as float32.

    Rows are L2-normalised once and multiplied in a single matrix product (numpy hands ``U @ U.T``
    to BLAS ``syrk``, so the result is exactly symmetric and half the work of a general product).
    A zero vector has similarity 0 with everything, itself included; every other row has exactly
    1 on the diagonal. Values are clipped to [-1, 1] (rounding can otherwise give 1.0000001).
    """
    unit, nonzero = _unit_rows(_as_matrix(vectors, "vectors"))
    matrix = unit @ unit.T
    np.clip(matrix, -1.0, 1.0, out=matrix)
    np.fill_diagonal(matrix, nonzero.astype(np.float32))
    return matrix


def rank(query_vector: npt.ArrayLike, vectors: npt.ArrayLike) -> list[tuple[int, float]]:
    """Every row of ``vectors`` as ``(index, cosine similarity to the query)``, best first.

    Equal scores keep their input order. A zero query (or zero row) scores 0.
    """
    matrix = _as_matrix(vectors, "vectors")
    query = np.asarray(query_vector, dtype=np.float32)
    if query.ndim != 1:
        raise ValueError(f"the query must be one vector, got shape {query.shape}")
    if matrix.shape[0] and query.shape[0] != matrix.shape[1]:
        raise ValueError(
            f"the query has {query.shape[0]} dimensions but the vectors have {matrix.shape[1]}"
        )
    if not np.all(np.isfinite(query)):
        raise ValueError("the query vector contains NaN or infinity")
    unit, _ = _unit_rows(matrix)
    unit_query, _ = _unit_rows(query[np.newaxis, :])
    scores = np.clip(unit @ unit_query[0], -1.0, 1.0)
    order = np.argsort(-scores, kind="stable")
    return [(int(i), float(scores[i])) for i in order]


def _as_matrix(vectors: npt.ArrayLike, name: str) -> npt.NDArray[np.float32]:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (one row per text), got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError(f"{name} contain NaN or infinity")
    return matrix


def _unit_rows(
    matrix: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """Rows scaled to length 1 (zero rows stay zero), and which rows were not zero."""
    norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
    nonzero = np.any(matrix != 0, axis=1)
    # float32 squares lose precision below ~1e-19 and overflow above ~1e19: such rows are scaled
    # by their largest entry first, in float64. Embeddings never need this; arbitrary data may.
    fragile = nonzero & ~((norms > 1e-18) & (norms < 1e18))
    safe = np.where(nonzero & ~fragile, norms, np.float32(1.0)).astype(np.float32)
    unit = matrix / safe[:, np.newaxis]
    if np.any(fragile):
        rows = matrix[fragile].astype(np.float64)
        rows /= np.max(np.abs(rows), axis=1, keepdims=True)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        unit[fragile] = rows
    return unit, nonzero


# --- ordering ---------------------------------------------------------------------------------


def cluster_order(matrix: npt.ArrayLike) -> list[int]:
    """A row/column order of the similarity ``matrix`` that puts similar texts next to each other.

    Method: average-linkage agglomerative clustering (UPGMA: the similarity of two clusters is the
    mean similarity of their members), then the leaf order of its dendrogram. Each merge also
    chooses which ends of the two sub-orders meet, so that the two most similar end texts become
    neighbours (the tree fixes the blocks; flipping sub-trees costs nothing and makes the
    boundaries between blocks smoother).

    Why this over a greedy seriation (start somewhere, always walk to the nearest unvisited text):
    the greedy walk makes good local chains but strands leftovers at the end and splits groups
    when it leaves them; average linkage reproduces the blocks people look for in a heatmap and
    is robust to a single stray high score. It is built with the nearest-neighbour-chain
    algorithm, which gives the same tree as merging the globally most similar pair each step but
    in O(n²) time: 20–30 ms for n = 1,000 and ~0.3 s for n = 2,000 on two cores (the naive
    method is O(n³)). Memory: one n × n float64 copy.

    The result is deterministic: the same matrix always gives the same order. ``matrix`` must be
    square and finite; it is symmetrised as ``(M + Mᵀ) / 2``.
    """
    sim = np.asarray(matrix, dtype=np.float64)
    if sim.ndim != 2 or sim.shape[0] != sim.shape[1]:
        raise ValueError(f"expected a square similarity matrix, got shape {sim.shape}")
    if not np.all(np.isfinite(sim)):
        raise ValueError("the similarity matrix contains NaN or infinity")
    n = sim.shape[0]
    if n <= 2:
        return list(range(n))
    sim = (sim + sim.T) / 2.0
    members: list[list[int]] = [[i] for i in range(n)]
    for keep, gone, _ in _average_linkage(sim):
        # ``keep`` is the smallest leaf of the merged cluster, so the cluster holding it goes
        # first: the choice depends only on the tree, not on the order merges were found in.
        members[keep] = _join(members[keep], members[gone], sim)
        members[gone] = []
    return next(m for m in members if m)


def _join(first: list[int], second: list[int], sim: npt.NDArray[np.float64]) -> list[int]:
    """``first`` and ``second`` concatenated, each possibly reversed, so the most similar pair of
    end texts meets in the middle. Ties keep the unreversed orientation."""
    options = (
        (sim[first[-1], second[0]], False, False),
        (sim[first[-1], second[-1]], False, True),
        (sim[first[0], second[0]], True, False),
        (sim[first[0], second[-1]], True, True),
    )
    best = max(options, key=lambda option: option[0])  # max keeps the first of equal options
    _, flip_first, flip_second = best
    left = first[::-1] if flip_first else first
    right = second[::-1] if flip_second else second
    return left + right


def _average_linkage(sim: npt.NDArray[np.float64]) -> list[tuple[int, int, float]]:
    """The merges of average-linkage clustering of a symmetric similarity matrix.

    Returns ``(keep, gone, similarity)`` per merge, in the order they are found (not sorted by
    similarity): cluster slot ``keep`` absorbs slot ``gone``, a slot being named by the first leaf
    that occupied it (which is also the smallest leaf of its cluster).

    Nearest-neighbour chain: follow each cluster's most similar neighbour until two clusters are
    each other's nearest (reciprocal nearest neighbours). Merging them at once is safe for average
    linkage because it is "reducible": a merge never makes the merged cluster more similar to a
    third one than the better of its parts was, so the rest of the chain stays valid.
    """
    n = sim.shape[0]
    work = sim.copy()  # the linkage is updated in place
    np.fill_diagonal(work, -np.inf)
    size = np.ones(n)
    active = np.ones(n, dtype=bool)
    merges: list[tuple[int, int, float]] = []
    chain: list[int] = []
    while len(merges) < n - 1:
        if not chain:
            chain.append(int(np.argmax(active)))
        tip = chain[-1]
        row = work[tip]
        nearest = int(np.argmax(row))
        # Ties: prefer the cluster we came from, or the chain could cycle forever.
        if len(chain) > 1 and row[chain[-2]] >= row[nearest]:
            nearest = chain[-2]
        if len(chain) > 1 and nearest == chain[-2]:
            chain.pop()
            chain.pop()
            keep, gone = min(tip, nearest), max(tip, nearest)
            merges.append((keep, gone, float(row[nearest])))
            # Lance–Williams update for average linkage: the size-weighted mean of the two rows.
            # Rows of inactive clusters hold -inf, which the mean keeps at -inf.
            merged = (size[keep] * work[keep] + size[gone] * work[gone]) / (size[keep] + size[gone])
            work[keep, :] = merged
            work[:, keep] = merged
            work[keep, keep] = -np.inf
            work[gone, :] = -np.inf
            work[:, gone] = -np.inf
            size[keep] += size[gone]
            active[gone] = False
        else:
            chain.append(nearest)
    return merges


# --- projection -------------------------------------------------------------------------------


def pca_2d(vectors: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The n × 2 coordinates of the rows of ``vectors`` on their first two principal axes.

    Computed from the SVD of the centred data: exact (LAPACK) when both sides are at most
    :data:`PCA_EXACT_LIMIT`, else a randomized SVD (Halko, Martinsson & Tropp 2011, subspace
    iteration with a fixed seed) at a tenth of the cost. When the data has structure (clusters,
    a decaying spectrum: real embeddings) it finds the exact axes; on structureless noise, whose
    leading singular values are all about equal and whose "first two axes" are arbitrary anyway,
    the axes it picks still show at least ~97 % of the variance the exact ones do. The coordinates
    are an orthogonal projection, so distances on the map never exceed true distances.

    Degenerate inputs are not errors: one text maps to (0, 0); two texts lie on the first axis;
    an axis the data has no spread along (collinear or identical texts) is all zeros. Each axis's
    sign is fixed so that the text farthest from the centre along it (the first of them in input
    order, if several are) has a positive coordinate: the same input always gives the same
    picture, and so does the same input negated or shifted.
    """
    data = np.asarray(vectors, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array (one row per text), got shape {data.shape}")
    if not np.all(np.isfinite(data)):
        raise ValueError("vectors contain NaN or infinity")
    n, d = data.shape
    coords = np.zeros((n, 2))
    if n < 2 or d == 0:
        return coords
    centred = data - data.mean(axis=0)
    if max(n, d) <= PCA_EXACT_LIMIT:
        _, singular, axes = np.linalg.svd(centred, full_matrices=False)
    else:
        singular, axes = _randomized_axes(centred)
    k = min(2, axes.shape[0])
    coords[:, :k] = centred @ axes[:k].T
    # Directions with (numerically) no spread carry rounding noise, not information.
    scale = singular[0] if singular.size else 0.0
    tolerance = max(n, d) * np.finfo(np.float64).eps * scale
    for column in range(k):
        if scale == 0.0 or singular[column] <= tolerance:
            coords[:, column] = 0.0
    # The first text (in input order) among those farthest out along an axis gets a positive
    # coordinate; "farthest" allows for rounding, so mirrored inputs pick the same text.
    magnitude = np.abs(coords)
    farthest = magnitude >= magnitude.max(axis=0) * (1.0 - 1e-9)
    extreme = np.argmax(farthest, axis=0)
    coords *= np.where(coords[extreme, [0, 1]] < 0, -1.0, 1.0)
    return coords


def _randomized_axes(
    centred: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Leading singular values and right singular vectors (rows) of ``centred``, approximately."""
    n, d = centred.shape
    width = min(2 + _PCA_OVERSAMPLING, n, d)
    rng = np.random.default_rng(_PCA_SEED)
    basis, _ = np.linalg.qr(centred @ rng.standard_normal((d, width)))
    # Re-orthonormalising between the two products keeps the small directions from being lost
    # to rounding as the power iterations amplify the large ones.
    for _ in range(_PCA_POWER_ITERATIONS):
        across, _ = np.linalg.qr(centred.T @ basis)
        basis, _ = np.linalg.qr(centred @ across)
    _, singular, axes = np.linalg.svd(basis.T @ centred, full_matrices=False)
    return singular, axes


# --- comparing two models ---------------------------------------------------------------------


def spearman_rows(a: npt.ArrayLike, b: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Per row i, the Spearman rank correlation between ``a[i, j]`` and ``b[i, j]`` over j ≠ i.

    ``a`` and ``b`` are the n × n similarity matrices of two models on the same texts. Row i
    answers "do the two models agree on which texts are closest to text i?" (1: same order,
    -1: reversed). The diagonal (a text with itself) is left out. Ties get average ranks, and the
    correlation is Pearson's on the ranks, which is the exact Spearman coefficient with ties.

    A row is NaN when Spearman is undefined for it: n < 3 (at most one other text), or all other
    texts score the same in either model.
    """
    first, second = _paired_square(a, b)
    n = first.shape[0]
    if n < 2:
        return np.full(n, np.nan)
    off = ~np.eye(n, dtype=bool)
    ranks_a = _average_ranks(first[off].reshape(n, n - 1))
    ranks_b = _average_ranks(second[off].reshape(n, n - 1))
    # Average ranks of m values always sum to m(m + 1)/2, so the mean rank is (m + 1)/2 exactly.
    middle = n / 2.0
    ranks_a -= middle
    ranks_b -= middle
    covariance = np.einsum("ij,ij->i", ranks_a, ranks_b)
    spread = np.sqrt(
        np.einsum("ij,ij->i", ranks_a, ranks_a) * np.einsum("ij,ij->i", ranks_b, ranks_b)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = covariance / spread
    rho[spread == 0] = np.nan
    return np.asarray(np.clip(rho, -1.0, 1.0), dtype=np.float64)


def disagreements(a: npt.ArrayLike, b: npt.ArrayLike, k: int) -> list[Disagreement]:
    """The ``k`` pairs of texts (i < j) on which two models disagree most, most first.

    Definition: each model's n(n-1)/2 pair scores (the upper triangle of its similarity matrix)
    are turned into percentile ranks, 0 for its least similar pair and 1 for its most similar
    (ties share their average rank). A pair's disagreement is ``|percentile_a - percentile_b|``.
    Ranks rather than raw scores, because models spread their scores differently (one puts
    unrelated texts at 0.1, another at 0.5): a raw difference would mostly measure that offset,
    whereas the rank difference says "model A thinks this pair is among its closest, model B
    among its farthest". Equal disagreements are listed in (i, j) order.

    Returns fewer than ``k`` pairs when there are fewer; none for ``k <= 0`` or n < 2.
    """
    first, second = _paired_square(a, b)
    n = first.shape[0]
    if k <= 0 or n < 2:
        return []
    rows, cols = np.triu_indices(n, k=1)
    scores_a = first[rows, cols]
    scores_b = second[rows, cols]
    pairs = scores_a.shape[0]
    # Percentiles share the denominator (pairs - 1), so ordering by the difference of the ranks
    # is ordering by the difference of percentiles; ranks are multiples of 1/2, so differences
    # are exact and equal disagreements really compare equal.
    gap = np.abs(
        _average_ranks(scores_a[np.newaxis, :])[0] - _average_ranks(scores_b[np.newaxis, :])[0]
    )
    count = min(k, pairs)
    if count < pairs:
        # Everything at least as large as the k-th largest gap, then an exact sort of those few.
        threshold = np.partition(gap, pairs - count)[pairs - count]
        candidates = np.flatnonzero(gap >= threshold)
    else:
        candidates = np.arange(pairs)
    # Pairs come in (i, j) order from triu_indices, so a stable sort on -gap breaks ties by (i, j).
    chosen = candidates[np.argsort(-gap[candidates], kind="stable")][:count]
    return [
        Disagreement(int(rows[p]), int(cols[p]), float(scores_a[p]), float(scores_b[p]))
        for p in chosen
    ]


def _float_array(values: npt.ArrayLike) -> FloatArray:
    array = np.asarray(values)
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    return array


def _paired_square(a: npt.ArrayLike, b: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    # float32 matrices stay float32: ranking needs no more precision than the scores have.
    first = _float_array(a)
    second = _float_array(b)
    if first.ndim != 2 or first.shape[0] != first.shape[1]:
        raise ValueError(f"expected square similarity matrices, got shape {first.shape}")
    if first.shape != second.shape:
        raise ValueError(
            f"the two matrices must cover the same texts: {first.shape} vs {second.shape}"
        )
    if not (np.all(np.isfinite(first)) and np.all(np.isfinite(second))):
        raise ValueError("the similarity matrices contain NaN or infinity")
    return first, second


def _average_ranks(values: FloatArray) -> npt.NDArray[np.float64]:
    """1-based ranks within each row of ``values`` (r × m); tied values share their mean rank."""
    r, m = values.shape
    order = np.argsort(values, axis=1)
    ordered = np.take_along_axis(values, order, axis=1)
    tied = ordered[:, 1:] == ordered[:, :-1]
    by_position: npt.NDArray[np.float64] = np.broadcast_to(np.arange(1.0, m + 1.0), (r, m))
    if np.any(tied):
        # Each run of equal values in a sorted row is one group; a group's rank is the mean of
        # its first and last position. Rows are flattened into one sequence (every row starts a
        # new group) so all groups of all rows are handled by the same few array operations.
        starts = np.ones((r, m), dtype=bool)
        starts[:, 1:] = ~tied
        first = np.flatnonzero(starts)
        after = np.append(first[1:], r * m)
        mean = (first + after - 1) / 2.0 - (first // m) * m + 1.0
        by_position = mean[np.cumsum(starts.ravel()) - 1].reshape(r, m)
    ranks = np.empty((r, m))
    np.put_along_axis(ranks, order, by_position, axis=1)
    return ranks
