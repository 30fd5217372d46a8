"""The Rerank panel's run history: each comparison, kept so it can be shown again after a restart.

This module owns the history file, ``data_dir()/rerank.sqlite3``. A run is kept whole — when,
the query, the instruction, the documents, the parameters, and every column: the reranker (or
the embedding model of the cosine baseline), its ranking, latency, tokens and trace id, or the
error of a model that failed. Rankings are a few numbers per document, so unlike the Embeddings
panel's history (which keeps texts and re-reads vectors from the cache) a run here is shown again
from this file alone, without a request. Only the newest :data:`DEFAULT_MAX_RUNS` are kept.

A file of its own, like ``embeddings.sqlite3`` and for the same reasons: the conversations
database's schema versions belong to the Chat store, and this file is opened the first time the
Rerank panel is shown, so the app's start does not pay for it. Opened with ``db.connect`` (WAL,
``synchronous=NORMAL``, busy timeout, forward-only migrations).

Listing reads only the short columns; documents and results are read when a run is opened.
Thread-safe (one lock around the connection): the panel calls it from worker threads.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from sfdesk import paths

from . import db

FILENAME: Final = "rerank.sqlite3"
DEFAULT_MAX_RUNS: Final = 100
#: How many documents of a run the list's preview holds, and how many characters of each.
PREVIEW_DOCUMENTS: Final = 5
PREVIEW_CHARS: Final = 120

# Short columns first and the long JSON last: listing reads the first columns of every row, and
# the documents and rankings of a large run spill into overflow pages that it then never visits.
_V1: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id             INTEGER PRIMARY KEY,
        created_at     REAL    NOT NULL,
        query          TEXT    NOT NULL,
        models         TEXT    NOT NULL,  -- JSON: the rerankers, in column order
        baseline_model TEXT,              -- the embedding model of the cosine baseline, if any
        document_count INTEGER NOT NULL,
        tokens         INTEGER NOT NULL,  -- billed over every column (0 when all was cached)
        failed         INTEGER NOT NULL,  -- columns that failed
        preview        TEXT    NOT NULL,  -- JSON: the first documents, shortened
        instruction    TEXT,
        params         TEXT    NOT NULL,  -- JSON: top_n, return_documents, chunking options
        documents      TEXT    NOT NULL,  -- JSON: every document, in order
        columns        TEXT    NOT NULL   -- JSON: one object per column (see StoredColumn)
    )
    """,
    "CREATE INDEX runs_by_time ON runs (created_at DESC, id DESC)",
)
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)

_SUMMARY_COLUMNS = (
    "id, created_at, query, models, baseline_model, document_count, tokens, failed, preview"
)


@dataclass(frozen=True, slots=True)
class StoredColumn:
    """One column of a run: a reranker's answer, the baseline's, or why it failed."""

    model: str
    kind: str  # "reranker" or "baseline"
    #: ``(document index, score)`` best first; None when the model failed.
    ranking: tuple[tuple[int, float], ...] | None
    seconds: float | None = None
    tokens: int | None = None
    trace_id: str | None = None
    #: For a failed column: ``reason``, ``status``, ``code``, ``message``, ``trace_id``.
    error: Mapping[str, Any] | None = None
    #: What the model was sent beyond model, query and documents.
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RerankRunSummary:
    """One history entry as the list shows it (no documents beyond the preview)."""

    id: int
    created_at: float  # Unix seconds
    query: str
    models: tuple[str, ...]
    baseline_model: str | None
    document_count: int
    tokens: int
    failed: int
    #: The first :data:`PREVIEW_DOCUMENTS` documents, each cut to :data:`PREVIEW_CHARS`.
    preview: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RerankRunRecord:
    """One history entry with everything needed to show it again."""

    summary: RerankRunSummary
    instruction: str | None
    params: Mapping[str, Any]
    documents: tuple[str, ...]
    columns: tuple[StoredColumn, ...]

    @property
    def id(self) -> int:
        return self.summary.id


def default_path() -> Path:
    """``data_dir()/rerank.sqlite3``."""
    return paths.data_dir() / FILENAME


class RerankRunStore:
    """The newest ``max_runs`` runs of the Rerank panel, newest first."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        max_runs: int = DEFAULT_MAX_RUNS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_runs < 1:
            raise ValueError("max_runs must be at least 1")
        self.path = path if path is not None else default_path()
        self.max_runs = max_runs
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = db.connect(
            self.path,
            migrations=_MIGRATIONS,
            what="the rerank history",
            check_same_thread=False,
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing ----------------------------------------------------------------------------

    def add(
        self,
        *,
        query: str,
        documents: Sequence[str],
        columns: Sequence[StoredColumn],
        instruction: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> RerankRunSummary:
        """Record a run as the newest entry, dropping the oldest beyond ``max_runs``.

        ValueError if a ranking points outside ``documents`` or a score is not finite (JSON
        cannot hold it, and the entry could never be shown again).
        """
        document_list = [str(document) for document in documents]
        for column in columns:
            _check_column(column, len(document_list))
        models = [c.model for c in columns if c.kind != "baseline"]
        baseline = next((c.model for c in columns if c.kind == "baseline"), None)
        tokens = sum(c.tokens or 0 for c in columns)
        failed = sum(1 for c in columns if c.ranking is None)
        preview = tuple(document[:PREVIEW_CHARS] for document in document_list[:PREVIEW_DOCUMENTS])
        now = self._clock()
        with self._lock, db.transaction(self._conn):
            cursor = self._conn.execute(
                "INSERT INTO runs (created_at, query, models, baseline_model, document_count, "
                "tokens, failed, preview, instruction, params, documents, columns) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now,
                    query,
                    _dumps(models),
                    baseline,
                    len(document_list),
                    tokens,
                    failed,
                    _dumps(list(preview)),
                    instruction,
                    _dumps(dict(params or {})),
                    _dumps(document_list),
                    _dumps([_column_json(c) for c in columns]),
                ),
            )
            run_id = int(cursor.lastrowid or 0)
            self._conn.execute(
                "DELETE FROM runs WHERE id NOT IN "
                "(SELECT id FROM runs ORDER BY created_at DESC, id DESC LIMIT ?)",
                (self.max_runs,),
            )
        return RerankRunSummary(
            id=run_id,
            created_at=now,
            query=query,
            models=tuple(models),
            baseline_model=baseline,
            document_count=len(document_list),
            tokens=tokens,
            failed=failed,
            preview=preview,
        )

    def delete(self, run_ids: Iterable[int]) -> int:
        """Delete these runs (unknown ids are ignored); return how many were deleted."""
        ids = list(dict.fromkeys(run_ids))
        if not ids:
            return 0
        deleted = 0
        with self._lock, db.transaction(self._conn):
            # Chunked under SQLite's oldest bound-parameter limit (999).
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                deleted += self._conn.execute(
                    f"DELETE FROM runs WHERE id IN ({', '.join('?' * len(chunk))})", chunk
                ).rowcount
        return deleted

    def clear(self) -> None:
        with self._lock, db.transaction(self._conn):
            self._conn.execute("DELETE FROM runs")

    # --- reading ----------------------------------------------------------------------------

    def runs(self, limit: int | None = None) -> list[RerankRunSummary]:
        """The runs, newest first (at most ``limit`` of them)."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC LIMIT ?"
        with self._lock:
            rows = self._conn.execute(sql, (-1 if limit is None else max(limit, 0),)).fetchall()
        return [_summary(row) for row in rows]

    def get(self, run_id: int) -> RerankRunRecord | None:
        """The run with its documents and results, or None if it is not in the history."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_SUMMARY_COLUMNS}, instruction, params, documents, columns "
                "FROM runs WHERE id = ?",
                (run_id,),
            ).fetchone()
        if row is None:
            return None
        documents = tuple(str(document) for document in json.loads(row[11]))
        params = json.loads(row[10])
        return RerankRunRecord(
            summary=_summary(row),
            instruction=None if row[9] is None else str(row[9]),
            params=params if isinstance(params, dict) else {},
            documents=documents,
            columns=tuple(_column_from(item) for item in json.loads(row[12])),
        )

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM runs").fetchone()[0])


def _check_column(column: StoredColumn, count: int) -> None:
    if column.kind not in ("reranker", "baseline"):
        raise ValueError(f"unknown column kind {column.kind!r}")
    for index, score in column.ranking or ():
        if not 0 <= index < count:
            raise ValueError(f"{column.model} ranks document {index} of {count}")
        if not math.isfinite(score):
            raise ValueError(f"{column.model} gave document {index} a score of {score}")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _column_json(column: StoredColumn) -> dict[str, Any]:
    return {
        "model": column.model,
        "kind": column.kind,
        "ranking": None if column.ranking is None else [list(hit) for hit in column.ranking],
        "seconds": column.seconds,
        "tokens": column.tokens,
        "trace_id": column.trace_id,
        "error": None if column.error is None else dict(column.error),
        "parameters": dict(column.parameters),
    }


def _column_from(item: Mapping[str, Any]) -> StoredColumn:
    ranking = item.get("ranking")
    error = item.get("error")
    parameters = item.get("parameters")
    return StoredColumn(
        model=str(item.get("model") or ""),
        kind="baseline" if item.get("kind") == "baseline" else "reranker",
        ranking=(
            None
            if ranking is None
            else tuple((int(index), float(score)) for index, score in ranking)
        ),
        seconds=_optional_float(item.get("seconds")),
        tokens=None if item.get("tokens") is None else int(item["tokens"]),
        trace_id=None if item.get("trace_id") is None else str(item["trace_id"]),
        error=error if isinstance(error, dict) else None,
        parameters=parameters if isinstance(parameters, dict) else {},
    )


def _optional_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _summary(row: Sequence[Any]) -> RerankRunSummary:
    return RerankRunSummary(
        id=int(row[0]),
        created_at=float(row[1]),
        query=str(row[2]),
        models=tuple(str(model) for model in json.loads(row[3])),
        baseline_model=None if row[4] is None else str(row[4]),
        document_count=int(row[5]),
        tokens=int(row[6]),
        failed=int(row[7]),
        preview=tuple(str(document) for document in json.loads(row[8])),
    )
