"""Bootstrap: the window built as the app builds it, ordered shutdown, and the command line."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

import sfdesk
from sfdesk.app import Options, Session, build_session
from sfdesk.sandbox import SandboxServer
from sfdesk.secrets import KeyStore
from sfdesk.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]


def _child_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", SFDESK_DATA_DIR=str(data_dir))
    env.pop("SILICONFLOW_API_KEY", None)
    env.pop("SFDESK_BASE_URL", None)
    return env


def test_version_prints_and_exits_without_qt(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sfdesk", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_child_env(tmp_path),
        cwd=REPO,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"sfdesk {sfdesk.__version__}" == "sfdesk 0.1.0"
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom sfdesk.__main__ import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print('qt loaded' if 'PySide6' in sys.modules else 'no qt')",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=_child_env(tmp_path),
        cwd=REPO,
    )
    assert probe.stdout.strip().endswith("no qt")


def test_sandbox_session_builds_the_real_window_and_shuts_down_in_order(
    qtbot: QtBot,
    qapp: QApplication,
    sandbox: SandboxServer,
    keys: KeyStore,
    run_async: Any,
    loop: Any,
) -> None:
    session = build_session(qapp, Options(sandbox=True), keys=keys, sandbox_server=sandbox)
    window = session.window  # owned by the session, which deletes it at shutdown
    assert isinstance(window, MainWindow)
    assert window.findChild(QLabel, "status.sandbox") is not None
    # The sandbox key is used directly and never stored.
    assert keys.get(sandbox.base_url) is None

    task = loop.create_task(session.run())
    qtbot.waitUntil(lambda: window.status.balance_label.text() == "Balance: ¥88.88", timeout=10_000)
    window.close()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == 0
    # Every task (balance fetch included) ended before run() returned; the client is closed.
    assert [t for t in asyncio.all_tasks(loop) if not t.done()] == []
    # A shared sandbox is not the session's to stop.
    assert sandbox.base_url
    # The chat panel is the real one, and its synthetic history is kept apart from real ones.
    assert session.ctx.store is not None
    assert session.ctx.store.path.name == "sandbox.sqlite3"


def test_language_option_overrides_the_settings(
    qapp: QApplication, keys: KeyStore, run_async: Any, qtbot: QtBot
) -> None:
    session: Session = build_session(qapp, Options(language="zh_CN"), keys=keys)
    try:
        assert session.window.tabs.tabText(0) == "对话"
    finally:
        session.ctx.translations.apply("en")
        run_async(session.shutdown())


# Runs `sfdesk` with its log also echoed to stdout, so the test can block on "window shown".
_ECHO_LOG_AND_RUN = """
import logging, sys
import sfdesk.app as app

_setup = app.setup_logging

def setup_logging(*args, **kwargs):
    path = _setup(*args, **kwargs)
    echo = logging.StreamHandler(sys.stdout)
    echo.setLevel(logging.INFO)
    logging.getLogger().addHandler(echo)
    return path

app.setup_logging = setup_logging
from sfdesk.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_full_run_exits_cleanly_on_sigterm(tmp_path: Path) -> None:
    """The real `sfdesk --sandbox` process: starts, shows the window, shuts down in order."""
    process = subprocess.Popen(
        [sys.executable, "-X", "dev", "-c", _ECHO_LOG_AND_RUN, "--sandbox", "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env(tmp_path),
        cwd=REPO,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:  # blocks until the app logs; pytest-timeout bounds it
            if "main window shown" in line:
                break
        else:
            raise AssertionError(f"the window never came up: {process.communicate()}")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "sfdesk shut down cleanly" in out
    for problem in ("Task was destroyed but it is pending", "Traceback", "never awaited"):
        assert problem not in err, err
