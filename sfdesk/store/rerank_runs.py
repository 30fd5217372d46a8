"""The Rerank panel's run history: each comparison, kept so it can be shown again after a restart.

This module owns the history file, ``data_dir()/rerank.sqlite3``. A run is kept whole — when,
the query, the instruction, the documents, the parameters, and every column: the reranker (or
the embedding model of the cosine baseline), its ranking, latency, tokens and trace id, or the
error of a model that failed. Rankings are a few numbers per document, so unlike the Embeddings
panel's history (which keeps texts and re-reads vectors from the cache) a run here is shown again
from this file alone, without a request. Only the newest :data:`DEFAULT_MAX_RUNS` are kept.

A file of its own, like ``embeddings.sqlite3`` and for the same reasons: the conversations
database's schema versions belong to the Chat store, and this file is opened the first time the
Rerank panel is shown, so the app's start does not pay for it. The file, the cap, listing and
deleting are :class:`~sfdesk.store.run_history.RunHistory`'s.

Listing reads only the short columns; documents and results are read when a run is opened.
Thread-safe (one lock around the connection): the panel calls it from worker threads.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from .run_history import DEFAULT_MAX_RUNS as DEFAULT_MAX_RUNS
from .run_history import PREVIEW_CHARS as PREVIEW_CHARS
from .run_history import RunHistory, dumps

FILENAME: Final = "rerank.sqlite3"
#: How many documents of a run the list's preview holds, and how many characters of each.
PREVIEW_DOCUMENTS: Final = 5

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


class RerankRunStore(RunHistory[RerankRunSummary]):
    """The newest ``max_runs`` runs of the Rerank panel, newest first."""

    filename = FILENAME
    migrations = _MIGRATIONS
    what = "the rerank history"
    summary_columns = _SUMMARY_COLUMNS

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
        run_id, now = self._insert(
            {
                "query": query,
                "models": dumps(models),
                "baseline_model": baseline,
                "document_count": len(document_list),
                "tokens": tokens,
                "failed": failed,
                "preview": dumps(list(preview)),
                "instruction": instruction,
                "params": dumps(dict(params or {})),
                "documents": dumps(document_list),
                "columns": dumps([_column_json(c) for c in columns]),
            }
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

    # --- reading ----------------------------------------------------------------------------

    def get(self, run_id: int) -> RerankRunRecord | None:
        """The run with its documents and results, or None if it is not in the history."""
        row = self._row(run_id, "instruction, params, documents, columns")
        if row is None:
            return None
        documents = tuple(str(document) for document in json.loads(row[11]))
        params = json.loads(row[10])
        return RerankRunRecord(
            summary=self._summary(row),
            instruction=None if row[9] is None else str(row[9]),
            params=params if isinstance(params, dict) else {},
            documents=documents,
            columns=tuple(_column_from(item) for item in json.loads(row[12])),
        )

    def _summary(self, row: Sequence[Any]) -> RerankRunSummary:
        return _summary_of(row)


def _check_column(column: StoredColumn, count: int) -> None:
    if column.kind not in ("reranker", "baseline"):
        raise ValueError(f"unknown column kind {column.kind!r}")
    for index, score in column.ranking or ():
        if not 0 <= index < count:
            raise ValueError(f"{column.model} ranks document {index} of {count}")
        if not math.isfinite(score):
            raise ValueError(f"{column.model} gave document {index} a score of {score}")


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


def _summary_of(row: Sequence[Any]) -> RerankRunSummary:
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
