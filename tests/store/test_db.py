"""Opening the database: location, pragmas, and forward-only, transactional migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sfdesk import paths
from sfdesk.store import ConversationStore, SchemaTooNewError, db


def _schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        return [(str(t), str(n), str(s)) for t, n, s in rows]
    finally:
        conn.close()


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_default_location_is_the_data_dir() -> None:
    # The autouse fixture points SFDESK_DATA_DIR at a temp dir.
    with ConversationStore() as store:
        assert store.path == paths.data_dir() / "sfdesk.sqlite3"
        store.create_conversation("x")
    assert (paths.data_dir() / "sfdesk.sqlite3").is_file()


def test_connection_settings(db_path: Path, store: ConversationStore) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == db.BUSY_TIMEOUT_MS
    assert not conn.in_transaction  # no call leaves a transaction open
    store.create_conversation()
    assert not conn.in_transaction
    # WAL is a property of the file: any other connection sees it too.
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_opening_again_changes_nothing(db_path: Path) -> None:
    with ConversationStore(db_path) as store:
        conv = store.create_conversation("kept")
        store.add_message(conv.id, "user", "hello")
    schema = _schema(db_path)
    assert _user_version(db_path) == len(db.MIGRATIONS) == 1
    with ConversationStore(db_path) as store:
        assert [c.title for c in store.list_conversations()] == ["kept"]
    with ConversationStore(db_path):
        pass
    assert _schema(db_path) == schema
    assert _user_version(db_path) == 1


def test_a_new_migration_is_applied_once_and_keeps_data(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ConversationStore(db_path) as store:
        conv = store.create_conversation("old")
    v2 = ("ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0",)
    monkeypatch.setattr(db, "MIGRATIONS", (*db.MIGRATIONS, v2))
    for _ in range(2):  # a second open must not re-run v2 (ALTER would fail: duplicate column)
        with ConversationStore(db_path) as store:
            assert store.get_conversation(conv.id) is not None
    assert _user_version(db_path) == 2
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT title, pinned FROM conversations").fetchall() == [("old", 0)]
    finally:
        conn.close()


def test_a_failing_migration_leaves_the_database_as_it_was(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ConversationStore(db_path) as store:
        store.create_conversation("old")
    schema = _schema(db_path)
    broken = ("CREATE TABLE runs (id INTEGER PRIMARY KEY)", "THIS IS NOT SQL")
    monkeypatch.setattr(db, "MIGRATIONS", (*db.MIGRATIONS, broken))
    with pytest.raises(sqlite3.OperationalError):
        ConversationStore(db_path)
    assert _user_version(db_path) == 1
    assert _schema(db_path) == schema  # the first statement of the broken migration rolled back


def test_a_database_from_a_newer_sfdesk_is_refused(db_path: Path) -> None:
    with ConversationStore(db_path):
        pass
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="newer"):
        ConversationStore(db_path)
    assert _user_version(db_path) == 99


def test_transaction_rolls_back_on_error(store: ConversationStore) -> None:
    conv = store.create_conversation("before")
    with pytest.raises(RuntimeError), db.transaction(store._conn) as conn:
        conn.execute("UPDATE conversations SET title = 'after' WHERE id = ?", (conv.id,))
        raise RuntimeError("boom")
    assert not store._conn.in_transaction
    got = store.get_conversation(conv.id)
    assert got is not None and got.title == "before"
