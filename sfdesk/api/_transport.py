"""HTTP plumbing shared by every endpoint: auth, timeouts, retries and error translation.

This is the one place that talks to httpx. It turns every httpx failure into an :class:`ApiError`
and every error response into the typed error for its status, retries what is safe to retry, and
makes sure the key travels only to the API (never to the hosts that serve generated files).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .. import __version__
from ._errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    AuthenticationError,
    ProtocolError,
    error_from_response,
)

if TYPE_CHECKING:
    import httpx
else:
    from ._lazy import httpx_module as httpx

log = logging.getLogger(__name__)

TRACE_HEADER = "x-siliconcloud-trace-id"
DEFAULT_BASE_URL = "https://api.siliconflow.cn/v1"

TimeoutKind = Literal["default", "stream", "long"]
_RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds. ``stream_idle`` is the longest pause allowed between two stream chunks (thinking
    models go quiet for a long time); ``long`` covers image generation and transcription."""

    connect: float = 10.0
    read: float = 60.0
    stream_idle: float = 300.0
    long: float = 600.0

    def for_kind(self, kind: TimeoutKind) -> httpx.Timeout:
        read = {"default": self.read, "stream": self.stream_idle, "long": self.long}[kind]
        return httpx.Timeout(connect=self.connect, read=read, write=max(read, 60.0), pool=read)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Capped exponential back-off with jitter; ``max_retries`` retries after the first try."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 30.0
    #: A server asking us to wait longer than this is not retried: the user hears about it now.
    max_retry_after: float = 60.0

    def delay(self, attempt: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before retry ``attempt`` (1-based), or None to give up."""
        if attempt > self.max_retries:
            return None
        requested = retry_after_seconds(response.headers) if response is not None else None
        if requested is not None:
            return requested if requested <= self.max_retry_after else None
        backoff: float = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return backoff * random.uniform(0.5, 1.0)


def retry_after_seconds(headers: httpx.Headers | Mapping[str, str]) -> float | None:
    """Read ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # a header we cannot read is treated as absent: back off normally
    return max(0.0, parsed.timestamp() - time.time())


class _BearerAuth:
    """Adds the key to API requests only; its repr never shows the key.

    An empty key sends no header (the server answers 401 "Invalid token"); a key that cannot be
    sent in a header is refused here, because httpx's own error would quote the header value.
    A callable, which httpx accepts as auth: no httpx class is needed to define it.
    """

    def __init__(self, api_key: str) -> None:
        self._header = f"Bearer {api_key}" if api_key else ""
        self._sendable = all("!" <= ch <= "~" for ch in api_key)

    def __call__(self, request: httpx.Request) -> httpx.Request:
        if not self._sendable:
            raise AuthenticationError(
                "the API key contains spaces, line breaks or non-ASCII characters",
                reason="invalid_key",
            )
        if self._header:
            request.headers["Authorization"] = self._header
        return request

    def __repr__(self) -> str:
        return "<BearerAuth [redacted]>"


class Transport:
    """Owns the httpx client; every endpoint module goes through it."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        timeouts: Timeouts,
        retry: RetryPolicy,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.timeouts = timeouts
        self.retry = retry
        self._auth = _BearerAuth(api_key)
        self._base_url = _normalise_base_url(base_url)
        self._owns_http = http_client is None
        self._given_http = http_client
        self._made_http: httpx.AsyncClient | None = None
        self._making = threading.Lock()
        self._warming: asyncio.Future[httpx.AsyncClient] | None = None
        self._closed = False

    def _build_http(self) -> httpx.AsyncClient:
        """The httpx client, made once (in whichever thread asks first).

        Not made with the SiliconFlowClient: importing httpx and httpcore and loading the CA
        bundle into a TLS context take ~80 ms, which the app's first window must not wait for
        (docs/performance.md, start-up). :meth:`warm_up` does it in a worker thread before the
        first request.
        """
        if self._given_http is not None:
            return self._given_http
        with self._making:
            if self._made_http is None:
                if self._closed:
                    raise RuntimeError("the client has been closed")
                self._made_http = httpx.AsyncClient(
                    timeout=self.timeouts.for_kind("default"),
                    headers={"User-Agent": f"sfdesk/{__version__}"},
                    limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
                    follow_redirects=False,
                )
            return self._made_http

    @property
    def _http(self) -> httpx.AsyncClient:
        return self._build_http()

    async def warm_up(self) -> None:
        """Make the HTTP client in a worker thread (once); every request awaits this first, so
        the event loop's thread never spends the time."""
        if self._given_http is not None or self._made_http is not None:
            return
        if self._warming is None:
            self._warming = asyncio.get_running_loop().run_in_executor(None, self._build_http)
        # Shielded: one request being cancelled must not cancel the making for the others.
        await asyncio.shield(self._warming)

    @property
    def base_url(self) -> str:
        return self._base_url

    def reconfigure(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        if api_key is not None:
            self._auth = _BearerAuth(api_key)
        if base_url is not None:
            self._base_url = _normalise_base_url(base_url)

    async def aclose(self) -> None:
        if self._warming is not None and not self._warming.done():
            await asyncio.wait([self._warming])
        with self._making:
            self._closed = True
        if self._owns_http and self._made_http is not None:
            await self._made_http.aclose()

    # -- requests ------------------------------------------------------------------------------

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
        timeout_kind: TimeoutKind = "default",
        extra_headers: Mapping[str, str] | None = None,
    ) -> tuple[Any, str | None]:
        """Send a request (with retries) and return ``(parsed JSON body, trace id)``."""
        async with self.open(
            method,
            path,
            json_body=json_body,
            params=params,
            files=files,
            data=data,
            timeout_kind=timeout_kind,
            extra_headers=extra_headers,
        ) as response:
            trace_id = response.headers.get(TRACE_HEADER)
            body = await read_body(response, trace_id)
        try:
            return json.loads(body), trace_id
        except ValueError:
            raise ProtocolError(
                f"response is not JSON: {body[:200]!r}", trace_id=trace_id
            ) from None

    @asynccontextmanager
    async def open(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
        timeout_kind: TimeoutKind = "default",
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """Open a successful (2xx) streaming response; it is closed when the block exits.

        Retries happen here, before any body byte is handed out, so a stream that has delivered
        tokens is never silently restarted.
        """
        await self.warm_up()
        url = self._base_url + path
        headers = dict(extra_headers or {})
        if timeout_kind == "stream":
            headers.setdefault("Accept", "text/event-stream")
        attempt = 0
        while True:
            attempt += 1
            request = self._http.build_request(
                method,
                url,
                json=json_body,
                params=params,
                files=files,
                data=data,
                headers=headers,
                timeout=self.timeouts.for_kind(timeout_kind),
            )
            response: httpx.Response | None = None
            try:
                response = await self._http.send(request, auth=self._auth, stream=True)
            except httpx.HTTPError as exc:
                error = connection_error(exc)
                if not _retry_safe(exc):
                    raise error from exc
                delay = self.retry.delay(attempt, None)
                if delay is None:
                    raise error from exc
                log.info(
                    "%s %s failed (%s); retry %d in %.2fs", method, path, error, attempt, delay
                )
                await asyncio.sleep(delay)
                continue

            if response.status_code < 400:
                try:
                    yield response
                finally:
                    await response.aclose()
                return

            trace_id = response.headers.get(TRACE_HEADER)
            try:
                body = await read_body(response, trace_id)
            finally:
                await response.aclose()
            status_error = error_from_response(response.status_code, body, trace_id)
            delay = (
                self.retry.delay(attempt, response)
                if response.status_code in _RETRYABLE_STATUSES
                else None
            )
            if delay is None:
                raise status_error
            log.info("%s %s got %s; retry %d in %.2fs", method, path, status_error, attempt, delay)
            await asyncio.sleep(delay)

    async def download(self, url: str) -> tuple[bytes, str]:
        """Fetch a generated file from its signed URL: no API key, retried on connection faults."""
        await self.warm_up()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.get(url, timeout=self.timeouts.for_kind("long"))
            except httpx.HTTPError as exc:
                delay = self.retry.delay(attempt, None) if _retry_safe(exc) else None
                if delay is None:
                    raise connection_error(exc) from exc
                await asyncio.sleep(delay)
                continue
            if response.status_code >= 400:
                raise error_from_response(
                    response.status_code, response.content, response.headers.get(TRACE_HEADER)
                )
            return response.content, response.headers.get("content-type", "")


async def read_body(response: httpx.Response, trace_id: str | None) -> bytes:
    try:
        return await response.aread()
    except httpx.HTTPError as exc:
        error = connection_error(exc)
        error.trace_id = trace_id
        raise error from exc


def connection_error(exc: httpx.HTTPError) -> ApiError:
    """Translate an httpx failure; the message names the failure, never the request headers."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        connecting = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
        what = "connecting" if connecting else "reading"
        return ApiTimeoutError(f"timed out while {what}: {detail}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return ApiConnectionError(f"invalid base URL: {detail}")
    if isinstance(exc, httpx.LocalProtocolError):
        # Its message quotes the offending header, which may hold a secret.
        return ApiConnectionError("the request could not be sent (invalid header)")
    return ApiConnectionError(f"{type(exc).__name__}: {detail}")


def _retry_safe(exc: httpx.HTTPError) -> bool:
    """Failures where the server cannot have started answering: safe to send again."""
    return isinstance(
        exc,
        httpx.ConnectError
        | httpx.ConnectTimeout
        | httpx.PoolTimeout
        | httpx.RemoteProtocolError
        | httpx.ReadError
        | httpx.WriteError,
    )


def _normalise_base_url(base_url: str) -> str:
    return base_url.strip().rstrip("/")
