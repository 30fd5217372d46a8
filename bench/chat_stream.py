"""Streaming a 100k-token answer into the real Chat panel: stalls, cost, RSS (design.md §5).

Targets, at ≥ 2,000 tokens/s: event-loop stall p99 ≤ 16 ms and max ≤ 50 ms over the whole stream;
main-thread time per token at 100k tokens ≤ 1.5× that at 1k; RSS growth ≤ 60 MB.

A real sandbox (``python -m sfdesk.sandbox``, its own process, like a remote server) streams a
Markdown answer of exactly ``--tokens`` tokens (``X-Sandbox-Reply-Tokens``: numbered paragraphs,
a fenced code block in Python, JavaScript or Bash every 4th part, a bullet list every 7th) at
``--rate`` tokens/s (``X-Sandbox-Rate``), one SSE frame per token, over loopback. Each measured run
is a fresh process built like the app (``create_application``, the GUI-thread garbage collector,
a qasync loop from ``create_event_loop``, an ``AppContext`` as in tests/ui/conftest.py):

- ``panel``: the real ``ChatPanel`` (shown, offscreen platform) sends the question with
  ``panel.send()`` and renders the reply in its ``ChatView`` until ``sig_reply_ended``;
- ``baseline``: the same client, ``ChatController`` and store (so the same HTTP, SSE decoding,
  signals and periodic saves of the partial answer), but the deltas go into a shown bare
  ``QPlainTextEdit`` as plain text, coalesced on the same 33 ms timer. It is the floor of any
  chat view; the difference is what Markdown rendering into a rich-text document costs.

A 5 ms precise ``QTimer`` probes the GUI thread. Its lateness (gap between ticks minus 5 ms) is the
stall: p99 and max from the send until 0.5 s after the reply ended. The GUI thread's CPU time in
each gap tells a busy loop from a thread waiting for a CPU (2 cores shared with the sandbox and
whatever else runs): "GUI thread running" counts only the former. Each tick also samples
``time.thread_time()`` (CPU time of the GUI thread) and the number of deltas received, which gives
the GUI thread's cost per token over tokens 1,000–3,000 ("at 1k") and over the 2,000 before the
last 1,000 ("at 100k": tokens 97,000–99,000), same text shape, same rate. Single runs are noisy
(±20% per 1,000 tokens): medians of ``--rounds``. RSS is read from /proc before the send and after
the reply ended (after one idle second and ``gc.collect()``). Nothing is warmed up by the bench
itself (Markdown parser, lexers): what the panel does about them before the first answer is part
of what is measured.

    uv run python bench/chat_stream.py [--tokens 100000] [--rate 2000 5000] [--rounds 3]
                                       [--only panel|baseline] [--profile FILE] [--raw]

``--profile FILE`` runs the panel under cProfile (times are then inflated; for finding where the
time goes, not for the figures) and writes the stats to FILE (one file per rate: FILE.<rate>).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

KINDS = ("baseline", "panel")
PROBE_INTERVAL_MS = 5
WINDOW = 2000  # tokens per cost window
SETTLE_S = 0.5  # probing goes on this long after the reply ended (its final drawing included)
QUESTION = "Explain how a long streamed answer is rendered, with code examples."


# -- the measured process ---------------------------------------------------------------------


def rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure_child(args: argparse.Namespace) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sfdesk.app import create_application
    from sfdesk.ui.event_loop import create_event_loop
    from sfdesk.ui.gc_guard import MainThreadGarbageCollector

    app = create_application([sys.argv[0]])
    collector = MainThreadGarbageCollector(app)
    collector.start()
    with asyncio.Runner(loop_factory=lambda: create_event_loop(app)) as runner:
        result = runner.run(stream_once(args))
    collector.stop()
    return result


async def stream_once(args: argparse.Namespace) -> dict[str, Any]:
    import httpx
    from PySide6.QtCore import QObject, Qt, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from sfdesk.api import SiliconFlowClient
    from sfdesk.config import Settings
    from sfdesk.memory_keyring import MemoryKeyring
    from sfdesk.sandbox import SANDBOX_API_KEY
    from sfdesk.secrets import KeyStore
    from sfdesk.store import ConversationStore
    from sfdesk.ui.chat.controller import ChatController
    from sfdesk.ui.chat.models import DEFAULT_MODEL, is_hybrid
    from sfdesk.ui.chat.panel import ChatPanel
    from sfdesk.ui.chat.view import REPAINT_INTERVAL_MS
    from sfdesk.ui.context import AppContext
    from sfdesk.ui.i18n import Translations
    from sfdesk.ui.theme import ThemeManager

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    loop = asyncio.get_running_loop()
    folder = Path(tempfile.mkdtemp(prefix="sfdesk-bench-"))
    # Every request carries the reply length and rate: the sandbox reads them per request.
    http = httpx.AsyncClient(
        headers={"X-Sandbox-Reply-Tokens": str(args.tokens), "X-Sandbox-Rate": str(args.rate)}
    )
    client = SiliconFlowClient(
        api_key=SANDBOX_API_KEY, base_url=args.base_url, max_retries=0, http_client=http
    )
    store = ConversationStore(folder / "chat.sqlite3")

    class Probe(QObject):
        """Ticks every 5 ms on the GUI thread: (wall time, GUI-thread CPU time, deltas so far)."""

        def __init__(self) -> None:
            super().__init__()
            self.tokens = 0
            self.samples: list[tuple[float, float, int]] = []
            self.timer = QTimer(self)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.setInterval(PROBE_INTERVAL_MS)
            self.timer.timeout.connect(self._on_timer_timeout)

        def on_delta(self, _message_id: int, _content: str, _reasoning: str) -> None:
            self.tokens += 1

        def _on_timer_timeout(self) -> None:
            self.samples.append((time.perf_counter(), time.thread_time(), self.tokens))

    probe = Probe()
    ended: asyncio.Future[None] = loop.create_future()

    def on_reply_ended(_message: object, _error: object) -> None:
        if not ended.done():
            ended.set_result(None)

    keep: list[Any] = []  # widgets and timers that must live until the end
    if args.kind == "panel":
        translations = Translations(app)
        translations.apply("en")
        ctx = AppContext(
            client=client,
            settings=Settings(),
            keys=KeyStore(backend=MemoryKeyring(persistent=True)),
            translations=translations,
            theme=ThemeManager(app),
            settings_path=folder / "settings.json",
            sandbox=True,
            sandbox_key=SANDBOX_API_KEY,
            store=store,
        )
        panel = ChatPanel(ctx, store)
        panel.resize(1100, 720)
        panel.show()
        controller = panel.controller
        keep.append(panel)

        def send() -> None:
            panel.input.setPlainText(QUESTION)
            panel.send()

    else:
        controller = ChatController(client, store)
        edit = QPlainTextEdit()
        edit.setReadOnly(True)
        edit.resize(820, 520)  # about the size of the panel's view at 1100 x 720
        edit.show()
        pending: list[str] = []
        timer = QTimer()
        timer.setInterval(REPAINT_INTERVAL_MS)

        def on_delta(_message_id: int, content: str, _reasoning: str) -> None:
            pending.append(content)

        def on_timer_timeout() -> None:
            if pending:
                cursor = edit.textCursor()
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertText("".join(pending))
                pending.clear()
                bar = edit.verticalScrollBar()
                bar.setValue(bar.maximum())

        controller.sig_reply_delta.connect(on_delta)
        timer.timeout.connect(on_timer_timeout)
        timer.start()
        keep += [controller, edit, timer]

        def send() -> None:
            # What the panel sends for its default model, a hybrid with thinking left off.
            params = {"enable_thinking": False} if is_hybrid(DEFAULT_MODEL) else {}
            controller.send(QUESTION, model=DEFAULT_MODEL, params=params)

    controller.sig_reply_delta.connect(probe.on_delta)
    controller.sig_reply_ended.connect(on_reply_ended)

    await asyncio.sleep(1.0)  # first paint, the model list (panel), then idle
    gc.collect()
    rss_before = rss_mb()
    probe.timer.start()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    send()
    await ended
    stream_s = time.perf_counter() - started
    await asyncio.sleep(SETTLE_S)
    probe.timer.stop()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    await asyncio.sleep(1.0)
    gc.collect()
    rss_after = rss_mb()

    await controller.shutdown()
    await client.aclose()
    await http.aclose()
    store.close()
    shutil.rmtree(folder, ignore_errors=True)
    for widget in keep:
        if hasattr(widget, "close"):
            widget.close()

    samples = probe.samples
    stalls = [(b[0] - a[0]) * 1000 - PROBE_INTERVAL_MS for a, b in itertools.pairwise(samples)]
    # The part of each stall the GUI thread spent running (its CPU time in the gap, less one
    # interval): on a busy machine a gap can also be the thread waiting for a CPU.
    own = [
        min(stall, max(0.0, (b[1] - a[1]) * 1000 - PROBE_INTERVAL_MS))
        for stall, (a, b) in zip(stalls, itertools.pairwise(samples), strict=True)
    ]

    def cost_us(first: int, last: int) -> float:
        """GUI-thread CPU µs per token while tokens [first, last) arrived."""
        a = next(s for s in samples if s[2] >= first)
        b = next(s for s in samples if s[2] >= last)
        return (b[1] - a[1]) / (b[2] - a[2]) * 1e6

    n = probe.tokens
    early, late = (1000, 1000 + WINDOW), (n - 1000 - WINDOW, n - 1000)
    worst = sorted(range(len(stalls)), key=stalls.__getitem__, reverse=True)[:5]
    return {
        # (ms late, at token, ms of GUI-thread CPU in that gap: much less than the gap means
        # the thread was not running, e.g. preempted by another process)
        "worst_stalls": [
            (
                round(stalls[i], 1),
                samples[i + 1][2],
                round((samples[i + 1][1] - samples[i][1]) * 1000, 1),
            )
            for i in worst
        ],
        # GUI-thread µs per token for each thousand tokens (--raw)
        "curve_us": [cost_us(k, k + 1000) for k in range(0, n - 1000, 1000)],
        "kind": args.kind,
        "rate": args.rate,
        "tokens": n,
        "stream_s": stream_s,
        "delivered_rate": n / stream_s,
        "stall_p99_ms": percentile(stalls, 0.99),
        "stall_max_ms": max(stalls),
        "own_p99_ms": percentile(own, 0.99),
        "own_max_ms": max(own),
        "stalls_over_16ms": sum(1 for s in stalls if s > 16),
        "stalls_over_50ms": sum(1 for s in stalls if s > 50),
        "cpu_us_per_token": (samples[-1][1] - samples[0][1]) / n * 1e6,
        "cpu_share": (samples[-1][1] - samples[0][1]) / (samples[-1][0] - samples[0][0]),
        "early_us": cost_us(*early),
        "late_us": cost_us(*late),
        "early_window": f"{early[0] // 1000}k-{early[1] // 1000}k",
        "late_window": f"{late[0] // 1000}k-{late[1] // 1000}k",
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
        "rss_growth_mb": rss_after - rss_before,
        "rss_peak_mb": rss_mb("VmHWM"),
    }


# -- the driver -------------------------------------------------------------------------------


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    """``python -m sfdesk.sandbox`` on a free port, unthrottled (each request sets its rate)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "sfdesk.sandbox", "--port", "0", "--rate", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    url = next((word for word in line.split() if word.startswith("http://")), None)
    if url is None:
        child.kill()
        raise SystemExit(f"the sandbox did not start: {line!r}")
    return child, url


def fill_bytecode_cache(env: dict[str, str]) -> None:
    """Import what the measured processes import, with bytecode caching on.

    Installed apps always run from compiled bytecode (pip and PyInstaller compile it), even where
    the environment disables writing it (``PYTHONDONTWRITEBYTECODE``): without this, the first
    Markdown render of a process would measure the compiler (see also bench/startup.py).
    """
    code = (
        "import sfdesk.app, sfdesk.ui.chat.panel, sfdesk.core.markdown_stream;"
        "from sfdesk.core.markdown_render import warm_up; warm_up()"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)


def run_child(kind: str, rate: int, base_url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--base-url",
        base_url,
        "--tokens",
        str(args.tokens),
        "--rate",
        str(rate),
    ]
    if args.profile and kind == "panel":
        command += ["--profile", f"{args.profile}.{rate}"]
    with tempfile.TemporaryDirectory(prefix="sfdesk-bench-") as data_dir:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SFDESK_DATA_DIR": data_dir}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # see fill_bytecode_cache()
        # stderr kept for failures only: Qt's offscreen plugin warns about window size hints.
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the {kind} run failed:\n{done.stderr}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    if args.raw:
        print(f"RAW {line.removeprefix('RESULT ')}")
    return result


def report(rate: int, runs: dict[str, list[dict[str, Any]]]) -> None:
    kinds = [k for k in KINDS if runs[k]]

    def med(kind: str, key: str) -> float:
        return float(statistics.median(r[key] for r in runs[kind]))

    rounds = len(runs[kinds[0]])
    early = runs[kinds[0]][0]["early_window"]
    late = runs[kinds[0]][0]["late_window"]
    print(f"\nrate {rate} tokens/s, {runs[kinds[0]][0]['tokens']:,} tokens", end="")
    print(f" ({rounds} round{'s' if rounds > 1 else ''}; medians)" if rounds > 1 else "")
    rows: list[tuple[str, str, Callable[[float], str], str]] = [
        ("delivered rate (tokens/s)", "delivered_rate", "{:,.0f}".format, ""),
        ("stall p99 (ms)", "stall_p99_ms", "{:.1f}".format, "<= 16"),
        ("stall max (ms)", "stall_max_ms", "{:.1f}".format, "<= 50"),
        ("stall max, GUI thread running (ms)", "own_max_ms", "{:.1f}".format, ""),
        ("ticks late > 16 ms", "stalls_over_16ms", "{:.0f}".format, ""),
        ("ticks late > 50 ms", "stalls_over_50ms", "{:.0f}".format, ""),
        ("GUI CPU per token, whole (µs)", "cpu_us_per_token", "{:.1f}".format, ""),
        ("GUI CPU share of wall time", "cpu_share", "{:.0%}".format, ""),
        (f"GUI CPU per token, {early} (µs)", "early_us", "{:.1f}".format, ""),
        (f"GUI CPU per token, {late} (µs)", "late_us", "{:.1f}".format, ""),
        ("RSS before (MB)", "rss_before_mb", "{:.1f}".format, ""),
        ("RSS growth (MB)", "rss_growth_mb", "{:.1f}".format, "<= 60"),
        ("RSS peak (MB)", "rss_peak_mb", "{:.1f}".format, ""),
    ]
    print(f"  {'':34}" + "".join(f"{k:>12}" for k in kinds) + f"{'target':>10}")
    for label, key, fmt, target in rows:
        cells = "".join(f"{fmt(med(k, key)):>12}" for k in kinds)
        print(f"  {label:34}{cells}{target:>10}")
    for kind in kinds:
        ratios = [r["late_us"] / r["early_us"] for r in runs[kind]]
        print(
            f"  {kind}: per-token cost at {late} / at {early} = {statistics.median(ratios):.2f}"
            + (f" (runs: {', '.join(f'{x:.2f}' for x in ratios)})" if len(ratios) > 1 else "")
            + ("   target <= 1.5" if kind == "panel" else "")
        )
    for kind in kinds:
        maxima = ", ".join(f"{r['stall_max_ms']:.1f}" for r in runs[kind])
        print(f"  {kind}: stall max per run (ms): {maxima}")
    for r in runs["panel"]:
        where = ", ".join(f"{ms} @ {token:,} ({cpu})" for ms, token, cpu in r["worst_stalls"][:3])
        print(f"  panel's worst ticks, ms late @ token (GUI CPU ms in the gap): {where}")
    if runs["baseline"] and runs["panel"]:
        per_token = med("panel", "cpu_us_per_token") / med("baseline", "cpu_us_per_token")
        print(f"  panel / baseline, GUI CPU per token over the whole stream: {per_token:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tokens", type=int, default=100_000)
    parser.add_argument("--rate", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=KINDS)
    parser.add_argument("--profile", metavar="FILE")
    parser.add_argument("--raw", action="store_true", help="also print each run's raw results")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tokens < 2 * WINDOW + 3000:
        parser.error(f"--tokens must be at least {2 * WINDOW + 3000:,} (two cost windows)")

    if args.child:
        args.kind, args.rate = args.child, args.rate[0]
        print("RESULT " + json.dumps(measure_child(args)), flush=True)
        return

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    fill_bytecode_cache(env)
    sandbox, base_url = start_sandbox()
    try:
        print(f"sandbox at {base_url}; offscreen Qt platform; one fresh process per run")
        kinds = [args.only] if args.only else list(KINDS)
        for rate in args.rate:
            runs: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
            for round_ in range(args.rounds):
                for kind in kinds if round_ % 2 == 0 else kinds[::-1]:
                    runs[kind].append(run_child(kind, rate, base_url, args))
            report(rate, runs)
    finally:
        sandbox.terminate()
        sandbox.wait(10)


if __name__ == "__main__":
    main()
