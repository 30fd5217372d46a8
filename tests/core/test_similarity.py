"""Similarity arithmetic of the Embeddings panel, checked against plain numpy/Python references."""

from __future__ import annotations

import itertools
import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sfdesk.core import similarity
from sfdesk.core.similarity import (
    cluster_order,
    cosine_matrix,
    disagreements,
    pca_2d,
    rank,
    spearman_rows,
)

Matrix = npt.NDArray[np.float64]


def _vectors(max_rows: int = 12, max_cols: int = 8) -> st.SearchStrategy[Matrix]:
    # Zeros are drawn often on purpose: zero rows are the case that used to give NaN.
    elements = st.one_of(st.just(0.0), st.floats(-1e3, 1e3, allow_nan=False, width=32))
    shapes = hnp.array_shapes(min_dims=2, max_dims=2, max_side=max_rows).map(
        lambda s: (s[0], min(s[1], max_cols))
    )
    return hnp.arrays(np.float64, shapes, elements=elements)


def _reference_cosine(vectors: Matrix) -> Matrix:
    data = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(data, axis=1)
    out = np.zeros((len(data), len(data)))
    for i, j in itertools.product(range(len(data)), repeat=2):
        if norms[i] and norms[j]:
            out[i, j] = data[i] @ data[j] / (norms[i] * norms[j])
    return out


# --- cosine_matrix ------------------------------------------------------------------------------


def test_cosine_matrix_matches_a_float64_reference() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((40, 64)).astype(np.float32)
    vectors[5] = 0.0
    matrix = cosine_matrix(vectors)
    assert matrix.dtype == np.float32 and matrix.shape == (40, 40)
    np.testing.assert_allclose(matrix, _reference_cosine(vectors), atol=2e-6)


@given(_vectors())
def test_cosine_matrix_is_symmetric_bounded_with_unit_diagonal(vectors: Matrix) -> None:
    matrix = cosine_matrix(vectors)
    nonzero = np.any(vectors.astype(np.float32) != 0, axis=1)
    assert not np.any(np.isnan(matrix))
    np.testing.assert_array_equal(matrix, matrix.T)
    np.testing.assert_array_equal(np.diag(matrix), nonzero.astype(np.float32))
    assert np.all(matrix <= 1.0) and np.all(matrix >= -1.0)
    # A zero vector is similar to nothing, not NaN-similar to everything.
    assert np.all(matrix[~nonzero] == 0.0)


def test_cosine_ignores_each_vectors_length_even_at_float32_extremes() -> None:
    rng = np.random.default_rng(3)
    base = rng.standard_normal((6, 16))
    scaled = base * np.array([1e-30, 1e-21, 1.0, 1e3, 1e20, 1e30])[:, np.newaxis]
    np.testing.assert_allclose(cosine_matrix(scaled), _reference_cosine(base), atol=2e-6)


def test_cosine_matrix_of_no_texts_is_empty_and_bad_input_is_refused() -> None:
    assert cosine_matrix(np.zeros((0, 8))).shape == (0, 0)
    with pytest.raises(ValueError):
        cosine_matrix(np.ones(5))
    with pytest.raises(ValueError):
        cosine_matrix(np.array([[1.0, np.nan]]))


# --- rank ---------------------------------------------------------------------------------------


def test_rank_lists_every_text_best_first_with_its_cosine() -> None:
    rng = np.random.default_rng(11)
    vectors = rng.standard_normal((30, 12))
    query = rng.standard_normal(12)
    ranked = rank(query, vectors)
    expected = _reference_cosine(np.vstack([query, vectors]))[0, 1:]
    assert sorted(i for i, _ in ranked) == list(range(30))
    assert [i for i, _ in ranked] == list(np.argsort(-expected, kind="stable"))
    for index, score in ranked:
        assert score == pytest.approx(expected[index], abs=1e-6)


def test_rank_keeps_input_order_for_equal_scores_and_scores_zero_queries_zero() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
    assert [i for i, _ in rank([1.0, 0.0], vectors)] == [0, 2, 1, 3]
    assert rank([0.0, 0.0], vectors) == [(0, 0.0), (1, 0.0), (2, 0.0), (3, 0.0)]
    # Long enough for numpy's default (unstable) sort to reorder ties.
    many = np.tile([[1.0, 1.0], [1.0, 0.0]], (40, 1))
    assert [i for i, _ in rank([1.0, 1.0], many)] == [*range(0, 80, 2), *range(1, 80, 2)]
    with pytest.raises(ValueError, match="dimensions"):
        rank([1.0, 0.0, 0.0], vectors)


# --- cluster_order ------------------------------------------------------------------------------


@given(_vectors(max_rows=25))
def test_cluster_order_is_a_permutation(vectors: Matrix) -> None:
    order = cluster_order(cosine_matrix(vectors))
    assert sorted(order) == list(range(len(vectors)))


def test_cluster_order_makes_each_group_contiguous() -> None:
    rng = np.random.default_rng(5)
    centres = rng.standard_normal((6, 48))
    labels = np.repeat(np.arange(6), [3, 10, 7, 12, 5, 8])
    vectors = centres[labels] + 0.3 * rng.standard_normal((len(labels), 48))
    shuffle = rng.permutation(len(labels))
    order = cluster_order(cosine_matrix(vectors[shuffle]))
    sequence = labels[shuffle][order]
    runs = 1 + int(np.count_nonzero(sequence[1:] != sequence[:-1]))
    assert runs == 6, sequence


def test_cluster_order_recovers_a_one_dimensional_order() -> None:
    # Directions along an arc: the best order is by angle, and nothing but the orientation of
    # each merged block decides whether the leaves come out in it.
    rng = np.random.default_rng(9)
    angles = np.sort(rng.uniform(0, np.pi / 2, 40))
    vectors = np.column_stack([np.cos(angles), np.sin(angles)])
    shuffle = rng.permutation(40)
    order = cluster_order(cosine_matrix(vectors[shuffle]))
    along = angles[shuffle][order]
    assert np.all(np.diff(along) > 0) or np.all(np.diff(along) < 0)


def test_cluster_order_is_deterministic_and_handles_tiny_and_tied_inputs() -> None:
    assert cluster_order(np.zeros((0, 0))) == []
    assert cluster_order(np.ones((1, 1))) == [0]
    assert cluster_order(np.ones((2, 2))) == [0, 1]
    # All texts identical: every similarity ties, and the chain must still terminate.
    assert sorted(cluster_order(np.ones((9, 9)))) == list(range(9))
    matrix = cosine_matrix(np.random.default_rng(1).standard_normal((50, 8)))
    assert cluster_order(matrix) == cluster_order(matrix.copy())
    with pytest.raises(ValueError):
        cluster_order(np.ones((2, 3)))


def _naive_average_linkage(sim: Matrix) -> set[frozenset[int]]:
    """Textbook UPGMA: repeatedly merge the pair of clusters with the highest mean similarity."""
    clusters = [frozenset([i]) for i in range(len(sim))]
    formed: set[frozenset[int]] = set()
    while len(clusters) > 1:
        best = max(
            itertools.combinations(range(len(clusters)), 2),
            key=lambda p: np.mean([sim[a, b] for a in clusters[p[0]] for b in clusters[p[1]]]),
        )
        merged = clusters[best[0]] | clusters[best[1]]
        formed.add(merged)
        clusters = [c for k, c in enumerate(clusters) if k not in best] + [merged]
    return formed


@pytest.mark.parametrize("seed", range(6))
def test_the_nearest_neighbour_chain_builds_the_textbook_tree(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sim = cosine_matrix(rng.standard_normal((14, 5))).astype(np.float64)
    members = {i: frozenset([i]) for i in range(14)}
    formed: set[frozenset[int]] = set()
    merges = similarity._average_linkage(sim)
    for keep, gone, _ in merges:
        members[keep] = members[keep] | members.pop(gone)
        formed.add(members[keep])
    assert len(merges) == 13
    assert formed == _naive_average_linkage(sim)


# --- pca_2d -------------------------------------------------------------------------------------


def _same_up_to_sign(actual: Matrix, expected: Matrix, atol: float) -> None:
    for column in range(actual.shape[1]):
        a, e = actual[:, column], expected[:, column]
        assert np.allclose(a, e, atol=atol) or np.allclose(a, -e, atol=atol), column


def _exact_scores(vectors: Matrix) -> Matrix:
    centred = vectors - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    return np.asarray(centred @ axes[:2].T)


def test_pca_matches_numpy_svd_on_small_data() -> None:
    rng = np.random.default_rng(2)
    vectors = rng.standard_normal((60, 20)) * np.linspace(3, 0.1, 20)
    _same_up_to_sign(pca_2d(vectors), _exact_scores(vectors), atol=1e-9)


def test_randomized_pca_finds_the_exact_axes_when_the_data_has_structure() -> None:
    rng = np.random.default_rng(4)
    centres = rng.standard_normal((10, 700))
    vectors = centres[rng.integers(0, 10, 600)] + 0.5 * rng.standard_normal((600, 700))
    assert max(vectors.shape) > similarity.PCA_EXACT_LIMIT  # the randomized path
    _same_up_to_sign(pca_2d(vectors), _exact_scores(vectors), atol=1e-6)


def test_randomized_pca_shows_nearly_the_exact_spread_even_on_noise() -> None:
    vectors = np.random.default_rng(6).standard_normal((520, 640))
    shown = np.sum(pca_2d(vectors) ** 2)
    assert shown >= 0.95 * np.sum(_exact_scores(vectors) ** 2)


def test_pca_of_collinear_points_is_their_position_on_the_line() -> None:
    direction = np.array([3.0, -1.0, 2.0, 0.5])
    positions = np.array([-2.0, 0.5, 1.0, 4.0, 7.5])
    vectors = 10.0 + positions[:, np.newaxis] * direction
    coords = pca_2d(vectors)
    expected = (positions - positions.mean()) * np.linalg.norm(direction)
    _same_up_to_sign(coords[:, :1], expected[:, np.newaxis], atol=1e-9)
    np.testing.assert_array_equal(coords[:, 1], 0.0)


def test_pca_of_one_two_and_identical_texts() -> None:
    np.testing.assert_array_equal(pca_2d(np.ones((1, 5))), [[0.0, 0.0]])
    two = pca_2d(np.array([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0]]))
    # Both are equally far out: the first one is on the positive side.
    np.testing.assert_allclose(two, [[2.5, 0.0], [-2.5, 0.0]], atol=1e-12)
    np.testing.assert_array_equal(pca_2d(np.ones((4, 3))), np.zeros((4, 2)))
    one_dimension = pca_2d(np.array([[1.0], [2.0], [4.0]]))
    np.testing.assert_allclose(one_dimension[:, 0], [-4 / 3, -1 / 3, 5 / 3])
    np.testing.assert_array_equal(one_dimension[:, 1], 0.0)


@pytest.mark.parametrize("shape", [(30, 8), (600, 40)])
def test_pca_picture_does_not_depend_on_sign_or_offset_of_the_data(
    shape: tuple[int, int],
) -> None:
    vectors = np.random.default_rng(8).standard_normal(shape) * np.linspace(4, 1, shape[1])
    coords = pca_2d(vectors)
    np.testing.assert_allclose(pca_2d(-vectors), coords, atol=1e-8)
    np.testing.assert_allclose(pca_2d(vectors + 5.0), coords, atol=1e-8)
    extreme = np.argmax(np.abs(coords), axis=0)
    assert coords[extreme[0], 0] > 0 and coords[extreme[1], 1] > 0
    # Mirror-symmetric data: on each axis two texts are equally far out; the first one decides.
    cross = np.array([[-3.0, 0.0], [3.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    expected = [[3.0, 0.0], [-3.0, 0.0], [0.0, 1.0], [0.0, -1.0]]
    np.testing.assert_allclose(pca_2d(cross), expected, atol=1e-12)
    np.testing.assert_allclose(pca_2d(-cross), expected, atol=1e-12)


# --- spearman_rows ------------------------------------------------------------------------------


def _reference_ranks(values: list[float]) -> list[float]:
    """Average ranks by definition: 1 + (number smaller) + (number of other equal values) / 2."""
    return [1 + sum(w < v for w in values) + (sum(w == v for w in values) - 1) / 2 for v in values]


def _reference_spearman(a: Matrix, b: Matrix) -> list[float]:
    out = []
    for i in range(len(a)):
        ra = _reference_ranks([a[i, j] for j in range(len(a)) if j != i])
        rb = _reference_ranks([b[i, j] for j in range(len(b)) if j != i])
        ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
        cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
        var = math.sqrt(sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb))
        out.append(cov / var if var else math.nan)
    return out


def _int_matrix(n: int) -> st.SearchStrategy[Matrix]:
    # Few distinct values, so most rows have ties (and some are constant: NaN).
    return hnp.arrays(np.float64, (n, n), elements=st.integers(0, 3).map(float))


@given(st.integers(3, 9).flatmap(lambda n: st.tuples(_int_matrix(n), _int_matrix(n))))
def test_spearman_rows_matches_the_definition_with_ties(pair: tuple[Matrix, Matrix]) -> None:
    a, b = pair
    np.testing.assert_allclose(spearman_rows(a, b), _reference_spearman(a, b), atol=1e-12)


@given(_vectors(max_rows=15))
def test_spearman_of_a_matrix_with_itself_is_one(vectors: Matrix) -> None:
    matrix = cosine_matrix(vectors)
    rho = spearman_rows(matrix, matrix)
    off = matrix[~np.eye(len(matrix), dtype=bool)].reshape(len(matrix), -1)
    constant = np.ptp(off, axis=1) == 0 if off.size else np.ones(len(matrix), dtype=bool)
    assert np.all(np.isnan(rho[constant]))
    np.testing.assert_allclose(rho[~constant], 1.0, atol=1e-12)


def test_spearman_sees_order_not_scale_and_ignores_the_diagonal() -> None:
    matrix = cosine_matrix(np.random.default_rng(12).standard_normal((20, 6)))
    np.testing.assert_allclose(spearman_rows(matrix, matrix.astype(np.float64) ** 3), 1.0)
    np.testing.assert_allclose(spearman_rows(matrix, -matrix), -1.0)
    other = matrix.copy()
    np.fill_diagonal(other, -5.0)
    np.testing.assert_allclose(spearman_rows(matrix, other), 1.0)
    assert np.all(np.isnan(spearman_rows(np.eye(2), np.eye(2))))
    with pytest.raises(ValueError):
        spearman_rows(np.eye(3), np.eye(4))


# --- disagreements ------------------------------------------------------------------------------


def _reference_disagreements(a: Matrix, b: Matrix) -> list[tuple[float, int, int]]:
    pairs = list(itertools.combinations(range(len(a)), 2))
    ra = _reference_ranks([a[i, j] for i, j in pairs])
    rb = _reference_ranks([b[i, j] for i, j in pairs])
    span = max(len(pairs) - 1, 1)
    gaps = [abs(x - y) / span for x, y in zip(ra, rb, strict=True)]
    return sorted((-g, i, j) for g, (i, j) in zip(gaps, pairs, strict=True))


@given(st.integers(2, 8).flatmap(lambda n: st.tuples(_int_matrix(n), _int_matrix(n))))
def test_disagreements_follow_their_definition(pair: tuple[Matrix, Matrix]) -> None:
    a, b = pair
    a, b = (a + a.T) / 2, (b + b.T) / 2
    expected = _reference_disagreements(a, b)
    for k in (1, 3, len(expected)):
        found = disagreements(a, b, k)
        assert [(d.i, d.j) for d in found] == [(i, j) for _, i, j in expected[:k]]
        assert all(d.i < d.j for d in found)
        assert [(d.score_a, d.score_b) for d in found] == [
            (a[d.i, d.j], b[d.i, d.j]) for d in found
        ]


def test_the_pair_two_models_rank_oppositely_comes_first() -> None:
    vectors = np.random.default_rng(13).standard_normal((12, 10))
    a = cosine_matrix(vectors).astype(np.float64)
    b = a * 0.5 + 0.4  # another model's calibration: same order, different scores
    lowest = np.unravel_index(np.argmin(a + 2 * np.eye(12)), a.shape)
    i, j = sorted(int(x) for x in lowest)
    b[i, j] = b[j, i] = 1.0  # model B now finds A's least similar pair the most similar
    top = disagreements(a, b, 1)[0]
    assert (top.i, top.j) == (i, j)
    assert top.score_a == pytest.approx(a[i, j]) and top.score_b == 1.0
    assert disagreements(a, b, 0) == [] and disagreements(np.eye(1), np.eye(1), 5) == []
    assert len(disagreements(a, b, 1000)) == 12 * 11 // 2
