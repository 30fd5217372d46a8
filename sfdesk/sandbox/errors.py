"""Responses in SiliconFlow's shapes: JSON with its exact content type, and every error body.

SiliconFlow answers errors with a different body shape per status (an object with ``code``, an
object without it, a bare JSON string, plain text); the sandbox reproduces each one exactly because
that is what a client's error handling has to survive.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import PlainTextResponse, Response

JSON_TYPE = "application/json; charset=utf-8"

MODEL_NOT_FOUND = "Model does not exist. Please check it carefully."
PARAM_INVALID = "The parameter is invalid. Please check again."
RATE_LIMITED = "Request was rejected due to rate limiting. Details: TPM limit reached."
OVERLOADED = "Model service overloaded. Please try again later."
BALANCE = "Sorry, your account balance is insufficient"


def dumps(content: Any) -> bytes:
    """Compact UTF-8 JSON, like the real server (no ASCII escaping of Chinese text)."""
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class JSONResponse(Response):
    """JSON with ``Content-Type: application/json; charset=utf-8`` (Starlette omits the charset)."""

    media_type = JSON_TYPE

    def render(self, content: Any) -> bytes:
        return dumps(content)


class Invalid(Exception):
    """The request breaks a rule; carries the response the real API gives for it.

    Endpoint parsers raise it from deep inside validation; the handler returns ``.response``.
    """

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def error(status: int, code: int, message: str, *, data: bool = True) -> JSONResponse:
    """The usual error object; a few real bodies (30014, 30001) have no ``data`` key."""
    body: dict[str, Any] = {"code": code, "message": message}
    if data:
        body["data"] = None
    return JSONResponse(body, status_code=status)


def bare(status: int, message: str) -> JSONResponse:
    """A body that is just a JSON string, e.g. ``"Invalid token"``."""
    return JSONResponse(message, status_code=status)


def plain(status: int, text: str) -> PlainTextResponse:
    return PlainTextResponse(text, status_code=status)


def invalid(message: str = PARAM_INVALID) -> JSONResponse:
    return error(400, 20015, message)


def unknown_model() -> JSONResponse:
    return error(400, 20012, MODEL_NOT_FOUND)


def too_large(message: str) -> JSONResponse:
    return error(413, 20042, message)


def not_found() -> PlainTextResponse:
    return plain(404, "404 page not found")


def rate_limited() -> JSONResponse:
    # The live 429 body has no `code` (siliconflow-api.md §2.2).
    return JSONResponse({"message": RATE_LIMITED, "data": None}, status_code=429)


def for_status(status: int) -> Response:
    """The canned body the real API sends with ``status`` (used by injected faults)."""
    match status:
        case 400:
            return invalid()
        case 403:
            return bare(403, "Forbidden")
        case 404:
            return not_found()
        case 413:
            return too_large("input batch size 83 > maximum allowed batch size 64")
        case 429:
            return rate_limited()
        case 451:
            return error(451, 20021, "Content is not allowed.")
        case 500:
            return error(500, 50507, "Unknown error, please try again later.")
        case 502:
            return plain(502, "Bad Gateway")
        case 503:
            return error(503, 50505, OVERLOADED)
        case 504:
            return bare(504, "Gateway Timeout")
    raise ValueError(f"no canned body for HTTP {status}")


FAULT_STATUSES = (400, 403, 404, 413, 429, 451, 500, 502, 503, 504)


def oss_error(status: int, code: str, message: str) -> Response:
    """An Aliyun OSS-style XML error, as the image file host answers."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    )
    return Response(body, status_code=status, media_type="application/xml")
