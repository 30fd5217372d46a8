"""The Embeddings run history: what a run keeps, reopening the file, the cap, deleting, queries."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sfdesk import paths
from sfdesk.store import SchemaTooNewError
from sfdesk.store.embedding_runs import (
    DEFAULT_MAX_RUNS,
    PREVIEW_CHARS,
    PREVIEW_TEXTS,
    EmbeddingRunStore,
    RunSummary,
)

from .conftest import FakeClock

BGE = "BAAI/bge-m3"
QWEN = "Qwen/Qwen3-Embedding-4B"
TEXTS = ["苹果很好吃", "The bank is closed", "[1] is not a tag here", "香蕉也不错"]
GROUPS = ["水果", "finance", None, "水果"]


@pytest.fixture
def runs_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "embeddings.sqlite3"


@pytest.fixture
def runs(runs_path: Path, clock: FakeClock) -> Iterator[EmbeddingRunStore]:
    with EmbeddingRunStore(runs_path, clock=clock) as store:
        yield store


def _add(store: EmbeddingRunStore, label: str) -> RunSummary:
    return store.add(model=BGE, dimensions=None, texts=[label], tokens=1)


def test_a_run_keeps_what_is_needed_to_show_it_again(runs: EmbeddingRunStore) -> None:
    added = runs.add(
        model=QWEN,
        dimensions=256,
        texts=TEXTS,
        groups=GROUPS,
        tokens=57,
        compare_model=BGE,
        query="哪个好吃？",
    )
    record = runs.get(added.id)
    assert record is not None
    assert record.texts == tuple(TEXTS) and record.groups == tuple(GROUPS)
    assert record.summary == added
    assert (added.model, added.dimensions, added.compare_model, added.compare_dimensions) == (
        QWEN,
        256,
        BGE,
        None,
    )
    assert (added.query, added.text_count, added.tokens) == ("哪个好吃？", 4, 57)
    assert added.preview == tuple(TEXTS)
    assert runs.runs() == [added]


def test_no_vectors_are_stored(runs: EmbeddingRunStore, runs_path: Path) -> None:
    runs.add(model=BGE, dimensions=None, texts=TEXTS, groups=GROUPS)
    conn = sqlite3.connect(runs_path)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(runs)")]
        types = {row[0] for row in conn.execute("SELECT typeof(texts) FROM runs")}
    finally:
        conn.close()
    assert not any("vector" in column for column in columns)
    assert types == {"text"}


def test_the_history_survives_closing_and_reopening(runs_path: Path, clock: FakeClock) -> None:
    with EmbeddingRunStore(runs_path, clock=clock) as store:
        first = store.add(model=BGE, dimensions=None, texts=TEXTS, groups=GROUPS, tokens=9)
        second = store.add(model=QWEN, dimensions=512, texts=TEXTS[:2], query="bank")
    with EmbeddingRunStore(runs_path, clock=clock) as store:
        assert store.runs() == [second, first]  # newest first
        record = store.get(first.id)
        assert record is not None and record.groups == tuple(GROUPS)


def test_only_the_newest_runs_are_kept(runs_path: Path, clock: FakeClock) -> None:
    with EmbeddingRunStore(runs_path, clock=clock) as store:
        added = [_add(store, f"text {i}") for i in range(DEFAULT_MAX_RUNS + 5)]
        assert store.count() == DEFAULT_MAX_RUNS
        kept = store.runs()
        assert [r.id for r in kept] == [r.id for r in reversed(added[5:])]
        assert all(store.get(r.id) is None for r in added[:5])
    with EmbeddingRunStore(runs_path, max_runs=3, clock=clock) as small:
        newest = _add(small, "one more")
        assert [r.id for r in small.runs()] == [newest.id, added[-1].id, added[-2].id]
    with pytest.raises(ValueError):
        EmbeddingRunStore(runs_path, max_runs=0)


def test_deleting_runs(runs: EmbeddingRunStore) -> None:
    a, b, c = (_add(runs, label) for label in "abc")
    assert runs.delete([a.id, c.id, 12345, a.id]) == 2
    assert runs.runs() == [b]
    assert runs.get(a.id) is None
    assert runs.delete([]) == 0
    runs.clear()
    assert runs.count() == 0 and runs.runs() == []


def test_a_query_is_remembered_without_reordering(runs: EmbeddingRunStore) -> None:
    older, newer = _add(runs, "old"), _add(runs, "new")
    assert runs.set_query(older.id, "what is new?")
    listed = runs.runs()
    assert [r.id for r in listed] == [newer.id, older.id]
    assert listed[1].query == "what is new?"
    assert runs.set_query(older.id, None) and runs.runs()[1].query is None
    assert not runs.set_query(9999, "gone")


def test_the_preview_is_short_and_the_limit_applies(runs: EmbeddingRunStore) -> None:
    texts = [f"{i} " + "x" * 500 for i in range(PREVIEW_TEXTS + 3)]
    added = runs.add(model=BGE, dimensions=None, texts=texts)
    assert len(added.preview) == PREVIEW_TEXTS
    assert all(len(line) == PREVIEW_CHARS for line in added.preview)
    assert runs.runs()[0].preview == added.preview and added.text_count == len(texts)
    record = runs.get(added.id)
    assert record is not None and record.texts == tuple(texts)
    assert record.groups == (None,) * len(texts)
    _add(runs, "later")
    assert len(runs.runs(limit=1)) == 1 and runs.runs(limit=0) == []


def test_bad_arguments_write_nothing(runs: EmbeddingRunStore) -> None:
    with pytest.raises(ValueError, match="groups"):
        runs.add(model=BGE, dimensions=None, texts=["a", "b"], groups=["g"])
    for bad in (0, -1, True):
        with pytest.raises(ValueError, match="dimensions"):
            runs.add(model=BGE, dimensions=bad, texts=["a"])
    with pytest.raises(ValueError, match="dimensions"):
        runs.add(model=BGE, dimensions=None, texts=["a"], compare_dimensions=0)
    assert runs.count() == 0


def test_default_location_and_connection_settings() -> None:
    with EmbeddingRunStore() as store:
        assert store.path == paths.data_dir() / "embeddings.sqlite3"
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        store.add(model=BGE, dimensions=None, texts=["a"])
        assert not conn.in_transaction


def test_a_history_from_a_newer_version_is_not_touched(runs_path: Path) -> None:
    EmbeddingRunStore(runs_path).close()
    conn = sqlite3.connect(runs_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="embeddings history"):
        EmbeddingRunStore(runs_path)
    conn = sqlite3.connect(runs_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


def test_calls_from_several_threads(runs: EmbeddingRunStore) -> None:
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(15):
                added = _add(runs, f"{worker}-{i}")
                assert runs.get(added.id) is not None
                runs.runs(limit=5)
        except BaseException as exc:  # reported on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert runs.count() == 60
