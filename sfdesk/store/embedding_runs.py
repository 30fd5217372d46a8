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
It is opened like the conversations database (``db.connect``: WAL, ``synchronous=NORMAL``, busy
timeout, forward-only migrations).

Listing reads only the short columns (the list shows a summary and the first texts as a preview);
the texts of a run are read when it is opened. Thread-safe (one lock around the connection): the
panel calls it from worker threads (``asyncio.to_thread``), like the vector cache.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from sfdesk import paths

from . import db

FILENAME: Final = "embeddings.sqlite3"
DEFAULT_MAX_RUNS: Final = 100
#: How many texts of a run the list's preview holds, and how many characters of each.
PREVIEW_TEXTS: Final = 10
PREVIEW_CHARS: Final = 120

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


def default_path() -> Path:
    """``data_dir()/embeddings.sqlite3``."""
    return paths.data_dir() / FILENAME


class EmbeddingRunStore:
    """The newest ``max_runs`` runs of the Embeddings panel, newest first."""

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
            what="the embeddings history",
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
        now = self._clock()
        with self._lock, db.transaction(self._conn):
            cursor = self._conn.execute(
                "INSERT INTO runs (created_at, model, dimensions, compare_model, "
                "compare_dimensions, query, text_count, tokens, preview, texts, groups) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    now,
                    model,
                    dimensions,
                    compare_model,
                    compare_dimensions,
                    query,
                    len(text_list),
                    tokens,
                    _dumps(list(preview)),
                    _dumps(text_list),
                    _dumps(group_list),
                ),
            )
            run_id = int(cursor.lastrowid or 0)
            self._conn.execute(
                "DELETE FROM runs WHERE id NOT IN "
                "(SELECT id FROM runs ORDER BY created_at DESC, id DESC LIMIT ?)",
                (self.max_runs,),
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

    def delete(self, run_ids: Iterable[int]) -> int:
        """Delete these runs (unknown ids are ignored); return how many were deleted."""
        ids = list(dict.fromkeys(run_ids))
        if not ids:
            return 0
        deleted = 0
        with self._lock, db.transaction(self._conn):
            # Chunked under SQLite's oldest bound-parameter limit (999); never more than a
            # history's worth of ids in practice.
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

    def runs(self, limit: int | None = None) -> list[RunSummary]:
        """The runs, newest first (at most ``limit`` of them)."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC LIMIT ?"
        with self._lock:
            rows = self._conn.execute(sql, (-1 if limit is None else max(limit, 0),)).fetchall()
        return [_summary(row) for row in rows]

    def get(self, run_id: int) -> RunRecord | None:
        """The run with its texts, or None if it is not (or no longer) in the history."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_SUMMARY_COLUMNS}, texts, groups FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
        if row is None:
            return None
        texts = tuple(str(text) for text in json.loads(row[10]))
        groups = tuple(None if g is None else str(g) for g in json.loads(row[11]))
        if len(groups) != len(texts):  # written by hand, or by a broken build: no groups then
            groups = (None,) * len(texts)
        return RunRecord(summary=_summary(row), texts=texts, groups=groups)

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM runs").fetchone()[0])


def _check_dimensions(dimensions: int | None) -> None:
    if dimensions is None:
        return
    if isinstance(dimensions, bool) or not isinstance(dimensions, int) or dimensions < 1:
        raise ValueError(f"dimensions must be a positive integer or None, got {dimensions!r}")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _summary(row: Sequence[Any]) -> RunSummary:
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
