"""Saved prompt presets with versions, for the Compare workbench and the Chat panel.

This module owns ``data_dir()/presets.sqlite3``. A preset is a unique name (trimmed,
case-sensitive) and its versions, numbered 1, 2, … in the order they were saved; a version holds
the system prompt, the user prompt (either may contain ``{{variables}}``), the request parameters
(a JSON object: temperature, max_tokens, thinking, …) and a note. Versions are never edited:
saving adds one, unless nothing changed since the latest, so a history never fills with copies.
:func:`diff` shows what changed between two versions.

A file of its own, like the panels' run histories, opened with ``db.connect`` (WAL, busy
timeout, forward-only migrations). Thread-safe (one lock around the connection): the UI may call
it from worker threads.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sfdesk import paths

from . import db
from .run_history import dumps

__all__ = ["DIFF_SECTIONS", "FILENAME", "PresetStore", "PresetSummary", "PresetVersion", "diff"]

FILENAME: Final = "presets.sqlite3"
#: The titles of the three parts of a version in :func:`diff`, in order.
DIFF_SECTIONS: Final = ("system prompt", "user prompt", "parameters")

# Short columns first, the prompts last: listing presets never reads a version, and reading the
# latest version's number and time stays out of the long texts' overflow pages.
_V1: tuple[str, ...] = (
    """
    CREATE TABLE presets (
        id         INTEGER PRIMARY KEY,
        name       TEXT    NOT NULL UNIQUE,  -- BINARY collation: case-sensitive
        created_at REAL    NOT NULL,
        updated_at REAL    NOT NULL           -- when the latest version was saved
    )
    """,
    "CREATE INDEX presets_by_update ON presets (updated_at DESC, id DESC)",
    """
    CREATE TABLE preset_versions (
        preset_id     INTEGER NOT NULL REFERENCES presets (id) ON DELETE CASCADE,
        number        INTEGER NOT NULL,
        created_at    REAL    NOT NULL,
        note          TEXT    NOT NULL DEFAULT '',
        params        TEXT    NOT NULL DEFAULT '{}',  -- JSON object
        system_prompt TEXT    NOT NULL DEFAULT '',
        user_prompt   TEXT    NOT NULL DEFAULT '',
        PRIMARY KEY (preset_id, number)
    )
    """,
)
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)

_VERSION_COLUMNS: Final = (
    "p.name, v.number, v.created_at, v.note, v.params, v.system_prompt, v.user_prompt"
)
_HUNK_RE: Final = re.compile(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


@dataclass(frozen=True, slots=True)
class PresetVersion:
    """One saved version of a preset."""

    name: str  # the preset's name when this was read
    number: int  # 1, 2, … in the order saved
    system_prompt: str
    user_prompt: str
    params: dict[str, Any]
    note: str
    created_at: float  # Unix seconds


@dataclass(frozen=True, slots=True)
class PresetSummary:
    """A preset as the list shows it."""

    name: str
    latest_version: int
    version_count: int
    updated_at: float  # when the latest version was saved


class PresetStore(db.LockedStore):
    """The saved presets, most recently updated first."""

    def __init__(self, path: Path | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path if path is not None else paths.data_dir() / FILENAME
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = db.connect(
            self.path, migrations=_MIGRATIONS, what="the prompt presets", check_same_thread=False
        )

    # --- writing ----------------------------------------------------------------------------

    def save(
        self,
        name: str,
        *,
        system_prompt: str,
        user_prompt: str,
        params: Mapping[str, Any],
        note: str = "",
    ) -> PresetVersion:
        """Save a new version of ``name`` (creating the preset), numbered after the latest.

        If the prompts and parameters are those of the latest version, nothing is saved and the
        latest is returned as it is (its note too). ValueError for an empty name or parameters
        JSON cannot hold (NaN, infinity); TypeError for values that are not JSON at all.
        """
        name = _name(name)
        stored_params = dumps(dict(params))
        with self._lock, db.transaction(self._conn):
            row = self._conn.execute("SELECT id FROM presets WHERE name = ?", (name,)).fetchone()
            if row is not None:
                preset_id = int(row[0])
                latest = self._version_row(preset_id, None)
                if latest is not None and _same(latest, system_prompt, user_prompt, stored_params):
                    return _version(latest)
            now = self._clock()
            if row is None:
                preset_id = int(
                    self._conn.execute(
                        "INSERT INTO presets (name, created_at, updated_at) VALUES (?, ?, ?)",
                        (name, now, now),
                    ).lastrowid
                    or 0
                )
            else:
                self._conn.execute(
                    "UPDATE presets SET updated_at = ? WHERE id = ?", (now, preset_id)
                )
            number = int(
                self._conn.execute(
                    "SELECT coalesce(max(number), 0) + 1 FROM preset_versions WHERE preset_id = ?",
                    (preset_id,),
                ).fetchone()[0]
            )
            self._conn.execute(
                "INSERT INTO preset_versions (preset_id, number, created_at, note, params, "
                "system_prompt, user_prompt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (preset_id, number, now, note, stored_params, system_prompt, user_prompt),
            )
        return PresetVersion(
            name=name,
            number=number,
            system_prompt=system_prompt,
            user_prompt=user_prompt,
            params=json.loads(stored_params),
            note=note,
            created_at=now,
        )

    def rename(self, old: str, new: str) -> bool:
        """Give the preset ``old`` the name ``new`` (its versions follow); False if there is no
        preset ``old``. ValueError if ``new`` is empty or another preset has it."""
        old, new = old.strip(), _name(new)
        with self._lock, db.transaction(self._conn):
            if old != new:
                taken = self._conn.execute("SELECT 1 FROM presets WHERE name = ?", (new,))
                if taken.fetchone() is not None:
                    raise ValueError(f"a preset named {new!r} already exists")
            changed = self._conn.execute(
                "UPDATE presets SET name = ? WHERE name = ?", (new, old)
            ).rowcount
        return changed > 0

    def delete(self, name: str) -> bool:
        """Delete a preset and all its versions; False if there is no such preset."""
        with self._lock, db.transaction(self._conn):
            deleted = self._conn.execute(
                "DELETE FROM presets WHERE name = ?", (name.strip(),)
            ).rowcount
        return deleted > 0

    # --- reading ----------------------------------------------------------------------------

    def presets(self) -> list[PresetSummary]:
        """Every preset, the most recently updated first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT p.name, max(v.number), count(v.number), p.updated_at "
                "FROM presets AS p LEFT JOIN preset_versions AS v ON v.preset_id = p.id "
                "GROUP BY p.id ORDER BY p.updated_at DESC, p.id DESC"
            ).fetchall()
        return [
            PresetSummary(
                name=str(name),
                latest_version=int(latest or 0),
                version_count=int(count),
                updated_at=float(updated_at),
            )
            for name, latest, count, updated_at in rows
        ]

    def versions(self, name: str) -> list[PresetVersion]:
        """The versions of ``name``, oldest first (empty if there is no such preset)."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_VERSION_COLUMNS} FROM preset_versions AS v "
                "JOIN presets AS p ON p.id = v.preset_id WHERE p.name = ? ORDER BY v.number",
                (name.strip(),),
            ).fetchall()
        return [_version(row) for row in rows]

    def get(self, name: str, number: int | None = None) -> PresetVersion | None:
        """Version ``number`` of ``name`` (None: the latest), or None if there is none."""
        with self._lock:
            row = self._conn.execute(
                "SELECT id FROM presets WHERE name = ?", (name.strip(),)
            ).fetchone()
            found = None if row is None else self._version_row(int(row[0]), number)
        return None if found is None else _version(found)

    @staticmethod
    def diff(
        older: PresetVersion,
        newer: PresetVersion,
        *,
        sections: Sequence[str] = DIFF_SECTIONS,
        context: int = 3,
    ) -> str:
        """:func:`diff`, reachable from the store the UI holds."""
        # In a method body "diff" is the module's function: class attributes are not in scope.
        return diff(older, newer, sections=sections, context=context)

    def _version_row(self, preset_id: int, number: int | None) -> Sequence[Any] | None:
        """One version's row (``_VERSION_COLUMNS``); the caller holds the lock."""
        which = "ORDER BY v.number DESC LIMIT 1" if number is None else "AND v.number = ?"
        row: Sequence[Any] | None = self._conn.execute(
            f"SELECT {_VERSION_COLUMNS} FROM preset_versions AS v "
            f"JOIN presets AS p ON p.id = v.preset_id WHERE v.preset_id = ? {which}",
            (preset_id,) if number is None else (preset_id, number),
        ).fetchone()
        return row


def diff(
    older: PresetVersion,
    newer: PresetVersion,
    *,
    sections: Sequence[str] = DIFF_SECTIONS,
    context: int = 3,
) -> str:
    """What changed from ``older`` to ``newer``, as a unified diff; ``""`` if nothing did.

    Each version is shown as three text blocks headed by ``sections`` (translated titles may be
    passed): the system prompt, the user prompt and the parameters as pretty JSON with sorted
    keys (so a reordered dict is no change). The file headers are ``--- name vN`` and
    ``+++ name vM``; each hunk header ends with the title of the block it starts in, as git
    names the function a hunk is in, because a hunk of a long prompt says nothing by itself.
    The note is not compared.
    """
    if len(sections) != len(DIFF_SECTIONS):
        raise ValueError(f"{len(DIFF_SECTIONS)} section titles are needed")
    old_lines, old_starts = _blocks(older, sections)
    new_lines, _ = _blocks(newer, sections)
    if old_lines == new_lines:
        return ""
    out: list[str] = []
    header = -1  # index in out of the current hunk's header, until it is named
    old_line = 0  # the next line of the old text the hunk reaches
    for line in difflib.unified_diff(
        old_lines,
        new_lines,
        fromfile=f"{older.name} v{older.number}",
        tofile=f"{newer.name} v{newer.number}",
        n=context,
        lineterm="",
    ):
        match = _HUNK_RE.fullmatch(line) if line.startswith("@@") else None
        if match is not None:
            header = len(out)
            # A range of length 0 gives the line *before* it (0 before the first line).
            old_line = int(match.group(1)) + (1 if match.group(2) == "0" else 0)
        elif header >= 0 and line[:1] in ("-", "+"):
            # Named after the block of the first changed line, not of the context above it.
            block = bisect.bisect_right(old_starts, max(old_line, 1)) - 1
            out[header] += f" {sections[max(block, 0)]}"
            header = -1
        elif header >= 0:
            old_line += 1
        out.append(line)
    return "\n".join(out) + "\n"


def _blocks(version: PresetVersion, sections: Sequence[str]) -> tuple[list[str], list[int]]:
    """A version as lines, and the 1-based line where each block starts."""
    bodies = (
        version.system_prompt,
        version.user_prompt,
        json.dumps(version.params, ensure_ascii=False, indent=2, sort_keys=True),
    )
    lines: list[str] = []
    starts: list[int] = []
    for title, body in zip(sections, bodies, strict=True):
        if lines:
            lines.append("")
        starts.append(len(lines) + 1)
        lines.append(f"[{title}]")
        lines.extend(body.splitlines())
    return lines, starts


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValueError("a preset needs a name")
    return name


def _same(row: Sequence[Any], system_prompt: str, user_prompt: str, params: str) -> bool:
    """Whether a stored version (a ``_VERSION_COLUMNS`` row) holds these prompts and params."""
    _, _, _, _, stored_params, stored_system, stored_user = row
    return (
        stored_system == system_prompt
        and stored_user == user_prompt
        # Compared as values with sorted keys: the same parameters in another order are the same.
        and _canonical(json.loads(stored_params)) == _canonical(json.loads(params))
    )


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _version(row: Sequence[Any]) -> PresetVersion:
    name, number, created_at, note, params, system_prompt, user_prompt = row
    return PresetVersion(
        name=str(name),
        number=int(number),
        system_prompt=str(system_prompt),
        user_prompt=str(user_prompt),
        params=json.loads(params),
        note=str(note),
        created_at=float(created_at),
    )
