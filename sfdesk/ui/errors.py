"""Plain-language, translated explanations of failures, for dialogs, status bar and panels.

:func:`explain` maps every :attr:`sfdesk.api.ApiError.reason` to a short title and an explanation
of what happened and what to do, then appends what support needs (the server's own words, the
HTTP status and the trace id). Anything that is not an ApiError is a bug in sfdesk: the user gets a
short notice pointing at the log file (the traceback goes there, never into the UI).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from sfdesk.api import ApiError
from sfdesk.ui.i18n import QT_TRANSLATE_NOOP

_CONTEXT = "Errors"

# reason -> (title, explanation). QT_TRANSLATE_NOOP only marks the strings for lupdate; they are
# translated when shown, so a language switch is honoured.
_TEXTS: dict[str, tuple[str, str]] = {
    "invalid_key": (
        QT_TRANSLATE_NOOP("Errors", "Invalid API key"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The API key was rejected. Check that it was copied whole, without missing "
            "characters, and that it has not been deleted in the SiliconFlow console.",
        ),
    ),
    "wrong_site": (
        QT_TRANSLATE_NOOP("Errors", "Key rejected by this site"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "This site does not accept the key. Keys from siliconflow.cn and siliconflow.com "
            "belong to separate accounts: choose the site where the key was created.",
        ),
    ),
    "no_balance": (
        QT_TRANSLATE_NOOP("Errors", "Balance insufficient"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The account balance is not enough for this request. Recharge the account in the "
            "SiliconFlow console, or choose a free model.",
        ),
    ),
    "verification_required": (
        QT_TRANSLATE_NOOP("Errors", "Verification required"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "This model can only be used after the account has completed real-name "
            "verification in the SiliconFlow console.",
        ),
    ),
    "model_disabled": (
        QT_TRANSLATE_NOOP("Errors", "Model unavailable"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "This model is disabled for this account or on this site. Choose another model.",
        ),
    ),
    "forbidden": (
        QT_TRANSLATE_NOOP("Errors", "Not allowed"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The account is not allowed to do this. Check the balance and the account status "
            "in the SiliconFlow console.",
        ),
    ),
    "unknown_model": (
        QT_TRANSLATE_NOOP("Errors", "Unknown model"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "This model does not exist on this site. Models are added and retired often: "
            "refresh the model list and pick another one.",
        ),
    ),
    "bad_request": (
        QT_TRANSLATE_NOOP("Errors", "Request rejected"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The server rejected the request as invalid. A parameter may not be supported by "
            "this model; see the server's message below.",
        ),
    ),
    "not_found": (
        QT_TRANSLATE_NOOP("Errors", "Address not found"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The server has no such address. Check the base URL: it usually ends in /v1.",
        ),
    ),
    "too_large": (
        QT_TRANSLATE_NOOP("Errors", "Request too large"),
        QT_TRANSLATE_NOOP(
            "Errors", "The request is larger than the server accepts. Send less at once."
        ),
    ),
    "rate_limited": (
        QT_TRANSLATE_NOOP("Errors", "Rate limited"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "Too many requests or tokens in a short time for this account. Wait a moment and "
            "try again.",
        ),
    ),
    "overloaded": (
        QT_TRANSLATE_NOOP("Errors", "Service busy"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The model service is overloaded right now. Try again in a little while, or "
            "choose another model.",
        ),
    ),
    "gateway_timeout": (
        QT_TRANSLATE_NOOP("Errors", "Server timed out"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The server took too long to produce an answer. Try again later; for long answers, "
            "streaming helps.",
        ),
    ),
    "server_error": (
        QT_TRANSLATE_NOOP("Errors", "Server error"),
        QT_TRANSLATE_NOOP("Errors", "The server ran into a problem of its own. Try again later."),
    ),
    "connection": (
        QT_TRANSLATE_NOOP("Errors", "Cannot connect"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "Could not reach the server. Check the network connection, any proxy, and the "
            "base URL.",
        ),
    ),
    "timeout": (
        QT_TRANSLATE_NOOP("Errors", "No answer in time"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The server did not answer in time. Check the network, or raise the timeouts in "
            "the settings.",
        ),
    ),
    "interrupted": (
        QT_TRANSLATE_NOOP("Errors", "Answer cut off"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The answer stopped before it was finished. What arrived is kept; try again to get "
            "the rest.",
        ),
    ),
    "protocol": (
        QT_TRANSLATE_NOOP("Errors", "Unexpected response"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The server sent something sfdesk does not understand. If you use a custom base "
            "URL, check that it is OpenAI-compatible.",
        ),
    ),
    "content_filtered": (
        QT_TRANSLATE_NOOP("Errors", "Content refused"),
        QT_TRANSLATE_NOOP(
            "Errors", "The content was refused by moderation. Rephrase the prompt and try again."
        ),
    ),
    "download_failed": (
        QT_TRANSLATE_NOOP("Errors", "Download failed"),
        QT_TRANSLATE_NOOP(
            "Errors",
            "The result was generated but its file could not be downloaded (links expire after "
            "an hour). Generate it again.",
        ),
    ),
}

_GENERIC_API: tuple[str, str] = (
    QT_TRANSLATE_NOOP("Errors", "Request failed"),
    QT_TRANSLATE_NOOP("Errors", "The request failed. See the details below."),
)
_UNEXPECTED: tuple[str, str] = (
    QT_TRANSLATE_NOOP("Errors", "Unexpected error"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "Something went wrong inside sfdesk. The details were written to the log file; please "
        "include them if you report the problem.",
    ),
)

#: Every reason :func:`explain` knows (the ApiError reasons of the service layer).
KNOWN_REASONS: frozenset[str] = frozenset(_TEXTS)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def reason_of(error: BaseException) -> str | None:
    """The ApiError reason slug, or None for anything else."""
    return error.reason if isinstance(error, ApiError) else None


def short_title(error: BaseException) -> str:
    """Just the translated title (e.g. for a status bar label)."""
    return explain(error)[0]


def explain(error: BaseException) -> tuple[str, str]:
    """A translated short title and plain-language explanation of ``error``.

    For API errors the explanation ends with the server's message, the HTTP status and the trace
    id when known. Never a traceback.
    """
    if not isinstance(error, ApiError):
        title, text = _UNEXPECTED
        detail = QCoreApplication.translate("Errors", "Error type: %1").replace(
            "%1", type(error).__name__
        )
        return _tr(title), f"{_tr(text)}\n\n{detail}"
    title, text = _TEXTS.get(error.reason, _GENERIC_API)
    lines = [_tr(text)]
    details = _details(error)
    if details:
        lines.append("\n".join(details))
    return _tr(title), "\n\n".join(lines)


def _details(error: ApiError) -> list[str]:
    details = []
    message = error.message.strip()
    if message:
        if len(message) > 300:
            message = message[:300] + "…"
        if error.status is not None:
            label = QCoreApplication.translate("Errors", "Server message: %1")
        else:  # no response: the text is the client's own account of what failed
            label = QCoreApplication.translate("Errors", "Details: %1")
        details.append(label.replace("%1", message))
    if error.status is not None:
        label = QCoreApplication.translate("Errors", "HTTP status: %1")
        details.append(label.replace("%1", str(error.status)))
    if error.trace_id:
        label = QCoreApplication.translate("Errors", "Trace ID: %1")
        details.append(label.replace("%1", error.trace_id))
    return details


def explain_record(record: Mapping[str, Any]) -> tuple[str, str]:
    """Like :func:`explain`, for a failure stored with a message (``Message.error``)."""
    error = ApiError(
        str(record.get("message") or ""),
        status=record.get("status"),
        code=record.get("code"),
        trace_id=record.get("trace_id"),
        reason=record.get("reason") or None,
    )
    return explain(error)
