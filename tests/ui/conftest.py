"""Fixtures for the Qt tests: offscreen Qt, an isolated user, and an asyncio loop inside Qt's.

The ``loop`` fixture makes a qasync loop that asyncio sees as *running* while pytest-qt drives Qt:
tasks advance whenever Qt processes events, i.e. inside ``qtbot.waitSignal`` / ``qtbot.waitUntil``.
No test sleeps; they wait on signals or conditions.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

# Before anything imports Qt: the UI tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sfdesk.api import SiliconFlowClient
from sfdesk.config import Settings
from sfdesk.memory_keyring import MemoryKeyring
from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer
from sfdesk.secrets import KeyStore
from sfdesk.store import ConversationStore
from sfdesk.ui.chat.panel import ChatPanel
from sfdesk.ui.context import AppContext
from sfdesk.ui.event_loop import create_event_loop, remove_asyncgen_hooks
from sfdesk.ui.i18n import Translations
from sfdesk.ui.tasks import Controller
from sfdesk.ui.theme import ThemeManager

T = TypeVar("T")

#: A base URL nothing listens on: the contexts below never send a request unless a test asks.
UNUSED_BASE_URL = "http://127.0.0.1:9/v1"


@pytest.fixture(autouse=True)
def isolated_user(isolated_data_dir: Path) -> Iterator[Path]:
    """The isolated data dir (tests/conftest.py), plus a memory keyring instead of the OS one."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        yield isolated_data_dir
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """No automatic cyclic GC during a UI test; one collection on this thread afterwards.

    Otherwise the collector may start in the sandbox's server thread and finalise a Qt object
    left in a cycle by an earlier test there, which corrupts the GUI thread's timers (see
    sfdesk/ui/gc_guard.py, which does the same for the app).
    """
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """An asyncio loop running inside Qt's event loop (qasync, ``already_running``)."""
    event_loop = create_event_loop(qapp, already_running=True)
    asyncio.set_event_loop(event_loop)
    try:
        yield event_loop
    finally:
        _close_loop(qapp, event_loop)


def _close_loop(qapp: QApplication, event_loop: Any) -> None:
    leftovers = [task for task in asyncio.all_tasks(event_loop) if not task.done()]
    for task in leftovers:
        task.cancel()
    # Let the cancelled tasks unwind (close their sockets) before the loop goes away.
    deadline = event_loop.time() + 5.0
    while any(not task.done() for task in leftovers) and event_loop.time() < deadline:
        qapp.processEvents()
    stuck = [task for task in leftovers if not task.done()]
    # Close async generators abandoned by the test (e.g. httpx stream iterators) on the loop.
    closing = event_loop.create_task(event_loop.shutdown_asyncgens())
    while not closing.done() and event_loop.time() < deadline:
        qapp.processEvents()
    remove_asyncgen_hooks()
    # Not event_loop.stop(): it calls QApplication.exit(), and with no Qt loop running that
    # leaves Qt's "quit now" flag set, so every later QEventLoop.exec() - pytest-qt's
    # waitSignal/waitUntil - would return at once and the next tests could never wait.
    # Clearing qasync's (name-mangled) running flag is all close() needs.
    event_loop._QEventLoop__is_running = False
    event_loop.close()
    with contextlib.suppress(RuntimeError, TypeError):  # qasync connected it; not ours to keep
        qapp.aboutToQuit.disconnect(event_loop._after_run_forever)
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)
    assert not stuck, f"tasks did not stop after cancellation: {stuck}"
    assert not leftovers, f"test left running tasks behind: {leftovers}"


@pytest.fixture
def run_async(
    qtbot: QtBot, loop: asyncio.AbstractEventLoop
) -> Callable[[Coroutine[Any, Any, T]], T]:
    """Run a coroutine on the Qt-driven loop and return its result (waits, never sleeps)."""

    def runner(coro: Coroutine[Any, Any, T], timeout_ms: int = 10_000) -> T:
        task = loop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=timeout_ms)
        return task.result()

    return runner


@pytest.fixture
def keys() -> KeyStore:
    """A key store backed by a memory keyring that claims to persist (like an OS keyring)."""
    return KeyStore(backend=MemoryKeyring(persistent=True))


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    manager = Translations(qapp)
    manager.apply("en")
    yield manager
    manager.apply("en")  # never leak Chinese into the next test


@pytest.fixture
def theme(qapp: QApplication) -> ThemeManager:
    return ThemeManager(qapp)


@pytest.fixture
def make_ctx(
    keys: KeyStore,
    translations: Translations,
    theme: ThemeManager,
    isolated_user: Path,
    loop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
) -> Iterator[Callable[..., AppContext]]:
    """Build an :class:`AppContext` like the app does; its clients are closed at teardown."""
    clients: list[SiliconFlowClient] = []

    def factory(
        *,
        base_url: str = UNUSED_BASE_URL,
        api_key: str = "",
        sandbox: bool = False,
        keystore: KeyStore | None = None,
        settings: Settings | None = None,
    ) -> AppContext:
        client = SiliconFlowClient(api_key=api_key, base_url=base_url, max_retries=0)
        clients.append(client)
        return AppContext(
            client=client,
            settings=settings or Settings(),
            keys=keystore or keys,
            translations=translations,
            theme=theme,
            settings_path=isolated_user / "config" / "settings.json",
            sandbox=sandbox,
            sandbox_key=api_key if sandbox else None,
        )

    yield factory
    for client in clients:
        task = loop.create_task(client.aclose())
        qtbot.waitUntil(task.done, timeout=5_000)


@pytest.fixture
def closed_port_url() -> str:
    """A loopback base URL where nothing listens: connections are refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def silent_server_url() -> Iterator[str]:
    """A loopback base URL that accepts connections but never answers (for cancelling)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)  # the kernel completes the handshake; nobody ever reads or replies
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


# -- the Chat panel ----------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConversationStore]:
    with ConversationStore(tmp_path / "chat.sqlite3") as conversations:
        yield conversations


@pytest.fixture
def make_panel(
    make_ctx: Callable[..., AppContext],
    sandbox: SandboxServer,
    store: ConversationStore,
    run_async: Any,
) -> Iterator[Callable[[], ChatPanel]]:
    panels: list[ChatPanel] = []
    ctx = make_ctx(base_url=sandbox.base_url, api_key=SANDBOX_API_KEY, sandbox=True)

    def factory() -> ChatPanel:
        panel = ChatPanel(ctx, store)
        panel.resize(1000, 700)
        panels.append(panel)
        return panel

    yield factory
    for panel in panels:
        for controller in panel.findChildren(Controller):
            run_async(controller.shutdown())
        panel.deleteLater()


@pytest.fixture
def make_sandbox_panel(
    make_ctx: Callable[..., AppContext], sandbox: SandboxServer, run_async: Any
) -> Iterator[Callable[..., Any]]:
    """``factory(PanelClass, (width, height), **ctx_options)``: a panel built on a context
    pointed at the sandbox, resized and shown; its controllers are shut down afterwards."""
    panels: list[QWidget] = []

    def factory(
        panel_class: Callable[[AppContext], Any], size: tuple[int, int], **ctx_options: Any
    ) -> Any:
        options = {"base_url": sandbox.base_url, "api_key": SANDBOX_API_KEY, "sandbox": True}
        panel = panel_class(make_ctx(**(options | ctx_options)))
        panel.resize(*size)
        panel.show()  # builds the views, loads the model lists and the history
        panels.append(panel)
        return panel

    yield factory
    for panel in panels:
        for controller in panel.findChildren(Controller):
            run_async(controller.shutdown())
        panel.deleteLater()
