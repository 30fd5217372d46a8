"""The Microphone panel's transcription history: each recording or imported file, its audio and
its transcript, kept across restarts.

This module owns ``data_dir()/transcripts.sqlite3`` and the audio files under
``data_dir()/recordings/``. An entry holds when, which model, where the audio came from
(``"microphone"`` or ``"file"`` and a name to show), its duration, the audio file (the
recording's WAV; for an import, a copy, so the entry still plays after the original moves), the
timed pieces the model returned (:class:`~sfdesk.core.transcript.TranscriptSegment`, one per
uploaded chunk) and the transcript text, which the user may edit (the pieces stay as they came,
so the original can be restored).

A file of its own, like the Rerank and Embeddings histories, opened the first time the panel is
shown. Unlike :class:`~sfdesk.store.run_history.RunHistory` there is no cap: the entries own
audio files, so they go only when the user deletes them (and deleting removes the files).
Listing reads only the short columns; the pieces are read when an entry is opened.
Thread-safe (one lock around the connection): the panel calls it from worker threads.
"""

from __future__ import annotations

import errno
import json
import logging
import math
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any, Final, Literal

from sfdesk import paths
from sfdesk.core.transcript import TranscriptSegment, to_text

from . import db
from .export import FALLBACK_FILENAME, safe_filename
from .run_history import PREVIEW_CHARS as PREVIEW_CHARS
from .run_history import dumps

log = logging.getLogger(__name__)

FILENAME: Final = "transcripts.sqlite3"
RECORDINGS_DIR: Final = "recordings"
SOURCES: Final = ("microphone", "file")
Source = Literal["microphone", "file"]
#: Bytes of a stored audio file's name taken from the source name (the date comes first).
_NAME_MAX_BYTES: Final = 80

# Short columns first and the long ones last: listing reads the first columns of every row, and
# the text and pieces of an hour's transcript spill into overflow pages it then never visits.
_V1: tuple[str, ...] = (
    """
    CREATE TABLE transcripts (
        id               INTEGER PRIMARY KEY,
        created_at       REAL    NOT NULL,
        updated_at       REAL    NOT NULL,
        model            TEXT    NOT NULL,
        source           TEXT    NOT NULL CHECK (source IN ('microphone', 'file')),
        source_name      TEXT    NOT NULL,
        duration_seconds REAL    NOT NULL,
        audio_file       TEXT,              -- a name under the recordings folder, or NULL
        edited           INTEGER NOT NULL DEFAULT 0,
        preview          TEXT    NOT NULL,  -- the first characters of the text
        text             TEXT    NOT NULL,  -- the transcript as shown (the user may edit it)
        segments         TEXT    NOT NULL   -- JSON: [{"start", "end", "text"}] as transcribed
    )
    """,
    "CREATE INDEX transcripts_by_time ON transcripts (created_at DESC, id DESC)",
)
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)

_SUMMARY_COLUMNS: Final = (
    "id, created_at, updated_at, model, source, source_name, duration_seconds, audio_file, "
    "edited, preview"
)


@dataclass(frozen=True, slots=True)
class TranscriptSummary:
    """One history entry as the list shows it."""

    id: int
    created_at: float  # Unix seconds
    updated_at: float
    model: str
    source: Source
    source_name: str
    duration_seconds: float
    audio_path: Path | None  # None when the entry has no audio (or it was not kept)
    edited: bool
    preview: str  # the first PREVIEW_CHARS characters of the text


@dataclass(frozen=True, slots=True)
class TranscriptEntry:
    """One history entry with its transcript."""

    id: int
    created_at: float
    updated_at: float
    model: str
    source: Source
    source_name: str
    duration_seconds: float
    audio_path: Path | None
    edited: bool
    text: str
    segments: tuple[TranscriptSegment, ...]

    @property
    def original_text(self) -> str:
        """The transcript as the model gave it, before any edit."""
        return to_text(self.segments)


class TranscriptStore(db.LockedStore):
    """The transcription history, newest first."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        recordings_dir: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path if path is not None else paths.data_dir() / FILENAME
        self.recordings_dir = (
            recordings_dir if recordings_dir is not None else paths.data_dir() / RECORDINGS_DIR
        )
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = db.connect(
            self.path,
            migrations=_MIGRATIONS,
            what="the transcription history",
            check_same_thread=False,
        )

    # --- writing ----------------------------------------------------------------------------

    def add(
        self,
        *,
        model: str,
        source: Source,
        source_name: str,
        duration_seconds: float,
        segments: Sequence[TranscriptSegment] = (),
        text: str | None = None,
        audio: bytes | Path | None = None,
        audio_suffix: str | None = None,
        move_audio: bool = False,
    ) -> TranscriptEntry:
        """Record a transcription as the newest entry.

        ``audio`` is the recording's file content (a WAV unless ``audio_suffix`` says otherwise)
        or a path to a file, which is copied (or moved, with ``move_audio``: the recorder's
        temporary file) under :attr:`recordings_dir` with a name made of the date and
        ``source_name``. ``text`` defaults to the pieces' text, one per line.

        ValueError for an unknown source or a time that is negative or not finite.
        """
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        pieces = tuple(segments)
        for piece in pieces:
            _check_segment(piece)
        if not math.isfinite(duration_seconds) or duration_seconds < 0:
            raise ValueError(f"duration_seconds is {duration_seconds}")
        text = to_text(pieces) if text is None else text
        now = self._clock()
        stored = (
            None
            if audio is None
            else self._store_audio(audio, source_name, audio_suffix, now, move=move_audio)
        )
        values: dict[str, object] = {
            "created_at": now,
            "updated_at": now,
            "model": model,
            "source": source,
            "source_name": source_name,
            "duration_seconds": float(duration_seconds),
            "audio_file": None if stored is None else stored.name,
            "edited": 0,
            "preview": _preview(text),
            "text": text,
            "segments": dumps([_segment_json(piece) for piece in pieces]),
        }
        columns = ", ".join(values)
        placeholders = ", ".join("?" * len(values))
        try:
            with self._lock, db.transaction(self._conn):
                cursor = self._conn.execute(
                    f"INSERT INTO transcripts ({columns}) VALUES ({placeholders})",
                    tuple(values.values()),
                )
        except BaseException:
            # The row is the only thing that refers to a copy: without it the copy is litter. A
            # moved recording is the only one left, so it stays (and is named in the log).
            if stored is not None:
                if move_audio:
                    log.warning("the recording %s is kept but not in the history", stored)
                else:
                    stored.unlink(missing_ok=True)
            raise
        return TranscriptEntry(
            id=int(cursor.lastrowid or 0),
            created_at=now,
            updated_at=now,
            model=model,
            source=source,
            source_name=source_name,
            duration_seconds=float(duration_seconds),
            audio_path=stored,
            edited=False,
            text=text,
            segments=pieces,
        )

    def update_text(self, entry_id: int, text: str) -> bool:
        """Replace an entry's transcript with the user's edit; False if there is no such entry."""
        with self._lock, db.transaction(self._conn):
            changed = self._conn.execute(
                "UPDATE transcripts SET text = ?, preview = ?, edited = 1, updated_at = ? "
                "WHERE id = ?",
                (text, _preview(text), self._clock(), entry_id),
            ).rowcount
        return changed > 0

    def update_segments(
        self,
        entry_id: int,
        segments: Sequence[TranscriptSegment],
        *,
        duration_seconds: float | None = None,
    ) -> bool:
        """Replace an entry's pieces (a chunk transcribed again, or late); its text follows
        unless the user has edited it. False if there is no such entry."""
        pieces = tuple(segments)
        for piece in pieces:
            _check_segment(piece)
        if duration_seconds is not None and (
            not math.isfinite(duration_seconds) or duration_seconds < 0
        ):
            raise ValueError(f"duration_seconds is {duration_seconds}")
        text = to_text(pieces)
        with self._lock, db.transaction(self._conn):
            changed = self._conn.execute(
                "UPDATE transcripts SET segments = ?, updated_at = ?, "
                "duration_seconds = coalesce(?, duration_seconds), "
                "text = CASE WHEN edited THEN text ELSE ? END, "
                "preview = CASE WHEN edited THEN preview ELSE ? END "
                "WHERE id = ?",
                (
                    dumps([_segment_json(piece) for piece in pieces]),
                    self._clock(),
                    duration_seconds,
                    text,
                    _preview(text),
                    entry_id,
                ),
            ).rowcount
        return changed > 0

    def delete(self, entry_ids: Iterable[int]) -> int:
        """Delete these entries and their audio files (unknown ids are ignored); return how many
        entries were deleted."""
        ids = list(dict.fromkeys(entry_ids))
        deleted = 0
        files: list[str] = []
        with self._lock, db.transaction(self._conn):
            # Chunked under SQLite's oldest bound-parameter limit (999).
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                files.extend(
                    str(row[0])
                    for row in self._conn.execute(
                        f"SELECT audio_file FROM transcripts WHERE id IN ({marks}) "
                        "AND audio_file IS NOT NULL",
                        chunk,
                    )
                )
                deleted += self._conn.execute(
                    f"DELETE FROM transcripts WHERE id IN ({marks})", chunk
                ).rowcount
        # After the commit: a failed delete must not leave rows pointing at removed files.
        for name in files:
            self._remove_audio(name)
        return deleted

    # --- reading ----------------------------------------------------------------------------

    def entries(self, limit: int | None = None) -> list[TranscriptSummary]:
        """The entries, newest first (at most ``limit`` of them), without their transcripts."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM transcripts "
                "ORDER BY created_at DESC, id DESC LIMIT ?",
                (-1 if limit is None else max(limit, 0),),
            ).fetchall()
        return [self._summary(row) for row in rows]

    def get(self, entry_id: int) -> TranscriptEntry | None:
        """The entry with its transcript and pieces, or None if it is not in the history."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_SUMMARY_COLUMNS}, text, segments FROM transcripts WHERE id = ?",
                (entry_id,),
            ).fetchone()
        if row is None:
            return None
        summary = self._summary(row)
        return TranscriptEntry(
            id=summary.id,
            created_at=summary.created_at,
            updated_at=summary.updated_at,
            model=summary.model,
            source=summary.source,
            source_name=summary.source_name,
            duration_seconds=summary.duration_seconds,
            audio_path=summary.audio_path,
            edited=summary.edited,
            text=str(row[10]),
            segments=tuple(_segment_from(item) for item in _json_list(row[11])),
        )

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM transcripts").fetchone()[0])

    # --- audio files ------------------------------------------------------------------------

    def _store_audio(
        self,
        audio: bytes | Path,
        source_name: str,
        suffix: str | None,
        now: float,
        *,
        move: bool,
    ) -> Path:
        if suffix is None:
            suffix = audio.suffix if isinstance(audio, Path) and audio.suffix else ".wav"
        suffix = _clean_suffix(suffix)
        stem = f"{datetime.fromtimestamp(now):%Y%m%d-%H%M%S}-{_name_part(source_name)}"
        self.recordings_dir.mkdir(parents=True, exist_ok=True)
        target = self._reserve(stem, suffix)
        try:
            if isinstance(audio, Path):
                if move:
                    _move(audio, target)
                else:
                    shutil.copyfile(audio, target)
            else:
                target.write_bytes(audio)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target

    def _reserve(self, stem: str, suffix: str) -> Path:
        """Create an empty file with a free name (``stem``, then ``stem-2``, …) and return it;
        creating it exclusively is what makes two writers at the same second not collide."""
        for number in range(1, 10_000):
            name = f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}"
            candidate = self.recordings_dir / name
            try:
                with open(candidate, "xb"):
                    pass
            except FileExistsError:
                continue
            return candidate
        raise FileExistsError(f"no free file name for {stem}{suffix} in {self.recordings_dir}")

    def _remove_audio(self, name: str) -> None:
        # The name comes from our own column, but never follow one out of the folder.
        path = self.recordings_dir / Path(name).name
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not delete the recording %s: %s", path, exc)

    def _summary(self, row: Sequence[Any]) -> TranscriptSummary:
        source = str(row[4])
        audio_file = row[7]
        return TranscriptSummary(
            id=int(row[0]),
            created_at=float(row[1]),
            updated_at=float(row[2]),
            model=str(row[3]),
            source="file" if source == "file" else "microphone",
            source_name=str(row[5]),
            duration_seconds=float(row[6]),
            audio_path=None if audio_file is None else self.recordings_dir / str(audio_file),
            edited=bool(row[8]),
            preview=str(row[9]),
        )


def _move(source: Path, target: Path) -> None:
    """Move ``source`` over the reserved ``target``: a rename on one file system (atomic, and
    instant for an hour's WAV), a copy then delete across file systems."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copyfile(source, target)
        source.unlink()


def _check_segment(piece: TranscriptSegment) -> None:
    for value in (piece.start, piece.end):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"a transcript piece has the time {value}")


def _segment_json(piece: TranscriptSegment) -> dict[str, Any]:
    return {"start": piece.start, "end": piece.end, "text": piece.text}


def _segment_from(item: object) -> TranscriptSegment:
    if not isinstance(item, Mapping):
        return TranscriptSegment(0.0, 0.0, "")
    return TranscriptSegment(
        start=_float(item.get("start")),
        end=_float(item.get("end")),
        text=str(item.get("text") or ""),
    )


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _json_list(value: object) -> list[object]:
    try:
        loaded = json.loads(str(value))
    except ValueError:
        return []
    return loaded if isinstance(loaded, list) else []


def _name_part(source_name: str) -> str:
    """The source name as part of a file name (its own extension dropped), or "recording"."""
    name = PurePath(source_name.replace("\\", "/")).stem or source_name
    cleaned = safe_filename(name, max_bytes=_NAME_MAX_BYTES)
    return "recording" if cleaned == FALLBACK_FILENAME and name != cleaned else cleaned


def _preview(text: str) -> str:
    return " ".join(text.split())[:PREVIEW_CHARS]


def _clean_suffix(suffix: str) -> str:
    """``.wav``-style: one dot, then letters and digits only (lower case), or ``.bin``."""
    cleaned = "".join(ch for ch in suffix.lower() if ch.isascii() and ch.isalnum())[:10]
    return f".{cleaned}" if cleaned else ".bin"
