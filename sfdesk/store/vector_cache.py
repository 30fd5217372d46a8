"""A disk cache of embedding vectors, so re-running the Embeddings panel after an edit only fetches
the texts that changed.

This module owns the cache file (``vectors.sqlite3``, separate from the conversations database:
it is large, disposable, and may be deleted at any time without losing anything). A vector is
keyed by (model, ``dimensions`` as requested or None, SHA-256 of the exact text) and stored as
little-endian float32 bytes. Every (model, dimensions) pair is a "space" with one vector width:
a vector of another width is refused (:class:`MixedDimensionsError`), so vectors of different
sizes can never end up in one matrix.

Size is capped (:data:`DEFAULT_MAX_VECTORS`, ~800 MB at 1,024 dimensions): when a write goes over
the cap, the least recently used vectors are dropped. "Used" is refreshed on reads, at most once
a minute per vector, so reading does not turn into a write every time.

How the panel uses it, with the client of ``sfdesk.api`` (see :func:`missing_texts` and
:func:`assemble`)::

    cached = cache.get_many(model, dims, texts)
    todo = missing_texts(texts, cached)          # distinct texts not in the cache
    fetched = (await sf.embeddings.create(model=model, input=todo, dimensions=dims)).vectors
    cache.put_many(model, dims, todo, fetched)
    vectors = assemble(texts, cached, todo, fetched)   # n × d float32, rows in text order

Thread-safe (one lock around the connection), so calls may run in a worker thread
(``asyncio.to_thread``) as well as on the GUI thread; several processes may share the file (WAL).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from sfdesk import paths

from . import db

log = logging.getLogger(__name__)

FILENAME: Final = "vectors.sqlite3"
DEFAULT_MAX_VECTORS: Final = 200_000
#: A read refreshes a vector's "last used" time only if it is older than this (seconds).
TOUCH_INTERVAL: Final = 60.0
#: Bound parameters per statement, well under SQLite's oldest default limit (999).
_CHUNK: Final = 500

# Vectors are 0.25–16 kB each, so they live in a rowid table (a WITHOUT ROWID table stores rows
# in its primary-key b-tree, where large rows spill into overflow pages on every lookup).
_V1: tuple[str, ...] = (
    """
    CREATE TABLE spaces (
        id         INTEGER PRIMARY KEY,
        model      TEXT    NOT NULL,
        dimensions INTEGER NOT NULL,  -- as requested; 0 when none was (the model's native size)
        width      INTEGER NOT NULL,  -- the length of every vector of this space
        UNIQUE (model, dimensions)
    )
    """,
    """
    CREATE TABLE vectors (
        id          INTEGER PRIMARY KEY,
        space_id    INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
        text_sha256 BLOB    NOT NULL,
        used_at     REAL    NOT NULL,
        vector      BLOB    NOT NULL,
        UNIQUE (space_id, text_sha256)
    )
    """,
    "CREATE INDEX vectors_by_use ON vectors (used_at)",
)
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)

Vector = npt.NDArray[np.float32]


class MixedDimensionsError(db.StoreError, ValueError):
    """Vectors of a width other than the one already cached for (model, dimensions)."""

    def __init__(self, model: str, dimensions: int | None, expected: int, got: int) -> None:
        super().__init__(
            f"{model} (dimensions={dimensions}) gives {expected}-dimensional vectors; "
            f"refusing {got}-dimensional ones"
        )
        self.model = model
        self.dimensions = dimensions
        self.expected = expected
        self.got = got


def default_path() -> Path:
    """``data_dir()/vectors.sqlite3``."""
    return paths.data_dir() / FILENAME


def text_key(text: str) -> bytes:
    """The cache key of ``text``: SHA-256 of its exact UTF-8 bytes (no normalisation: the model
    embeds exactly what it is sent, and the editor's parser has already stripped the line)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class VectorCache(db.LockedStore):
    """Embedding vectors by (model, dimensions, text) in one SQLite file."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        max_vectors: int = DEFAULT_MAX_VECTORS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_vectors < 1:
            raise ValueError("max_vectors must be at least 1")
        self.path = path if path is not None else default_path()
        self.max_vectors = max_vectors
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = _open(self.path)

    # --- reading ----------------------------------------------------------------------------

    def get_many(
        self, model: str, dimensions: int | None, texts: Sequence[str]
    ) -> dict[int, Vector]:
        """The cached vectors of ``texts``: {index in ``texts``: vector} for those found.

        Vectors are read-only float32 arrays (views of the stored bytes; ``np.vstack`` them or
        copy before writing). Repeated texts share one array.
        """
        keys = [text_key(text) for text in texts]
        found: dict[bytes, Vector] = {}
        with self._lock:
            space = self._space(model, dimensions)
            if space is None:
                return {}
            space_id, _ = space
            now = self._clock()
            stale: list[int] = []
            for chunk in _chunks(list(dict.fromkeys(keys))):
                rows = self._conn.execute(
                    "SELECT id, text_sha256, used_at, vector FROM vectors "
                    f"WHERE space_id = ? AND text_sha256 IN ({_marks(len(chunk))})",
                    (space_id, *chunk),
                )
                for row_id, key, used_at, blob in rows:
                    found[bytes(key)] = np.frombuffer(blob, dtype="<f4")
                    if used_at < now - TOUCH_INTERVAL:
                        stale.append(row_id)
            if stale:
                with db.transaction(self._conn):
                    for ids in _chunks(stale):
                        self._conn.execute(
                            f"UPDATE vectors SET used_at = ? WHERE id IN ({_marks(len(ids))})",
                            (now, *ids),
                        )
        return {index: found[key] for index, key in enumerate(keys) if key in found}

    def width(self, model: str, dimensions: int | None) -> int | None:
        """The vector length cached for (model, dimensions), or None if nothing is cached."""
        with self._lock:
            space = self._space(model, dimensions)
        return space[1] if space is not None else None

    def count(self) -> int:
        """How many vectors the cache holds, over all models."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM vectors").fetchone()[0])

    # --- writing ----------------------------------------------------------------------------

    def put_many(
        self,
        model: str,
        dimensions: int | None,
        texts: Sequence[str],
        vectors: npt.ArrayLike,
    ) -> None:
        """Store ``vectors[i]`` as the vector of ``texts[i]`` (replacing any cached one).

        Raises :class:`MixedDimensionsError`, writing nothing, if the vectors' width differs from
        what (model, dimensions) already holds or from ``dimensions`` itself; ValueError for
        arrays that are not n × d with d ≥ 1, or hold NaN/infinity.
        """
        _key_dimensions(dimensions)
        if not texts:
            return
        array = np.asarray(vectors, dtype=np.float32)
        if array.ndim != 2 or array.shape[0] != len(texts) or array.shape[1] == 0:
            raise ValueError(
                f"expected {len(texts)} vectors as an n × d array, got shape {array.shape}"
            )
        if not np.all(np.isfinite(array)):
            raise ValueError("vectors contain NaN or infinity")
        width = int(array.shape[1])
        if dimensions is not None and width != dimensions:
            raise MixedDimensionsError(model, dimensions, dimensions, width)
        blobs = array.astype("<f4", copy=False)
        with self._lock, db.transaction(self._conn):
            space_id = self._space_for_write(model, dimensions, width)
            now = self._clock()
            self._conn.executemany(
                "INSERT INTO vectors (space_id, text_sha256, used_at, vector) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (space_id, text_sha256) "
                "DO UPDATE SET vector = excluded.vector, used_at = excluded.used_at",
                (
                    (space_id, text_key(text), now, blobs[i].tobytes())
                    for i, text in enumerate(texts)
                ),
            )
            self._evict()

    def forget(self, model: str, dimensions: int | None) -> int:
        """Drop every vector of (model, dimensions), e.g. after the model changed its width;
        return how many were dropped."""
        with self._lock, db.transaction(self._conn):
            space = self._space(model, dimensions)
            if space is None:
                return 0
            dropped = self._conn.execute(
                "DELETE FROM vectors WHERE space_id = ?", (space[0],)
            ).rowcount
            self._conn.execute("DELETE FROM spaces WHERE id = ?", (space[0],))
        return int(dropped)

    def clear(self) -> None:
        """Drop everything and give the disk space back."""
        with self._lock:
            with db.transaction(self._conn):
                self._conn.execute("DELETE FROM vectors")
                self._conn.execute("DELETE FROM spaces")
            # Deleted pages stay in the file until a VACUUM (which cannot run in a transaction).
            self._conn.execute("VACUUM")

    # --- internals --------------------------------------------------------------------------

    def _space(self, model: str, dimensions: int | None) -> tuple[int, int] | None:
        row = self._conn.execute(
            "SELECT id, width FROM spaces WHERE model = ? AND dimensions = ?",
            (model, _key_dimensions(dimensions)),
        ).fetchone()
        return (int(row[0]), int(row[1])) if row is not None else None

    def _space_for_write(self, model: str, dimensions: int | None, width: int) -> int:
        space = self._space(model, dimensions)
        if space is None:
            cursor = self._conn.execute(
                "INSERT INTO spaces (model, dimensions, width) VALUES (?, ?, ?)",
                (model, _key_dimensions(dimensions), width),
            )
            return int(cursor.lastrowid or 0)
        space_id, expected = space
        if expected != width:
            raise MixedDimensionsError(model, dimensions, expected, width)
        return space_id

    def _evict(self) -> None:
        excess = int(self._conn.execute("SELECT count(*) FROM vectors").fetchone()[0])
        excess -= self.max_vectors
        if excess <= 0:
            return
        self._conn.execute(
            "DELETE FROM vectors WHERE id IN (SELECT id FROM vectors ORDER BY used_at, id LIMIT ?)",
            (excess,),
        )
        # A space without vectors no longer constrains the width of future ones.
        self._conn.execute(
            "DELETE FROM spaces WHERE NOT EXISTS "
            "(SELECT 1 FROM vectors WHERE vectors.space_id = spaces.id)"
        )
        log.info("vector cache: evicted %d least recently used vectors", excess)


def missing_texts(texts: Sequence[str], cached: Mapping[int, object]) -> list[str]:
    """The distinct texts of ``texts`` whose index is not in ``cached``, in first-seen order:
    what to send to the API (a text repeated on several lines is embedded once)."""
    return list(dict.fromkeys(text for i, text in enumerate(texts) if i not in cached))


def assemble(
    texts: Sequence[str],
    cached: Mapping[int, npt.ArrayLike],
    fetched_texts: Sequence[str],
    fetched: npt.ArrayLike,
) -> Vector:
    """The n × d float32 matrix of ``texts`` from cached rows (by index) and fetched ones (by
    text, ``fetched[k]`` being the vector of ``fetched_texts[k]``).

    Raises KeyError if a text is in neither, :class:`MixedDimensionsError` if the rows do not
    all have the same width (e.g. a cache filled by another model version).
    """
    fetched_rows = np.asarray(fetched, dtype=np.float32)
    if len(fetched_texts) and (
        fetched_rows.ndim != 2 or fetched_rows.shape[0] != len(fetched_texts)
    ):
        raise ValueError(
            f"expected {len(fetched_texts)} fetched vectors, got shape {fetched_rows.shape}"
        )
    by_text = {text: fetched_rows[k] for k, text in enumerate(fetched_texts)}
    rows: list[npt.NDArray[np.float32]] = []
    for index, text in enumerate(texts):
        row = cached.get(index)
        if row is None:
            row = by_text.get(text)
        if row is None:
            raise KeyError(f"no vector for text {index}")
        rows.append(np.asarray(row, dtype=np.float32).reshape(-1))
    if not rows:
        return np.zeros((0, 0), dtype=np.float32)
    widths = sorted({row.shape[0] for row in rows})
    if len(widths) > 1:
        raise MixedDimensionsError("(assembled)", None, widths[0], widths[-1])
    return np.vstack(rows)


def _key_dimensions(dimensions: int | None) -> int:
    if dimensions is None:
        return 0
    if isinstance(dimensions, bool) or not isinstance(dimensions, int) or dimensions < 1:
        raise ValueError(f"dimensions must be a positive integer or None, got {dimensions!r}")
    return dimensions


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _chunks(items: Sequence[bytes] | Sequence[int]) -> Iterator[Sequence[bytes] | Sequence[int]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _open(path: Path) -> sqlite3.Connection:
    """Open the cache at ``path``; a file that is not a readable database is set aside
    (renamed ``*.corrupt``) and replaced by an empty cache: losing a cache costs only refetches."""
    try:
        return _connect(path)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) not in (
            sqlite3.SQLITE_NOTADB,
            sqlite3.SQLITE_CORRUPT,
        ):
            raise
        log.warning("vector cache %s is unreadable (%s); starting an empty one", path, exc)
        path.replace(path.with_name(path.name + ".corrupt"))
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                path.with_name(path.name + suffix).unlink()
        return _connect(path)


def _connect(path: Path) -> sqlite3.Connection:
    """The same connection settings as the main database (``db.connect``), with this file's own
    schema, and usable from any thread (the cache serialises calls with its lock)."""
    return db.connect(
        path, migrations=_MIGRATIONS, what="the vector cache", check_same_thread=False
    )
