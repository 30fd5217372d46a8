"""``sfdesk --self-test``: the whole app offscreen against the sandbox, as the frozen bundle runs
it — every panel's step passes, the report says so, and the user's own data is never touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

STEPS = ("chat", "embeddings", "rerank", "images", "transcription", "microphone")


def test_self_test_passes_reports_every_panel_and_leaves_no_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SFDESK_DATA_DIR", "SILICONFLOW_API_KEY", "SFDESK_BASE_URL", "DISPLAY")
    }
    # Where the user's data would go: nothing may appear there.
    env |= {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    (tmp_path / "tmp").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "sfdesk", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "self-test: PASS"
    for step in STEPS:
        assert any(line.split()[:2] == ["ok", step] for line in lines), (step, done.stdout)
    assert "Traceback" not in done.stderr
    # Its temporary data folder is gone, and no sfdesk folder was made in the user's home
    # (libpulse, asked for the input devices, may leave its own runtime files: not ours).
    left = [p.name for p in (tmp_path / "tmp").iterdir() if not p.name.startswith("pulse-")]
    assert not left
    assert not [p for p in home.rglob("*") if "sfdesk" in p.name.lower()]
