"""The 2-D map (``emb.map``): the texts as points on their first two principal axes.

It owns the drawing: one scatter per group (so the legend names the groups and each gets a
colour), the texts' numbers and starts beside the points while they fit, and a hover tooltip with
the text and its group. Close points are texts the model finds similar — the map is a projection,
so points can also look closer than their texts are; the heatmap has the exact scores. Colours
follow the application palette.

Imported when the panel is first shown: it needs numpy and pyqtgraph.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QColor, QCursor, QImage
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget

from sfdesk.ui.embeddings.labels import elide, numbered

#: Up to this many texts, each point carries its number and the start of its text.
LABEL_LIMIT = 80
LABEL_WIDTH = 18
TOOLTIP_WIDTH = 160
HOVER_RADIUS_PX = 8.0
POINT_SIZE = 10
# Tableau 10: distinct hues that stay apart on a light and a dark background.
GROUP_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
UNGROUPED_COLOUR = "#8c8c8c"
_PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def group_colour(rank: int, count: int) -> QColor:
    """The colour of the ``rank``-th group (in order of first appearance) of ``count``."""
    if count <= len(GROUP_COLOURS):
        return QColor(GROUP_COLOURS[rank])
    colour: QColor = pg.intColor(rank, hues=count)
    return colour


class MapView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emb.map")
        self._coords: npt.NDArray[np.float64] = np.zeros((0, 2))
        self._texts: list[str] = []
        self._groups: list[str | None] = []
        self._labels: list[pg.TextItem] = []
        self.scatters: dict[str | None, pg.ScatterPlotItem] = {}
        #: The tooltip last shown (tests and accessibility tools read it).
        self.hover_text = ""

        self.plot_widget = pg.PlotWidget(self)
        self.plot_widget.setObjectName("emb.map.plot")
        self.plot = self.plot_widget.getPlotItem()
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.setAspectLocked(True)  # distances mean the same across and up
        self.plot.vb.setDefaultPadding(0.15)  # room for the labels right of the points
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):
            # Coordinates on principal axes have no unit or meaning of their own, only distances
            # on the map do: no numbers to invite reading them, and no "(x0.001)" scale either.
            self.plot.getAxis(axis).setStyle(showValues=False)
            self.plot.getAxis(axis).enableAutoSIPrefix(False)
        self.legend = self.plot.addLegend(offset=(8, 8))
        self.plot_widget.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self._apply_palette()
        self._retranslate()

    # -- data ---------------------------------------------------------------------------------

    def set_points(
        self,
        coords: npt.NDArray[np.float64],
        texts: Sequence[str],
        groups: Sequence[str | None],
    ) -> None:
        """Show one point per text at ``coords`` (n × 2), coloured by group."""
        if coords.shape != (len(texts), 2) or len(groups) != len(texts):
            raise ValueError("one 2-D point and one group per text were expected")
        self.clear()
        self._coords = np.asarray(coords, dtype=np.float64)
        self._texts = list(texts)
        self._groups = list(groups)
        names = list(dict.fromkeys(g for g in groups if g is not None))
        keys: list[str | None] = [*names, None] if None in groups else list(names)
        for key in keys:
            members = [i for i, g in enumerate(groups) if g == key]
            if not members:
                continue
            colour = (
                QColor(UNGROUPED_COLOUR)
                if key is None
                else group_colour(names.index(key), len(names))
            )
            scatter = pg.ScatterPlotItem(
                x=self._coords[members, 0],
                y=self._coords[members, 1],
                data=members,
                size=POINT_SIZE,
                brush=pg.mkBrush(colour),
                pen=pg.mkPen(colour.darker(140)),
                # Legend entries only when the texts are grouped; one "ungrouped" entry alone
                # would say nothing.
                name=(key if key is not None else self.tr("(no group)")) if names else None,
            )
            self.plot.addItem(scatter)
            self.scatters[key] = scatter
        if len(texts) <= LABEL_LIMIT:
            colour = self.palette().color(self.palette().ColorRole.Text)
            for index, text in enumerate(texts):
                label = pg.TextItem(numbered(index, text, LABEL_WIDTH), color=colour, anchor=(0, 1))
                label.setPos(*self._coords[index])
                # Labels are drawn at a fixed pixel size: counted in the view's bounds, they
                # would zoom the points into a corner.
                self.plot.addItem(label, ignoreBounds=True)
                self._labels.append(label)
        # Auto-range (not a one-off autoRange): it refits when the pane is first laid out or
        # resized, until the user zooms or pans.
        self.plot.enableAutoRange()
        self.plot.vb.updateAutoRange()  # now, not at the next paint: hovering may come first

    def clear(self) -> None:
        for scatter in self.scatters.values():
            self.plot.removeItem(scatter)
        for label in self._labels:
            self.plot.removeItem(label)
        self.legend.clear()
        self.scatters = {}
        self._labels = []
        self._coords = np.zeros((0, 2))
        self._texts = []
        self._groups = []

    def coords(self) -> npt.NDArray[np.float64]:
        return self._coords

    def label_texts(self) -> list[str]:
        return [label.toPlainText() for label in self._labels]

    # -- hovering -----------------------------------------------------------------------------

    def point_at(self, scene_pos: QPointF) -> int | None:
        """The text whose point is nearest ``scene_pos``, if within a few pixels of it."""
        vb = self.plot.vb
        if not len(self._texts) or not vb.sceneBoundingRect().contains(scene_pos):
            return None
        where = vb.mapSceneToView(scene_pos)
        width, height = vb.viewPixelSize()
        if not (width > 0 and height > 0):
            return None
        dx = (self._coords[:, 0] - where.x()) / width
        dy = (self._coords[:, 1] - where.y()) / height
        distance = np.hypot(dx, dy)
        nearest = int(np.argmin(distance))
        return nearest if distance[nearest] <= HOVER_RADIUS_PX else None

    def scene_pos_of(self, index: int) -> QPointF:
        x, y = self._coords[index]
        point: QPointF = self.plot.vb.mapViewToScene(QPointF(float(x), float(y)))
        return point

    def tooltip_for(self, index: int) -> str:
        lines = [numbered(index, self._texts[index], TOOLTIP_WIDTH)]
        group = self._groups[index]
        if group is not None:
            lines.append(self.tr("Group: %1").replace("%1", elide(group, TOOLTIP_WIDTH)))
        return "\n".join(lines)

    def grab_image(self) -> QImage:
        image: QImage = self.plot_widget.grab().toImage()
        return image

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        index = self.point_at(scene_pos)
        if index is None:
            if self.hover_text:
                self.hover_text = ""
                QToolTip.hideText()
            return
        text = self.tooltip_for(index)
        if text != self.hover_text:
            self.hover_text = text
            QToolTip.showText(QCursor.pos(), text, self.plot_widget)

    # -- look ---------------------------------------------------------------------------------

    def _apply_palette(self) -> None:
        palette = self.palette()
        foreground = palette.color(palette.ColorRole.Text)
        self.plot_widget.setBackground(palette.color(palette.ColorRole.Base))
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setPen(foreground)
            self.plot.getAxis(axis).setTextPen(foreground)
        self.legend.setLabelTextColor(foreground)
        for _sample, label in self.legend.items:
            label.setText(label.text, color=foreground)  # setLabelTextColor does not redraw
        self.legend.setBrush(pg.mkBrush(palette.color(palette.ColorRole.Base)))
        for label in self._labels:
            label.setColor(foreground)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _PALETTE_EVENTS:
            self._apply_palette()
        elif event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.plot.setLabel("bottom", self.tr("Principal axis 1"))
        self.plot.setLabel("left", self.tr("Principal axis 2"))
        self.setAccessibleName(self.tr("2-D map of the texts"))
        self.setAccessibleDescription(
            self.tr("Texts the model finds similar are close together; colours are groups")
        )
        if None in self.scatters and len(self.scatters) > 1:
            # The legend entry of the ungrouped texts, in the new language.
            self.legend.removeItem(self.scatters[None])
            self.legend.addItem(self.scatters[None], self.tr("(no group)"))
