"""Image work done in worker threads: a grid cell's picture, and PNG encoding.

Kept apart from :mod:`sfdesk.ui.images.grid` (widgets) because the controller makes these in a
worker thread as each cell arrives: only QImage work here, no fonts, no widgets.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage

CELL = 320  # pixels of the longer side of each image in the composed grid


def cell_picture(png: bytes) -> QImage:
    """The image at grid size; a null image when the bytes are not an image."""
    image = QImage.fromData(png)
    if image.isNull():
        return image
    return image.scaled(
        CELL, CELL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG (in a worker thread: a composed grid takes a while to encode)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # stubs say bytes; runtime wants str
    buffer.close()
    return bytes(data.data())
