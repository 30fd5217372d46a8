"""The conversation repository behind the Chat panel: conversations, messages, search, recovery.

This module owns every read and write of conversations and messages. It is synchronous on purpose:
the UI calls it from the GUI thread, each call is one short transaction (a point lookup, an
indexed page of messages, one row rewritten), and an async wrapper would only add a thread hop.

Streaming protocol (the chat controller's side):
1. ``add_message(cid, "assistant", status="streaming")`` when the request starts;
2. ``update_message(mid, content=..., reasoning=...)`` about once a second with the text so far;
3. ``update_message(mid, status="complete" | "stopped" | "interrupted" | "error", ...)`` at the end.
If the app dies in between, the next start calls :meth:`ConversationStore.recover_streaming`,
which keeps the partial answer and marks it ``interrupted``.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from . import db
from .models import ROLES, STATUSES, Conversation, Message, Role, Status


class NotFoundError(db.StoreError, LookupError):
    """The conversation a message was added to does not exist (any more)."""


_CONVERSATION_COLUMNS = (
    "c.id, c.title, c.model, c.system_prompt, c.params, c.created_at, c.updated_at, "
    # Counted through the (conversation_id, position) index, so the list needs no extra column
    # that every message write would have to keep in step.
    "(SELECT count(*) FROM messages AS m WHERE m.conversation_id = c.id)"
)
_MESSAGE_COLUMNS = (
    "id, conversation_id, position, role, content, reasoning, attachments, status, "
    "finish_reason, model, usage, stats, error, tool_calls, created_at, updated_at"
)
#: Above this many distinct trigrams a 1–2 character term is searched with LIKE instead.
_MAX_VOCAB_TERMS = 500
_WHITESPACE = re.compile(r"\s+")
TITLE_MAX_CHARS = 40


class ConversationStore(db.LockedStore):
    """Conversations and their messages in one SQLite file (see ``db.py`` for how it is opened).

    Not thread-safe: use it from the thread that created it (the GUI thread). Open one per process;
    several processes on the same file are safe (WAL, busy timeout).
    """

    def __init__(self, path: Path | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path if path is not None else db.default_path()
        self._clock = clock
        self._conn = db.connect(self.path)
        try:
            self._fts = db.ensure_search_index(
                self._conn, available=db.fts_trigram_available(self._conn)
            )
        except BaseException:
            self._conn.close()
            raise

    @property
    def uses_full_text_index(self) -> bool:
        """True when search uses the FTS5 trigram index, False when it scans with LIKE."""
        return self._fts

    def close(self) -> None:
        # Recommended on close: refreshes planner statistics only where recent queries needed
        # them, and analysis_limit bounds that work so a large file cannot slow down quitting.
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA analysis_limit = 400")
            self._conn.execute("PRAGMA optimize")
        self._conn.close()

    # --- conversations --------------------------------------------------------------------

    def create_conversation(
        self,
        title: str = "",
        model: str = "",
        system_prompt: str = "",
        params: Mapping[str, Any] | None = None,
    ) -> Conversation:
        now = self._clock()
        with db.transaction(self._conn):
            cid = self._conn.execute(
                "INSERT INTO conversations "
                "(title, model, system_prompt, params, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (title, model, system_prompt, _dumps(dict(params or {})), now, now),
            ).lastrowid
        return Conversation(
            id=int(cid or 0),
            title=title,
            model=model,
            system_prompt=system_prompt,
            params=dict(params or {}),
            created_at=now,
            updated_at=now,
            message_count=0,
        )

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        row = self._conn.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations AS c WHERE c.id = ?",
            (conversation_id,),
        ).fetchone()
        return _conversation(row) if row is not None else None

    def list_conversations(
        self, search: str = "", limit: int = 200, offset: int = 0
    ) -> list[Conversation]:
        """Most recently active first. ``search``: every whitespace-separated term must occur
        (case-insensitively, as a substring) in the title or in some message's content."""
        where: list[str] = []
        args: list[object] = []
        for term in search.split():
            clause, clause_args = self._term_clause(term)
            where.append(clause)
            args.extend(clause_args)
        sql = f"SELECT {_CONVERSATION_COLUMNS} FROM conversations AS c"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?"
        rows = self._conn.execute(sql, (*args, limit, offset)).fetchall()
        return [_conversation(row) for row in rows]

    def rename_conversation(self, conversation_id: int, title: str) -> bool:
        """Set the title; False if there is no such conversation. Does not reorder the list."""
        with db.transaction(self._conn):
            cursor = self._conn.execute(
                "UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id)
            )
        return cursor.rowcount > 0

    def update_conversation(
        self,
        conversation_id: int,
        *,
        model: str | None = None,
        system_prompt: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> bool:
        """Change the given settings (None leaves one as it is); False if there is no such
        conversation. Settings are not activity: the list order does not change."""
        assignments: dict[str, object] = {}
        if model is not None:
            assignments["model"] = model
        if system_prompt is not None:
            assignments["system_prompt"] = system_prompt
        if params is not None:
            assignments["params"] = _dumps(dict(params))
        if not assignments:
            return self.get_conversation(conversation_id) is not None
        return self._update("conversations", conversation_id, assignments, bump=None)

    def delete_conversation(self, conversation_id: int) -> bool:
        """Delete it and (by cascade) its messages; False if there was no such conversation."""
        with db.transaction(self._conn):
            cursor = self._conn.execute(
                "DELETE FROM conversations WHERE id = ?", (conversation_id,)
            )
        return cursor.rowcount > 0

    # --- messages -------------------------------------------------------------------------

    def add_message(
        self,
        conversation_id: int,
        role: Role,
        content: str = "",
        *,
        reasoning: str = "",
        attachments: Iterable[Mapping[str, Any]] = (),
        status: Status = "complete",
        finish_reason: str | None = None,
        model: str = "",
        usage: Mapping[str, Any] | None = None,
        stats: Mapping[str, Any] | None = None,
        error: Mapping[str, Any] | None = None,
        tool_calls: Iterable[Mapping[str, Any]] = (),
    ) -> Message:
        """Append a message after the conversation's last one and mark the conversation active."""
        _check_role(role)
        _check_status(status)
        attachment_list = [dict(a) for a in attachments]
        tool_call_list = [dict(t) for t in tool_calls]
        now = self._clock()
        try:
            with db.transaction(self._conn):
                # Position computed in the INSERT itself, under the write lock: no race between
                # reading the last position and using it.
                cursor = self._conn.execute(
                    "INSERT INTO messages (conversation_id, position, role, content, reasoning, "
                    "attachments, status, finish_reason, model, usage, stats, error, tool_calls, "
                    "created_at, updated_at) "
                    "SELECT ?, coalesce(max(position), -1) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?, ? FROM messages WHERE conversation_id = ?",
                    (
                        conversation_id,
                        role,
                        content,
                        reasoning,
                        _dumps(attachment_list),
                        status,
                        finish_reason,
                        model,
                        _dumps_optional(usage),
                        _dumps_optional(stats),
                        _dumps_optional(error),
                        _dumps(tool_call_list),
                        now,
                        now,
                        conversation_id,
                    ),
                )
                mid = int(cursor.lastrowid or 0)
                self._conn.execute(
                    "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id)
                )
                position = int(
                    self._conn.execute(
                        "SELECT position FROM messages WHERE id = ?", (mid,)
                    ).fetchone()[0]
                )
        except sqlite3.IntegrityError as exc:
            if self.get_conversation(conversation_id) is None:
                raise NotFoundError(f"no conversation {conversation_id}") from exc
            raise
        return Message(
            id=mid,
            conversation_id=conversation_id,
            position=position,
            role=role,
            content=content,
            reasoning=reasoning,
            attachments=attachment_list,
            status=status,
            finish_reason=finish_reason,
            model=model,
            usage=dict(usage) if usage is not None else None,
            stats=dict(stats) if stats is not None else None,
            error=dict(error) if error is not None else None,
            tool_calls=tool_call_list,
            created_at=now,
            updated_at=now,
        )

    def get_message(self, message_id: int) -> Message | None:
        row = self._conn.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
        ).fetchone()
        return _message(row) if row is not None else None

    def update_message(
        self,
        message_id: int,
        *,
        content: str | None = None,
        reasoning: str | None = None,
        status: Status | None = None,
        finish_reason: str | None = None,
        usage: Mapping[str, Any] | None = None,
        stats: Mapping[str, Any] | None = None,
        error: Mapping[str, Any] | None = None,
        tool_calls: Iterable[Mapping[str, Any]] | None = None,
    ) -> bool:
        """Rewrite only the given fields (None leaves a field as it is) in one small transaction.

        Returns False if the message no longer exists, e.g. the user deleted the conversation
        while its answer was streaming; the caller can simply stop saving.
        """
        assignments: dict[str, object] = {}
        if content is not None:
            assignments["content"] = content
        if reasoning is not None:
            assignments["reasoning"] = reasoning
        if status is not None:
            _check_status(status)
            assignments["status"] = status
        if finish_reason is not None:
            assignments["finish_reason"] = finish_reason
        if usage is not None:
            assignments["usage"] = _dumps(dict(usage))
        if stats is not None:
            assignments["stats"] = _dumps(dict(stats))
        if error is not None:
            assignments["error"] = _dumps(dict(error))
        if tool_calls is not None:
            assignments["tool_calls"] = _dumps([dict(t) for t in tool_calls])
        if not assignments:
            return self.get_message(message_id) is not None
        return self._update("messages", message_id, assignments, bump="conversation")

    def delete_message(self, message_id: int) -> bool:
        """Delete one message (later ones keep their positions); False if it did not exist."""
        with db.transaction(self._conn):
            cursor = self._conn.execute("DELETE FROM messages WHERE id = ?", (message_id,))
        return cursor.rowcount > 0

    def delete_messages_from(self, conversation_id: int, position: int) -> int:
        """Delete the message at ``position`` and every later one (regenerate, edit-and-resend);
        return how many were deleted. The next ``add_message`` reuses ``position``."""
        with db.transaction(self._conn):
            cursor = self._conn.execute(
                "DELETE FROM messages WHERE conversation_id = ? AND position >= ?",
                (conversation_id, position),
            )
        return cursor.rowcount

    def messages(
        self,
        conversation_id: int,
        *,
        limit: int | None = None,
        before_position: int | None = None,
    ) -> list[Message]:
        """Messages in order. With ``limit``: only the last ``limit`` of them (before
        ``before_position`` if given) — open a conversation with its last page, then page back."""
        sql = f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?"
        args: list[object] = [conversation_id]
        if before_position is not None:
            sql += " AND position < ?"
            args.append(before_position)
        if limit is None:
            rows = self._conn.execute(sql + " ORDER BY position", args).fetchall()
        else:
            # Walk the (conversation_id, position) index backwards from the end: the last page
            # costs the same however long the conversation is.
            args.append(max(limit, 0))
            rows = self._conn.execute(sql + " ORDER BY position DESC LIMIT ?", args).fetchall()
            rows.reverse()
        return [_message(row) for row in rows]

    def message_count(self, conversation_id: int) -> int:
        row = self._conn.execute(
            "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()
        return int(row[0])

    def recover_streaming(self) -> int:
        """Mark messages left ``streaming`` by a previous run (killed mid-answer) as
        ``interrupted``, keeping their partial text; return how many. Call once at start-up,
        before any stream of this run begins."""
        with db.transaction(self._conn):
            cursor = self._conn.execute(
                "UPDATE messages SET status = 'interrupted', updated_at = ? "
                "WHERE status = 'streaming'",
                (self._clock(),),
            )
        return cursor.rowcount

    # --- internals ------------------------------------------------------------------------

    def _update(
        self, table: str, row_id: int, assignments: Mapping[str, object], *, bump: str | None
    ) -> bool:
        # Column names come from the fixed keyword arguments above, never from callers' strings.
        now = self._clock()
        values = list(assignments.values())
        columns = ", ".join(f"{name} = ?" for name in assignments)
        if bump is not None:
            columns += ", updated_at = ?"
            values.append(now)
        with db.transaction(self._conn):
            cursor = self._conn.execute(
                f"UPDATE {table} SET {columns} WHERE id = ?", (*values, row_id)
            )
            if cursor.rowcount and bump == "conversation":
                self._conn.execute(
                    "UPDATE conversations SET updated_at = ? WHERE id = "
                    "(SELECT conversation_id FROM messages WHERE id = ?)",
                    (now, row_id),
                )
        return cursor.rowcount > 0

    def _term_clause(self, term: str) -> tuple[str, list[object]]:
        """SQL matching conversations whose title or some message contains ``term``."""
        title = "c.title LIKE ? ESCAPE '\\'"
        pattern = _like_pattern(term)
        if self._fts and len(term) >= 3:
            # A phrase of the term's trigrams: a substring match, straight from the index.
            return (
                f"({title} OR c.id IN (SELECT m.conversation_id FROM messages AS m WHERE m.id IN "
                f"(SELECT rowid FROM {db.FTS_TABLE} WHERE {db.FTS_TABLE} MATCH ?)))",
                [pattern, _fts_phrase(term)],
            )
        if self._fts:
            match = self._short_term_query(term)
            if match == "":
                return title, [pattern]
            if match is not None:
                return (
                    f"({title} OR c.id IN (SELECT m.conversation_id FROM messages AS m WHERE "
                    f"m.id IN (SELECT rowid FROM {db.FTS_TABLE} WHERE {db.FTS_TABLE} MATCH ?)))",
                    [pattern, match],
                )
        # No usable index: scan. About 10–50 ms per 10,000 average-sized messages.
        return (
            f"({title} OR EXISTS (SELECT 1 FROM messages AS m WHERE m.conversation_id = c.id "
            "AND m.content LIKE ? ESCAPE '\\'))",
            [pattern, pattern],
        )

    def _short_term_query(self, term: str) -> str | None:
        """FTS query for a 1–2 character term (common in Chinese: 模型, 代码), or None to scan.

        Trigram phrases need 3 characters. But a 2-character substring is exactly the first two
        characters of some indexed trigram (every message is padded, so even one at the very end
        is), and the index vocabulary lists its trigrams in order: OR together those that start
        with the term. "" means no message can match.
        """
        if len(term) != 2:
            return None  # a single character begins too many trigrams to be worth it
        prefix = term.lower()  # the trigram tokenizer folds case; this mirrors it for the range
        upper = _successor(prefix)
        if upper is None:
            return None
        rows = self._conn.execute(
            f"SELECT term FROM temp.{db.FTS_VOCAB} WHERE term >= ? AND term < ? LIMIT ?",
            (prefix, upper, _MAX_VOCAB_TERMS + 1),
        ).fetchall()
        if len(rows) > _MAX_VOCAB_TERMS:
            return None
        return " OR ".join(_fts_phrase(str(trigram)) for (trigram,) in rows)


def title_from(text: str) -> str:
    """A conversation title from its first user message: the first non-blank line, whitespace
    collapsed, at most ``TITLE_MAX_CHARS`` characters (ending in … when cut)."""
    for line in text.splitlines():
        line = _WHITESPACE.sub(" ", line).strip()
        if line:
            if len(line) <= TITLE_MAX_CHARS:
                return line
            return line[: TITLE_MAX_CHARS - 1].rstrip() + "…"
    return ""


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown message role {role!r}; expected one of {sorted(ROLES)}")


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown message status {status!r}; expected one of {sorted(STATUSES)}")


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _successor(prefix: str) -> str | None:
    """The smallest string greater than every string starting with ``prefix``."""
    code = ord(prefix[-1]) + 1
    if 0xD800 <= code <= 0xDFFF:  # surrogates cannot be encoded; UTF-8 order jumps over them
        code = 0xE000
    if code > 0x10FFFF:
        return None
    return prefix[:-1] + chr(code)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _dumps_optional(value: Mapping[str, Any] | None) -> str | None:
    return None if value is None else _dumps(dict(value))


def _loads(text: str | None, empty: Any) -> Any:
    # Most rows carry the defaults; skipping the parser for them shows on a 1,000-message open.
    if text is None:
        return None
    if text == "[]":
        return []
    if text == "{}":
        return {}
    return json.loads(text) if text else empty


def _conversation(row: Sequence[Any]) -> Conversation:
    return Conversation(
        id=row[0],
        title=row[1],
        model=row[2],
        system_prompt=row[3],
        params=_loads(row[4], {}),
        created_at=row[5],
        updated_at=row[6],
        message_count=row[7],
    )


def _message(row: Sequence[Any]) -> Message:
    return Message(
        id=row[0],
        conversation_id=row[1],
        position=row[2],
        role=cast(Role, row[3]),
        content=row[4],
        reasoning=row[5],
        attachments=_loads(row[6], []),
        status=cast(Status, row[7]),
        finish_reason=row[8],
        model=row[9],
        usage=_loads(row[10], None),
        stats=_loads(row[11], None),
        error=_loads(row[12], None),
        tool_calls=_loads(row[13], []),
        created_at=row[14],
        updated_at=row[15],
    )
