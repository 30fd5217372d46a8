"""Opening a stored 1,000-message conversation in the real Chat panel (design.md §5).

Target: < 300 ms. The database (two 1,000-message conversations, built in a temp dir with
``build_conversation`` from bench/conversation_open.py: ~300–3,000 characters per message,
Chinese, English and code, half the answers with reasoning) is opened by fresh processes, each
built like the app (``create_application``, the GUI-thread garbage collector, a qasync loop from
``create_event_loop``, an ``AppContext`` as in tests/ui/conftest.py, offline) with the real
``ChatPanel`` shown (offscreen platform) at 1100 x 720 and left idle for a second first.

One open is timed from ``panel.controller.open_conversation(id)`` until the view's viewport has
been painted: an event filter sees its first ``Paint`` event after the call, and the time is taken
in the loop's next callback, once that paint is over. The panel shows the conversation's last
``HISTORY_LIMIT`` messages (panel.py), rendered from Markdown, with a link to the earlier ones.
The first open in a process also pays for whatever Markdown, Pygments and lexer imports the app
has not done by then: it is reported apart ("first open", always the panel's, before anything else
rendered Markdown). Then, in rounds alternating between the two conversations (each open replaces
a full view by another), the panel and two baselines take turns going first:

- plain text: the same store fetch shown with ``setPlainText`` in a bare, shown ``QTextBrowser`` of
  the view's size, timed the same way; the floor of showing that text at all;
- Markdown + one ``setHtml``: the same fetch, each answer through the same ``render_markdown`` the
  view uses (questions escaped), the whole page given to another bare ``QTextBrowser`` in one
  ``setHtml``; the same rich content shown the simplest way, so the difference from the panel is
  how the view builds its document (and what it adds: action lines, margins, the panel's own
  slots).

The store fetch alone and the Markdown-to-HTML work of a page are also timed on the side.

    uv run python bench/chat_open.py [--messages 1000] [--processes 5] [--rounds 6]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import html
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from conversation_open import build_conversation

from sfdesk.store import ConversationStore

DEADLINE_S = 10.0


# -- the measured process ---------------------------------------------------------------------


def measure_child(db_path: Path, rounds: int, offset: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sfdesk.app import create_application
    from sfdesk.ui.event_loop import create_event_loop
    from sfdesk.ui.gc_guard import MainThreadGarbageCollector

    app = create_application([sys.argv[0]])
    collector = MainThreadGarbageCollector(app)
    collector.start()
    with asyncio.Runner(loop_factory=lambda: create_event_loop(app)) as runner:
        result = runner.run(open_rounds(db_path, rounds, offset))
    collector.stop()
    return result


async def open_rounds(db_path: Path, rounds: int, offset: int) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QTextBrowser, QWidget

    from sfdesk.api import SiliconFlowClient
    from sfdesk.config import Settings
    from sfdesk.memory_keyring import MemoryKeyring
    from sfdesk.secrets import KeyStore
    from sfdesk.ui.chat.panel import HISTORY_LIMIT, ChatPanel
    from sfdesk.ui.context import AppContext
    from sfdesk.ui.i18n import Translations
    from sfdesk.ui.theme import ThemeManager

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    loop = asyncio.get_running_loop()
    folder = Path(tempfile.mkdtemp(prefix="sfdesk-bench-"))
    store = ConversationStore(db_path)
    translations = Translations(app)
    translations.apply("en")
    # Offline, as far as this is concerned: opening a conversation never touches the network
    # (the model list the panel asks for when first shown fails at once, in the background).
    client = SiliconFlowClient(api_key="", base_url="http://127.0.0.1:9/v1", max_retries=0)
    ctx = AppContext(
        client=client,
        settings=Settings(),
        keys=KeyStore(backend=MemoryKeyring(persistent=True)),
        translations=translations,
        theme=ThemeManager(app),
        settings_path=folder / "settings.json",
        store=store,
    )
    panel = ChatPanel(ctx, store)
    panel.resize(1100, 720)
    panel.show()
    plain = QTextBrowser()
    rich = QTextBrowser()
    for bare in (plain, rich):
        bare.resize(panel.view.size())
        bare.show()

    class PaintProbe(QObject):
        """Resolves ``done`` with the time the first Paint of the watched widget was handled."""

        def __init__(self, done: asyncio.Future[float]) -> None:
            super().__init__()
            self.done = done

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                # The loop's next callback runs once this paint (and its flush) is over.
                loop.call_soon(self._painted)
            return False

        def _painted(self) -> None:
            if not self.done.done():
                self.done.set_result(time.perf_counter())

    async def until_painted(viewport: QWidget, action: Callable[[], object]) -> float:
        """Milliseconds from ``action()`` until ``viewport`` has been painted."""
        done: asyncio.Future[float] = loop.create_future()
        probe = PaintProbe(done)
        viewport.installEventFilter(probe)
        started = time.perf_counter()
        try:
            action()
            ended = await asyncio.wait_for(done, DEADLINE_S)
        finally:
            viewport.removeEventFilter(probe)
        return (ended - started) * 1000

    ids = [c.id for c in store.list_conversations()]

    async def open_panel(cid: int) -> float:
        return await until_painted(
            panel.view.viewport(), lambda: panel.controller.open_conversation(cid)
        )

    async def open_plain(cid: int) -> float:
        def show() -> None:
            messages = store.messages(cid, limit=HISTORY_LIMIT)
            plain.setPlainText("\n\n".join(f"{m.role}\n{m.content}" for m in messages))

        return await until_painted(plain.viewport(), show)

    async def open_html(cid: int) -> float:
        from sfdesk.core.markdown_stream import render_markdown

        def show() -> None:
            parts: list[str] = []
            for m in store.messages(cid, limit=HISTORY_LIMIT):
                parts.append(f"<p><b>{m.role}</b></p>")
                if m.role == "assistant":
                    parts.append(render_markdown(m.content))
                else:
                    parts.append(f"<p>{html.escape(m.content)}</p>")
            rich.setHtml("".join(parts))

        return await until_painted(rich.viewport(), show)

    Opener = Callable[[int], Coroutine[Any, Any, float]]
    openers: dict[str, Opener] = {"panel": open_panel, "plain": open_plain, "html": open_html}
    await asyncio.sleep(1.0)  # first paint of the windows, then idle, as a user would find it
    # The first open of the process: the panel's, before anything else rendered Markdown.
    gc.collect()
    first_ms = await open_panel(ids[0])
    await asyncio.sleep(0.1)
    times: dict[str, list[float]] = {kind: [] for kind in openers}
    for round_ in range(rounds):
        cid = ids[(round_ + 1) % len(ids)]
        kinds = list(openers)
        shift = (round_ + offset) % len(kinds)  # each kind goes first in turn
        for kind in kinds[shift:] + kinds[:shift]:
            gc.collect()
            times[kind].append(await openers[kind](cid))
            await asyncio.sleep(0.05)

    # On the side: the store fetch alone and the Markdown-to-HTML work of one page.
    from sfdesk.core.markdown_stream import render_markdown

    fetch_ms: list[float] = []
    render_ms: list[float] = []
    for round_ in range(rounds):
        cid = ids[round_ % len(ids)]
        started = time.perf_counter()
        messages = store.messages(cid, limit=HISTORY_LIMIT)
        fetch_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        for m in messages:
            if m.role == "assistant":
                render_markdown(m.content)
        render_ms.append((time.perf_counter() - started) * 1000)
    page = store.messages(ids[0], limit=HISTORY_LIMIT)
    result = {
        "page": len(page),
        "page_chars": sum(len(m.content) for m in page),
        "document_chars": panel.view.document().characterCount(),
        "first_ms": first_ms,
        **{f"{kind}_ms": values for kind, values in times.items()},
        "fetch_ms": statistics.median(fetch_ms),
        "render_ms": statistics.median(render_ms),
    }
    for window in (panel, plain, rich):
        window.close()
    await panel.controller.shutdown()
    await panel.models.shutdown()
    await client.aclose()
    store.close()
    shutil.rmtree(folder, ignore_errors=True)
    return result


# -- the driver -------------------------------------------------------------------------------


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


def build_database(path: Path, messages: int) -> None:
    with ConversationStore(path) as store:
        for seed, title in ((1, "长对话"), (2, "Long conversation")):
            build_conversation(store, random.Random(seed), messages, title)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=6, help="rounds per process")
    parser.add_argument("--child", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = measure_child(Path(args.child), args.rounds, args.offset)
        print("RESULT " + json.dumps(result), flush=True)
        return

    with tempfile.TemporaryDirectory(prefix="sfdesk-bench-") as tmp:
        db_path = Path(tmp) / "chat.sqlite3"
        started = time.perf_counter()
        build_database(db_path, args.messages)
        print(
            f"database: 2 conversations x {args.messages} messages,"
            f" built in {time.perf_counter() - started:.1f} s"
        )
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SFDESK_DATA_DIR": tmp}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # see fill_bytecode_cache()
        fill_bytecode_cache(env)
        results: list[dict[str, Any]] = []
        for process in range(args.processes):
            command = [sys.executable, __file__, "--child", str(db_path)]
            command += ["--rounds", str(args.rounds), "--offset", str(process)]
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"a measuring process failed:\n{done.stderr}")
            line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
            results.append(json.loads(line.removeprefix("RESULT ")))
    report(results, args)


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    def all_of(key: str) -> list[float]:
        values = [r[key] for r in results]
        return [v for x in values for v in x] if isinstance(values[0], list) else values

    def med(key: str) -> float:
        return statistics.median(all_of(key))

    first = results[0]
    print(
        f"page shown: the last {first['page']} messages ({first['page_chars']:,} characters;"
        f" {first['document_chars']:,} characters in the view's document)"
    )
    print(
        f"{args.processes} fresh processes x (1 first open + {args.rounds} rounds of the"
        " three), medians, ms from the call to the end of the first paint"
    )
    panel = med("panel_ms")
    print(f"{'':48}{'ms':>8}{'panel / it':>12}")
    for label, key in (
        ("baseline: plain text, setPlainText", "plain_ms"),
        ("baseline: render_markdown + one setHtml", "html_ms"),
    ):
        print(f"{label:48}{med(key):8.1f}{panel / med(key):12.2f}")
    print(f"{'ChatPanel.open_conversation':48}{panel:8.1f}")
    firsts = all_of("first_ms")
    print(
        f"{'ChatPanel, first open of the process':48}{med('first_ms'):8.1f}"
        f"   (each: {', '.join(f'{x:.0f}' for x in firsts)})"
    )
    opens = all_of("panel_ms")
    print(f"panel opens after the first: min {min(opens):.1f} ms, max {max(opens):.1f} ms")
    print(
        f"timed on the side: store fetch of the page {med('fetch_ms'):.1f} ms,"
        f" render_markdown of its answers {med('render_ms'):.1f} ms; target < 300 ms"
    )


if __name__ == "__main__":
    main()
