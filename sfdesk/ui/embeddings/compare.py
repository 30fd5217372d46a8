"""The comparison view (``emb.compare``): two models on the same texts.

It shows what :class:`~sfdesk.ui.embeddings.controller.ComparisonResult` holds: both heatmaps
side by side (same colour scale, same row order, so cells line up), the mean Spearman rank
correlation, the correlation per text (lowest first: the texts whose neighbours the two models
see most differently), and the pairs of texts the models disagree on most.

Imported when the panel is first shown: it builds heatmaps (numpy, pyqtgraph).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sfdesk.ui.embeddings.controller import ComparisonResult
from sfdesk.ui.embeddings.heatmap import HeatmapView, default_levels
from sfdesk.ui.embeddings.labels import elide

INDEX_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2
TITLE_WIDTH = 48


def _table(name: str, columns: int, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    return table


def _text_item(index: int, text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(f"{index + 1} · {text}")
    item.setToolTip(text)
    item.setData(INDEX_ROLE, index)
    return item


def _number_item(value: float) -> QTableWidgetItem:
    item = QTableWidgetItem("—" if math.isnan(value) else f"{value:.3f}")
    item.setData(VALUE_ROLE, value)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class CompareView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emb.compare")
        self.result: ComparisonResult | None = None
        self.title_a = QLabel(self)
        self.title_a.setObjectName("emb.compare_title_a")
        self.title_b = QLabel(self)
        self.title_b.setObjectName("emb.compare_title_b")
        for title in (self.title_a, self.title_b):
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Numbers only on the axes: two heatmaps share the width, and the tables below name
        # the texts.
        self.heatmap_a = HeatmapView(self, name="emb.compare_heatmap_a", text_labels=False)
        self.heatmap_b = HeatmapView(self, name="emb.compare_heatmap_b", text_labels=False)
        self.summary = QLabel(self)
        self.summary.setObjectName("emb.compare_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rows = _table("emb.compare_rows", 2, self)
        self.rows.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rows.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.pairs = _table("emb.compare_pairs", 4, self)
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            self.pairs.horizontalHeader().setSectionResizeMode(column, mode)
        self.rows_label = QLabel(self)
        self.pairs_label = QLabel(self)
        for label in (self.rows_label, self.pairs_label, self.title_a, self.title_b):
            label.setWordWrap(True)  # or their text would set the panel's minimum width

        maps = QWidget(self)
        grid = QGridLayout(maps)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.title_a, 0, 0)
        grid.addWidget(self.title_b, 0, 1)
        grid.addWidget(self.heatmap_a, 1, 0)
        grid.addWidget(self.heatmap_b, 1, 1)
        grid.setRowStretch(1, 1)

        tables = QWidget(self)
        table_grid = QGridLayout(tables)
        table_grid.setContentsMargins(0, 0, 0, 0)
        table_grid.addWidget(self.rows_label, 0, 0)
        table_grid.addWidget(self.pairs_label, 0, 1)
        table_grid.addWidget(self.rows, 1, 0)
        table_grid.addWidget(self.pairs, 1, 1)
        table_grid.setColumnStretch(0, 2)
        table_grid.setColumnStretch(1, 3)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(maps)
        splitter.addWidget(tables)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([400, 240])  # the tables' size hints would otherwise take half
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        self._retranslate()

    def show_result(self, result: ComparisonResult, *, sort: bool = True) -> None:
        self.result = result
        texts = result.texts.texts
        levels = default_levels(result.matrix_a, result.matrix_b)
        order = result.order if sort else None
        self.heatmap_a.set_matrix(result.matrix_a, texts, order=order, levels=levels)
        self.heatmap_b.set_matrix(result.matrix_b, texts, order=order, levels=levels)

        # Lowest agreement first; rows where Spearman is undefined (NaN) last.
        rho = result.spearman
        by_agreement = sorted(
            range(len(texts)), key=lambda i: (math.isnan(rho[i]), float(np.nan_to_num(rho[i])))
        )
        self.rows.setRowCount(0)
        self.rows.setRowCount(len(texts))
        for row, index in enumerate(by_agreement):
            self.rows.setItem(row, 0, _text_item(index, texts[index]))
            self.rows.setItem(row, 1, _number_item(float(rho[index])))

        self.pairs.setRowCount(0)
        self.pairs.setRowCount(len(result.pairs))
        for row, pair in enumerate(result.pairs):
            self.pairs.setItem(row, 0, _text_item(pair.i, texts[pair.i]))
            self.pairs.setItem(row, 1, _text_item(pair.j, texts[pair.j]))
            self.pairs.setItem(row, 2, _number_item(pair.score_a))
            self.pairs.setItem(row, 3, _number_item(pair.score_b))
        self._retranslate()

    def set_sorted(self, sort: bool) -> None:
        if self.result is not None:
            order = self.result.order if sort else None
            self.heatmap_a.set_order(order)
            self.heatmap_b.set_order(order)

    def row_spearman(self) -> dict[int, float]:
        """Text index → Spearman ρ, as listed."""
        return {
            int(_data(self.rows, row, 0, INDEX_ROLE)): float(_data(self.rows, row, 1, VALUE_ROLE))
            for row in range(self.rows.rowCount())
        }

    def listed_pairs(self) -> list[tuple[int, int]]:
        return [
            (
                int(_data(self.pairs, row, 0, INDEX_ROLE)),
                int(_data(self.pairs, row, 1, INDEX_ROLE)),
            )
            for row in range(self.pairs.rowCount())
        ]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        result = self.result
        name_a = _model_title(result.model_a, result.dimensions_a) if result else ""
        name_b = _model_title(result.model_b, result.dimensions_b) if result else ""
        self.title_a.setText(self.tr("A: %1").replace("%1", name_a) if result else "")
        self.title_b.setText(self.tr("B: %1").replace("%1", name_b) if result else "")
        self.heatmap_a.setAccessibleName(self.tr("Similarity heatmap of model A"))
        self.heatmap_b.setAccessibleName(self.tr("Similarity heatmap of model B"))
        self.rows_label.setText(self.tr("Agreement per text (Spearman ρ, lowest first)"))
        self.pairs_label.setText(self.tr("Pairs the models disagree on most"))
        self.pairs_label.setToolTip(
            self.tr(
                "Each model's pairs are ranked from least to most similar; these pairs moved "
                "furthest between the two rankings. Scores are in each model's own scale."
            )
        )
        self.rows.setHorizontalHeaderLabels([self.tr("Text"), self.tr("ρ")])
        self.pairs.setHorizontalHeaderLabels(
            [self.tr("Text"), self.tr("Text"), self.tr("A"), self.tr("B")]
        )
        self.rows.setAccessibleName(self.tr("Spearman rank correlation per text"))
        self.pairs.setAccessibleName(self.tr("Pairs the models disagree on most"))
        if result is None:
            self.summary.setText(
                self.tr(
                    "Pick a second model and press Compare: both embed the same texts, and the "
                    "differences show here."
                )
            )
        elif result.mean_spearman is None:
            self.summary.setText(
                self.tr("Too few texts for a rank correlation: at least three are needed.")
            )
        else:
            self.summary.setText(
                self.tr(
                    "Mean Spearman ρ over the texts: %1 (1: both models order every text's "
                    "neighbours the same way; 0: unrelated orders)."
                ).replace("%1", f"{result.mean_spearman:.3f}")
            )


def _data(table: QTableWidget, row: int, column: int, role: int) -> Any:
    item = table.item(row, column)
    return item.data(role) if item is not None else None


def _model_title(model: str, dimensions: int | None) -> str:
    name = elide(model, TITLE_WIDTH)
    return f"{name} ({dimensions})" if dimensions is not None else name
