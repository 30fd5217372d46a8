"""The Rerank run history: what a run keeps (failed columns too), reopening, the cap, deleting."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sfdesk import paths
from sfdesk.store.rerank_runs import (
    PREVIEW_CHARS,
    PREVIEW_DOCUMENTS,
    RerankRunStore,
    StoredColumn,
)

from .conftest import FakeClock

DOCUMENTS = ["苹果很好吃", "The bank is closed", "[1] not a tag", "x" * 500, "五", "six"]
COLUMNS = [
    StoredColumn(
        "BAAI/bge-reranker-v2-m3",
        "reranker",
        ((2, 0.9), (0, 0.5)),
        seconds=0.2,
        tokens=30,
        trace_id="t1",
        parameters={"top_n": 2, "max_chunks_per_doc": 3},
    ),
    StoredColumn(
        "Qwen/Qwen3-Reranker-0.6B",
        "reranker",
        None,
        seconds=0.01,
        trace_id="t2",
        error={"reason": "rate_limited", "status": 429, "code": None, "message": "slow down"},
    ),
    StoredColumn("BAAI/bge-m3", "baseline", ((0, 0.7), (2, 0.6)), seconds=0.1, tokens=12),
]


def test_a_run_is_kept_whole_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "rerank.sqlite3"
    with RerankRunStore(path, clock=FakeClock()) as store:
        summary = store.add(
            query="水果？",
            documents=DOCUMENTS,
            columns=COLUMNS,
            instruction="find fruit",
            params={"top_n": 2, "return_documents": False},
        )
    assert summary.models == ("BAAI/bge-reranker-v2-m3", "Qwen/Qwen3-Reranker-0.6B")
    assert (summary.baseline_model, summary.tokens, summary.failed) == ("BAAI/bge-m3", 42, 1)
    assert len(summary.preview) == PREVIEW_DOCUMENTS
    assert len(summary.preview[3]) == PREVIEW_CHARS
    with RerankRunStore(path) as store:
        (listed,) = store.runs()
        assert listed == summary
        record = store.get(summary.id)
    assert record is not None
    assert record.documents == tuple(DOCUMENTS)
    assert record.instruction == "find fruit"
    assert record.params == {"top_n": 2, "return_documents": False}
    assert record.columns == tuple(COLUMNS)


def test_the_default_file_is_under_the_data_dir(isolated_data_dir: Path) -> None:
    with RerankRunStore() as store:
        assert store.path == paths.data_dir() / "rerank.sqlite3"
        assert store.path.is_relative_to(isolated_data_dir)


def test_newest_first_the_cap_and_deleting(tmp_path: Path) -> None:
    with RerankRunStore(tmp_path / "r.sqlite3", max_runs=3, clock=FakeClock()) as store:
        ids = [
            store.add(query=f"q{i}", documents=["a", "b", "c"], columns=COLUMNS[:1]).id
            for i in range(5)
        ]
        assert [run.id for run in store.runs()] == ids[:1:-1]  # the two oldest dropped
        assert store.get(ids[0]) is None
        assert store.delete([ids[3], 12345, ids[3]]) == 1
        assert [run.query for run in store.runs()] == ["q4", "q2"]
        assert store.delete([]) == 0
        assert store.count() == 2


def test_a_ranking_that_cannot_be_shown_again_is_refused(tmp_path: Path) -> None:
    with RerankRunStore(tmp_path / "r.sqlite3") as store:
        outside = StoredColumn("m", "reranker", ((7, 0.5),))
        with pytest.raises(ValueError, match="document 7 of 2"):
            store.add(query="q", documents=["a", "b"], columns=[outside])
        nan = StoredColumn("m", "reranker", ((0, math.nan),))
        with pytest.raises(ValueError, match="score"):
            store.add(query="q", documents=["a", "b"], columns=[nan])
        assert store.count() == 0
