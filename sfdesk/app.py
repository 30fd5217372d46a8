"""Bootstrap: the QApplication, the qasync loop, the one API client, the window, ordered shutdown.

A run goes through :func:`run`:

1. the QApplication (names, icon; it does *not* quit when the last window closes: the window's
   close starts our own shutdown instead), logging, and cyclic garbage collection moved to the
   GUI thread (:mod:`sfdesk.ui.gc_guard`);
2. a :class:`Session` built by :func:`build_session`: settings, language, theme, optionally the
   sandbox server, the single :class:`~sfdesk.api.SiliconFlowClient` and the main window;
3. ``asyncio.Runner`` with a ``qasync.QEventLoop`` runs :meth:`Session.run` (Qt's event loop
   *is* the asyncio loop) until the window is closed;
4. :meth:`Session.shutdown`, in order: the window's controllers cancel their tasks and wait for
   them to end → the client closes its connections → the sandbox stops. Only then does the
   coroutine return, and the Runner closes the loop, so no task is left pending.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import sfdesk
from sfdesk.api import SiliconFlowClient
from sfdesk.config import load_settings
from sfdesk.logs import setup_logging
from sfdesk.paths import data_dir
from sfdesk.secrets import KeyStore
from sfdesk.store import ConversationStore
from sfdesk.ui.context import AppContext, timeouts_from
from sfdesk.ui.event_loop import create_event_loop
from sfdesk.ui.gc_guard import MainThreadGarbageCollector
from sfdesk.ui.i18n import Translations
from sfdesk.ui.main_window import MainWindow
from sfdesk.ui.resources import app_icon
from sfdesk.ui.theme import ThemeManager

if TYPE_CHECKING:
    from sfdesk.sandbox import SandboxServer

log = logging.getLogger(__name__)

APP_NAME = "sfdesk"
SANDBOX_TOKENS_PER_SECOND = 120.0
SANDBOX_DB_FILENAME = "sandbox.sqlite3"


@dataclass(frozen=True)
class Options:
    """What the command line decides for one run."""

    sandbox: bool = False
    language: str | None = None  # overrides Settings.language for this run only


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    # No applicationDisplayName: on X11 Qt would append it to every window title, and the
    # titles already say what they need to.
    app.setApplicationVersion(sfdesk.__version__)
    app.setDesktopFileName(APP_NAME)  # Wayland/X11 match the window to sfdesk.desktop
    app.setWindowIcon(app_icon())
    # Closing the window starts Session.shutdown(); the loop ends when that is done.
    app.setQuitOnLastWindowClosed(False)
    return app


class Session:
    """Everything one run of the app owns; :meth:`shutdown` releases it in reverse order."""

    def __init__(
        self,
        ctx: AppContext,
        window: MainWindow,
        sandbox_server: SandboxServer | None = None,
        *,
        owns_sandbox: bool = False,
    ) -> None:
        self.ctx = ctx
        self.window = window
        self.sandbox_server = sandbox_server
        self._owns_sandbox = owns_sandbox
        self._closed: asyncio.Future[None] | None = None
        self._shut_down = False
        #: Set when Ctrl+C asked for the close (the exit status then says so).
        self.interrupted = False
        window.sig_window_closed.connect(self._on_window_window_closed)

    async def run(self) -> int:
        """Show the window and live until it is closed; then shut down in order."""
        self._closed = asyncio.get_running_loop().create_future()
        try:
            self.window.show()
            await self._closed
        finally:
            # Also if cancelled: never leave tasks or sockets behind.
            await self.shutdown()
        return 0

    def request_close(self) -> None:
        """Close the window as if the user did (from a signal handler or a test)."""
        if not self._shut_down:  # a second Ctrl+C during shutdown changes nothing
            self.window.close()

    async def shutdown(self) -> None:
        if self._shut_down:
            return
        self._shut_down = True
        if self.window.isVisible():
            self.window.close()
        await self.window.shutdown()
        if self.ctx.store is not None:
            self.ctx.store.close()  # after the controllers: no reply is being written any more
        await self.ctx.client.aclose()
        if self._owns_sandbox and self.sandbox_server is not None:
            # stop() joins the server thread; off the GUI thread so the loop keeps turning.
            await asyncio.to_thread(self.sandbox_server.stop)
        self.window.deleteLater()
        log.info("sfdesk shut down cleanly")

    def _on_window_window_closed(self) -> None:
        if self._closed is not None and not self._closed.done():
            self._closed.set_result(None)


def build_session(
    app: QApplication,
    options: Options,
    *,
    keys: KeyStore | None = None,
    settings_path: Path | None = None,
    sandbox_server: SandboxServer | None = None,
) -> Session:
    """Create the runtime objects and the window, as for a real run (tests use this too).

    ``sandbox_server`` lets a caller share an already running sandbox (it is then not stopped at
    shutdown); otherwise ``--sandbox`` starts one that lives as long as the session.
    """
    settings = load_settings(settings_path)
    keys = KeyStore() if keys is None else keys
    translations = Translations(app)
    translations.apply(options.language or settings.language)
    theme = ThemeManager(app)
    theme.apply(settings.theme)

    owns_sandbox = False
    sandbox_key: str | None = None
    if options.sandbox:
        from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer

        if sandbox_server is None:
            sandbox_server = SandboxServer(tokens_per_second=SANDBOX_TOKENS_PER_SECOND).start()
            owns_sandbox = True
        base_url = sandbox_server.base_url
        # Used directly, never stored: it is not a secret and not the user's.
        sandbox_key = SANDBOX_API_KEY
        api_key = sandbox_key
    else:
        base_url = settings.base_url
        # Only the environment's key now: the stored one is read from the keyring right after
        # the window's first paint (MainWindow), since keyring's detection costs ~100 ms.
        api_key = keys.env_key() or ""

    client = SiliconFlowClient(
        api_key=api_key,
        base_url=base_url,
        timeouts=timeouts_from(settings),
        max_retries=settings.max_retries,
    )
    # Sandbox conversations are synthetic: kept apart from the user's real history.
    store = ConversationStore(data_dir() / SANDBOX_DB_FILENAME if options.sandbox else None)
    recovered = store.recover_streaming()
    if recovered:
        log.info("marked %d reply(ies) left streaming by the last run as interrupted", recovered)
    ctx = AppContext(
        client=client,
        settings=settings,
        keys=keys,
        translations=translations,
        theme=theme,
        settings_path=settings_path,
        sandbox=options.sandbox,
        sandbox_key=sandbox_key,
        store=store,
    )
    window = MainWindow(ctx)
    log.info(
        "session: base URL %s, sandbox=%s, language=%s",
        base_url,
        options.sandbox,
        translations.language,
    )
    return Session(ctx, window, sandbox_server, owns_sandbox=owns_sandbox)


def _install_signal_handlers(session: Session, loop: asyncio.AbstractEventLoop) -> QTimer:
    """Let Ctrl+C (SIGINT) and SIGTERM close the window as the user would.

    Both go through the same ordered shutdown. Installing our own SIGINT handler also keeps
    asyncio.Runner from installing its own, which raises KeyboardInterrupt on a second Ctrl+C
    wherever the interpreter happens to be (inside a Qt slot, say). Python runs signal handlers
    only between bytecodes and an idle Qt loop runs none, so a slow timer wakes it now and then.
    """

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if signum == signal.SIGINT:
            session.interrupted = True
        loop.call_soon_threadsafe(session.request_close)

    signal.signal(signal.SIGINT, on_signal)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, on_signal)
    heartbeat = QTimer()
    heartbeat.setInterval(250)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start()
    return heartbeat


def run(options: Options, argv: list[str] | None = None) -> int:
    """Run the app until its window is closed; returns the process exit status."""
    app = create_application(argv)
    log_file = setup_logging()
    log.info("sfdesk %s starting (log: %s)", sfdesk.__version__, log_file)

    def loop_factory() -> asyncio.AbstractEventLoop:
        loop: asyncio.AbstractEventLoop = create_event_loop(app)
        return loop

    collector = MainThreadGarbageCollector(app)
    collector.start()
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        session = build_session(app, options)
        heartbeat = _install_signal_handlers(session, runner.get_loop())
        try:
            status = runner.run(session.run())
        except RuntimeError as exc:
            # Qt's loop was ended from outside (e.g. the desktop session is ending) before
            # the window closed: still release everything in order.
            log.warning("event loop stopped early (%s); shutting down", exc)
            runner.run(session.shutdown())
            status = 0
        finally:
            heartbeat.stop()
    collector.stop()
    # 128 + SIGINT, as shells expect from a program stopped with Ctrl+C.
    return 130 if session.interrupted else status
