"""kill -9 of the real app while it streams an answer: the database stays sound and keeps it.

The app is ``python -m sfdesk --sandbox`` itself (its own sandbox at its own slow token rate,
offscreen, in an isolated data dir). A few lines wrap ``build_session`` so that, once the window
is shown, the Chat panel sends a message the way the Send button does, and the body it posts is
written next to the data: the test then knows exactly what the sandbox is streaming. The test
polls the sandbox database (read-only) until the stored reply holds part of the answer, and kills
the process with SIGKILL. A second start of the app, the way a user reopens it, must mark the
reply interrupted and show it.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sfdesk.app import SANDBOX_DB_FILENAME
from sfdesk.sandbox.chat import plan_reply
from sfdesk.store import ConversationStore

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

REPO = Path(__file__).resolve().parents[2]
# "long" makes the sandbox add a dozen numbered parts: several seconds at the app's 120 tokens/s.
PROMPT = "Tell me a long story about rivers"
DEADLINE_S = 60.0

# Runs the real app; once its window is shown, drives the Chat panel ("send") or reopens the
# latest conversation and reports what the view shows, then closes the window ("reopen").
DRIVER = """
import json
import sys
from pathlib import Path

import sfdesk.app as app
from sfdesk.__main__ import main

mode, out, prompt = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
_build_session = app.build_session


def write(payload):
    partial = out.with_suffix(".partial")
    partial.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    partial.replace(out)


def build_session(*args, **kwargs):
    session = _build_session(*args, **kwargs)
    chat = session.window.pages["chat"]

    def on_shown():
        if mode == "send":
            chat.input.setPlainText(prompt)
            write(chat.request_body())  # exactly what Send posts next
            chat.send_button.click()
        else:
            conversation = session.ctx.store.list_conversations()[0]
            chat.controller.open_conversation(conversation.id)
            write({"view": chat.view.toPlainText(), "stats": chat.stats.text()})
            session.request_close()

    session.window.sig_window_shown.connect(on_shown)
    return session


app.build_session = build_session
sys.exit(main(["--sandbox", "--lang", "en"]))
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", SFDESK_DATA_DIR=str(data_dir))
    env.pop("SILICONFLOW_API_KEY", None)
    env.pop("SFDESK_BASE_URL", None)
    return env


def _start(mode: str, data_dir: Path, out: Path, stderr: Path) -> subprocess.Popen[bytes]:
    with stderr.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, "-c", DRIVER, mode, str(out), PROMPT],
            env=_env(data_dir),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def _stored_reply(db: Path) -> tuple[str, str] | None:
    """(content, status) of the assistant message, read-only; None before there is one."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.OperationalError:
        return None
    try:
        row = conn.execute(
            "SELECT content, status FROM messages WHERE role = 'assistant'"
        ).fetchone()
    except sqlite3.OperationalError:  # no tables yet, or a writer holds a lock right now
        return None
    finally:
        conn.close()
    return (str(row[0]), str(row[1])) if row else None


def _full_answer(body_file: Path) -> str:
    """The whole answer the sandbox streams for the body the app posted."""
    body = json.loads(body_file.read_text(encoding="utf-8"))
    return "".join(plan_reply(body).content)


def _first_save(content: str, full: str) -> bool:
    return bool(content)


def _midway(content: str, full: str) -> bool:
    return len(content) >= 0.4 * len(full)


@pytest.mark.parametrize("kill_when", [_first_save, _midway], ids=["first-save", "midway"])
def test_kill_9_mid_stream_keeps_a_sound_database_and_the_partial_answer(
    tmp_path: Path, kill_when: Callable[[str, str], bool]
) -> None:
    data_dir = tmp_path / "data"
    db = data_dir / SANDBOX_DB_FILENAME
    body_file = tmp_path / "body.json"
    app = _start("send", data_dir, body_file, tmp_path / "first.stderr")
    full = ""
    try:
        deadline = time.monotonic() + DEADLINE_S
        while True:
            assert app.poll() is None, (tmp_path / "first.stderr").read_text(errors="replace")
            assert time.monotonic() < deadline, f"no partial answer was saved in {DEADLINE_S} s"
            if not full and body_file.exists():
                full = _full_answer(body_file)
            reply = _stored_reply(db)
            if full and reply is not None and reply[1] == "streaming" and kill_when(reply[0], full):
                break
            assert reply is None or reply[1] == "streaming", f"the reply ended first: {reply}"
            time.sleep(0.02)  # polling interval, not a wait for the outcome
        os.kill(app.pid, signal.SIGKILL)
        assert app.wait(timeout=10) == -signal.SIGKILL
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()

    # The bare file first, before sfdesk opens it (opening replays the WAL).
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        content, status = conn.execute(
            "SELECT content, status FROM messages WHERE role = 'assistant'"
        ).fetchone()
    finally:
        conn.close()
    assert status == "streaming"  # never "complete": the answer did not finish
    assert content and len(content) < len(full)
    assert full.startswith(content), "the saved text is not what the sandbox sent"
    assert kill_when(content, full)

    with ConversationStore(db) as store:
        (conversation,) = store.list_conversations()
        user, answer = store.messages(conversation.id)
        assert (user.role, user.content) == ("user", PROMPT)
        assert (answer.role, answer.status, answer.content) == ("assistant", "streaming", content)

    # A second start: the app marks the reply interrupted and shows it.
    report = tmp_path / "reopen.json"
    again = _start("reopen", data_dir, report, tmp_path / "second.stderr")
    try:
        assert again.wait(timeout=DEADLINE_S) == 0, (tmp_path / "second.stderr").read_text(
            errors="replace"
        )
    finally:
        if again.poll() is None:
            again.kill()
            again.wait()
    assert "Traceback" not in (tmp_path / "second.stderr").read_text(errors="replace")
    shown = json.loads(report.read_text(encoding="utf-8"))
    assert PROMPT in shown["view"]
    assert "Interrupted" in shown["view"] and "Retry" in shown["view"]
    words = [word for word in content.split() if word.isalpha()][:5]
    assert words and all(word in shown["view"] for word in words)

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute(
            "SELECT content, status FROM messages WHERE role = 'assistant'"
        ).fetchall() == [(content, "interrupted")]
    finally:
        conn.close()
