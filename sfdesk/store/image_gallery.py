"""The Images panel's gallery: every generated image, kept as a PNG file and a row, across restarts.

This module owns the gallery folder, ``data_dir()/gallery`` unless told otherwise::

    gallery/
      gallery.sqlite3            one row per image: when, model, prompt, seed, size, the request
      images/YYYY-MM/<id>-<slug>.png   the image, carrying its request in PNG text chunks
      thumbs/<id>-<size>.png     scaled copies for the gallery grid (disposable, rebuilt on demand)

Every image is stored as PNG whatever the API returned (PNG, JPEG or WebP), re-saved by
:func:`sfdesk.core.png_metadata.with_parameters` so that the file alone says how it was made,
even copied out of the gallery. The file is written atomically before its row is committed, and
removed again if the commit fails: a row never points at a half-written file, and a failed write
leaves nothing behind.

A generation whose download failed (the signed URLs expire after an hour, and may already be
dead) is kept as a ``download_failed`` entry with its parameters, URLs and error, so the user can
retry the download (:meth:`ImageGallery.attach`) or at least re-run the request.

The record kept with an image is the request body, which never contains the API key.

A file of its own, like the run histories: the conversations database's schema belongs to the
Chat store, and this one is opened when the Images panel is first shown. Pillow (and
``png_metadata``, which needs it) is imported only inside the functions that decode or encode an
image, because the UI imports this module on its start-up path.

Thread-safe: one connection, every call under one lock; the panel calls it from worker threads.
Decoding and encoding images happens outside the lock, so a slow PNG encode never blocks a
listing.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import secrets
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Final

from sfdesk import paths

from . import db
from .run_history import dumps

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

GALLERY_DIRNAME: Final = "gallery"
DB_FILENAME: Final = "gallery.sqlite3"
IMAGES_DIRNAME: Final = "images"
THUMBS_DIRNAME: Final = "thumbs"
KINDS: Final = ("image", "grid")
STATUS_SAVED: Final = "saved"
STATUS_DOWNLOAD_FAILED: Final = "download_failed"
#: Longest prompt slug in a file name: enough to recognise the image in a file manager.
SLUG_MAX_CHARS: Final = 40
DEFAULT_THUMBNAIL_SIZE: Final = 256

# SQLite's integer range; a seed outside it (the API caps seeds at 9,999,999,999) is kept only in
# the record, not in the seed column.
_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
# Modes Pillow can write as PNG; anything else (CMYK JPEGs, …) is converted first.
_PNG_MODES: Final = frozenset({"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"})
# What Pillow raises for bytes it cannot decode (UnidentifiedImageError is an OSError; some
# plugins raise ValueError, EOFError or SyntaxError on truncated data).
_DECODE_ERRORS: Final = (OSError, ValueError, EOFError, SyntaxError)
# Registered on the connection: SQLite's own LIKE and lower() fold ASCII only, and prompts are
# often "Café" or full-width Latin as well as Chinese.
_FOLD_FUNCTION: Final = "sfdesk_casefold"

# Short columns first and the long JSON last: listing reads the first columns of every row, and a
# record with a reference image (``image`` is a data URL for image-to-image) spills into overflow
# pages that filtering never visits. AUTOINCREMENT so that an id is never reused: file and
# thumbnail names are keyed by id, and a file left behind by a failed delete must never be taken
# for a later image's.
_V1: tuple[str, ...] = (
    """
    CREATE TABLE images (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at      REAL    NOT NULL,
        kind            TEXT    NOT NULL,              -- "image" or "grid"
        status          TEXT    NOT NULL,              -- "saved" or "download_failed"
        model           TEXT    NOT NULL,
        seed            INTEGER,
        width           INTEGER NOT NULL DEFAULT 0,    -- 0 while not downloaded
        height          INTEGER NOT NULL DEFAULT 0,
        path            TEXT,                          -- under the gallery root, '/'-separated
        trace_id        TEXT,
        prompt          TEXT    NOT NULL,
        negative_prompt TEXT    NOT NULL DEFAULT '',
        urls            TEXT    NOT NULL DEFAULT '[]', -- JSON: signed URLs of a failed download
        error           TEXT,                          -- JSON: why the download failed
        params          TEXT    NOT NULL               -- JSON: the whole request record
    )
    """,
    "CREATE INDEX images_by_time ON images (created_at DESC, id DESC)",
    # The model filter and the model list (DISTINCT) read this instead of every row.
    "CREATE INDEX images_by_model ON images (model)",
)
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)

_COLUMNS: Final = (
    "id, created_at, kind, status, model, seed, width, height, path, trace_id, "
    "prompt, negative_prompt, urls, error, params"
)


class GalleryError(ValueError):
    """What the gallery refuses: bytes that are not an image, or a record it cannot keep."""


@dataclass(frozen=True, slots=True)
class GalleryEntry:
    """One image of the gallery (or one generation whose download failed)."""

    id: int
    created_at: float  # Unix seconds
    kind: str  # "image" or "grid" (a composed comparison grid)
    status: str  # "saved" or "download_failed"
    model: str
    prompt: str
    negative_prompt: str
    seed: int | None
    width: int  # 0 when not downloaded
    height: int
    #: The whole request record as it was given (after a JSON round trip).
    params: dict[str, Any] = field(hash=False)
    #: Absolute path of the PNG; None when not downloaded.
    path: Path | None
    #: The signed URLs, kept only for ``download_failed`` entries (they expire after an hour).
    urls: tuple[str, ...]
    #: What failed, for ``download_failed`` entries (``reason``, ``status``, ``message``, …).
    error: dict[str, Any] | None = field(hash=False)
    trace_id: str | None

    @property
    def saved(self) -> bool:
        return self.status == STATUS_SAVED and self.path is not None


@dataclass(frozen=True, slots=True)
class _Fields:
    """The columns taken from a record, checked, plus the record as JSON."""

    model: str
    prompt: str
    negative_prompt: str
    seed: int | None
    params_json: str


class ImageGallery(db.LockedStore):
    """The gallery's rows and files. Thread-safe; close it (or use ``with``) when done."""

    def __init__(self, root: Path | None = None, *, clock: Callable[[], float] = time.time) -> None:
        # Absolute, so a later chdir cannot move where entries' paths point.
        self.root = (root if root is not None else paths.data_dir() / GALLERY_DIRNAME).absolute()
        self.db_path = self.root / DB_FILENAME
        self.images_dir = self.root / IMAGES_DIRNAME
        self.thumbs_dir = self.root / THUMBS_DIRNAME
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = db.connect(
            self.db_path, migrations=_MIGRATIONS, what="the image gallery", check_same_thread=False
        )
        self._conn.create_function(_FOLD_FUNCTION, 1, _casefold, deterministic=True)

    # --- writing ----------------------------------------------------------------------------

    def add(
        self,
        png: bytes,
        *,
        record: Mapping[str, Any],
        kind: str = "image",
        trace_id: str | None = None,
    ) -> GalleryEntry:
        """Keep a generated image (PNG, JPEG or WebP bytes) made by the request ``record``.

        ``record`` needs ``model`` and ``prompt``; the file is a PNG carrying it. GalleryError
        (nothing is kept) when the bytes are not an image or the record is not JSON.
        """
        _check_kind(kind)
        fields = _fields(record)
        data, width, height = _encode(png, record)
        written: Path | None = None
        with self._lock:
            now = self._clock()
            try:
                with db.transaction(self._conn):
                    entry_id = _lastrowid(
                        self._conn.execute(
                            "INSERT INTO images (created_at, kind, status, model, seed, width, "
                            "height, trace_id, prompt, negative_prompt, params) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (
                                now,
                                kind,
                                STATUS_SAVED,
                                fields.model,
                                fields.seed,
                                width,
                                height,
                                trace_id,
                                fields.prompt,
                                fields.negative_prompt,
                                fields.params_json,
                            ),
                        )
                    )
                    # The name needs the id, so the row goes first; it becomes visible only with
                    # the commit, after the file is complete.
                    relative = _relative_path(entry_id, now, fields.prompt)
                    written = self.root / relative
                    _write_atomically(written, data, durable=True)
                    self._conn.execute(
                        "UPDATE images SET path = ? WHERE id = ?", (relative, entry_id)
                    )
            except BaseException:
                if written is not None:
                    _unlink_quietly(written)
                raise
        return GalleryEntry(
            id=entry_id,
            created_at=now,
            kind=kind,
            status=STATUS_SAVED,
            model=fields.model,
            prompt=fields.prompt,
            negative_prompt=fields.negative_prompt,
            seed=fields.seed,
            width=width,
            height=height,
            params=_json_object(fields.params_json) or {},
            path=written,
            urls=(),
            error=None,
            trace_id=trace_id,
        )

    def add_failed(
        self,
        *,
        record: Mapping[str, Any],
        urls: Sequence[str],
        error: Mapping[str, Any] | None,
        kind: str = "image",
        trace_id: str | None = None,
    ) -> GalleryEntry:
        """Keep a generation whose download failed: its parameters, URLs and error, no file."""
        _check_kind(kind)
        fields = _fields(record)
        # A lone string is a Sequence[str] too; kept whole, not as its characters.
        url_list = [urls] if isinstance(urls, str) else [str(url) for url in urls]
        try:
            error_json = None if error is None else dumps(dict(error))
        except (TypeError, ValueError) as exc:
            raise GalleryError(f"the error is not JSON: {exc}") from exc
        with self._lock:
            now = self._clock()
            with db.transaction(self._conn):
                entry_id = _lastrowid(
                    self._conn.execute(
                        "INSERT INTO images (created_at, kind, status, model, seed, trace_id, "
                        "prompt, negative_prompt, urls, error, params) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            now,
                            kind,
                            STATUS_DOWNLOAD_FAILED,
                            fields.model,
                            fields.seed,
                            trace_id,
                            fields.prompt,
                            fields.negative_prompt,
                            dumps(url_list),
                            error_json,
                            fields.params_json,
                        ),
                    )
                )
        return GalleryEntry(
            id=entry_id,
            created_at=now,
            kind=kind,
            status=STATUS_DOWNLOAD_FAILED,
            model=fields.model,
            prompt=fields.prompt,
            negative_prompt=fields.negative_prompt,
            seed=fields.seed,
            width=0,
            height=0,
            params=_json_object(fields.params_json) or {},
            path=None,
            urls=tuple(url_list),
            error=None if error_json is None else _json_object(error_json),
            trace_id=trace_id,
        )

    def attach(self, entry_id: int, png: bytes) -> GalleryEntry:
        """Give an entry its image (a retried download succeeded): the same id, now ``saved``.

        The file carries the entry's stored record. KeyError for an unknown id; GalleryError
        (the entry is left as it was) when the bytes are not an image. Attaching to an entry
        that already has an image replaces it.
        """
        before = self.get(entry_id)
        if before is None:
            raise KeyError(entry_id)
        # Encoded outside the lock; the record of an entry never changes, so it cannot go stale.
        data, width, height = _encode(png, before.params)
        written: Path | None = None
        with self._lock:
            row = self._conn.execute(
                "SELECT created_at, prompt, path FROM images WHERE id = ?", (entry_id,)
            ).fetchone()
            if row is None:  # deleted while we were encoding
                raise KeyError(entry_id)
            old = self._stored_path(row[2])
            relative = _relative_path(entry_id, float(row[0]), str(row[1]))
            target = self.root / relative
            try:
                with db.transaction(self._conn):
                    written = target
                    _write_atomically(target, data, durable=True)
                    self._conn.execute(
                        "UPDATE images SET status = ?, path = ?, width = ?, height = ?, "
                        "urls = '[]', error = NULL WHERE id = ?",
                        (STATUS_SAVED, relative, width, height, entry_id),
                    )
            except BaseException:
                # A file the row still points to stays: the row remains consistent with it.
                if written is not None and written != old:
                    _unlink_quietly(written)
                raise
            if old is not None and old != target:
                _unlink_quietly(old)
            self._remove_thumbnails(entry_id)
        after = self.get(entry_id)
        if after is None:  # deleted between the commit and this read
            raise KeyError(entry_id)
        return after

    def delete(self, entry_ids: Iterable[int]) -> int:
        """Delete these entries, their files and thumbnails; return how many rows were deleted.

        Unknown ids are ignored, and so is a file that is already gone.
        """
        ids = list(dict.fromkeys(int(entry_id) for entry_id in entry_ids))
        if not ids:
            return 0
        files: list[Path] = []
        deleted: list[int] = []
        with self._lock:
            with db.transaction(self._conn):
                # Chunked under SQLite's oldest bound-parameter limit (999).
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    marks = ", ".join("?" * len(chunk))
                    rows = self._conn.execute(
                        f"SELECT id, path FROM images WHERE id IN ({marks})", chunk
                    ).fetchall()
                    self._conn.execute(f"DELETE FROM images WHERE id IN ({marks})", chunk)
                    deleted.extend(int(row[0]) for row in rows)
                    files.extend(p for row in rows if (p := self._stored_path(row[1])) is not None)
            # Only once the rows are gone for good: a rolled-back delete must keep its files.
            for path in files:
                _unlink_quietly(path)
                with contextlib.suppress(OSError):
                    path.parent.rmdir()  # the month's folder, once it is empty
            for entry_id in deleted:
                self._remove_thumbnails(entry_id)
        return len(deleted)

    # --- reading ----------------------------------------------------------------------------

    def get(self, entry_id: int) -> GalleryEntry | None:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {_COLUMNS} FROM images WHERE id = ?", (entry_id,)
            ).fetchone()
        return None if row is None else self._entry(row)

    def entries(
        self,
        *,
        text: str | None = None,
        model: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[GalleryEntry]:
        """Entries newest first, optionally only those whose prompt or negative prompt contains
        ``text`` (any case) and only those of ``model`` (exactly); a page of them with ``limit``
        and ``offset``."""
        where, values = _where(text, model)
        sql = (
            f"SELECT {_COLUMNS} FROM images{where} "
            "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        )
        page = (-1 if limit is None else max(limit, 0), max(offset, 0))
        with self._lock:
            rows = self._conn.execute(sql, (*values, *page)).fetchall()
        return [self._entry(row) for row in rows]

    def count(self, *, text: str | None = None, model: str | None = None) -> int:
        where, values = _where(text, model)
        with self._lock:
            row = self._conn.execute(f"SELECT count(*) FROM images{where}", values).fetchone()
        return int(row[0])

    def models(self) -> list[str]:
        """Every model that has an entry, sorted."""
        with self._lock:
            rows = self._conn.execute("SELECT DISTINCT model FROM images ORDER BY model").fetchall()
        return [str(row[0]) for row in rows]

    def thumbnail(self, entry_id: int, size: int = DEFAULT_THUMBNAIL_SIZE) -> bytes | None:
        """PNG bytes of the entry's image scaled to fit ``size`` × ``size`` (never enlarged).

        Cached in ``thumbs/`` and reused. None for an unknown id, an entry without an image, or
        an image file that is missing or unreadable.
        """
        if size < 1:
            raise ValueError(f"thumbnail size must be positive, not {size}")
        entry = self.get(entry_id)
        if entry is None or entry.path is None:
            return None
        try:
            source_mtime = entry.path.stat().st_mtime_ns
        except OSError:
            return None
        cache = self.thumbs_dir / f"{entry_id}-{size}.png"
        cached = _read_thumbnail(cache, source_mtime)
        if cached is not None:
            return cached
        data = _render_thumbnail(entry.path, size)
        if data is None:
            return None
        try:
            _write_atomically(cache, data, durable=False)
        except OSError as exc:
            # Still worth returning: the grid shows it, it is only rendered again next time.
            log.warning("could not cache the thumbnail %s: %s", cache, exc)
            return data
        with self._lock:
            row = self._conn.execute("SELECT 1 FROM images WHERE id = ?", (entry_id,)).fetchone()
            if row is None:  # deleted while rendering: don't leave its thumbnail behind
                _unlink_quietly(cache)
        return data

    # --- helpers ----------------------------------------------------------------------------

    def _entry(self, row: Sequence[Any]) -> GalleryEntry:
        urls = json.loads(row[12]) if row[12] else []
        return GalleryEntry(
            id=int(row[0]),
            created_at=float(row[1]),
            kind=str(row[2]),
            status=str(row[3]),
            model=str(row[4]),
            seed=None if row[5] is None else int(row[5]),
            width=int(row[6]),
            height=int(row[7]),
            path=self._stored_path(row[8]),
            trace_id=None if row[9] is None else str(row[9]),
            prompt=str(row[10]),
            negative_prompt=str(row[11]),
            urls=tuple(str(url) for url in urls) if isinstance(urls, list) else (),
            error=None if row[13] is None else _json_object(str(row[13])),
            params=_json_object(str(row[14])) or {},
        )

    def _stored_path(self, relative: object) -> Path | None:
        """The absolute path of a ``path`` column, or None when there is none.

        The database is a file other programs can edit: a path that would lead out of the
        gallery is not followed (nor deleted).
        """
        if relative is None:
            return None
        text = str(relative)
        posix = PurePosixPath(text)
        # Backslashes and drive colons would mean something else to Windows' path parsing.
        if posix.is_absolute() or ".." in posix.parts or "\\" in text or ":" in text:
            return None
        return self.root / posix

    def _remove_thumbnails(self, entry_id: int) -> None:
        # "<id>-*.png" cannot match another id's files: the dash ends the number.
        for path in self.thumbs_dir.glob(f"{entry_id}-*.png"):
            _unlink_quietly(path)


# --- records ----------------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown gallery entry kind {kind!r}; expected one of {KINDS}")


def _fields(record: Mapping[str, Any]) -> _Fields:
    model = record.get("model")
    prompt = record.get("prompt")
    negative = record.get("negative_prompt")
    if not isinstance(model, str) or not model:
        raise GalleryError("the record has no model")
    if not isinstance(prompt, str):
        raise GalleryError("the record has no prompt")
    if negative is not None and not isinstance(negative, str):
        raise GalleryError("the record's negative_prompt is not text")
    try:
        params_json = dumps(dict(record))
    except (TypeError, ValueError) as exc:
        raise GalleryError(f"the record is not JSON: {exc}") from exc
    return _Fields(model, prompt, negative or "", _seed(record.get("seed")), params_json)


def _seed(value: object) -> int | None:
    """The seed for its column; the record keeps whatever was sent."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return None
    if isinstance(value, int) and _INT64_MIN <= value <= _INT64_MAX:
        return value
    return None


def _json_object(text: str) -> dict[str, Any] | None:
    value = json.loads(text)
    return value if isinstance(value, dict) else None


def _casefold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(text: str | None, model: str | None) -> tuple[str, list[object]]:
    clauses: list[str] = []
    values: list[object] = []
    if text:
        pattern = _like_pattern(text.casefold())
        clauses.append(
            f"({_FOLD_FUNCTION}(prompt) LIKE ? ESCAPE '\\' "
            f"OR {_FOLD_FUNCTION}(negative_prompt) LIKE ? ESCAPE '\\')"
        )
        values += [pattern, pattern]
    if model is not None:
        clauses.append("model = ?")
        values.append(model)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), values


def _lastrowid(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:  # pragma: no cover - an INSERT always sets it
        raise RuntimeError("SQLite returned no id for the new entry")
    return int(cursor.lastrowid)


# --- files ------------------------------------------------------------------------------------


def slug(prompt: str) -> str:
    """The ASCII part of a prompt for a file name: letters, digits and dashes, at most
    :data:`SLUG_MAX_CHARS`, cut at a word boundary when one is near. "" for a Chinese prompt."""
    # NFKD splits "é" into "e" + accent and maps full-width letters to ASCII; the rest is dropped.
    ascii_text = unicodedata.normalize("NFKD", prompt).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    if len(text) > SLUG_MAX_CHARS:
        head = text[: SLUG_MAX_CHARS + 1]
        text = head.rsplit("-", 1)[0] if "-" in head else text[:SLUG_MAX_CHARS]
    return text.strip("-")


def _relative_path(entry_id: int, created_at: float, prompt: str) -> str:
    """``images/YYYY-MM/<id>-<slug>.png`` ('/'-separated, so the row reads the same on any OS)."""
    month = time.strftime("%Y-%m", time.localtime(created_at))
    name_slug = slug(prompt)
    name = f"{entry_id}-{name_slug}.png" if name_slug else f"{entry_id}.png"
    return f"{IMAGES_DIRNAME}/{month}/{name}"


def _write_atomically(path: Path, data: bytes, *, durable: bool) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename, so
    no reader (nor a crash) ever sees half a file. ``durable``: fsync before the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 rather than mkstemp: the image gets the user's usual permissions (umask),
    # not mkstemp's owner-only ones.
    fd = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
    )
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        _unlink_quietly(temporary)
        raise


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        # e.g. another program has the file open on Windows: the entry is gone all the same.
        log.warning("could not remove %s: %s", path, exc)


# --- images (Pillow) --------------------------------------------------------------------------


def _encode(data: bytes, record: Mapping[str, Any]) -> tuple[bytes, int, int]:
    """``data`` as a PNG carrying ``record``, and its width and height; GalleryError if it is
    not an image."""
    from PIL import Image

    from sfdesk.core import png_metadata

    if not data:
        raise GalleryError("no image data")
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            # A PNG is decoded once, by with_parameters; other formats are converted here.
            png = data if image.format == "PNG" else _to_png(image)
        return png_metadata.with_parameters(png, record), width, height
    except png_metadata.MetadataError as exc:
        raise GalleryError(f"not a usable image: {exc}") from exc
    except (*_DECODE_ERRORS, Image.DecompressionBombError) as exc:
        raise GalleryError(f"not an image: {exc}") from exc


def _to_png(image: Image.Image) -> bytes:
    from PIL import ImageOps

    image.load()
    # A camera-style JPEG would otherwise be stored sideways once its EXIF is gone.
    image = ImageOps.exif_transpose(image) or image
    image = _png_compatible(image)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _png_compatible(image: Image.Image) -> Image.Image:
    if image.mode in _PNG_MODES:
        return image
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _render_thumbnail(source: Path, size: int) -> bytes | None:
    from PIL import Image

    try:
        with Image.open(source) as image:
            image.load()
            picture: Image.Image = image
            if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                # Palette and 16-bit images scale badly (or not at all) in their own mode.
                has_alpha = "A" in picture.getbands() or "transparency" in picture.info
                picture = picture.convert("RGBA" if has_alpha else "RGB")
            # thumbnail() keeps the aspect ratio and never enlarges.
            picture.thumbnail((size, size), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            picture.save(out, "PNG")
    except (*_DECODE_ERRORS, Image.DecompressionBombError) as exc:
        log.warning("no thumbnail for %s: %s", source, exc)
        return None
    return out.getvalue()


def _read_thumbnail(cache: Path, source_mtime_ns: int) -> bytes | None:
    """The cached thumbnail, or None when there is none, it is older than its image (the image
    was replaced) or it is not a readable PNG."""
    from PIL import Image

    try:
        if cache.stat().st_mtime_ns < source_mtime_ns:
            return None
        data = cache.read_bytes()
    except OSError:
        return None
    if not data.startswith(_PNG_SIGNATURE):
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # checks the chunks' CRCs without decoding the pixels
    except (*_DECODE_ERRORS, Image.DecompressionBombError):
        return None
    return data
