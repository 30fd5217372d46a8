"""Images attached to the message being typed: the strip of thumbnails above the input, and the
input box that accepts pasted and dropped images.

Files are read and images decoded, downscaled and encoded (``sfdesk.core.image_attachments``) in a
worker thread, so attaching a 12-megapixel photo never freezes the window. Until they are ready,
:attr:`AttachmentBar.loading` is true and the panel holds the send. Problems (not an image, too
large, more than four) are reported with ``sig_problem`` in the user's language; nothing that was
typed or attached before is lost.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QMimeData, QSize, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QToolButton, QWidget

from sfdesk.ui.tasks import Controller

MAX_IMAGES = 4  # = sfdesk.core.image_attachments.MAX_IMAGES_PER_MESSAGE (imported lazily)
CHIP_SIZE = 48
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"})


def image_paths(mime: QMimeData) -> list[Path]:
    """Local image files among dropped or pasted URLs."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in IMAGE_SUFFIXES]


def _read(path: Path) -> bytes:
    from sfdesk.core.image_attachments import MAX_INPUT_BYTES, AttachmentError

    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise AttachmentError("too-large", path.name)
        return path.read_bytes()
    except OSError as exc:
        raise AttachmentError("unreadable", path.name) from exc


def _prepare_file(path: Path) -> dict[str, Any]:
    from sfdesk.core.image_attachments import prepare_image

    return prepare_image(_read(path), path.name)


def _prepare_bytes(data: bytes, name: str) -> dict[str, Any]:
    from sfdesk.core.image_attachments import prepare_image

    return prepare_image(data, name)


class AttachmentBar(QWidget):
    """Thumbnails of the images attached to the next message; click one to remove it.

    The Images panel's reference images use the same bar (its own object name and limit).
    """

    sig_changed = Signal()
    sig_problem = Signal(str)  # a translated sentence for the user

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        object_name: str = "chat.attachments",
        max_images: int = MAX_IMAGES,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._item_name = object_name.removesuffix("s")
        self.max_images = max_images
        self._attachments: list[dict[str, Any]] = []
        self._pending = 0
        self._paste_numbers = itertools.count(1)
        self._loader = Controller(self)
        self._task_numbers = itertools.count()
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addStretch(1)
        self.setVisible(False)

    # -- state --------------------------------------------------------------------------------

    def attachments(self) -> list[dict[str, Any]]:
        return [dict(a) for a in self._attachments]

    @property
    def loading(self) -> bool:
        return self._pending > 0

    def set_attachments(self, attachments: Iterable[Mapping[str, Any]]) -> None:
        self._loader.cancel_all()
        self._pending = 0
        self._attachments = [dict(a) for a in attachments]
        self._rebuild()

    def clear(self) -> None:
        self.set_attachments([])

    def remove(self, index: int) -> None:
        if 0 <= index < len(self._attachments):
            del self._attachments[index]
            self._rebuild()

    async def shutdown(self) -> None:
        await self._loader.shutdown()

    # -- adding -------------------------------------------------------------------------------

    def add_files(self, paths: Iterable[Path | str]) -> None:
        for path in paths:
            self._load(_prepare_file, Path(path))

    def add_image(self, image: QImage, name: str = "") -> None:
        """A pasted image (the clipboard has no file name: it gets a numbered one)."""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # stubs say bytes; runtime wants str
        buffer.close()
        name = name or self.tr("pasted-%1.png").replace("%1", str(next(self._paste_numbers)))
        self._load(_prepare_bytes, bytes(data.data()), name)

    def add_mime(self, mime: QMimeData) -> bool:
        """Attach the images in pasted or dropped data; False when there were none."""
        paths = image_paths(mime)
        if paths:
            self.add_files(paths)
            return True
        if mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                self.add_image(image)
                return True
        return False

    def _load(self, prepare: Any, *args: Any) -> None:
        if len(self._attachments) + self._pending >= self.max_images:
            self.sig_problem.emit(self.limit_text())
            return
        self._pending += 1
        self._loader.start(f"image-{next(self._task_numbers)}", self._prepare(prepare, *args))
        self.sig_changed.emit()

    async def _prepare(self, prepare: Any, *args: Any) -> None:
        from sfdesk.core.image_attachments import AttachmentError

        try:
            attachment = await asyncio.to_thread(prepare, *args)
        except AttachmentError as exc:
            self._pending -= 1
            self.sig_problem.emit(self._explain(exc.reason, exc.name))
            self.sig_changed.emit()
            return
        self._pending -= 1
        self._attachments.append(attachment)
        self._rebuild()

    def limit_text(self) -> str:
        """What is said when one image too many is added."""
        return self.tr("At most %1 images can be attached to one message.").replace(
            "%1", str(self.max_images)
        )

    def _explain(self, reason: str, name: str) -> str:
        if reason == "too-large":
            text = self.tr("%1 is too large to attach (over 30 MB).")
        elif reason == "unreadable":
            text = self.tr("%1 could not be read.")
        else:
            text = self.tr("%1 is not an image that can be attached.")
        return text.replace("%1", name)

    # -- drawing ------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        from sfdesk.core.image_attachments import decode_data_url

        while self._layout.count() > 1:
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for index, attachment in enumerate(self._attachments):
            chip = QToolButton(self)
            chip.setObjectName(self._item_name)
            chip.setIconSize(QSize(CHIP_SIZE, CHIP_SIZE))
            pixmap = QPixmap()
            data = decode_data_url(str(attachment.get("url", "")))
            if data:
                pixmap.loadFromData(data)
            chip.setIcon(QIcon(pixmap))
            name = str(attachment.get("name", ""))
            size = f"{attachment.get('width', '?')}×{attachment.get('height', '?')}"
            chip.setToolTip(
                self.tr("%1 (%2) — click to remove").replace("%1", name).replace("%2", size)
            )
            chip.setAccessibleName(self.tr("Remove attachment %1").replace("%1", name))
            chip.clicked.connect(lambda _checked=False, i=index: self.remove(i))
            self._layout.insertWidget(index, chip)
        self.setVisible(bool(self._attachments))
        self.sig_changed.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._attachments:
            self._rebuild()
        super().changeEvent(event)


class ChatInput(QPlainTextEdit):
    """The message box: text as usual; pasted or dropped images go to the attachment bar."""

    def __init__(self, bar: AttachmentBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bar = bar

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return (
            bool(image_paths(source)) or source.hasImage() or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData) -> None:
        # Paste and drop both land here.
        if not self._bar.add_mime(source):
            super().insertFromMimeData(source)
