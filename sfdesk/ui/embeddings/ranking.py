"""Query mode's result list (``emb.ranking``): every text ranked by similarity, with score bars.

A table of rank, score and text; the score cell draws a bar as long as the score (0 to 1; a
negative score draws none) under the number, so the drop-off after the best matches shows at a
glance. Pure Qt: it needs no numpy and is built with the panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

SCORE_ROLE = Qt.ItemDataRole.UserRole + 1
INDEX_ROLE = Qt.ItemDataRole.UserRole + 2


class ScoreBarDelegate(QStyledItemDelegate):
    """Draws the score as a bar behind its value."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        score = index.data(SCORE_ROLE)
        if not isinstance(score, float):
            super().paint(painter, option, index)
            return
        palette = option.palette
        rect = option.rect
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, palette.highlight())
        bar = QRectF(rect.adjusted(2, 3, -2, -3))
        bar.setWidth(bar.width() * max(0.0, min(1.0, score)))
        colour = palette.color(palette.ColorRole.Highlight)
        colour.setAlpha(110)
        painter.fillRect(bar, colour)
        painter.setPen(
            palette.color(
                palette.ColorRole.HighlightedText
                if option.state & QStyle.StateFlag.State_Selected
                else palette.ColorRole.Text
            )
        )
        painter.drawText(
            rect.adjusted(6, 0, -6, 0),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            f"{score:.4f}",
        )
        painter.restore()


class RankingTable(QTableWidget):
    """Texts ranked by similarity to the query, best first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("emb.ranking")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(1, 160)
        self.setItemDelegateForColumn(1, ScoreBarDelegate(self))
        self._retranslate()

    def show_ranking(self, ranking: Sequence[tuple[int, float]], texts: Sequence[str]) -> None:
        """``ranking``: (index into ``texts``, score), best first."""
        self.setRowCount(0)
        self.setRowCount(len(ranking))
        for row, (index, score) in enumerate(ranking):
            number = QTableWidgetItem(str(row + 1))
            number.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            number.setData(INDEX_ROLE, index)
            bar = QTableWidgetItem()
            bar.setData(SCORE_ROLE, float(score))
            bar.setData(Qt.ItemDataRole.AccessibleTextRole, f"{score:.4f}")
            text = QTableWidgetItem(f"{index + 1} · {texts[index]}")
            text.setToolTip(texts[index])
            self.setItem(row, 0, number)
            self.setItem(row, 1, bar)
            self.setItem(row, 2, text)

    def ranked_indices(self) -> list[int]:
        """The texts' indices, in the order shown."""
        return [int(self._data(row, 0, INDEX_ROLE)) for row in range(self.rowCount())]

    def scores(self) -> list[float]:
        return [float(self._data(row, 1, SCORE_ROLE)) for row in range(self.rowCount())]

    def _data(self, row: int, column: int, role: int) -> Any:
        item = self.item(row, column)
        return item.data(role) if item is not None else None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setHorizontalHeaderLabels([self.tr("Rank"), self.tr("Similarity"), self.tr("Text")])
        self.setAccessibleName(self.tr("Texts ranked by similarity to the query"))
