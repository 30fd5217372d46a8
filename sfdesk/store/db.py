"""The SQLite file behind the store: how it is opened, its versioned schema and its search index.

This module owns
- opening the database (WAL, ``synchronous=NORMAL``, foreign keys, busy timeout) in autocommit
  mode, with :func:`transaction` as the one way to write;
- the schema: ``PRAGMA user_version`` is the number of :data:`MIGRATIONS` applied, and opening a
  database applies the missing ones in order, forward only;
- the optional full-text index of message contents (FTS5 with the ``trigram`` tokenizer, SQLite
  ≥ 3.34). It is derived data, kept outside the versioned schema so that a database moving between
  SQLite builds with and without FTS5 stays usable; see :func:`ensure_search_index`.

It knows the tables but nothing of how conversations are used; that is ``conversations.py``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from sfdesk import paths

log = logging.getLogger(__name__)

DB_FILENAME = "sfdesk.sqlite3"
#: A second sfdesk window on the same data waits this long for a write lock instead of failing.
BUSY_TIMEOUT_MS = 5000
#: The WAL file keeps its high-water size after checkpoints; streaming rewrites a long answer every
#: second, so cap what stays on disk.
JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024

# Column order matters: SQLite reads a row's columns front to back and long values spill into
# overflow pages, so the short columns that filters and the list need come before the long text
# and the attachments (image data URLs can be megabytes) come last.
_V1: tuple[str, ...] = (
    """
    CREATE TABLE conversations (
        id            INTEGER PRIMARY KEY,
        created_at    REAL    NOT NULL,
        updated_at    REAL    NOT NULL,
        title         TEXT    NOT NULL DEFAULT '',
        model         TEXT    NOT NULL DEFAULT '',
        params        TEXT    NOT NULL DEFAULT '{}',
        system_prompt TEXT    NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX conversations_by_update ON conversations (updated_at DESC, id DESC)",
    """
    CREATE TABLE messages (
        id              INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        position        INTEGER NOT NULL,
        role            TEXT    NOT NULL,
        status          TEXT    NOT NULL DEFAULT 'complete',
        finish_reason   TEXT,
        model           TEXT    NOT NULL DEFAULT '',
        created_at      REAL    NOT NULL,
        updated_at      REAL    NOT NULL,
        usage           TEXT,
        stats           TEXT,
        error           TEXT,
        tool_calls      TEXT    NOT NULL DEFAULT '[]',
        content         TEXT    NOT NULL DEFAULT '',
        reasoning       TEXT    NOT NULL DEFAULT '',
        attachments     TEXT    NOT NULL DEFAULT '[]',
        UNIQUE (conversation_id, position)
    )
    """,
    # recover_streaming() runs at every start: this keeps it from reading every message.
    "CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming'",
)

#: Forward-only schema migrations; ``MIGRATIONS[n]`` takes the database from version n to n + 1.
#: Each entry is a sequence of single SQL statements (not a script: ``executescript`` would commit
#: the surrounding transaction). Never edit a released entry; append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)


class StoreError(Exception):
    """Base class of the store's own errors."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer sfdesk whose schema this version does not know."""


def default_path() -> Path:
    """``data_dir()/sfdesk.sqlite3``: the database the app uses unless told otherwise."""
    return paths.data_dir() / DB_FILENAME


def connect(
    path: Path,
    *,
    migrations: Sequence[Sequence[str]] | None = None,
    what: str = "the database",
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path``.

    The connection is in autocommit mode (``isolation_level=None``): every write goes through
    :func:`transaction`, so a transaction never stays open between calls by accident.

    Other files of the store (the Embeddings panel's run history) are opened with the same
    settings and their own ``migrations`` (default: this file's :data:`MIGRATIONS`); ``what``
    names the file in messages. ``check_same_thread=False`` is for stores that serialise calls
    from worker threads with their own lock.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=check_same_thread,
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            # e.g. some network file systems: still correct, only slower and less concurrent.
            log.warning("SQLite refused WAL mode for %s (journal_mode=%s)", path, mode)
        # In WAL mode NORMAL loses no committed data when the app crashes, only (at worst) the
        # last transactions on a power cut, and it spares an fsync per streaming update.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        migrate(conn, migrations, what=what)
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, committed on success and rolled back on any exception.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so two processes cannot both read and then
    deadlock on upgrading to a write; the busy timeout makes the second one wait instead.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        # Some errors (disk full, I/O) have already rolled the transaction back.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    conn: sqlite3.Connection,
    migrations: Sequence[Sequence[str]] | None = None,
    *,
    what: str = "the database",
) -> int:
    """Apply the missing migrations in one transaction; return the resulting schema version.

    ``migrations`` defaults to :data:`MIGRATIONS`, read at call time.
    """
    steps = MIGRATIONS if migrations is None else migrations
    target = len(steps)
    version = schema_version(conn)
    if version == target:
        return version
    with transaction(conn):
        # Another process (maybe a newer sfdesk) may have migrated between our read and taking
        # the lock.
        version = schema_version(conn)
        if version > target:
            raise SchemaTooNewError(
                f"{what} is at schema version {version}, this sfdesk knows up to {target}; "
                "it was written by a newer sfdesk"
            )
        for number in range(version, target):
            for statement in steps[number]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
    log.info("%s: schema migrated from version %d to %d", what, version, target)
    return target


# --- full-text search -----------------------------------------------------------------------

FTS_TABLE = "message_fts"
FTS_VOCAB = "message_fts_vocab"
#: Appended to every indexed text so that each character starts a trigram: a 1–2 character query
#: at the very end of a message can then be found through the index vocabulary (see
#: ``conversations._short_term_query``). Queries are split on whitespace, so they never match it.
FTS_PAD = "  "

# The index is contentless (it stores only the trigrams, not a second copy of the text) and only
# covers messages that are not streaming: re-indexing a 100 kB answer every second costs 5–15 ms
# of the GUI thread, leaving it until the answer is final costs nothing. A contentless FTS5 table
# can only forget a row if told its exact old text, which is why every path goes through these
# triggers and why they must all exist together.
_FTS_TRIGGERS: dict[str, str] = {
    "message_fts_after_insert": f"""
        CREATE TRIGGER message_fts_after_insert AFTER INSERT ON messages
        WHEN new.status <> 'streaming'
        BEGIN
            INSERT INTO {FTS_TABLE} (rowid, content) VALUES (new.id, new.content || '{FTS_PAD}');
        END
    """,
    "message_fts_after_delete": f"""
        CREATE TRIGGER message_fts_after_delete AFTER DELETE ON messages
        WHEN old.status <> 'streaming'
        BEGIN
            INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, content)
            VALUES ('delete', old.id, old.content || '{FTS_PAD}');
        END
    """,
    # One trigger, two ordered statements: forgetting the old text must happen before indexing
    # the new one under the same rowid. Status-only changes between final states do nothing.
    "message_fts_after_update": f"""
        CREATE TRIGGER message_fts_after_update AFTER UPDATE OF content, status ON messages
        WHEN old.content IS NOT new.content
          OR (old.status = 'streaming') <> (new.status = 'streaming')
        BEGIN
            INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, content)
            SELECT 'delete', old.id, old.content || '{FTS_PAD}' WHERE old.status <> 'streaming';
            INSERT INTO {FTS_TABLE} (rowid, content)
            SELECT new.id, new.content || '{FTS_PAD}' WHERE new.status <> 'streaming';
        END
    """,
}


def fts_trigram_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite build has FTS5 with the trigram tokenizer (probed in the temp schema)."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.sfdesk_fts_probe USING fts5(x, tokenize='trigram')")
        conn.execute("DROP TABLE temp.sfdesk_fts_probe")
    except sqlite3.Error:
        return False
    return True


def _schema_names(conn: sqlite3.Connection, kind: str) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,))
    return {str(name) for (name,) in rows}


def ensure_search_index(conn: sqlite3.Connection, *, available: bool) -> bool:
    """Make the message index consistent with the messages; return whether search can use it.

    The index is trusted only while all its triggers exist. Without FTS5 the triggers are dropped
    (they would make every write to ``messages`` fail with "no such module"), and search falls
    back to LIKE. When FTS5 is back, an index found without its triggers is stale and is rebuilt
    from the messages, once.
    """
    if not available:
        if _schema_names(conn, "trigger") & _FTS_TRIGGERS.keys():
            log.warning("SQLite has no FTS5 trigram tokenizer: message search falls back to LIKE")
            with transaction(conn):
                for name in _FTS_TRIGGERS:
                    conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        return False
    if not _index_is_complete(conn):
        with transaction(conn):
            # Re-checked under the write lock: another window may have just built it.
            if not _index_is_complete(conn):
                _rebuild_index(conn)
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{FTS_VOCAB} "
        f"USING fts5vocab(main, {FTS_TABLE}, row)"
    )
    return True


def _index_is_complete(conn: sqlite3.Connection) -> bool:
    return FTS_TABLE in _schema_names(conn, "table") and _FTS_TRIGGERS.keys() <= _schema_names(
        conn, "trigger"
    )


def _rebuild_index(conn: sqlite3.Connection) -> None:
    for name in _FTS_TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    if FTS_TABLE in _schema_names(conn, "table"):
        conn.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")
    else:
        conn.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(content, content='', tokenize='trigram')"
        )
    count = conn.execute(
        f"INSERT INTO {FTS_TABLE} (rowid, content) "
        f"SELECT id, content || '{FTS_PAD}' FROM messages WHERE status <> 'streaming'"
    ).rowcount
    for sql in _FTS_TRIGGERS.values():
        conn.execute(sql)
    log.info("message search index built (%d messages)", count)


class LockedStore:
    """What every store shares: one connection (``_conn``), closed by :meth:`close` or at the end
    of a ``with`` block. Stores called from worker threads use it under one lock (``_lock``), which
    :meth:`close` takes; a store that does more on closing overrides it."""

    _conn: sqlite3.Connection
    _lock: threading.Lock

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
