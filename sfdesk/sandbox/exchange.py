"""One request/response exchange: its trace id, log entry, bounded body reading, disconnect watch.

Disconnect detection has to be prompt (a test asserts ~50 ms): once the request body is read, a
watcher task waits on the ASGI ``receive`` channel, which the server completes with
``http.disconnect`` the moment the client's connection closes. The watcher stamps the log entry
and wakes anything sleeping in :meth:`Exchange.pause` (stalls, slow first byte, throttling).
:class:`Call` is what an endpoint handler receives once the exchange has passed the checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData, Headers, QueryParams
from starlette.types import Message, Receive, Scope

from .auth import Account
from .faults import Fault
from .state import RequestLog, SandboxState

SCOPE_KEY = "sfdesk.exchange"


class BodyTooLarge(Exception):
    """The request body grew past the endpoint's limit (reading stopped there)."""


class DropConnection(Exception):
    """Raised from the app to make the server abort the connection mid-response.

    An ASGI server closes the connection when the app fails after the response has started, so
    the client sees a broken transfer (no terminating chunk), never a clean end. The server's
    error log filters this exception out: the drop is intentional.
    """


def new_trace_id() -> str:
    return uuid.uuid4().hex


class Exchange:
    def __init__(
        self, scope: Scope, receive: Receive, log: RequestLog, entry: dict[str, Any] | None
    ) -> None:
        self.scope = scope
        self.trace_id = new_trace_id()
        self._receive = receive
        self._log = log
        self.entry = entry
        self.disconnected = False
        self.aborted = False  # the server is shutting down: end at once
        self.response_done = False
        self._stop = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None

    # -- log ---------------------------------------------------------------------------------
    def record(self, **values: Any) -> None:
        if self.entry is not None:
            self._log.update(self.entry, **values)

    def add_frames(self, count: int) -> None:
        if self.entry is not None:
            self._log.add_frames(self.entry, count)

    # -- body --------------------------------------------------------------------------------
    async def read_body(self, limit: int) -> bytes:
        """The whole request body, refusing (without reading further) past ``limit`` bytes."""
        declared = _content_length(self.scope)
        if declared is not None and declared > limit:
            raise BodyTooLarge
        chunks: list[bytes] = []
        size = 0
        async for chunk in self.body_chunks():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    async def body_chunks(self) -> AsyncIterator[bytes]:
        more = True
        while more:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self._mark_disconnected()
                return
            more = bool(message.get("more_body", False))
            chunk = message.get("body", b"")
            if chunk:
                yield chunk

    def limited_receive(self, limit: int) -> Receive:
        """A ``receive`` for parsers that read the body themselves (multipart), with a limit."""
        declared = _content_length(self.scope)
        seen = 0

        async def receive() -> Message:
            nonlocal seen
            if declared is not None and declared > limit:
                raise BodyTooLarge
            message = await self._receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            elif message["type"] == "http.disconnect":
                self._mark_disconnected()
            return message

        return receive

    # -- disconnects -------------------------------------------------------------------------
    def watch_disconnect(self) -> None:
        """Start watching for the client going away (call once the body has been read)."""
        if self._watcher is None and not self.disconnected:
            self._watcher = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                break
        # The server also reports "disconnect" once a response is complete: not a client leaving.
        if not self.response_done:
            self._mark_disconnected()

    def _mark_disconnected(self) -> None:
        if not self.disconnected:
            self.disconnected = True
            self.record(disconnected=True, disconnected_at=time.time())
        self._stop.set()

    def abort(self) -> None:
        """Server shutdown: wake every pause so in-flight responses end now."""
        self.aborted = True
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    async def pause(self, seconds: float) -> bool:
        """Sleep ``seconds``; returns True early if the client left or the server is stopping."""
        if self._stop.is_set():
            return True
        if seconds <= 0:
            await asyncio.sleep(0)
            return self._stop.is_set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)
        return self._stop.is_set()

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


@dataclass(frozen=True, slots=True)
class Call:
    """What an endpoint handler gets: the checked, parsed request and the sandbox state."""

    exchange: Exchange
    state: SandboxState
    account: Account
    headers: Headers
    query: QueryParams
    body: Any  # the parsed JSON body (read-only: it is also the log's copy), or None
    form: FormData | None
    fault: Fault | None  # a streaming fault left for the handler to apply (others are done)
    root_url: str  # scheme://host:port as the client addressed us
