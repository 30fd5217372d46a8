"""kill -9 in the middle of a stream: the file stays sound and keeps the partial answer.

A real child process streams into a real database file as fast as it can (so the kill lands
mid-write more often than not) and is killed with SIGKILL once it has saved a few updates.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sfdesk.store import ConversationStore

from .conftest import assert_index_matches_messages

# The child saves update i as the concatenation of chunks 1..i in content and "thinking i" in
# reasoning, in one update_message call: a torn write would break that correspondence.
CHILD = """
import sys
from pathlib import Path
from sfdesk.store import ConversationStore

store = ConversationStore(Path(sys.argv[1]))
conv = store.create_conversation("crash")
store.add_message(conv.id, "user", "讲一个很长的故事")
message = store.add_message(conv.id, "assistant", status="streaming", model="m")
text = ""
i = 0
while True:
    i += 1
    text += f"第{i}段。" + "字" * 300 + "\\n"
    store.update_message(message.id, content=text, reasoning=f"thinking {i}")
"""
WANTED_UPDATES = 20


def _chunk(i: int) -> str:
    return f"第{i}段。" + "字" * 300 + "\n"


def _saved_updates(path: Path) -> int:
    """How many updates the child has committed so far (0 before its message exists)."""
    if not path.exists():
        return 0
    conn = sqlite3.connect(path, timeout=5)
    try:
        row = conn.execute(
            "SELECT reasoning FROM messages WHERE role = 'assistant' AND status = 'streaming'"
        ).fetchone()
    except sqlite3.OperationalError:  # the child has not created the tables yet
        return 0
    finally:
        conn.close()
    match = re.fullmatch(r"thinking (\d+)", row[0]) if row else None
    return int(match.group(1)) if match else 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_mid_stream_keeps_the_partial_answer(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db_path)])
    try:
        deadline = time.monotonic() + 30
        while _saved_updates(db_path) < WANTED_UPDATES:
            assert child.poll() is None, "the streaming child exited on its own"
            assert time.monotonic() < deadline, "the child saved too few updates in 30 s"
            time.sleep(0.01)  # polling interval, not a wait for the outcome
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    # The bare file first, before sfdesk touches it (opening it replays the WAL).
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        content, reasoning, status = conn.execute(
            "SELECT content, reasoning, status FROM messages WHERE role = 'assistant'"
        ).fetchone()
    finally:
        conn.close()
    assert status == "streaming"
    saved = int(reasoning.removeprefix("thinking "))
    assert saved >= WANTED_UPDATES
    # Content and reasoning come from the same committed update: no torn or mixed write.
    assert content == "".join(_chunk(i) for i in range(1, saved + 1))

    with ConversationStore(db_path) as store:
        assert store.recover_streaming() == 1
        conv = store.list_conversations()[0]
        user, answer = store.messages(conv.id)
        assert (user.content, answer.status, answer.content) == (
            "讲一个很长的故事",
            "interrupted",
            content,
        )
        # Interrupted answers are final, so they become searchable.
        assert [c.id for c in store.list_conversations(f"第{saved}段")] == [conv.id]
        assert store.recover_streaming() == 0
    assert_index_matches_messages(db_path)
