"""The records the conversation store hands out: immutable snapshots of rows.

This module owns the shapes of a stored :class:`Conversation` and :class:`Message` and the closed
sets of message roles and statuses. The objects are snapshots: changing the database does not
change an object already returned, so callers re-read what they need.

JSON-valued fields (``params``, ``attachments``, ``usage``, ``stats``, ``error``, ``tool_calls``)
are plain dicts and lists exactly as they were stored, so the UI can pass them on to the API or to
an exporter without conversion. Results of the service layer (``sfdesk.api.Usage``, ``ToolCall``)
are dataclasses; store them with ``dataclasses.asdict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

Role = Literal["system", "user", "assistant", "tool"]
Status = Literal["complete", "streaming", "stopped", "interrupted", "error"]

ROLES: Final[frozenset[str]] = frozenset({"system", "user", "assistant", "tool"})
#: ``streaming``: being written by a live stream (a crash leaves it so until
#: ``ConversationStore.recover_streaming`` marks it ``interrupted``). ``stopped``: the user pressed
#: Stop. ``interrupted``: the stream broke, was truncated, or the app died mid-stream.
#: ``error``: the request failed; ``Message.error`` says why.
STATUSES: Final[frozenset[str]] = frozenset(
    {"complete", "streaming", "stopped", "interrupted", "error"}
)


@dataclass(frozen=True, slots=True)
class Conversation:
    """A conversation's settings and bookkeeping; its messages are loaded separately (lazily)."""

    id: int
    title: str
    model: str
    system_prompt: str
    #: Request parameters exactly as sent (temperature, top_p, max_tokens, enable_thinking, …).
    params: dict[str, Any]
    created_at: float  # Unix seconds
    updated_at: float  # last message activity; the conversation list is ordered by it
    message_count: int


@dataclass(frozen=True, slots=True)
class Message:
    """One turn. ``position`` orders a conversation's messages; deletes may leave gaps in it."""

    id: int
    conversation_id: int
    position: int
    role: Role
    content: str
    #: The model's thinking, kept apart from ``content`` and never sent back in later turns.
    reasoning: str
    #: e.g. ``{"name": "cat.png", "mime": "image/png", "url": "data:image/png;base64,…"}``.
    attachments: list[dict[str, Any]]
    status: Status
    finish_reason: str | None
    model: str
    #: ``{"prompt_tokens": …, "completion_tokens": …, "reasoning_tokens": …, …}``.
    usage: dict[str, Any] | None
    #: ``{"ttft_ms": …, "tokens_per_s": …, "thinking_ms": …, "duration_ms": …}``.
    stats: dict[str, Any] | None
    #: ``{"reason": …, "message": …, "trace_id": …, "status": …}`` when the request failed.
    error: dict[str, Any] | None
    tool_calls: list[dict[str, Any]]
    created_at: float
    updated_at: float
