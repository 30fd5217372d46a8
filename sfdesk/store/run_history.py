"""What every panel's run history shares: one SQLite file with a ``runs`` table, newest first.

A panel's history (:mod:`sfdesk.store.embedding_runs`, :mod:`sfdesk.store.rerank_runs`) subclasses
:class:`RunHistory` and owns its schema, its records and how it writes and reads a run; this base
owns the file (opened with ``db.connect``: WAL, ``synchronous=NORMAL``, busy timeout,
forward-only migrations), the lock that makes it safe to call from worker threads, keeping only
the newest ``max_runs``, listing, deleting and counting.

The ``runs`` table of a subclass starts with ``id INTEGER PRIMARY KEY`` and ``created_at REAL``
and has an index on ``(created_at DESC, id DESC)``; its short columns come first so that listing
never visits the overflow pages of the long JSON ones.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Final, Generic, TypeVar

from sfdesk import paths

from . import db

DEFAULT_MAX_RUNS: Final = 100
PREVIEW_CHARS: Final = 120  # characters of each text a list preview keeps

SummaryT = TypeVar("SummaryT")


class RunHistory(db.LockedStore, Generic[SummaryT]):
    """The newest ``max_runs`` runs of one panel, newest first."""

    #: File name under ``data_dir()``, migrations, and the file's name in messages.
    filename: ClassVar[str]
    migrations: ClassVar[tuple[tuple[str, ...], ...]]
    what: ClassVar[str]
    #: The columns :meth:`_summary` reads, in order (``id, created_at, …``).
    summary_columns: ClassVar[str]

    def __init__(
        self,
        path: Path | None = None,
        *,
        max_runs: int = DEFAULT_MAX_RUNS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_runs < 1:
            raise ValueError("max_runs must be at least 1")
        self.path = path if path is not None else paths.data_dir() / self.filename
        self.max_runs = max_runs
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = db.connect(
            self.path, migrations=self.migrations, what=self.what, check_same_thread=False
        )

    # --- for subclasses ---------------------------------------------------------------------

    def _summary(self, row: Sequence[Any]) -> SummaryT:
        """The summary of a row of :attr:`summary_columns`."""
        raise NotImplementedError

    def _insert(self, values: Mapping[str, object]) -> tuple[int, float]:
        """Insert a run (``values`` by column, ``created_at`` added), drop the oldest beyond
        ``max_runs``; return its id and time."""
        now = self._clock()
        columns = ["created_at", *values]
        placeholders = ", ".join("?" * len(columns))
        with self._lock, db.transaction(self._conn):
            cursor = self._conn.execute(
                f"INSERT INTO runs ({', '.join(columns)}) VALUES ({placeholders})",
                (now, *values.values()),
            )
            run_id = int(cursor.lastrowid or 0)
            self._conn.execute(
                "DELETE FROM runs WHERE id NOT IN "
                "(SELECT id FROM runs ORDER BY created_at DESC, id DESC LIMIT ?)",
                (self.max_runs,),
            )
        return run_id, now

    def _row(self, run_id: int, extra_columns: str) -> Sequence[Any] | None:
        """The summary columns, then ``extra_columns``, of one run."""
        with self._lock:
            row: Sequence[Any] | None = self._conn.execute(
                f"SELECT {self.summary_columns}, {extra_columns} FROM runs WHERE id = ?",
                (run_id,),
            ).fetchone()
        return row

    # --- shared operations ------------------------------------------------------------------

    def runs(self, limit: int | None = None) -> list[SummaryT]:
        """The runs, newest first (at most ``limit`` of them)."""
        sql = f"SELECT {self.summary_columns} FROM runs ORDER BY created_at DESC, id DESC LIMIT ?"
        with self._lock:
            rows = self._conn.execute(sql, (-1 if limit is None else max(limit, 0),)).fetchall()
        return [self._summary(row) for row in rows]

    def delete(self, run_ids: Iterable[int]) -> int:
        """Delete these runs (unknown ids are ignored); return how many were deleted."""
        ids = list(dict.fromkeys(run_ids))
        deleted = 0
        if not ids:
            return deleted
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

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM runs").fetchone()[0])


def dumps(value: object) -> str:
    """Compact JSON for a column; non-finite numbers are refused (they could not be read back)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
