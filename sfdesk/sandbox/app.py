"""The ASGI application: routes, the per-request pipeline, control endpoints.

Every ``/v1`` request goes through the same steps, in the order the real service appears to use:
authenticate (401 shapes) → read the body (bounded; logged) → balance (403 30001 on paid routes)
→ injected fault (header first, then the queue) → the endpoint's handler. The outer
:class:`SandboxApp` gives every response its ``x-siliconcloud-trace-id``, keeps the request log
and tracks live exchanges so a stopping server can end them at once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.datastructures import FormData, Headers
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from . import account, audio, chat, embeddings, errors, images, rerank
from .auth import auth_kind, authenticate, insufficient_balance
from .exchange import SCOPE_KEY, BodyTooLarge, Call, DropConnection, Exchange
from .faults import ANY_PATH, Fault, FaultError, FaultKind, parse_fault
from .state import ConfigError, SandboxState

FAULT_HEADER = "x-sandbox-fault"
#: Where the file host serves generated images; faults queued for this path fail downloads.
FILES_PATH = "/files/outputs"
TRACE_HEADER = b"x-siliconcloud-trace-id"
JSON_BODY_LIMIT = 32 * 1024 * 1024
# Bodies above this size are logged with long strings elided (a data-URL image, say), so 500
# log entries cannot pin gigabytes of memory.
_LOG_BODY_LIMIT = 256 * 1024
_LOG_STRING_LIMIT = 4096

Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str
    method: str
    handler: Handler
    paid: bool  # refused with 403 30001 for a zero-balance key
    body: Literal["none", "json", "multipart"] = "none"
    limit: int = JSON_BODY_LIMIT
    too_large: str = "Request entity too large"


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/v1/models", "GET", account.models, paid=False),
    Endpoint("/v1/user/info", "GET", account.me, paid=False),
    Endpoint("/v1/chat/completions", "POST", chat.handle, paid=True, body="json"),
    Endpoint("/v1/embeddings", "POST", embeddings.handle, paid=True, body="json"),
    Endpoint("/v1/rerank", "POST", rerank.handle, paid=True, body="json"),
    Endpoint("/v1/images/generations", "POST", images.handle, paid=True, body="json"),
    Endpoint(
        "/v1/audio/transcriptions",
        "POST",
        audio.handle,
        paid=True,
        body="multipart",
        limit=audio.MAX_BODY_BYTES,
        too_large=audio.TOO_LARGE,
    ),
)


class Silent(Response):
    """Sends nothing: the client left before the answer was ready."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        return None


def exchange_of(request: Request) -> Exchange:
    exchange = request.scope[SCOPE_KEY]
    assert isinstance(exchange, Exchange)
    return exchange


def root_url(scope: Scope) -> str:
    """``scheme://host[:port]`` as the client addressed this server (for image URLs)."""
    host = Headers(scope=scope).get("host")
    if not host:
        server_host, server_port = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server_host}:{server_port}"
    return f"{scope.get('scheme', 'http')}://{host}"


_INVALID_JSON = object()


def _parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return _INVALID_JSON


def _loggable(body: Any, size: int) -> Any:
    if size <= _LOG_BODY_LIMIT:
        return body

    def elide(value: Any) -> Any:
        if isinstance(value, str) and len(value) > _LOG_STRING_LIMIT:
            return f"[sandbox: {len(value)} characters not logged]"
        if isinstance(value, dict):
            return {k: elide(v) for k, v in value.items()}
        if isinstance(value, list):
            return [elide(v) for v in value]
        return value

    return elide(body)


def _take_fault(request: Request, state: SandboxState, path: str) -> Fault | None:
    header = request.headers.get(FAULT_HEADER)
    if header is not None:
        return parse_fault(header)
    return state.faults.take(path)


def _fault_response(fault: Fault) -> Response:
    response = errors.for_status(fault.status)
    for name, value in fault.headers:
        response.headers[name] = value
    return response


def _v1_endpoint(
    endpoint: Endpoint, state: SandboxState
) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        ex = exchange_of(request)
        account_or_error = authenticate(request.headers, state.extra_keys)
        if isinstance(account_or_error, Response):
            return account_or_error
        body: Any = None
        form: FormData | None = None
        try:
            if endpoint.body == "json":
                raw = await ex.read_body(endpoint.limit)
                body = _parse_json(raw)
                if body is not _INVALID_JSON:
                    ex.record(body=_loggable(body, len(raw)))
            elif endpoint.body == "multipart":
                reader = Request(request.scope, ex.limited_receive(endpoint.limit))
                form = await reader.form(max_files=4, max_fields=32)
        except BodyTooLarge:
            return errors.too_large(endpoint.too_large)
        except (MultiPartException, ValueError):
            return errors.invalid()
        try:
            if ex.disconnected:
                return Silent()
            ex.watch_disconnect()
            if body is _INVALID_JSON:
                return errors.invalid()
            if endpoint.paid and not account_or_error.funded:
                return insufficient_balance()
            try:
                fault = _take_fault(request, state, endpoint.path)
            except FaultError as bad:
                return errors.invalid(f"[sandbox] {FAULT_HEADER}: {bad}")
            if fault is not None:
                ex.record(fault=fault.spec)
                if fault.kind is FaultKind.SLOW_FIRST_BYTE:
                    if await ex.pause(fault.seconds):
                        if ex.aborted:
                            raise DropConnection
                        return Silent()
                elif fault.kind is FaultKind.STATUS:
                    return _fault_response(fault)
            call = Call(
                exchange=ex,
                state=state,
                account=account_or_error,
                headers=request.headers,
                query=request.query_params,
                body=body,
                form=form,
                fault=fault if fault is not None and fault.streaming else None,
                root_url=root_url(request.scope),
            )
            return await endpoint.handler(call)
        finally:
            if form is not None:
                await form.close()

    return run


# -- control endpoints (no auth, not logged) ---------------------------------------------------


def _control_routes(state: SandboxState) -> list[Route]:
    def problem(message: str) -> Response:
        return errors.JSONResponse({"error": message}, status_code=400)

    async def read_object(request: Request) -> dict[str, Any] | None:
        try:
            body = await request.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    async def requests(request: Request) -> Response:
        return errors.JSONResponse(state.log.snapshot())

    async def faults(request: Request) -> Response:
        if request.method == "DELETE":
            state.faults.clear()
        elif request.method == "POST":
            body = await read_object(request)
            if body is None:
                return problem("expected a JSON object")
            path, spec, count = body.get("path"), body.get("fault"), body.get("count", 1)
            if not isinstance(path, str) or not (path == ANY_PATH or path.startswith("/")):
                return problem("'path' must be an absolute path or '*'")
            if not isinstance(spec, str) or not isinstance(count, int) or isinstance(count, bool):
                return problem("'fault' must be text and 'count' a whole number")
            try:
                state.faults.push(path, parse_fault(spec), count)
            except FaultError as bad:
                return problem(str(bad))
        return errors.JSONResponse({"pending": state.faults.pending()})

    async def config(request: Request) -> Response:
        if request.method == "POST":
            body = await read_object(request)
            if body is None:
                return problem("expected a JSON object")
            try:
                state.configure(**body)
            except ConfigError as bad:
                return problem(str(bad))
        current = state.config
        return errors.JSONResponse(
            {
                "tokens_per_second": current.tokens_per_second,
                "image_ttl_seconds": current.image_ttl_seconds,
            }
        )

    async def reset(request: Request) -> Response:
        state.reset()
        return errors.JSONResponse({"ok": True})

    return [
        Route("/sandbox/requests", requests, methods=["GET"]),
        Route("/sandbox/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/sandbox/config", config, methods=["GET", "POST"]),
        Route("/sandbox/reset", reset, methods=["POST"]),
    ]


# -- the application ---------------------------------------------------------------------------


def create_app(state: SandboxState) -> SandboxApp:
    return SandboxApp(state)


class SandboxApp:
    """The outermost ASGI layer: trace ids, the request log, live-exchange tracking."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self._live: set[Exchange] = set()

        async def files(request: Request) -> Response:
            # The file host is another server: only faults queued for its own path reach it
            # (a ``*`` fault is meant for the API), and only as statuses.
            fault = state.faults.take(FILES_PATH, any_path=False)
            if fault is not None and fault.kind is FaultKind.STATUS:
                return errors.oss_error(fault.status, "InternalError", "Injected fault.")
            return state.images.serve(request.path_params["name"], request.query_params)

        async def not_found(request: Request, exc: Exception) -> Response:
            # Go's router (which the real API sits behind) answers a wrong method like a wrong
            # path; a client cannot tell the two apart either way.
            return errors.not_found()

        routes = [
            *(Route(e.path, _v1_endpoint(e, state), methods=[e.method]) for e in ENDPOINTS),
            Route(FILES_PATH + "/{name}", files, methods=["GET"]),
            *_control_routes(state),
        ]
        self._router = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
        self._router.router.redirect_slashes = False

    def abort_all(self) -> None:
        """End every in-flight response now (the server is stopping). Call on the loop thread."""
        for exchange in list(self._live):
            exchange.abort()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._router(scope, receive, send)
            return
        ex = Exchange(scope, receive, self.state.log, None)
        path: str = scope["path"]
        if not path.startswith("/sandbox/"):
            query = scope.get("query_string", b"").decode("latin-1")
            ex.entry = self.state.log.add(
                {
                    "trace_id": ex.trace_id,
                    "method": scope["method"],
                    "path": path,
                    "query": query,
                    "status": None,
                    "started": time.time(),
                    "finished": None,
                    "disconnected": False,
                    "disconnected_at": None,
                    "auth": auth_kind(Headers(scope=scope)),
                    "body": None,
                    "file": None,
                    "fault": None,
                    "frames_sent": 0,
                }
            )
        scope[SCOPE_KEY] = ex
        trace_header = (TRACE_HEADER, ex.trace_id.encode())

        async def send_traced(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), trace_header]}
                ex.record(status=message["status"])
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                ex.response_done = True  # before the send: "disconnect" after this is normal
            await send(message)

        self._live.add(ex)
        try:
            await self._router(scope, receive, send_traced)
        finally:
            self._live.discard(ex)
            ex.close()
            ex.record(finished=time.time())
