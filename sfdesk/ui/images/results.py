"""The latest generation's images (``img.result``), side by side, each scaled to fit.

Up to four images (a Kolors batch); clicking one opens it at full size. The view keeps the decoded
images and rescales them when it is resized.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget


class _Tile(QLabel):
    sig_clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.sig_clicked.emit()
        super().mouseReleaseEvent(event)


class ResultStrip(QWidget):
    """The images of the latest generation; ``sig_open_requested(index)`` on a click."""

    sig_open_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("img.result")
        self._images: list[QImage] = []
        self._tiles: list[_Tile] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("img.result_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self._layout.addWidget(self.placeholder)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._retranslate()

    def images(self) -> list[QImage]:
        return list(self._images)

    def show_images(self, images: Sequence[QImage]) -> None:
        for tile in self._tiles:
            self._layout.removeWidget(tile)
            tile.deleteLater()
        self._tiles = []
        self._images = [image for image in images if not image.isNull()]
        for index, _image in enumerate(self._images):
            tile = _Tile(self)
            tile.setObjectName("img.result_image")
            tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tile.setCursor(Qt.CursorShape.PointingHandCursor)
            tile.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            tile.sig_clicked.connect(lambda i=index: self.sig_open_requested.emit(i))
            self._tiles.append(tile)
            self._layout.addWidget(tile, 1)
        self.placeholder.setVisible(not self._images)
        self._retranslate()
        self._scale()

    def _scale(self) -> None:
        if not self._tiles:
            return
        width = max(self.width() // len(self._tiles) - 6, 32)
        height = max(self.height() - 4, 32)
        for tile, image in zip(self._tiles, self._images, strict=True):
            pixmap = QPixmap.fromImage(image)
            tile.setPixmap(
                pixmap.scaled(
                    width,
                    height,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.placeholder.setText(
            self.tr("The images you generate appear here. Click one to see it at full size.")
        )
        for index, tile in enumerate(self._tiles):
            tile.setToolTip(self.tr("Click to see it at full size"))
            tile.setAccessibleName(self.tr("Generated image %1").replace("%1", str(index + 1)))
