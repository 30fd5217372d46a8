"""``sfdesk --self-test``: the whole app, offscreen, against the built-in sandbox, one main path per
panel; a short report and exit status 0 (every step passed) or 1.

It is what a frozen bundle runs to prove it works on a machine (no display, no Python, no
account needed): the same window, controllers, client and stores as a real run, built by
:func:`sfdesk.app.build_session`, with the sandbox answering at full speed. Each step drives a
panel through its public methods, waits for the controller's own "finished" signal (with a
deadline), and checks what a user would see:

- chat: a question streams an answer into the conversation, saved in the database;
- embeddings: four texts give a 4 × 4 similarity matrix, drawn as the heatmap;
- rerank: two rerankers and the cosine baseline rank the documents;
- images: an image is generated, downloaded and kept in the gallery with its parameters;
- transcription: a WAV file with two utterances is cut at the pause and transcribed;
- microphone: whether PortAudio and an input device are there (reported, never a failure:
  CI machines and servers have none).

All data goes to a temporary folder (or ``$SFDESK_DATA_DIR`` when set), the key to a memory
keyring: the user's own data is never touched.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from PySide6.QtCore import QMessageLogContext, QtMsgType, SignalInstance, qInstallMessageHandler

STEP_TIMEOUT = 60.0
log = logging.getLogger(__name__)


def _to_log(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    log.debug("Qt (%s): %s", kind.name, message)


@dataclass
class StepResult:
    name: str
    ok: bool
    seconds: float
    detail: str


class SelfTestFailure(Exception):
    """A step saw something other than what a working app shows."""


async def wait_for(signal: SignalInstance, start: Callable[[], object]) -> Any:
    """Connect to ``signal``, call ``start()``, and return the signal's arguments (the step's
    deadline bounds the wait)."""
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def on_signal(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(on_signal)
    try:
        start()
        return await future
    finally:
        signal.disconnect(on_signal)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


def run_self_test(language: str | None = None, out: TextIO | None = None) -> int:
    """Run every step; print the report to ``out`` (stdout); return the exit status."""
    out = out or sys.stdout
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    own_dir = None
    if not os.environ.get("SFDESK_DATA_DIR", "").strip():
        own_dir = tempfile.mkdtemp(prefix="sfdesk-self-test-")
        os.environ["SFDESK_DATA_DIR"] = own_dir
    try:
        return _run(language, out)
    finally:
        if own_dir is not None:
            shutil.rmtree(own_dir, ignore_errors=True)


def _run(language: str | None, out: TextIO) -> int:
    import sfdesk
    from sfdesk.app import Options, build_session, create_application
    from sfdesk.logs import setup_logging
    from sfdesk.memory_keyring import MemoryKeyring
    from sfdesk.secrets import KeyStore
    from sfdesk.ui.event_loop import create_event_loop

    app = create_application([sys.argv[0] if sys.argv else "sfdesk"])
    setup_logging()
    # Qt's own warnings (the offscreen platform has a few) go to the log, not into the report.
    qInstallMessageHandler(_to_log)
    print(f"sfdesk {sfdesk.__version__} self-test ({sys.platform}, Qt offscreen)", file=out)
    results: list[StepResult] = []

    async def main() -> None:
        session = build_session(
            app,
            Options(sandbox=True, language=language or "en"),
            keys=KeyStore(backend=MemoryKeyring()),
        )
        assert session.sandbox_server is not None
        session.sandbox_server.configure(tokens_per_second=0)  # full speed: this is no demo
        try:
            session.window.show()
            for name, step in _steps(session):
                started = time.monotonic()
                try:
                    detail = await asyncio.wait_for(step(), STEP_TIMEOUT)
                    ok = True
                except SelfTestFailure as exc:
                    ok, detail = False, str(exc)
                except TimeoutError:
                    ok, detail = False, f"no result within {STEP_TIMEOUT:.0f} s"
                except Exception as exc:  # a bug: the report says what, the log has more
                    ok, detail = False, f"{type(exc).__name__}: {exc}"
                result = StepResult(name, ok, time.monotonic() - started, detail)
                results.append(result)
                mark = "ok  " if ok else "FAIL"
                print(f"  {mark} {name:<14} {result.seconds:6.2f} s  {detail}", file=out)
        finally:
            await session.shutdown()

    with asyncio.Runner(loop_factory=lambda: create_event_loop(app)) as runner:
        runner.run(main())
    passed = bool(results) and all(result.ok for result in results)
    print(f"self-test: {'PASS' if passed else 'FAIL'}", file=out)
    return 0 if passed else 1


def _steps(session: Any) -> list[tuple[str, Callable[[], Awaitable[str]]]]:
    window = session.window
    return [
        ("chat", lambda: _chat(window)),
        ("embeddings", lambda: _embeddings(window)),
        ("rerank", lambda: _rerank(window)),
        ("images", lambda: _images(window)),
        ("transcription", lambda: _transcription(window)),
        ("microphone", _microphone),
    ]


async def _chat(window: Any) -> str:
    from sfdesk.ui.chat.panel import ChatPanel

    panel = window.page("chat")
    check(isinstance(panel, ChatPanel), "the Chat tab has no chat panel")
    window.tabs.setCurrentWidget(panel)
    panel.input.setPlainText("What can you do? Answer briefly.")
    message, error = await wait_for(panel.controller.sig_reply_ended, panel.send)
    check(error is None, f"the reply failed: {error}")
    check(bool(message.content.strip()), "the reply is empty")
    # The view redraws at ~30 Hz, so the end of the reply is on screen a moment later; a word
    # of it (not Markdown syntax) must be there.
    words = [w for w in re.findall(r"\w{4,}", message.content)]
    check(bool(words), "the reply has no words")
    deadline = time.monotonic() + 5.0
    while words[-1] not in panel.view.toPlainText():
        check(time.monotonic() < deadline, "the reply is not on screen")
        await asyncio.sleep(0.05)
    return f"{len(message.content)} characters streamed and shown"


async def _embeddings(window: Any) -> str:
    page = window.page("embeddings")
    window.tabs.setCurrentWidget(page)
    panel = page.panel()
    panel.texts.setPlainText("a cat sat on the mat\na dog sat on the rug\n股票市场\nstock market")
    (result,) = await wait_for(panel.controller.sig_run_finished, panel.run)
    shape = tuple(result.matrix.shape)
    check(shape == (4, 4), f"similarity matrix is {shape}, not 4 × 4")
    return f"4 × 4 similarity with {result.model}"


async def _rerank(window: Any) -> str:
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    page = window.page("rerank")
    window.tabs.setCurrentWidget(page)
    panel = page.panel()
    panel.findChild(QLineEdit, "rerank.query").setText("What is the capital of Australia?")
    panel.findChild(QPlainTextEdit, "rerank.documents").setPlainText(
        "Canberra is the capital of Australia.\nSydney is a large city.\nKangaroos hop."
    )
    (result,) = await wait_for(panel.controller.sig_run_finished, panel.run)
    check(result.failed == 0, f"{result.failed} column(s) failed")
    first = result.columns[0]
    check(first.order()[0] == 0, "the document that answers is not ranked first")
    return f"{len(result.columns)} columns ranked 3 documents"


async def _images(window: Any) -> str:
    from sfdesk.core.png_metadata import read_parameters

    page = window.page("images")
    window.tabs.setCurrentWidget(page)
    panel = page.panel()
    panel.prompt.setPlainText("a lighthouse at dusk")
    (generation,) = await wait_for(panel.controller.sig_generated, panel.generate)
    check(bool(generation.images), "no image arrived")
    entry = generation.images[0].entry
    check(entry is not None and entry.path is not None, "the image was not kept")
    record = read_parameters(Path(entry.path))
    check(
        record is not None and record.get("prompt") == "a lighthouse at dusk",
        "the saved PNG does not carry its parameters",
    )
    return f"{entry.width}×{entry.height} PNG kept with its parameters"


async def _transcription(window: Any) -> str:
    import numpy as np

    from sfdesk.core.wav import encode_wav
    from sfdesk.paths import data_dir

    page = window.page("transcribe")
    window.tabs.setCurrentWidget(page)
    panel = page.panel()
    rate = 16000
    t = np.arange(int(3.2 * rate)) / rate
    voice = (np.sin(2 * np.pi * 220 * t) * 0.3 * 32767).astype(np.int16)
    pause = np.zeros(rate, dtype=np.int16)
    path = data_dir() / "self-test.wav"
    path.write_bytes(encode_wav(np.concatenate([voice, pause, voice, pause])))
    (result,) = await wait_for(
        panel.controller.sig_session_finished, lambda: panel.import_file(path)
    )
    check(len(result.chunks) == 2 and not result.failed, f"{len(result.chunks)} chunk(s)")
    check("16000 Hz" in panel.transcript.plain_text(), "the transcript is not shown")
    return "2 chunks cut at the pause and transcribed"


async def _microphone() -> str:
    from sfdesk.audio import AudioUnavailable, list_input_devices

    try:
        devices = await asyncio.to_thread(list_input_devices)
    except AudioUnavailable as exc:
        return f"not available here ({exc}); import still works"
    if not devices:
        return "PortAudio works; no input device here"
    return f"PortAudio works; {len(devices)} input device(s)"
