"""The agreement summary (``rerank.agreement``): how alike each pair of models ranked.

One row per pair of columns that answered (the cosine baseline included): Kendall's tau over the
documents both ranked, and the overlap of their top k (``rerank.top_k`` picks k). The arithmetic is
:mod:`sfdesk.core.rank_agreement`'s; it is cheap (a few hundred documents: well under a
millisecond per pair), so changing k recomputes here, on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sfdesk.core.rank_agreement import PairAgreement, pairwise_agreement
from sfdesk.core.rerank_export import BASELINE
from sfdesk.ui.rerank.controller import ColumnResult

DEFAULT_K = 3
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


class AgreementView(QWidget):
    """The pairs table, the k picker and a line on how to read them."""

    sig_k_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rerank.agreement_view")
        self._columns: list[ColumnResult | None] = []
        self._pairs: list[PairAgreement] = []

        self.heading = QLabel(self)
        self.heading.setObjectName("rerank.agreement_heading")
        self.k_label = QLabel(self)
        self.k = QSpinBox(self)
        self.k.setObjectName("rerank.top_k")
        self.k.setRange(1, 50)
        self.k.setValue(DEFAULT_K)
        self.k_label.setBuddy(self.k)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("rerank.agreement")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.note = QLabel(self)
        self.note.setObjectName("rerank.agreement_note")
        self.note.setWordWrap(True)
        self.note.setEnabled(False)  # greyed: how to read the table

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.k_label)
        top.addWidget(self.k)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

        self.k.valueChanged.connect(self._on_k_value_changed)
        self._retranslate()

    @property
    def pairs(self) -> list[PairAgreement]:
        """The rows shown; ``a`` and ``b`` are column positions."""
        return list(self._pairs)

    def clear(self) -> None:
        self._columns = []
        self._pairs = []
        self.table.setRowCount(0)

    def show_columns(self, columns: Sequence[ColumnResult | None]) -> None:
        """Compare every pair of the columns that answered (None or failed: left out)."""
        self._columns = list(columns)
        self._refresh()

    def _refresh(self) -> None:
        rankings = [c.ranking if c is not None and c.ok else None for c in self._columns]
        self._pairs = pairwise_agreement(rankings, self.k.value())
        self.table.setRowCount(0)
        self.table.setRowCount(len(self._pairs))
        for row, pair in enumerate(self._pairs):
            first, second = self._columns[pair.a], self._columns[pair.b]
            assert first is not None and second is not None
            self.table.setItem(row, 0, self._name_item(first))
            self.table.setItem(row, 1, self._name_item(second))
            self.table.setItem(row, 2, _number_item(pair.tau, "{:+.3f}"))
            overlap = _number_item(pair.overlap, "{:.0%}")
            if pair.overlap is not None:
                overlap.setText(
                    self.tr("%1 (%2 of %3)")
                    .replace("%1", f"{pair.overlap:.0%}")
                    .replace("%2", str(round(pair.overlap * pair.k)))
                    .replace("%3", str(pair.k))
                )
            self.table.setItem(row, 3, overlap)
            count = QTableWidgetItem(str(pair.common))
            count.setData(VALUE_ROLE, pair.common)
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 4, count)

    def _name_item(self, column: ColumnResult) -> QTableWidgetItem:
        name = column.model
        if column.kind == BASELINE:
            name = self.tr("%1 (cosine)").replace("%1", column.model)
        item = QTableWidgetItem(name)
        item.setToolTip(name)
        return item

    def _on_k_value_changed(self, value: int) -> None:
        self._refresh()
        self._retranslate_headers()
        self.sig_k_changed.emit(value)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate_headers(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Model"),
                self.tr("Model"),
                self.tr("Kendall τ"),
                self.tr("Top-%1 overlap").replace("%1", str(self.k.value())),
                self.tr("Documents compared"),
            ]
        )

    def _retranslate(self) -> None:
        self.heading.setText(self.tr("Agreement between models"))
        self.k_label.setText(self.tr("Top k:"))
        self.k.setAccessibleName(self.tr("How many top documents to compare"))
        self.k.setToolTip(self.tr("The overlap compares the first k documents of each ranking"))
        self.table.setAccessibleName(self.tr("Agreement between each pair of models"))
        self._retranslate_headers()
        self.note.setText(
            self.tr(
                "Kendall τ: 1 = the same order, 0 = unrelated, −1 = reversed (over the "
                "documents both ranked). Top-k overlap: the share of documents both put in "
                "their first k."
            )
        )
        if self._columns:
            self._refresh()


def _number_item(value: float | None, template: str) -> QTableWidgetItem:
    item = QTableWidgetItem("—" if value is None else template.format(value))
    item.setData(VALUE_ROLE, value)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
