"""Start-to-first-window time and idle RSS: sfdesk vs a bare PySide6 window (design.md §5).

Target: sfdesk ≤ 2× the baseline on both. Each round launches both programs (alternating which
goes first) as fresh processes and measures, from spawn, the time until the main window is first
painted, plus the resident memory at that moment and after one idle second. sfdesk runs its real
bootstrap with a key from the environment and a base URL on a closed local port (a user with a
key, offline: the balance fetch fails in the background without holding anything up), in an
isolated data dir. Offscreen Qt platform, so no display is needed.

Bytecode caching is on for the children even where the environment disables it
(``PYTHONDONTWRITEBYTECODE``): installed apps always run from compiled bytecode (pip and
PyInstaller compile it; Python caches it on first run), and without it every launch would
recompile ~250 modules and measure the compiler, not the app. The warm-up launches fill the cache.

    uv run python bench/startup.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROBE = Path(__file__).with_name("startup_probe.py")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def launch(kind: str, env: dict[str, str]) -> tuple[float, int, int]:
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(PROBE), kind], env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    first_line = child.stdout.readline().split()
    shown = time.perf_counter() - started
    idle_line = child.stdout.readline().split()
    child.wait(timeout=60)
    if first_line[:1] != ["FIRST_PAINT"] or idle_line[:1] != ["IDLE"]:
        raise SystemExit(f"{kind}: probe failed ({first_line}, {idle_line})")
    return shown, int(first_line[1]), int(idle_line[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "SFDESK_DATA_DIR": data_dir,
            "SILICONFLOW_API_KEY": "sk-bench-not-a-real-key",
            "SFDESK_BASE_URL": f"http://127.0.0.1:{closed_port()}/v1",
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        launch("baseline", env)  # warm the OS file cache for both
        launch("sfdesk", env)
        results: dict[str, list[tuple[float, int, int]]] = {"baseline": [], "sfdesk": []}
        for round_ in range(args.rounds):
            order = ("baseline", "sfdesk") if round_ % 2 == 0 else ("sfdesk", "baseline")
            for kind in order:
                results[kind].append(launch(kind, env))

    def median(kind: str, index: int) -> float:
        return statistics.median(r[index] for r in results[kind])

    print(f"{args.rounds} rounds, medians (offscreen platform)")
    print(f"{'':28}{'baseline':>12}{'sfdesk':>12}{'ratio':>8}")
    for label, index, scale, unit in (
        ("start to first paint", 0, 1000.0, "ms"),
        ("RSS at first paint", 1, 1 / 1024, "MB"),
        ("RSS after 1 s idle", 2, 1 / 1024, "MB"),
    ):
        base, ours = median("baseline", index), median("sfdesk", index)
        print(
            f"{label + ' (' + unit + ')':28}{base * scale:>12.1f}{ours * scale:>12.1f}"
            f"{ours / base:>8.2f}"
        )
    print("targets: start and idle RSS ratios <= 2.0")


if __name__ == "__main__":
    main()
