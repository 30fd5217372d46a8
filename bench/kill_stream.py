"""kill -9 of the running app in the middle of a streamed answer, many times (design.md §5).

Each trial starts the real app (``python -m sfdesk --sandbox``, offscreen, an empty data dir) with
the same small driver as ``tests/safety/test_kill_during_stream.py``: once the window is shown the
Chat panel sends a long question, and the body it posts is written down, so the whole answer the
sandbox streams is known. At a random point of the stream (a random share of the answer already
saved, from the first save to 90 %) the process gets SIGKILL. Then the bare database file is
checked before anything opens it: ``PRAGMA integrity_check`` and the assistant message, which must
be a non-empty prefix of the full answer with status ``streaming`` (never ``complete``).

The figure is a count of sound databases and kept partial answers out of the trials (a
correctness figure: there is no baseline to divide by), with how much of the answer was saved
when the process died.

    uv run python bench/kill_stream.py [--trials 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sfdesk.app import SANDBOX_DB_FILENAME  # noqa: E402
from tests.safety.test_kill_during_stream import (  # noqa: E402
    _full_answer,
    _start,
    _stored_reply,
)

DEADLINE_S = 60.0


def trial(folder: Path, share: float) -> dict[str, object]:
    data_dir = folder / "data"
    db = data_dir / SANDBOX_DB_FILENAME
    body = folder / "body.json"
    app = _start("send", data_dir, body, folder / "stderr.txt")
    full = ""
    try:
        deadline = time.monotonic() + DEADLINE_S
        while True:
            if app.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "stderr.txt").read_text(errors="replace")[-2000:])
            if not full and body.exists():
                full = _full_answer(body)
            reply = _stored_reply(db)
            if full and reply and reply[1] == "streaming" and len(reply[0]) >= share * len(full):
                break
            time.sleep(0.01)
        os.kill(app.pid, signal.SIGKILL)
        app.wait(timeout=10)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    conn = sqlite3.connect(db)
    try:
        sound = conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        content, status = conn.execute(
            "SELECT content, status FROM messages WHERE role = 'assistant'"
        ).fetchone()
    finally:
        conn.close()
    kept = bool(content) and status == "streaming" and full.startswith(content)
    return {"sound": sound, "kept": kept, "saved": len(content) / len(full)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results = []
    for number in range(args.trials):
        share = rng.uniform(0.0, 0.9)
        with tempfile.TemporaryDirectory(prefix="sfdesk-kill-") as folder:
            result = trial(Path(folder), share)
        results.append(result)
        print(
            f"trial {number + 1:2d}: kill after {share:4.0%} saved -> "
            f"integrity {'ok' if result['sound'] else 'BROKEN'}, "
            f"partial answer {'kept' if result['kept'] else 'LOST'} "
            f"({result['saved']:.0%} of the answer)",
            flush=True,
        )
    sound = sum(bool(r["sound"]) for r in results)
    kept = sum(bool(r["kept"]) for r in results)
    saved = [float(r["saved"]) for r in results]  # type: ignore[arg-type]
    print()
    print("| trials | integrity_check ok | partial answer kept | saved share, median (range) |")
    print("|---|---|---|---|")
    print(
        f"| {len(results)} | {sound} / {len(results)} | {kept} / {len(results)} | "
        f"{statistics.median(saved):.0%} ({min(saved):.0%}–{max(saved):.0%}) |"
    )


if __name__ == "__main__":
    main()
