"""``SandboxServer``: uvicorn on its own thread and event loop, plus thread-safe control helpers.

The listening socket is bound here (port 0 → an ephemeral port) and handed to uvicorn, so the URL
is known before serving starts and :meth:`SandboxServer.start` can return only once requests will
be accepted. The helpers change the shared state directly (it is lock-protected), which is faster
and simpler for tests than calling the control endpoints over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from .app import SandboxApp, create_app
from .exchange import DropConnection
from .faults import parse_fault
from .state import SandboxConfig, SandboxState

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


class _IntentionalDropFilter(logging.Filter):
    """Keep uvicorn from logging a traceback for a connection the sandbox dropped on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DropConnection)


_DROP_FILTER = _IntentionalDropFilter()


def _install_log_filter() -> None:
    logger = logging.getLogger("uvicorn.error")
    if _DROP_FILTER not in logger.filters:
        logger.addFilter(_DROP_FILTER)


class SandboxServer:
    """A local server speaking the SiliconFlow contract (see the package docstring)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        tokens_per_second: float = 0.0,
        image_ttl_seconds: float = 3600.0,
    ) -> None:
        self.host = host
        self._requested_port = port
        self.state = SandboxState(
            SandboxConfig().updated(
                tokens_per_second=tokens_per_second, image_ttl_seconds=image_ttl_seconds
            )
        )
        self._app: SandboxApp = create_app(self.state)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._port: int | None = None
        self._failure: BaseException | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> SandboxServer:
        """Serve on a daemon thread; returns once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the sandbox server is already running")
        _install_log_filter()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose proto
        # says TCP, and without it Nagle + delayed ACKs add ~40 ms to every response.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self._requested_port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self._app,
            log_config=None,  # leave the host process's logging alone
            log_level="warning",
            access_log=False,
            lifespan="off",
            http="h11",  # the same HTTP stack everywhere (httptools is optional)
            ws="none",
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._serve, args=(sock,), name=f"sfdesk-sandbox:{self._port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._thread.join(1.0)
                self._thread = None
                raise RuntimeError("the sandbox server did not start") from self._failure
            time.sleep(0.002)
        return self

    def _serve(self, sock: socket.socket) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            assert self._server is not None
            loop.run_until_complete(self._server.serve(sockets=[sock]))
        except BaseException as failure:  # reported by start(); a thread must not die silently
            self._failure = failure
        finally:
            sock.close()
            loop.close()

    def stop(self) -> None:
        """Shut down gracefully: in-flight responses end at once; joins the thread (≤ 5 s)."""
        thread, server, loop = self._thread, self._server, self._loop
        if thread is None or server is None:
            return
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between
                loop.call_soon_threadsafe(self._app.abort_all)
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            server.force_exit = True
            thread.join(1.0)
        self._thread = None
        self._server = None
        self._loop = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the sandbox server has not been started")
        return self._port

    @property
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root_url + "/v1"

    # -- control -----------------------------------------------------------------------------
    def queue_fault(self, path: str, fault: str, count: int = 1) -> None:
        """Apply ``fault`` to the next ``count`` requests to ``path`` (``"*"``: any /v1 path)."""
        self.state.faults.push(path, parse_fault(fault), count)

    def clear_faults(self) -> None:
        self.state.faults.clear()

    def configure(self, **settings: float) -> None:
        """Change ``tokens_per_second`` and/or ``image_ttl_seconds``."""
        self.state.configure(**settings)

    def add_key(self, key: str, *, like: str | None = None) -> None:
        """Accept ``key`` as the account of ``like`` (default: :data:`SANDBOX_API_KEY`) — for a
        test that needs a distinctive key; :meth:`reset` forgets it."""
        from .auth import SANDBOX_API_KEY

        self.state.extra_keys[key] = like or SANDBOX_API_KEY

    def queue_reply(self, content: str, reasoning: str = "") -> None:
        """The next chat completion answers exactly ``content`` (and ``reasoning``, for models
        that think), streamed in the usual pieces; later ones are composed as usual again."""
        self.state.scripted.append((content, reasoning))

    def requests(self) -> list[dict[str, Any]]:
        """The request log, oldest first (copies; the last 500 requests)."""
        return self.state.log.snapshot()

    def reset(self) -> None:
        """Clear faults and the log; settings back to the constructor's values."""
        self.state.reset()

    def __repr__(self) -> str:
        where = self.root_url if self._port is not None else "not started"
        return f"<SandboxServer {where}>"
