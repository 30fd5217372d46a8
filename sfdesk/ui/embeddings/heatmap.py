"""The similarity heatmap (``emb.heatmap``): one pyqtgraph image of an n × n matrix.

It owns the drawing only: the image with a colour-bar legend, axes labelled with the texts'
numbers (and their starts, while they fit), a hover tooltip with both texts and the score, a
click that selects a cell, and an optional row/column order (the panel's "sort by similarity").
Cells are always reported in text order, whatever order they are drawn in. Colours follow the
application palette, so the plot looks right in the light and the dark theme.

Imported when the panel is first shown: it needs numpy and pyqtgraph.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QImage, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QToolTip, QVBoxLayout, QWidget

from sfdesk.ui.embeddings.labels import numbered

#: Up to this many texts, the left axis shows each text's start beside its number.
LABEL_LIMIT = 30
#: Above LABEL_LIMIT, about this many numbered ticks per axis.
TICKS = 20
LABEL_WIDTH = 22  # display columns of a text's start on the left axis
TOOLTIP_WIDTH = 160
#: Colour-blind safe, perceptually even, and readable on a light or a dark background.
COLOR_MAP = "viridis"
_PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def default_levels(*matrices: npt.NDArray[np.floating]) -> tuple[float, float]:
    """Colour scale from the lowest score (rounded down to 0.1) to 1.

    Not a fixed -1…1: embedding models rarely score any pair below ~0.2, and a fixed scale would
    spend most of its colours on values that never occur.
    """
    low = min((float(np.min(m)) for m in matrices if m.size), default=0.0)
    low = math.floor(low * 10) / 10
    return (min(low, 0.9), 1.0)


class HeatmapView(QWidget):
    """A heatmap of a similarity matrix; ``sig_cell_clicked(i, j)`` in text order."""

    sig_cell_clicked = Signal(int, int)

    def __init__(
        self, parent: QWidget | None = None, *, name: str = "emb.heatmap", text_labels: bool = True
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._text_labels = text_labels
        self._matrix: npt.NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)
        self._texts: list[str] = []
        self._order: list[int] = []
        self._levels = (0.0, 1.0)
        self._selected: tuple[int, int] | None = None
        #: The tooltip last shown (tests and accessibility tools read it).
        self.hover_text = ""

        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setObjectName(f"{name}.graphics")
        self.plot = self.graphics.addPlot(row=0, col=0)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.invertY(True)  # row 1 at the top, as in a table
        # Not aspect-locked: cells need not be square, and with a locked aspect the view limits
        # set in _redraw would crop rows whenever the pane is not square.
        self.plot.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self._cursor = QGraphicsRectItem()
        self._cursor.setVisible(False)
        self._cursor.setZValue(10)
        self.plot.addItem(self._cursor)
        self.colorbar = pg.ColorBarItem(
            values=self._levels,
            colorMap=pg.colormap.get(COLOR_MAP),
            interactive=False,
            width=14,
            colorMapMenu=False,
        )
        self.colorbar.setImageItem(self.image)
        self.graphics.addItem(self.colorbar, row=0, col=1)

        scene = self.graphics.scene()
        scene.sigMouseMoved.connect(self._on_scene_mouse_moved)
        scene.sigMouseClicked.connect(self._on_scene_mouse_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)
        self._apply_palette()
        self._retranslate()

    # -- data ---------------------------------------------------------------------------------

    def set_matrix(
        self,
        matrix: npt.NDArray[np.float32],
        texts: Sequence[str],
        *,
        order: Sequence[int] | None = None,
        levels: tuple[float, float] | None = None,
    ) -> None:
        """Show ``matrix`` (text order) for ``texts``, drawn in ``order`` (default: text order)."""
        n = len(texts)
        if matrix.shape != (n, n):
            raise ValueError(f"a {n} × {n} matrix was expected, got {matrix.shape}")
        self._matrix = matrix
        self._texts = list(texts)
        self._levels = levels if levels is not None else default_levels(matrix)
        self._selected = None
        self._cursor.setVisible(False)
        self.set_order(order)

    def set_order(self, order: Sequence[int] | None) -> None:
        """Draw rows and columns in ``order`` (a permutation of the texts), or in text order."""
        n = len(self._texts)
        new = list(order) if order is not None else list(range(n))
        if sorted(new) != list(range(n)):
            raise ValueError("order must be a permutation of the texts")
        self._order = new
        self._redraw()

    def clear(self) -> None:
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._texts = []
        self._order = []
        self._selected = None
        self._cursor.setVisible(False)
        self._redraw()

    @property
    def order(self) -> list[int]:
        return list(self._order)

    def matrix(self) -> npt.NDArray[np.float32]:
        """The matrix in text order."""
        return self._matrix

    def displayed(self) -> npt.NDArray[np.float32]:
        """The matrix as drawn (rows and columns in :attr:`order`)."""
        image = self.image.image
        return np.zeros((0, 0), dtype=np.float32) if image is None else np.asarray(image)

    def levels(self) -> tuple[float, float]:
        return self._levels

    def count(self) -> int:
        return len(self._texts)

    # -- cells --------------------------------------------------------------------------------

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """The (row, column) in text order under a scene position, or None."""
        n = len(self._order)
        if not n or not self.plot.vb.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.plot.vb.mapSceneToView(scene_pos)
        row, column = math.floor(point.y()), math.floor(point.x())
        if not (0 <= row < n and 0 <= column < n):
            return None
        return self._order[row], self._order[column]

    def scene_pos_of(self, i: int, j: int) -> QPointF:
        """The scene position of the centre of cell (i, j) (text order)."""
        row, column = self._order.index(i), self._order.index(j)
        point: QPointF = self.plot.vb.mapViewToScene(QPointF(column + 0.5, row + 0.5))
        return point

    def tooltip_for(self, i: int, j: int) -> str:
        score = float(self._matrix[i, j])
        return "\n".join(
            (
                self.tr("Cosine similarity: %1").replace("%1", f"{score:.4f}"),
                numbered(i, self._texts[i], TOOLTIP_WIDTH),
                numbered(j, self._texts[j], TOOLTIP_WIDTH),
            )
        )

    def select(self, i: int, j: int) -> None:
        """Mark cell (i, j) and report it, as a click on it does."""
        self._selected = (i, j)
        self._place_cursor()
        self.sig_cell_clicked.emit(i, j)

    def grab_image(self) -> QImage:
        image: QImage = self.graphics.grab().toImage()
        return image

    # -- drawing ------------------------------------------------------------------------------

    def _redraw(self) -> None:
        n = len(self._order)
        # No matrix yet: no axes either (pyqtgraph would number an empty one from -0.5 to 0.5).
        for side in ("left", "bottom"):
            self.plot.showAxis(side, bool(n))
        if not n:
            self.image.clear()
            self._set_ticks([], [])
            return
        shown = self._matrix[np.ix_(self._order, self._order)]
        self.image.setImage(shown, levels=self._levels, autoLevels=False)
        self.image.setRect(QRectF(0, 0, n, n))
        self.colorbar.setLevels(values=self._levels)
        self.plot.vb.setLimits(xMin=0, xMax=n, yMin=0, yMax=n)
        self.plot.setRange(xRange=(0, n), yRange=(0, n), padding=0)
        self._place_cursor()
        positions = range(n) if n <= LABEL_LIMIT else range(0, n, math.ceil(n / TICKS))
        if n <= LABEL_LIMIT and self._text_labels:
            left = [
                (p + 0.5, numbered(self._order[p], self._texts[self._order[p]], LABEL_WIDTH))
                for p in positions
            ]
        else:
            left = [(p + 0.5, str(self._order[p] + 1)) for p in positions]
        bottom = [(p + 0.5, str(self._order[p] + 1)) for p in positions]
        self._set_ticks(left, bottom)

    def _set_ticks(self, left: list[tuple[float, str]], bottom: list[tuple[float, str]]) -> None:
        self.plot.getAxis("left").setTicks([left])
        self.plot.getAxis("bottom").setTicks([bottom])

    def _place_cursor(self) -> None:
        if self._selected is None or not self._order:
            self._cursor.setVisible(False)
            return
        i, j = self._selected
        row, column = self._order.index(i), self._order.index(j)
        self._cursor.setRect(QRectF(column, row, 1, 1))
        self._cursor.setVisible(True)

    def _apply_palette(self) -> None:
        palette = self.palette()
        background = palette.color(palette.ColorRole.Base)
        foreground = palette.color(palette.ColorRole.Text)
        self.graphics.setBackground(background)
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setPen(foreground)
            self.plot.getAxis(axis).setTextPen(foreground)
        for axis in ("left", "right", "top", "bottom"):  # the bar's frame is its four axes
            self.colorbar.getAxis(axis).setPen(foreground)
            self.colorbar.getAxis(axis).setTextPen(foreground)
        # The selection outline must stand out on every colour of the map, in both themes.
        pen = QPen(QColor(palette.color(palette.ColorRole.Highlight)))
        pen.setCosmetic(True)
        pen.setWidth(3)
        self._cursor.setPen(pen)

    # -- events -------------------------------------------------------------------------------

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        cell = self.cell_at(scene_pos)
        if cell is None:
            if self.hover_text:
                self.hover_text = ""
                QToolTip.hideText()
            return
        text = self.tooltip_for(*cell)
        if text != self.hover_text:
            self.hover_text = text
            QToolTip.showText(QCursor.pos(), text, self.graphics)

    def _on_scene_mouse_clicked(self, event: object) -> None:
        button = getattr(event, "button", lambda: None)()
        if button != Qt.MouseButton.LeftButton:
            return
        cell = self.cell_at(event.scenePos())  # type: ignore[attr-defined]
        if cell is not None:
            self.select(*cell)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _PALETTE_EVENTS:
            self._apply_palette()
        elif event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.colorbar.getAxis("left").setLabel(self.tr("Cosine similarity"))
        # The accessible name is the owner's to give: it knows which heatmap this is.
        self.setAccessibleDescription(
            self.tr("Cosine similarity of every pair of texts; hover for both texts and the score")
        )
