"""Exporting a conversation to a Markdown or JSON file, with the Markdown's words translated.

The formats themselves belong to :mod:`sfdesk.store.export`; this module supplies the labels in
the UI language and picks the format from the file name the user chose.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from sfdesk.store import ConversationStore
from sfdesk.store.export import MarkdownLabels, to_json, to_markdown
from sfdesk.ui.i18n import QT_TRANSLATE_NOOP

_CONTEXT = "ChatExport"

# Marked for lupdate here; translated when an export is written, so the language in force wins.
_LABELS = {
    "untitled": QT_TRANSLATE_NOOP("ChatExport", "Untitled conversation"),
    "model": QT_TRANSLATE_NOOP("ChatExport", "Model"),
    "created": QT_TRANSLATE_NOOP("ChatExport", "Created"),
    "parameters": QT_TRANSLATE_NOOP("ChatExport", "Parameters"),
    "system_prompt": QT_TRANSLATE_NOOP("ChatExport", "System prompt"),
    "system": QT_TRANSLATE_NOOP("ChatExport", "System"),
    "user": QT_TRANSLATE_NOOP("ChatExport", "User"),
    "assistant": QT_TRANSLATE_NOOP("ChatExport", "Assistant"),
    "tool": QT_TRANSLATE_NOOP("ChatExport", "Tool"),
    "reasoning": QT_TRANSLATE_NOOP("ChatExport", "Reasoning"),
    "attachments": QT_TRANSLATE_NOOP("ChatExport", "Attachments"),
    "tool_calls": QT_TRANSLATE_NOOP("ChatExport", "Tool calls"),
    "stopped": QT_TRANSLATE_NOOP("ChatExport", "Stopped by the user; the answer is incomplete."),
    "interrupted": QT_TRANSLATE_NOOP("ChatExport", "Interrupted; the answer is incomplete."),
    "streaming": QT_TRANSLATE_NOOP(
        "ChatExport", "Still being written when exported; the answer may be incomplete."
    ),
    "error": QT_TRANSLATE_NOOP("ChatExport", "Error"),
    "truncated": QT_TRANSLATE_NOOP(
        "ChatExport", "Cut off at the token limit (finish reason: length)."
    ),
    "prompt_tokens": QT_TRANSLATE_NOOP("ChatExport", "prompt"),
    "completion_tokens": QT_TRANSLATE_NOOP("ChatExport", "completion"),
    "reasoning_tokens": QT_TRANSLATE_NOOP("ChatExport", "reasoning"),
    "tokens": QT_TRANSLATE_NOOP("ChatExport", "tokens"),
    "ttft": QT_TRANSLATE_NOOP("ChatExport", "first token"),
    "thinking": QT_TRANSLATE_NOOP("ChatExport", "thinking"),
    "duration": QT_TRANSLATE_NOOP("ChatExport", "total"),
    "finish": QT_TRANSLATE_NOOP("ChatExport", "finish"),
}


def translated_labels() -> MarkdownLabels:
    known = {f.name for f in fields(MarkdownLabels)}
    return MarkdownLabels(
        **{
            name: QCoreApplication.translate(_CONTEXT, text)
            for name, text in _LABELS.items()
            if name in known
        }
    )


def write_export(store: ConversationStore, conversation_id: int, path: Path) -> Path:
    """Write the conversation to ``path``: JSON for a ``.json`` name, Markdown otherwise."""
    conversation = store.get_conversation(conversation_id)
    if conversation is None:
        raise LookupError("the conversation no longer exists")
    messages = store.messages(conversation_id)
    if path.suffix.lower() == ".json":
        text = to_json(conversation, messages)
    else:
        text = to_markdown(conversation, messages, labels=translated_labels())
    path.write_text(text, encoding="utf-8")
    return path
