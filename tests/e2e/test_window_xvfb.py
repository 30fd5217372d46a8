"""End to end: ``sfdesk --sandbox`` in a real window on a real (virtual) X server.

Starts Xvfb, launches the app as a user would, waits until the window is on screen (a
screenshot taken from the X server shows it), then ends it with SIGTERM and checks that the
shutdown was orderly. Screenshots are kept in ``$SFDESK_SCREENSHOT_DIR`` when that is set.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")

GRAB = Path(__file__).with_name("grab_screen.py")
DEADLINE = 30.0


@pytest.fixture
def display() -> Iterator[str]:
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as announced:
        number = announced.readline().strip()  # Xvfb writes its display number once ready
    assert number, "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def grab(display: str, path: Path) -> int:
    result = subprocess.run(
        [sys.executable, str(GRAB), str(path)],
        env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=True,
    )
    return int(result.stdout.strip())


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_sandbox_window_shows_and_shuts_down_cleanly(
    display: str, tmp_path: Path, language: str
) -> None:
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "SFDESK_DATA_DIR": str(data_dir),
    }
    env.pop("SILICONFLOW_API_KEY", None)
    app = subprocess.Popen(
        [sys.executable, "-m", "sfdesk", "--sandbox", "--lang", language],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    shot = tmp_path / f"main-window-{language}.png"
    try:
        deadline = time.monotonic() + DEADLINE
        colours = 1
        # Poll the screen (not a fixed sleep): done as soon as the window has been drawn.
        while colours < 20:
            assert app.poll() is None, f"sfdesk exited early: {app.communicate()[1][-2000:]}"
            assert time.monotonic() < deadline, "the window never appeared on the X display"
            colours = grab(display, shot)
        app.send_signal(signal.SIGTERM)
        _, stderr = app.communicate(timeout=DEADLINE)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()

    assert app.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr and "was destroyed but it is pending" not in stderr
    log = (data_dir / "logs" / "sfdesk.log").read_text(encoding="utf-8")
    assert "sfdesk shut down cleanly" in log
    assert "Traceback" not in log
    if keep := os.environ.get("SFDESK_SCREENSHOT_DIR"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
