"""Start-up cost guard: heavy libraries that only some panels need stay out of app start.

Not a timed test (machines are noisy; bench/startup.py measures time): it checks which modules
importing the app pulls in, which is deterministic. numpy alone costs ~160 ms to import.
"""

from __future__ import annotations

import subprocess
import sys

DEFERRED = (
    "numpy",
    "keyring",
    "markdown_it",
    "sfdesk.sandbox",
    "uvicorn",
    "starlette",
    "PIL",
    # httpx's command line: click and Pygments (Pygments comes later, for code highlighting).
    "click",
    "pygments",
    "sounddevice",
    "pyqtgraph",
    # httpx itself and its connection layer: the HTTP client is made in a worker thread before
    # the first request, after the first paint.
    "httpx",
    "httpx_sse",
    "httpcore",
)


def test_importing_the_app_does_not_import_panel_only_libraries() -> None:
    code = (
        "import sys, sfdesk.app, sfdesk.api; sfdesk.api.SiliconFlowClient(api_key='k'); "
        f"print(','.join(m for m in {DEFERRED!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert result.stdout.strip() == "", f"imported at start: {result.stdout.strip()}"
