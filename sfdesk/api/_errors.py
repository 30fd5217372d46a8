"""The error hierarchy of the SiliconFlow client, and how an HTTP error response becomes one.

Everything that can go wrong in ``sfdesk.api`` surfaces as an :class:`ApiError` subclass; no
httpx exception escapes the package. Each error carries the HTTP ``status`` (when there was a
response), the server's business ``code`` and ``message``, the ``x-siliconcloud-trace-id`` for
support, a stable ``reason`` slug (what the UI maps to a translated explanation) and a short
English ``hint``.

SiliconFlow's error bodies differ per status (an object with ``code``/``message``, a bare JSON
string, plain text); :func:`error_from_response` reads them all.
"""

from __future__ import annotations

import json
from typing import Any

#: Business codes that change what an error means (siliconflow-api.md §2.3).
CODE_MODEL_NOT_EXIST = 20012
CODE_TOKEN_INVALID = 30014
CODE_BALANCE_INSUFFICIENT = 30001
CODE_MODEL_DISABLED = 30003
CODE_VERIFICATION_REQUIRED = 30005
CODE_PAID_BALANCE_ONLY = 30011


class ApiError(Exception):
    """Base of every error raised by :mod:`sfdesk.api`."""

    #: Stable identifier of the kind of failure, for the UI to map to translated text.
    default_reason = "error"
    default_hint = "The request failed."

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        code: int | None = None,
        trace_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.message = message
        self.status = status
        self.code = code
        self.trace_id = trace_id
        self.reason = reason or self.default_reason
        super().__init__(self._describe())

    @property
    def hint(self) -> str:
        """A short English explanation of what the user can do about it."""
        return _HINTS.get(self.reason, self.default_hint)

    def _describe(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code is not None:
            parts.append(f"code {self.code}")
        head = ", ".join(parts)
        text = self.message or self.default_hint
        described = f"{head}: {text}" if head else text
        if self.trace_id:
            described += f" (trace id {self.trace_id})"
        return described

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, "
            f"reason={self.reason!r}, message={self.message!r}, trace_id={self.trace_id!r})"
        )


class ApiStatusError(ApiError):
    """The server answered with an error status."""

    default_reason = "http_error"


class BadRequestError(ApiStatusError):
    default_reason = "bad_request"


class AuthenticationError(ApiStatusError):
    default_reason = "invalid_key"


class PermissionDeniedError(ApiStatusError):
    """403 (or 402 on .com): balance, real-name verification, or a model disabled on this site."""

    default_reason = "forbidden"


class NotFoundError(ApiStatusError):
    default_reason = "not_found"


class PayloadTooLargeError(ApiStatusError):
    default_reason = "too_large"


class ContentFilteredError(ApiStatusError):
    """The prompt or output was refused by content moderation (451, or an image with no URL)."""

    default_reason = "content_filtered"


class RateLimitError(ApiStatusError):
    default_reason = "rate_limited"


class ServerError(ApiStatusError):
    default_reason = "server_error"


class ServerOverloadedError(ServerError):
    default_reason = "overloaded"


class GatewayTimeoutError(ServerError):
    default_reason = "gateway_timeout"


class ApiConnectionError(ApiError):
    """No usable response: the connection failed or broke before the answer began."""

    default_reason = "connection"


class ApiTimeoutError(ApiConnectionError):
    default_reason = "timeout"


class StreamInterrupted(ApiError):
    """A stream broke, or ended without ``finish_reason``/``[DONE]``, after it had begun.

    It keeps what arrived, so a truncated answer is never lost nor mistaken for a complete one.
    """

    default_reason = "interrupted"

    def __init__(
        self,
        message: str = "",
        *,
        partial_content: str = "",
        partial_reasoning: str = "",
        status: int | None = None,
        code: int | None = None,
        trace_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.partial_content = partial_content
        self.partial_reasoning = partial_reasoning
        super().__init__(message, status=status, code=code, trace_id=trace_id, reason=reason)


class ProtocolError(StreamInterrupted):
    """A body or frame that is not what the contract says (bad JSON, missing fields).

    A subclass of :class:`StreamInterrupted` because mid-stream it is one: what arrived before the
    bad frame is kept in ``partial_content``/``partial_reasoning``.
    """

    default_reason = "protocol"


class ImageDownloadError(ApiError):
    """The image was generated but its file could not be fetched (e.g. the signed URL expired)."""

    default_reason = "download_failed"

    def __init__(
        self,
        message: str = "",
        *,
        urls: tuple[str, ...] = (),
        downloaded: tuple[Any, ...] = (),
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        #: The URLs that could not be fetched (signed links: they expire an hour after creation).
        self.urls = urls
        #: The :class:`GeneratedImage` results of the same request that did arrive.
        self.downloaded = downloaded
        #: The seed the service used, so the failed images can be generated again.
        self.seed = seed
        super().__init__(message, **kwargs)


_HINTS = {
    "bad_request": "The request was rejected as invalid; check the parameters.",
    "unknown_model": "This model does not exist on this site; pick another from the list.",
    "invalid_key": "The API key was rejected. Check that it was copied whole.",
    "wrong_site": (
        "The key was rejected by this site. Keys from siliconflow.cn and siliconflow.com are "
        "separate accounts; choose the site the key belongs to."
    ),
    "no_balance": "The account balance is insufficient; recharge it to continue.",
    "verification_required": "This model requires real-name verification of the account.",
    "model_disabled": "This model is disabled for this account or site.",
    "forbidden": "The account is not allowed to do this.",
    "not_found": "The address was not found; check the base URL.",
    "too_large": "The request is too large; send less at once.",
    "content_filtered": "The content was refused by moderation; rephrase the prompt.",
    "rate_limited": "Too many requests for now; wait a moment and try again.",
    "overloaded": "The model service is overloaded; try again later.",
    "gateway_timeout": "The server took too long to answer; try again later.",
    "server_error": "The server had a problem; try again later.",
    "connection": "Could not reach the server; check the network and the base URL.",
    "timeout": "The server did not answer in time.",
    "interrupted": "The answer was cut off before it finished.",
    "protocol": "The server sent something unexpected.",
    "download_failed": "The generated file could not be downloaded.",
}

_STATUS_CLASSES: dict[int, type[ApiStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PermissionDeniedError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: PayloadTooLargeError,
    422: BadRequestError,
    429: RateLimitError,
    451: ContentFilteredError,
    503: ServerOverloadedError,
    504: GatewayTimeoutError,
}

_CODE_REASONS = {
    CODE_MODEL_NOT_EXIST: "unknown_model",
    CODE_TOKEN_INVALID: "wrong_site",
    CODE_BALANCE_INSUFFICIENT: "no_balance",
    CODE_PAID_BALANCE_ONLY: "no_balance",
    CODE_MODEL_DISABLED: "model_disabled",
    CODE_VERIFICATION_REQUIRED: "verification_required",
}


def parse_error_body(body: bytes) -> tuple[int | None, str]:
    """Return ``(code, message)`` from any of the error body shapes SiliconFlow uses."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return None, ""
    try:
        data = json.loads(text)
    except ValueError:
        return None, text[:500]
    if isinstance(data, str):
        return None, data
    if isinstance(data, dict):
        nested = data.get("error")
        if isinstance(nested, dict):  # OpenAI-style envelope from a custom base URL
            data = nested
        elif isinstance(nested, str) and "message" not in data:
            data = {"message": nested}
        code = data.get("code")
        message = data.get("message")
        return (
            code if isinstance(code, int) and not isinstance(code, bool) else _int_or_none(code),
            message if isinstance(message, str) else text[:500],
        )
    return None, text[:500]


def _int_or_none(value: object) -> int | None:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def error_from_response(status: int, body: bytes, trace_id: str | None) -> ApiStatusError:
    """Build the typed error for an HTTP error response."""
    code, message = parse_error_body(body)
    cls = _STATUS_CLASSES.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else ApiStatusError
    return cls(message, status=status, code=code, trace_id=trace_id, reason=_reason_for(cls, code))


def error_from_frame(
    data: dict[str, Any], trace_id: str | None
) -> tuple[int | None, str, str | None]:
    """Read an error carried inside a stream frame: ``(code, message, reason)``."""
    nested = data.get("error")
    source = nested if isinstance(nested, dict) else data
    code = source.get("code")
    code = code if isinstance(code, int) and not isinstance(code, bool) else _int_or_none(code)
    message = source.get("message")
    if not isinstance(message, str):
        message = nested if isinstance(nested, str) else "error in stream"
    reason = _CODE_REASONS.get(code) if code is not None else None
    if reason is None and code is not None and 50500 <= code < 50700:
        reason = "overloaded"
    return code, message, reason


def _reason_for(cls: type[ApiStatusError], code: int | None) -> str:
    if code is not None and code in _CODE_REASONS:
        return _CODE_REASONS[code]
    return cls.default_reason
