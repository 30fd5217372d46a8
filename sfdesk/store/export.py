"""Exporting a conversation: readable Markdown, lossless JSON, and a safe file name for either.

This module owns the export formats. It is pure (no database, no files): the UI reads the
conversation and its messages from the store, calls :func:`to_markdown` or :func:`to_json`, and
writes the text to the file the user picked, named with :func:`safe_filename`.

JSON shape (``format`` and ``version`` let a future importer recognise and upgrade it)::

    {
      "format": "sfdesk.conversation",
      "version": 1,
      "conversation": {"id", "title", "model", "system_prompt", "params",
                       "created_at", "updated_at"},          # times: Unix seconds (float)
      "messages": [{"id", "position", "role", "content", "reasoning", "attachments", "status",
                    "finish_reason", "model", "usage", "stats", "error", "tool_calls",
                    "created_at", "updated_at"}, ...]        # in conversation order
    }

Markdown is for reading and sharing: attachments are named but never inlined (a data URL is
megabytes of base64), reasoning sits in a collapsed ``<details>`` block. Labels are English by
default; the UI passes translated ones through :class:`MarkdownLabels`.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from .models import Conversation, Message

FORMAT: Final = "sfdesk.conversation"
VERSION: Final = 1


@dataclass(frozen=True, slots=True)
class MarkdownLabels:
    """Every fixed word the Markdown export writes, so the UI can supply translations."""

    untitled: str = "Untitled conversation"
    model: str = "Model"
    created: str = "Created"
    parameters: str = "Parameters"
    system_prompt: str = "System prompt"
    system: str = "System"
    user: str = "User"
    assistant: str = "Assistant"
    tool: str = "Tool"
    reasoning: str = "Reasoning"
    attachments: str = "Attachments"
    tool_calls: str = "Tool calls"
    stopped: str = "Stopped by the user; the answer is incomplete."
    interrupted: str = "Interrupted; the answer is incomplete."
    streaming: str = "Still being written when exported; the answer may be incomplete."
    error: str = "Error"
    truncated: str = "Cut off at the token limit (finish reason: length)."
    prompt_tokens: str = "prompt"
    completion_tokens: str = "completion"
    reasoning_tokens: str = "reasoning"
    tokens: str = "tokens"
    ttft: str = "first token"
    thinking: str = "thinking"
    duration: str = "total"
    finish: str = "finish"


def to_markdown(
    conversation: Conversation,
    messages: Iterable[Message],
    *,
    labels: MarkdownLabels = MarkdownLabels(),  # frozen, so sharing the default is safe
) -> str:
    out: list[str] = [f"# {_one_line(conversation.title) or labels.untitled}", ""]
    if conversation.model:
        out.append(f"- {labels.model}: `{conversation.model}`")
    out.append(f"- {labels.created}: {_timestamp(conversation.created_at)}")
    if conversation.params:
        params = ", ".join(f"{k}={_compact(v)}" for k, v in conversation.params.items())
        out.append(f"- {labels.parameters}: `{params}`")
    out.append("")
    if conversation.system_prompt.strip():
        out += [f"## {labels.system_prompt}", "", _quote(conversation.system_prompt), ""]

    role_names = {
        "system": labels.system,
        "user": labels.user,
        "assistant": labels.assistant,
        "tool": labels.tool,
    }
    for message in messages:
        heading = role_names.get(message.role, message.role)
        if message.role == "assistant" and message.model and message.model != conversation.model:
            heading += f" · `{message.model}`"
        out += [f"## {heading}", ""]
        note = _status_note(message, labels)
        if note:
            out += [f"> **{note}**", ""]
        if message.reasoning.strip():
            # Blank lines around the body let GitHub and most viewers render Markdown inside.
            body = message.reasoning.strip().replace("</details>", "&lt;/details&gt;")
            out += [
                f"<details><summary>{labels.reasoning}</summary>",
                "",
                body,
                "",
                "</details>",
                "",
            ]
        if message.content:
            out += [message.content.rstrip(), ""]
        if message.tool_calls:
            out.append(f"**{labels.tool_calls}:**")
            for call in message.tool_calls:
                name = _one_line(str(call.get("name", "")))
                arguments = _one_line(str(call.get("arguments", "")))
                out.append(f"- `{name}({arguments})`")
            out.append("")
        if message.attachments:
            names = ", ".join(_attachment_name(a) for a in message.attachments)
            out += [f"*{labels.attachments}: {names}*", ""]
        facts = _facts_line(message, labels)
        if facts:
            out += [f"<sub>{facts}</sub>", ""]
    return "\n".join(out).rstrip() + "\n"


def to_json(conversation: Conversation, messages: Iterable[Message]) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "conversation": {
            "id": conversation.id,
            "title": conversation.title,
            "model": conversation.model,
            "system_prompt": conversation.system_prompt,
            "params": conversation.params,
            "created_at": conversation.created_at,
            "updated_at": conversation.updated_at,
        },
        "messages": [
            {
                "id": m.id,
                "position": m.position,
                "role": m.role,
                "content": m.content,
                "reasoning": m.reasoning,
                "attachments": m.attachments,
                "status": m.status,
                "finish_reason": m.finish_reason,
                "model": m.model,
                "usage": m.usage,
                "stats": m.stats,
                "error": m.error,
                "tool_calls": m.tool_calls,
                "created_at": m.created_at,
                "updated_at": m.updated_at,
            }
            for m in messages
        ],
    }
    # allow_nan=False keeps the file standard JSON; _finite has already replaced inf/NaN
    # (a tokens/s over a zero duration) by null.
    return json.dumps(_finite(document), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# --- file names ---------------------------------------------------------------------------------

_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    # Windows counts the superscript digits ¹ ² ³ as digits here too (COM¹ is a device).
    | {f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³"}
)
# Path separators and the characters Windows forbids in names; they become spaces.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
#: Bytes, not characters: file systems limit names to 255 bytes and a Chinese character takes
#: three in UTF-8. Leaves room for an extension and a " (2)" suffix.
FILENAME_MAX_BYTES: Final = 180
FALLBACK_FILENAME: Final = "conversation"


def safe_filename(title: str, *, max_bytes: int = FILENAME_MAX_BYTES) -> str:
    """A file name stem (no extension) from a conversation title, valid on Windows, macOS and
    Linux: no separators, control or reserved characters, no reserved device name, no leading or
    trailing dots and spaces. Chinese and other scripts are kept. Falls back to "conversation"."""
    name = unicodedata.normalize("NFC", title)
    # Control characters (tabs and newlines included) separate words; bidi overrides, which can
    # disguise an extension ("evil\u202egnp.exe" shows as "evilexe.png"), just go.
    name = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in name)
    name = _BIDI_CONTROLS.sub("", name)
    name = _FORBIDDEN.sub(" ", name)
    name = _SPACES.sub(" ", name).strip(" .")
    name = _truncate_utf8(name, max_bytes).rstrip(" .")
    if not name:
        return FALLBACK_FILENAME
    # Windows reserves device names even with an extension ("con.txt") and in any case.
    if name.split(".", 1)[0].strip().upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    return name


def _truncate_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    # errors="ignore" drops a character cut in half instead of producing a replacement char.
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


# --- helpers ------------------------------------------------------------------------------------


def _status_note(message: Message, labels: MarkdownLabels) -> str:
    if message.status == "stopped":
        return labels.stopped
    if message.status == "interrupted":
        return labels.interrupted
    if message.status == "streaming":
        return labels.streaming
    if message.status == "error":
        error = message.error or {}
        detail = _one_line(str(error.get("message") or error.get("reason") or ""))
        text = f"{labels.error}: {detail}" if detail else labels.error
        if error.get("status"):
            text += f" (HTTP {error['status']})"
        if error.get("trace_id"):
            text += f" · trace id `{error['trace_id']}`"
        return text
    if message.finish_reason == "length":
        return labels.truncated
    return ""


def _facts_line(message: Message, labels: MarkdownLabels) -> str:
    facts: list[str] = []
    usage = message.usage or {}
    token_parts = [
        f"{labels.prompt_tokens} {usage['prompt_tokens']}" if usage.get("prompt_tokens") else "",
        f"{labels.completion_tokens} {usage['completion_tokens']}"
        if usage.get("completion_tokens")
        else "",
        f"{labels.reasoning_tokens} {usage['reasoning_tokens']}"
        if usage.get("reasoning_tokens")
        else "",
    ]
    token_parts = [p for p in token_parts if p]
    if token_parts:
        facts.append(f"{labels.tokens}: " + ", ".join(token_parts))
    stats = message.stats or {}
    if _is_number(stats.get("ttft_ms")):
        facts.append(f"{labels.ttft} {stats['ttft_ms']:.0f} ms")
    if _is_number(stats.get("tokens_per_s")):
        facts.append(f"{stats['tokens_per_s']:.1f} tok/s")
    if _is_number(stats.get("thinking_ms")):
        facts.append(f"{labels.thinking} {stats['thinking_ms'] / 1000:.1f} s")
    if _is_number(stats.get("duration_ms")):
        facts.append(f"{labels.duration} {stats['duration_ms'] / 1000:.1f} s")
    if message.finish_reason and message.finish_reason != "stop":
        facts.append(f"{labels.finish}: {message.finish_reason}")
    return " · ".join(facts)


def _attachment_name(attachment: Mapping[str, Any]) -> str:
    name = _one_line(str(attachment.get("name") or "")) or "attachment"
    mime = attachment.get("mime")
    return f"`{name}` ({mime})" if mime else f"`{name}`"


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())


def _timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds).astimezone().isoformat(timespec="seconds")
