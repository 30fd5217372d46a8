"""The Embeddings panel's run history: what was run, so a run can be shown again after a restart.

This module owns the history file, ``data_dir()/embeddings.sqlite3``. A run is kept as what is
needed to repeat it: when, the model and ``dimensions``, the texts and their groups, the second
model of a comparison, the last query ranked against it, how many texts and the tokens it was
billed. Never its vectors: those are in the vector cache (:mod:`sfdesk.store.vector_cache`), so
showing a run again re-assembles them from there and only sends texts the cache has since
dropped. Only the newest :data:`DEFAULT_MAX_RUNS` runs are kept.

Why a file of its own:
- not the vector cache's file: the cache is disposable by contract (evicted, cleared, replaced
  when unreadable), while the history is the user's record of their work;
- not the conversations database: its schema versions belong to the Chat store, which is opened
  at start-up, whereas this file is opened the first time the Embeddings panel is shown, so the
  app's start does not pay for it.
The file, the cap, listing and deleting are :class:`~sfdesk.store.run_history.RunHistory`'s.

Listing reads only the short columns (the list shows a summary and the first texts as a preview);
the texts of a run are read when it is opened. Thread-safe (one lock around the connection): the
panel calls it from worker threads (``asyncio.to_thread``), like the vector cache.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from . import db
from .run_history import DEFAULT_MAX_RUNS as DEFAULT_MAX_RUNS
from .run_history import PREVIEW_CHARS as PREVIEW_CHARS
from .run_history import RunHistory, dumps

FILENAME: Final = "embeddings.sqlite3"
#: How many texts of a run the list's preview holds, and how many characters of each.
PREVIEW_TEXTS: Final = 10

# Short columns first and the texts last: listing reads the first columns of every row, and the
# texts of a large run (thousands of lines) spill into overflow pages that it then never visits.
_V1: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id                 INTEGER PRIMARY KEY,
        created_at         REAL    NOT NULL,
        model              TEXT    NOT NULL,
        dimensions         INTEGER,           -- NULL: none was sent (the model's native size)
        compare_model      TEXT,              -- the second model, for a comparison
        compare_dimensions INTEGER,
        query              TEXT,              -- the last query ranked against the run
        text_count         INTEGER NOT NULL,
        tokens             INTEGER NOT NULL,  -- billed for the run (0 when all came from cache)
        preview            TEXT    NOT NULL,  -- JSON: the first texts, shortened
        texts              TEXT    NOT NULL,  -- JSON: every text, in order
        groups             TEXT    NOT NULL   -- JSON: the group of each text, or null
    )
    """,
    "CREATE INDEX runs_by_time ON runs (created_at DESC, id DESC)",
)
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)

_SUMMARY_COLUMNS = (
    "id, created_at, model, dimensions, compare_model, compare_dimensions, query, text_count, "
    "tokens, preview"
)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One history entry as the list shows it (no texts beyond the preview)."""

    id: int
    created_at: float  # Unix seconds
    model: str
    dimensions: int | None
    compare_model: str | None
    compare_dimensions: int | None
    query: str | None
    text_count: int
    tokens: int
    #: The first :data:`PREVIEW_TEXTS` texts, each cut to :data:`PREVIEW_CHARS` characters.
    preview: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One history entry with everything needed to show it again."""

    summary: RunSummary
    texts: tuple[str, ...]
    groups: tuple[str | None, ...]  # same length as ``texts``

    @property
    def id(self) -> int:
        return self.summary.id


class EmbeddingRunStore(RunHistory[RunSummary]):
    """The newest ``max_runs`` runs of the Embeddings panel, newest first."""

    filename = FILENAME
    migrations = _MIGRATIONS
    what = "the embeddings history"
    summary_columns = _SUMMARY_COLUMNS

    def add(
        self,
        *,
        model: str,
        dimensions: int | None,
        texts: Sequence[str],
        groups: Sequence[str | None] | None = None,
        tokens: int = 0,
        compare_model: str | None = None,
        compare_dimensions: int | None = None,
        query: str | None = None,
    ) -> RunSummary:
        """Record a run as the newest entry, dropping the oldest beyond ``max_runs``.

        ``groups`` defaults to no group for every text; otherwise it must match ``texts`` in
        length (ValueError).
        """
        text_list = list(texts)
        group_list: list[str | None] = [None] * len(text_list) if groups is None else list(groups)
        if len(group_list) != len(text_list):
            raise ValueError(f"{len(text_list)} texts but {len(group_list)} groups")
        _check_dimensions(dimensions)
        _check_dimensions(compare_dimensions)
        preview = tuple(text[:PREVIEW_CHARS] for text in text_list[:PREVIEW_TEXTS])
        run_id, now = self._insert(
            {
                "model": model,
                "dimensions": dimensions,
                "compare_model": compare_model,
                "compare_dimensions": compare_dimensions,
                "query": query,
                "text_count": len(text_list),
                "tokens": tokens,
                "preview": dumps(list(preview)),
                "texts": dumps(text_list),
                "groups": dumps(group_list),
            }
        )
        return RunSummary(
            id=run_id,
            created_at=now,
            model=model,
            dimensions=dimensions,
            compare_model=compare_model,
            compare_dimensions=compare_dimensions,
            query=query,
            text_count=len(text_list),
            tokens=tokens,
            preview=preview,
        )

    def set_query(self, run_id: int, query: str | None) -> bool:
        """Remember ``query`` as the last one ranked against the run; False if it is gone.
        Not activity: the run keeps its place in the list."""
        with self._lock, db.transaction(self._conn):
            cursor = self._conn.execute("UPDATE runs SET query = ? WHERE id = ?", (query, run_id))
        return cursor.rowcount > 0

    # --- reading ----------------------------------------------------------------------------

    def get(self, run_id: int) -> RunRecord | None:
        """The run with its texts, or None if it is not (or no longer) in the history."""
        row = self._row(run_id, "texts, groups")
        if row is None:
            return None
        texts = tuple(str(text) for text in json.loads(row[10]))
        groups = tuple(None if g is None else str(g) for g in json.loads(row[11]))
        if len(groups) != len(texts):  # written by hand, or by a broken build: no groups then
            groups = (None,) * len(texts)
        return RunRecord(summary=self._summary(row), texts=texts, groups=groups)

    def _summary(self, row: Sequence[Any]) -> RunSummary:
        return RunSummary(
            id=int(row[0]),
            created_at=float(row[1]),
            model=str(row[2]),
            dimensions=None if row[3] is None else int(row[3]),
            compare_model=None if row[4] is None else str(row[4]),
            compare_dimensions=None if row[5] is None else int(row[5]),
            query=None if row[6] is None else str(row[6]),
            text_count=int(row[7]),
            tokens=int(row[8]),
            preview=tuple(str(text) for text in json.loads(row[9])),
        )


def _check_dimensions(dimensions: int | None) -> None:
    if dimensions is None:
        return
    if isinstance(dimensions, bool) or not isinstance(dimensions, int) or dimensions < 1:
        raise ValueError(f"dimensions must be a positive integer or None, got {dimensions!r}")
