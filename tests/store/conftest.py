"""Fixtures for the store tests: a real SQLite file per test, a controllable clock, and a way to
check that the full-text index says exactly what the messages say."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sfdesk.store import ConversationStore, db


class FakeClock:
    """Strictly increasing time, so "most recent first" never depends on the OS clock's grain."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "sfdesk.sqlite3"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[ConversationStore]:
    with ConversationStore(db_path, clock=clock) as s:
        yield s


@pytest.fixture
def without_fts(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call to make the next stores behave as on an SQLite build without FTS5/trigram."""

    def disable() -> None:
        monkeypatch.setattr(db, "fts_trigram_available", lambda conn: False)

    return disable


def assert_index_matches_messages(path: Path) -> None:
    """The contentless FTS index must hold exactly the trigrams of the non-streaming messages.

    A trigger that forgot a row with the wrong old text would leave stale or negative counts,
    which searching alone might not reveal; comparing with a freshly built index does.
    """
    conn = sqlite3.connect(path)
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE temp.expected USING fts5(content, content='', tokenize='trigram')"
        )
        conn.execute(
            "INSERT INTO temp.expected (rowid, content) "
            f"SELECT id, content || '{db.FTS_PAD}' FROM messages WHERE status <> 'streaming'"
        )
        conn.execute("CREATE VIRTUAL TABLE temp.v_expected USING fts5vocab(temp, expected, row)")
        conn.execute(
            f"CREATE VIRTUAL TABLE temp.v_actual USING fts5vocab(main, {db.FTS_TABLE}, row)"
        )
        expected = conn.execute(
            "SELECT term, doc, cnt FROM temp.v_expected ORDER BY term"
        ).fetchall()
        actual = conn.execute("SELECT term, doc, cnt FROM temp.v_actual ORDER BY term").fetchall()
    finally:
        conn.close()
    assert actual == expected
