"""Grid runs for prompt tuning: prompts (rows) × values of one parameter (columns), one seed.

:class:`GridSetup` is the form (``img.grid_prompts``, ``img.grid_axis``, ``img.grid_values``)
that states how many images a run makes before it starts (``img.grid_count``);
:func:`compose_grid` draws the labelled picture — the same one shown while the cells arrive and
saved as one image when the run ends. Qt paints it, so Chinese prompts get the system's CJK font
like the rest of the window.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sfdesk.ui.images.grid_picture import CELL
from sfdesk.ui.images.models import GridPlan, ImageFamily, ImageRequest

# The grid is mostly seen scaled down (on screen, in the gallery): large type stays readable.
LABEL_WIDTH = 280
HEADER_HEIGHT = 56
TITLE_HEIGHT = 52
GAP = 8
MAX_PROMPTS = 4
MAX_VALUES = 4

#: A cell is an image, a failure (its one-line reason) or None while it is awaited.
Cell = QImage | str | None


def compose_grid(
    cells: Sequence[Sequence[Cell]],
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    title: str = "",
    waiting_text: str = "…",
) -> QImage:
    """The labelled grid: a title, column headers, a prompt before each row."""
    rows, columns = len(row_labels), len(column_labels)
    width = LABEL_WIDTH + columns * (CELL + GAP) + GAP
    top = (TITLE_HEIGHT if title else 0) + HEADER_HEIGHT
    height = top + rows * (CELL + GAP) + GAP
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(250, 250, 250))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    font = QFont(painter.font())
    ink = QColor(30, 30, 30)
    if title:
        font.setPixelSize(26)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(
            QRectF(GAP, 0, width - 2 * GAP, TITLE_HEIGHT),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            title,
        )
    font.setPixelSize(24)
    font.setBold(True)
    painter.setFont(font)
    for column, label in enumerate(column_labels):
        x = LABEL_WIDTH + GAP + column * (CELL + GAP)
        painter.drawText(
            QRectF(x, top - HEADER_HEIGHT, CELL, HEADER_HEIGHT),
            Qt.AlignmentFlag.AlignCenter,
            label,
        )
    font.setBold(False)
    font.setPixelSize(22)
    painter.setFont(font)
    for row, label in enumerate(row_labels):
        y = top + row * (CELL + GAP)
        painter.setPen(ink)
        painter.drawText(
            QRectF(GAP, y, LABEL_WIDTH - 2 * GAP, CELL),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
            _clip(label),
        )
        for column in range(columns):
            x = LABEL_WIDTH + GAP + column * (CELL + GAP)
            box = QRectF(x, y, CELL, CELL)
            cell = cells[row][column] if row < len(cells) and column < len(cells[row]) else None
            if isinstance(cell, QImage) and not cell.isNull():
                left = x + (CELL - cell.width()) / 2
                upper = y + (CELL - cell.height()) / 2
                painter.drawImage(QRectF(left, upper, cell.width(), cell.height()), cell)
            else:
                failed = isinstance(cell, str)
                painter.fillRect(box, QColor(235, 215, 210) if failed else QColor(228, 228, 228))
                painter.setPen(QColor(150, 40, 30) if failed else QColor(120, 120, 120))
                painter.drawText(
                    box.adjusted(12, 12, -12, -12),
                    Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                    cell if isinstance(cell, str) else waiting_text,
                )
    painter.end()
    return image


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_values(text: str) -> list[float]:
    """Numbers typed as ``20, 30 50`` or ``20，30`` (a Chinese comma); unparseable parts raise."""
    parts = [part for part in re.split(r"[\s,，;；]+", text.strip()) if part]
    return [float(part) for part in parts]


def format_value(axis: str, value: float) -> str:
    return str(int(value)) if axis == "num_inference_steps" else f"{value:g}"


class GridSetup(QWidget):
    """The grid form, its count, the Run button and the picture."""

    sig_run_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("img.grid")
        self.family: ImageFamily | None = None
        self.prompts = QPlainTextEdit(self)
        self.prompts.setObjectName("img.grid_prompts")
        self.prompts.setTabChangesFocus(True)
        self.prompts.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.axis = QComboBox(self)
        self.axis.setObjectName("img.grid_axis")
        self.values = QLineEdit(self)
        self.values.setObjectName("img.grid_values")
        self.count = QLabel(self)
        self.count.setObjectName("img.grid_count")
        self.count.setWordWrap(True)
        self.run = QPushButton(self)
        self.run.setObjectName("img.grid_run")
        self.run.clicked.connect(self.sig_run_requested)
        self.picture = QLabel(self)
        self.picture.setObjectName("img.grid_view")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(self.picture)
        self.scroll_area.setWidgetResizable(True)
        self._image = QImage()
        self._labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, widget in (
            ("prompts", self.prompts),
            ("axis", self.axis),
            ("values", self.values),
        ):
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[key] = label
            form.addRow(label, widget)
        form.addRow(self.count)
        form.addRow(self.run)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.scroll_area, 1)
        self.prompts.textChanged.connect(self._sync_count)
        self.values.textChanged.connect(self._sync_count)
        self.axis.currentIndexChanged.connect(self._on_axis_changed)
        #: The panel's prompt: the one row when no prompts are typed here.
        self._fallback_prompt = ""
        self._retranslate()

    # -- the form -----------------------------------------------------------------------------

    def set_family(self, family: ImageFamily) -> None:
        if family == self.family:
            return
        self.family = family
        current = self.axis.currentData()
        self.axis.blockSignals(True)
        self.axis.clear()
        for axis in family.axes():
            self.axis.addItem(self._axis_name(axis), axis)
        index = self.axis.findData(current)
        self.axis.setCurrentIndex(index if index >= 0 else 0)
        self.axis.blockSignals(False)
        self._on_axis_changed()

    def set_fallback_prompt(self, prompt: str) -> None:
        self._fallback_prompt = prompt.strip()
        self._sync_count()

    def _on_axis_changed(self) -> None:
        axis = self.axis.currentData()
        values = self.family.range_of(axis) if self.family and axis else None
        if values is not None:
            suggestions = {
                "num_inference_steps": "20, 30, 50",
                "guidance_scale": "3, 7.5, 12",
                "cfg": "2, 4, 7",
            }
            self.values.setText(suggestions.get(axis, format_value(axis, values.default)))
        self._sync_count()

    def prompt_lines(self) -> list[str]:
        """The rows: the prompts typed here, else the panel's prompt."""
        lines = [line.strip() for line in self.prompts.toPlainText().splitlines() if line.strip()]
        if not lines and self._fallback_prompt:
            return [self._fallback_prompt]
        return lines

    def plan(self, base: ImageRequest) -> GridPlan | str:
        """The run the form describes around ``base`` (its model, seed and the other parameters),
        or a sentence saying what is wrong."""
        family = self.family
        axis = self.axis.currentData()
        if family is None or not axis:
            return self.tr(
                "This model has no steps or guidance to compare. Choose Kolors or Qwen-Image "
                "for a grid."
            )
        prompts = self.prompt_lines()
        if not prompts:
            return self.tr("Type a prompt: one to %1 prompts for the rows, one per line.").replace(
                "%1", str(MAX_PROMPTS)
            )
        if len(prompts) > MAX_PROMPTS:
            return self.tr("At most %1 prompts: one per row.").replace("%1", str(MAX_PROMPTS))
        try:
            values = parse_values(self.values.text())
        except ValueError:
            return self.tr("Type the values as numbers separated by commas, e.g. 20, 30, 50.")
        limits = family.range_of(axis)
        if not values or len(values) > MAX_VALUES:
            return self.tr("Type one to %1 values for the columns.").replace("%1", str(MAX_VALUES))
        if limits is not None and not all(limits.low <= v <= limits.high for v in values):
            return (
                self.tr("%1 takes values from %2 to %3.")
                .replace("%1", self._axis_name(axis))
                .replace("%2", f"{limits.low:g}")
                .replace("%3", f"{limits.high:g}")
            )
        if axis == "num_inference_steps" and not all(v == int(v) for v in values):
            return self.tr("Steps are whole numbers.")
        if len(prompts) * len(values) < 2:
            return self.tr("A grid compares at least two images: add a prompt or a value.")
        return GridPlan(base=base, prompts=tuple(prompts), axis=axis, values=tuple(values))

    def _sync_count(self) -> None:
        axis = self.axis.currentData()
        if self.family is None or not axis:
            self.count.setText(self.tr("This model has nothing to vary in a grid."))
            self.run.setEnabled(False)
            return
        prompts = len(self.prompt_lines())
        try:
            values = len(parse_values(self.values.text()))
        except ValueError:
            values = 0
        total = prompts * values
        text = (
            self.tr("%1 images: %2 prompt(s) × %3 value(s) of %4, all with one seed.")
            .replace("%1", str(total))
            .replace("%2", str(prompts))
            .replace("%3", str(values))
            .replace("%4", self._axis_name(axis))
        )
        self.count.setText(text)
        self.run.setEnabled(total >= 2)

    def _axis_name(self, axis: str) -> str:
        return {
            "num_inference_steps": self.tr("Steps"),
            "guidance_scale": self.tr("Guidance scale"),
            "cfg": self.tr("CFG"),
        }.get(axis, axis)

    def column_labels(self, plan: GridPlan) -> list[str]:
        name = self._axis_name(plan.axis)
        return [f"{name} {format_value(plan.axis, value)}" for value in plan.values]

    # -- the picture --------------------------------------------------------------------------

    def show_image(self, image: QImage) -> None:
        self._image = image
        self._fit()

    def image(self) -> QImage:
        return self._image

    def _fit(self) -> None:
        if self._image.isNull():
            self.picture.clear()
            return
        # The whole grid at once (the gallery keeps it at full size).
        viewport = self.scroll_area.viewport().size()
        width, height = max(viewport.width() - 4, 200), max(viewport.height() - 4, 150)
        pixmap = QPixmap.fromImage(self._image)
        if pixmap.width() > width or pixmap.height() > height:
            pixmap = pixmap.scaled(
                width,
                height,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.picture.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self._labels["prompts"].setText(self.tr("Prompts"))
        self._labels["axis"].setText(self.tr("Vary"))
        self._labels["values"].setText(self.tr("Values"))
        self.prompts.setPlaceholderText(
            self.tr("One prompt per row (up to %1); the prompt above is used when empty").replace(
                "%1", str(MAX_PROMPTS)
            )
        )
        self.values.setPlaceholderText(self.tr("e.g. 20, 30, 50"))
        self.run.setText(self.tr("Run grid"))
        self.run.setToolTip(self.tr("Generate every cell with the same seed"))
        self.picture.setAccessibleName(self.tr("Grid of images"))
        for index in range(self.axis.count()):
            self.axis.setItemText(index, self._axis_name(self.axis.itemData(index)))
        for label in self._labels.values():
            buddy = label.buddy()
            if buddy is not None:
                buddy.setAccessibleName(label.text())
        self._sync_count()
