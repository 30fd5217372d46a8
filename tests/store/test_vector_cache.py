"""The embedding vector cache: keys, widths, eviction, recovery, and its use with the client."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from sfdesk import paths
from sfdesk.api import SiliconFlowClient
from sfdesk.core.similarity import cosine_matrix
from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer
from sfdesk.store import SchemaTooNewError, vector_cache
from sfdesk.store.vector_cache import (
    MixedDimensionsError,
    VectorCache,
    assemble,
    missing_texts,
    text_key,
)

MODEL = "BAAI/bge-m3"


class ManualClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "vectors.sqlite3"


@pytest.fixture
def cache(cache_path: Path, clock: ManualClock) -> Iterator[VectorCache]:
    with VectorCache(cache_path, clock=clock) as opened:
        yield opened


def _vectors(count: int, width: int, seed: int = 0) -> npt.NDArray[np.float32]:
    return np.random.default_rng(seed).standard_normal((count, width)).astype(np.float32)


def test_vectors_come_back_exactly_under_the_index_of_each_text(cache: VectorCache) -> None:
    vectors = _vectors(3, 16)
    cache.put_many(MODEL, None, ["a", "b", "苹果"], vectors)
    found = cache.get_many(MODEL, None, ["x", "苹果", "a", "a", "y"])
    assert sorted(found) == [1, 2, 3]
    np.testing.assert_array_equal(found[1], vectors[2])
    np.testing.assert_array_equal(found[2], vectors[0])
    np.testing.assert_array_equal(found[3], vectors[0])
    assert found[1].dtype == np.float32 and found[1].shape == (16,)
    assert not found[1].flags.writeable  # a view of the stored bytes, not to be edited
    assert cache.get_many(MODEL, None, []) == {}


def test_model_and_dimensions_are_separate_spaces(cache: VectorCache) -> None:
    cache.put_many(MODEL, None, ["t"], _vectors(1, 1024, seed=1))
    cache.put_many("Qwen/Qwen3-Embedding-8B", 256, ["t"], _vectors(1, 256, seed=2))
    cache.put_many("Qwen/Qwen3-Embedding-8B", 1024, ["t"], _vectors(1, 1024, seed=3))
    assert cache.get_many(MODEL, 256, ["t"]) == {}
    assert cache.get_many("Pro/BAAI/bge-m3", None, ["t"]) == {}
    assert cache.get_many("Qwen/Qwen3-Embedding-8B", None, ["t"]) == {}
    assert cache.get_many("Qwen/Qwen3-Embedding-8B", 256, ["t"])[0].shape == (256,)
    np.testing.assert_array_equal(
        cache.get_many("Qwen/Qwen3-Embedding-8B", 1024, ["t"])[0], _vectors(1, 1024, seed=3)[0]
    )
    assert cache.width(MODEL, None) == 1024 and cache.width(MODEL, 512) is None
    assert cache.count() == 3


def test_a_space_never_mixes_widths(cache: VectorCache) -> None:
    cache.put_many(MODEL, None, ["a"], _vectors(1, 8))
    with pytest.raises(MixedDimensionsError) as caught:
        cache.put_many(MODEL, None, ["b", "c"], _vectors(2, 4))
    assert (caught.value.expected, caught.value.got) == (8, 4)
    assert isinstance(caught.value, ValueError)
    # Requested dimensions must be what came back.
    with pytest.raises(MixedDimensionsError):
        cache.put_many("Qwen/Qwen3-Embedding-4B", 64, ["a"], _vectors(1, 128))
    assert cache.count() == 1 and cache.width("Qwen/Qwen3-Embedding-4B", 64) is None
    assert cache.get_many(MODEL, None, ["b", "c"]) == {}
    # After forgetting the space, the new width is accepted.
    assert cache.forget(MODEL, None) == 1
    cache.put_many(MODEL, None, ["b"], _vectors(1, 4))
    assert cache.width(MODEL, None) == 4 and cache.forget("unknown", None) == 0


@pytest.mark.parametrize(
    ("dimensions", "vectors"),
    [
        (0, np.ones((1, 4))),
        (-8, np.ones((1, 4))),
        (None, np.ones(4)),  # not one row per text
        (None, np.ones((2, 4))),  # two vectors for one text
        (None, np.ones((1, 0))),
        (None, np.array([[1.0, np.nan]])),
    ],
)
def test_bad_puts_are_refused_and_write_nothing(
    cache: VectorCache, dimensions: int | None, vectors: npt.NDArray[np.float64]
) -> None:
    with pytest.raises(ValueError):
        cache.put_many(MODEL, dimensions, ["a"], vectors)
    assert cache.count() == 0


def test_put_replaces_and_survives_reopening(cache_path: Path, clock: ManualClock) -> None:
    with VectorCache(cache_path, clock=clock) as cache:
        cache.put_many(MODEL, None, ["a", "b"], _vectors(2, 8, seed=1))
        cache.put_many(MODEL, None, ["a"], _vectors(1, 8, seed=2))
        assert cache.count() == 2
        assert not cache._conn.in_transaction
    with VectorCache(cache_path, clock=clock) as cache:
        found = cache.get_many(MODEL, None, ["a", "b"])
        np.testing.assert_array_equal(found[0], _vectors(1, 8, seed=2)[0])
        np.testing.assert_array_equal(found[1], _vectors(2, 8, seed=1)[1])
        assert cache._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_many_texts_are_read_in_chunks(cache: VectorCache) -> None:
    texts = [f"text {i}" for i in range(1_234)]
    vectors = _vectors(len(texts), 4)
    cache.put_many(MODEL, None, texts, vectors)
    found = cache.get_many(MODEL, None, texts)
    assert len(found) == len(texts)
    np.testing.assert_array_equal(np.vstack([found[i] for i in range(len(texts))]), vectors)


def test_least_recently_used_vectors_are_evicted_over_the_cap(
    cache_path: Path, clock: ManualClock
) -> None:
    with VectorCache(cache_path, max_vectors=4, clock=clock) as cache:
        cache.put_many(MODEL, None, ["a", "b", "c"], _vectors(3, 4))
        clock.now += 3600
        cache.get_many(MODEL, None, ["a"])  # a is used again: now the newest
        clock.now += 3600
        cache.put_many(MODEL, None, ["d", "e"], _vectors(2, 4))
        assert cache.count() == 4
        assert sorted(cache.get_many(MODEL, None, ["a", "b", "c", "d", "e"])) == [0, 2, 3, 4]
        # A space whose vectors were all evicted no longer pins a width.
        clock.now += 3600
        cache.put_many("other", None, ["x", "y", "z", "w"], _vectors(4, 2))
        assert cache.width(MODEL, None) is None and cache.count() == 4


def test_reads_refresh_use_at_most_once_per_interval(
    cache: VectorCache, clock: ManualClock
) -> None:
    cache.put_many(MODEL, None, ["a"], _vectors(1, 4))

    def used_at() -> float:
        return float(cache._conn.execute("SELECT used_at FROM vectors").fetchone()[0])

    start = used_at()
    clock.now += vector_cache.TOUCH_INTERVAL / 2
    cache.get_many(MODEL, None, ["a"])
    assert used_at() == start  # recent enough: the read wrote nothing
    clock.now += vector_cache.TOUCH_INTERVAL
    cache.get_many(MODEL, None, ["a"])
    assert used_at() == clock.now


def test_clear_empties_the_cache_and_shrinks_the_file(cache: VectorCache, cache_path: Path) -> None:
    cache.put_many(MODEL, None, [f"t{i}" for i in range(500)], _vectors(500, 256))
    cache._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = cache_path.stat().st_size
    cache.clear()
    cache._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert cache.count() == 0 and cache.width(MODEL, None) is None
    assert cache_path.stat().st_size < before / 10
    cache.put_many(MODEL, None, ["again"], _vectors(1, 3))  # any width after a clear
    assert cache.width(MODEL, None) == 3


def test_an_unreadable_file_is_set_aside_and_replaced(cache_path: Path) -> None:
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(b"this is not an SQLite database" * 100)
    with VectorCache(cache_path) as cache:
        assert cache.count() == 0
        cache.put_many(MODEL, None, ["a"], _vectors(1, 4))
    assert cache_path.with_name("vectors.sqlite3.corrupt").read_bytes().startswith(b"this is")


def test_a_cache_from_a_newer_version_is_not_touched(cache_path: Path) -> None:
    VectorCache(cache_path).close()
    conn = sqlite3.connect(cache_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaTooNewError):
        VectorCache(cache_path)
    conn = sqlite3.connect(cache_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


def test_default_location_and_key(cache: VectorCache) -> None:
    with VectorCache() as default:
        assert default.path == paths.data_dir() / "vectors.sqlite3"
    assert text_key("苹果") == hashlib.sha256("苹果".encode()).digest()
    assert text_key("a") != text_key("a ")  # exact text: the model sees the space
    with pytest.raises(ValueError):
        VectorCache(cache.path, max_vectors=0)


def test_usable_from_worker_threads(cache: VectorCache) -> None:
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        try:
            texts = [f"{seed}-{i}" for i in range(50)]
            cache.put_many(MODEL, None, texts, _vectors(50, 8, seed))
            assert len(cache.get_many(MODEL, None, texts)) == 50
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and cache.count() == 200


# --- using the cache with the client --------------------------------------------------------------


def test_missing_texts_are_distinct_and_in_order() -> None:
    texts = ["a", "b", "a", "c", "b", "d"]
    assert missing_texts(texts, {1: object(), 4: object()}) == ["a", "c", "d"]
    assert missing_texts(texts, dict.fromkeys(range(6))) == []


def test_assemble_puts_cached_and_fetched_rows_in_text_order() -> None:
    rows = _vectors(4, 3)
    texts = ["a", "b", "a", "c"]
    cached = {1: rows[1]}
    matrix = assemble(texts, cached, ["a", "c"], np.vstack([rows[0], rows[3]]))
    np.testing.assert_array_equal(matrix, np.vstack([rows[0], rows[1], rows[0], rows[3]]))
    assert matrix.dtype == np.float32
    assert assemble([], {}, [], np.zeros((0, 0))).shape == (0, 0)
    with pytest.raises(KeyError):
        assemble(texts, cached, ["a"], rows[:1])
    with pytest.raises(MixedDimensionsError):
        assemble(["a", "b"], {0: np.ones(3)}, ["b"], np.ones((1, 4)))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_a_rerun_after_an_edit_fetches_only_the_edited_text(
    sandbox: SandboxServer, cache: VectorCache
) -> None:
    async def run(texts: list[str]) -> tuple[npt.NDArray[np.float32], list[str]]:
        cached = cache.get_many(MODEL, None, texts)
        todo = missing_texts(texts, cached)
        fetched = np.zeros((0, 0), dtype=np.float32)
        if todo:
            fetched = (await sf.embeddings.create(model=MODEL, input=todo)).vectors
            cache.put_many(MODEL, None, todo, fetched)
        return assemble(texts, cached, todo, fetched), todo

    first_texts = ["今天天气很好", "The weather is nice today", "我想申请退款", "今天天气很好"]
    async with SiliconFlowClient(api_key=SANDBOX_API_KEY, base_url=sandbox.base_url) as sf:
        first, fetched_first = await run(first_texts)
        edited = [*first_texts[:2], "我想退款", first_texts[3]]
        second, fetched_second = await run(edited)
        direct = (await sf.embeddings.create(model=MODEL, input=edited)).vectors
    assert fetched_first == first_texts[:3]  # the repeated line is sent once
    assert fetched_second == ["我想退款"]
    np.testing.assert_array_equal(second[[0, 1, 3]], first[[0, 1, 3]])
    np.testing.assert_allclose(second, direct, rtol=1e-6)
    np.testing.assert_allclose(cosine_matrix(second), cosine_matrix(direct), atol=1e-6)
    sent = [e["body"]["input"] for e in sandbox.requests() if e["path"] == "/v1/embeddings"]
    assert sent[:2] == [first_texts[:3], ["我想退款"]]
