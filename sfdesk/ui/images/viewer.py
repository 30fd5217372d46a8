"""A window showing one image at full size (``img.viewer``): fitted to the window, or 1:1.

Modeless, so the panel stays usable (and a demo can keep it on a second screen); double-click
or the button switches between fitting and actual pixels.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QMouseEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


class ImageViewer(QDialog):
    def __init__(self, image: QImage, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("img.viewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self._pixmap = QPixmap.fromImage(image)
        self._fit = True
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setObjectName("img.viewer_image")
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(self.label)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.setWidgetResizable(True)
        self.toggle = QPushButton(self)
        self.toggle.setObjectName("img.viewer_toggle")
        self.toggle.clicked.connect(self._on_toggle_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.toggle, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = image.width() + 40, image.height() + 90
        if screen is not None:
            width, height = (
                min(width, screen.width() * 9 // 10),
                min(height, screen.height() * 9 // 10),
            )
        self.resize(max(width, 320), max(height, 240))
        self._retranslate()
        self._show()

    @property
    def fitted(self) -> bool:
        return self._fit

    def _show(self) -> None:
        self.scroll_area.setWidgetResizable(self._fit)
        if self._fit:
            size = self.scroll_area.viewport().size()
            shown = self._pixmap
            if self._pixmap.width() > size.width() or self._pixmap.height() > size.height():
                shown = self._pixmap.scaled(
                    size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            self.label.setPixmap(shown)
        else:
            self.label.setPixmap(self._pixmap)
            self.label.adjustSize()

    def _on_toggle_clicked(self) -> None:
        self._fit = not self._fit
        self._retranslate()
        self._show()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._on_toggle_clicked()
        super().mouseDoubleClickEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.toggle.setText(self.tr("Actual size") if self._fit else self.tr("Fit to window"))
        self.label.setAccessibleName(self.windowTitle())
