"""The results of a run (``rerank.results``): one column per model, side by side.

Each column (``rerank.column.<n>``) shows its model, then — once its answer arrives — the latency
and tokens and the documents as ranked: rank, a score bar, how many places the document moved
against the input order (plain arrow) and against the cosine baseline (boxed arrow; ▲ up, ▼ down,
= same), and the start of the document. A column that failed shows why instead
(:func:`sfdesk.ui.errors.explain`: the explanation, the server's message and the trace id), and
for a rejected request which document is probably too long for the model. The baseline
(embedding model, cosine similarity to the query) is a column like the others, last.

Clicking a document highlights it in every column (the same document, wherever each model put
it), so one document's fate across models reads at a glance. Colours come from the palette, and
the arrows' green and red are picked for a light or a dark background.

Pure Qt: no numpy; built with the panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QResizeEvent, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from sfdesk.api import ApiError
from sfdesk.core.rank_agreement import rank_changes
from sfdesk.core.rerank_export import BASELINE
from sfdesk.ui.embeddings.models import estimate_tokens
from sfdesk.ui.errors import explain
from sfdesk.ui.rerank.controller import ColumnResult, RunRequest
from sfdesk.ui.rerank.models import document_limit

INDEX_ROLE = Qt.ItemDataRole.UserRole + 1
SCORE_ROLE = Qt.ItemDataRole.UserRole + 2
RANK_ROLE = Qt.ItemDataRole.UserRole + 3
INPUT_ROLE = Qt.ItemDataRole.UserRole + 4  # places moved against the input order
BASELINE_ROLE = Qt.ItemDataRole.UserRole + 5  # places moved against the baseline, or None
#: Wide enough for a score bar, two arrows and a few words of each document.
COLUMN_MIN_WIDTH = 200


def arrow(change: int | None) -> str:
    """``▲2`` (moved up two places), ``▼1``, ``=`` (same place), or "" when unknown."""
    if change is None:
        return ""
    if change > 0:
        return f"▲{change}"
    if change < 0:
        return f"▼{-change}"
    return "="


def arrow_colours(palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """(up, down, unchanged) colours readable on the palette's background."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    up = QColor("#5fd38a" if dark else "#1d7a3a")
    down = QColor("#ff8a80" if dark else "#b3261e")
    return up, down, palette.color(QPalette.ColorRole.PlaceholderText)


class RankDelegate(QStyledItemDelegate):
    """Two lines per document: rank, score bar and arrows; then the document.

    The arrow against the input order is plain, the one against the cosine baseline is boxed:
    both fit a narrow column, and the legend above the columns says which is which.
    """

    def __init__(self, parent: QWidget | None = None, *, baseline_arrows: bool = True) -> None:
        super().__init__(parent)
        self._baseline_arrows = baseline_arrows

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.height()
        return QSize(COLUMN_MIN_WIDTH, 2 * line + 12)

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
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        rect = option.rect
        metrics = option.fontMetrics
        line = metrics.height()
        centred = int(Qt.AlignmentFlag.AlignCenter)
        left = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        painter.save()
        if selected:
            painter.fillRect(rect, palette.highlight())
        elif index.row() % 2:
            painter.fillRect(rect, palette.alternateBase())

        top = QRect(rect.left() + 6, rect.top() + 4, rect.width() - 12, line)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        rank_width = metrics.horizontalAdvance("#000")
        painter.drawText(
            QRect(top.left(), top.top(), rank_width, line), left, f"#{index.data(RANK_ROLE)}"
        )
        painter.setFont(option.font)

        # The arrows' room is the same on every row, so the bars share one scale.
        arrow_width = metrics.horizontalAdvance("▼000")
        boxed_width = arrow_width + 6 if self._baseline_arrows else 0
        right = top.right() - boxed_width - arrow_width - 10
        up, down, same = arrow_colours(palette)

        def colour_of(change: int) -> QColor:
            if selected:
                return text_colour
            return up if change > 0 else down if change < 0 else same

        change = index.data(INPUT_ROLE)
        if isinstance(change, int):
            painter.setPen(colour_of(change))
            painter.drawText(QRect(right + 6, top.top(), arrow_width, line), centred, arrow(change))
        change = index.data(BASELINE_ROLE)
        if self._baseline_arrows and isinstance(change, int):
            box = QRectF(top.right() - boxed_width + 1, top.top() + 0.5, boxed_width - 2, line - 1)
            painter.setPen(colour_of(change))
            painter.drawRoundedRect(box, 3, 3)
            painter.drawText(box, centred, arrow(change))

        bar = QRectF(
            top.left() + rank_width,
            top.top() + 1,
            max(30, right - rank_width - top.left()),
            line - 2,
        )
        track = palette.color(QPalette.ColorRole.Mid)
        track.setAlpha(60)
        painter.fillRect(bar, track)
        filled = QRectF(bar)
        filled.setWidth(bar.width() * max(0.0, min(1.0, score)))
        colour = palette.color(QPalette.ColorRole.Highlight)
        if selected:
            colour = palette.color(QPalette.ColorRole.HighlightedText)
            colour.setAlpha(90)
        else:
            colour.setAlpha(120)
        painter.fillRect(filled, colour)
        painter.setPen(text_colour)
        painter.drawText(bar.adjusted(4, 0, -2, 0), left, f"{score:.4f}")

        second = QRect(top.left(), top.bottom() + 3, top.width(), line)
        document = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.drawText(
            second, left, metrics.elidedText(document, Qt.TextElideMode.ElideRight, second.width())
        )
        painter.restore()


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when it does not fit (the tooltip has all of it)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle,
    ) -> None:
        super().__init__(parent)
        self._full = ""
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        self.setText(self.fontMetrics().elidedText(self._full, self._mode, width))
        self.setToolTip(self._full if self.text() != self._full else "")


class RankColumn(QFrame):
    """One model's column (``rerank.column.<position>``)."""

    sig_document_clicked = Signal(int)

    def __init__(
        self, position: int, model: str, kind: str, request: RunRequest, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.position = position
        self.model = model
        self.kind = kind
        self._request = request
        self._result: ColumnResult | None = None
        self._state = "waiting"  # waiting | done | failed | cancelled
        self._baseline_order: list[int] | None = None
        name = f"rerank.column.{position}"
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(COLUMN_MIN_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.title = ElidedLabel(self)
        self.title.setObjectName(f"{name}.title")
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.stats = ElidedLabel(self, Qt.TextElideMode.ElideRight)
        self.stats.setObjectName(f"{name}.stats")
        self.stats.setEnabled(False)  # greyed: secondary information
        # Read-only text rather than a label: a trace id is one long word that a label cannot
        # wrap (it would be cut off at the column's edge), and a long explanation scrolls.
        self.message = QPlainTextEdit(self)
        self.message.setObjectName(f"{name}.message")
        self.message.setReadOnly(True)
        self.message.setFrameShape(QFrame.Shape.NoFrame)
        self.message.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.message.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Transparent whatever the theme: it reads as the column's text, not as an input box.
        self.message.setStyleSheet("QPlainTextEdit { background: transparent; }")
        self.ranking = QListWidget(self)
        self.ranking.setObjectName(f"{name}.ranking")
        self.ranking.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ranking.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.ranking.setUniformItemSizes(True)
        self.delegate = RankDelegate(self.ranking, baseline_arrows=kind != BASELINE)
        self.ranking.setItemDelegate(self.delegate)
        self.ranking.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.stats)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.ranking, 1)

        self.ranking.itemClicked.connect(self._on_ranking_item_clicked)
        self.ranking.itemActivated.connect(self._on_ranking_item_clicked)
        self._retranslate()

    # -- state --------------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    @property
    def result(self) -> ColumnResult | None:
        return self._result

    def show_result(self, result: ColumnResult) -> None:
        self._result = result
        self._state = "done" if result.ok else "failed"
        self._fill()
        self._retranslate()

    def set_cancelled(self) -> None:
        if self._state == "waiting":
            self._state = "cancelled"
            self._retranslate()

    def set_baseline_order(self, order: Sequence[int] | None) -> None:
        """Show each document's move against the baseline's ranking (None: no baseline)."""
        self._baseline_order = None if order is None else list(order)
        if self._state == "done":
            self._fill()

    def highlight(self, document: int | None) -> None:
        """Select ``document`` here (scrolled into view), or nothing if this column lacks it."""
        self.ranking.blockSignals(True)
        try:
            self.ranking.clearSelection()
            for row in range(self.ranking.count()):
                item = self.ranking.item(row)
                if document is not None and item.data(INDEX_ROLE) == document:
                    self.ranking.setCurrentItem(item)
                    item.setSelected(True)
                    self.ranking.scrollToItem(item)
                    break
        finally:
            self.ranking.blockSignals(False)

    # -- what is shown (tests and accessibility tools read these) ------------------------------

    def ranked_indices(self) -> list[int]:
        return [int(self._item_data(row, INDEX_ROLE)) for row in range(self.ranking.count())]

    def scores(self) -> list[float]:
        return [float(self._item_data(row, SCORE_ROLE)) for row in range(self.ranking.count())]

    def input_changes(self) -> list[int]:
        return [int(self._item_data(row, INPUT_ROLE)) for row in range(self.ranking.count())]

    def baseline_changes(self) -> list[int | None]:
        return [self._item_data(row, BASELINE_ROLE) for row in range(self.ranking.count())]

    def message_text(self) -> str:
        """What the column says instead of a ranking (waiting, cancelled, or why it failed)."""
        return self.message.toPlainText()

    def highlighted(self) -> int | None:
        items = self.ranking.selectedItems()
        return int(items[0].data(INDEX_ROLE)) if items else None

    def _item_data(self, row: int, role: int) -> Any:
        item = self.ranking.item(row)
        return item.data(role) if item is not None else None

    # -- building -----------------------------------------------------------------------------

    def _fill(self) -> None:
        result = self._result
        highlighted = self.highlighted()
        self.ranking.clear()
        if result is None or result.ranking is None:
            return
        documents = self._request.documents
        order = result.order()
        from_input = rank_changes(order, range(len(documents)))
        from_baseline = (
            rank_changes(order, self._baseline_order)
            if self._baseline_order is not None and self.kind != BASELINE
            else {}
        )
        for rank, (index, score) in enumerate(result.ranking, start=1):
            item = QListWidgetItem(f"{index + 1} · {documents[index]}")
            item.setData(INDEX_ROLE, index)
            item.setData(SCORE_ROLE, float(score))
            item.setData(RANK_ROLE, rank)
            item.setData(INPUT_ROLE, from_input.get(index, 0))
            item.setData(BASELINE_ROLE, from_baseline.get(index))
            self.ranking.addItem(item)
        self._describe_items()
        if highlighted is not None:
            self.highlight(highlighted)

    def _describe_items(self) -> None:
        """Tooltips and accessible text: what the bar and arrows say, in words."""
        documents = self._request.documents
        for row in range(self.ranking.count()):
            item = self.ranking.item(row)
            index = int(item.data(INDEX_ROLE))
            parts = [
                self.tr("Rank %1: document %2, score %3")
                .replace("%1", str(item.data(RANK_ROLE)))
                .replace("%2", str(index + 1))
                .replace("%3", f"{float(item.data(SCORE_ROLE)):.4f}"),
                self._move_text(self.tr("input order"), int(item.data(INPUT_ROLE))),
            ]
            baseline = item.data(BASELINE_ROLE)
            if isinstance(baseline, int):
                parts.append(self._move_text(self.tr("cosine baseline"), baseline))
            summary = "; ".join(parts)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, summary)
            returned = self._result.returned.get(index) if self._result is not None else None
            tooltip = f"{summary}\n\n{documents[index]}"
            if returned is not None and returned != documents[index]:
                tooltip += "\n\n" + self.tr("Returned by the server: %1").replace("%1", returned)
            item.setToolTip(tooltip)

    def _move_text(self, against: str, change: int) -> str:
        if change > 0:
            template = self.tr("up %1 from the %2")
        elif change < 0:
            template = self.tr("down %1 from the %2")
        else:
            return self.tr("same place as in the %1").replace("%1", against)
        return template.replace("%1", str(abs(change))).replace("%2", against)

    def _on_ranking_item_clicked(self, item: QListWidgetItem) -> None:
        index = item.data(INDEX_ROLE)
        if isinstance(index, int):
            self.sig_document_clicked.emit(index)

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        if self.kind == BASELINE:
            self.title.set_full_text(self.tr("Cosine baseline · %1").replace("%1", self.model))
            self.setToolTip(
                self.tr(
                    "%1 embeds the query and the documents; documents are ranked by cosine "
                    "similarity to the query. A reranker reads query and document together, "
                    "which is what it adds over this."
                ).replace("%1", self.model)
            )
        else:
            self.title.set_full_text(self.model)
        self.ranking.setAccessibleName(self.tr("Documents ranked by %1").replace("%1", self.model))
        self.setAccessibleName(self.title.full_text())
        self.message.setAccessibleName(self.tr("Status of %1").replace("%1", self.model))
        self.stats.set_full_text(self._stats_text())
        text = self._message_text()
        if text != self.message.toPlainText():
            self.message.setPlainText(text)
        showing = self._state == "done"
        self.ranking.setVisible(showing)
        self.message.setVisible(not showing)
        if showing:
            self._describe_items()
            self.ranking.viewport().update()

    def _stats_text(self) -> str:
        result = self._result
        if result is None or result.seconds is None:
            return ""
        parts = [self.tr("%1 ms").replace("%1", f"{result.seconds * 1000:.0f}")]
        if result.tokens is not None:
            parts.append(self.tr("Tokens: %1").replace("%1", str(result.tokens)))
        if result.kind == BASELINE and result.ok:
            parts.append(self.tr("from cache: %1").replace("%1", str(result.cached)))
        return " · ".join(parts)

    def _message_text(self) -> str:
        if self._state == "waiting":
            return self.tr("Waiting for the answer…")
        if self._state == "cancelled":
            return self.tr("Cancelled before it answered.")
        if self._state != "failed" or self._result is None or self._result.error is None:
            return ""
        error = self._result.error
        title, explanation = explain(error)
        text = f"{title}\n\n{explanation}"
        note = self._length_note(error)
        return f"{text}\n\n{note}" if note else text

    def _length_note(self, error: BaseException) -> str:
        """For a rejected request, which document is probably too long for the model.

        SiliconFlow answers an over-long input with a bare 400 "parameter invalid" that names no
        document; the longest one, against what the model is known to read, is the best lead.
        """
        if not isinstance(error, ApiError) or error.reason not in ("bad_request", "too_large"):
            return ""
        documents = self._request.documents
        if not documents:
            return ""
        longest = max(range(len(documents)), key=lambda i: estimate_tokens(documents[i]))
        tokens = estimate_tokens(documents[longest])
        limit = None if self.kind == BASELINE else document_limit(self.model, self._request.params)
        if limit is None:
            return (
                self.tr(
                    "A document may be too long for this model: the longest here is document "
                    "%1, about %2 tokens."
                )
                .replace("%1", str(longest + 1))
                .replace("%2", str(tokens))
            )
        return (
            self.tr(
                "A document may be too long: %1 reads about %2 tokens of each; the longest "
                "here is document %3, about %4 tokens."
            )
            .replace("%1", self.model)
            .replace("%2", str(limit))
            .replace("%3", str(longest + 1))
            .replace("%4", str(tokens))
        )


class ResultsView(QScrollArea):
    """The columns of the current run, side by side (``rerank.results``)."""

    #: A document was clicked in one column and is now highlighted in all of them (-1: none).
    sig_document_highlighted = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rerank.results")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._inner = QWidget(self)
        self._row = QHBoxLayout(self._inner)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._placeholder = QLabel(self._inner)
        self._placeholder.setObjectName("rerank.results_placeholder")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._placeholder.setEnabled(False)
        self._row.addWidget(self._placeholder)
        self.setWidget(self._inner)
        self._columns: list[RankColumn] = []
        self._baseline_order: list[int] | None = None
        self._highlighted: int | None = None
        self._retranslate()

    def columns(self) -> list[RankColumn]:
        return list(self._columns)

    def column(self, position: int) -> RankColumn:
        return self._columns[position]

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    def start(self, request: RunRequest) -> None:
        """Lay out one waiting column per model of ``request``."""
        for column in self._columns:
            column.setParent(None)
            column.deleteLater()
        self._columns = []
        self._baseline_order = None
        self._highlighted = None
        self._placeholder.setVisible(False)
        for position, (model, kind) in enumerate(request.columns()):
            column = RankColumn(position, model, kind, request, self._inner)
            column.sig_document_clicked.connect(self.highlight)
            self._row.addWidget(column, 1)
            self._columns.append(column)

    def show_column(self, result: ColumnResult) -> None:
        if not 0 <= result.position < len(self._columns):
            return
        column = self._columns[result.position]
        if result.kind == BASELINE and result.ok:
            self._baseline_order = result.order()
            column.show_result(result)
            for other in self._columns:
                if other.kind != BASELINE:
                    other.set_baseline_order(self._baseline_order)
        else:
            column.show_result(result)
            if result.kind != BASELINE:
                column.set_baseline_order(self._baseline_order)
        if self._highlighted is not None:
            column.highlight(self._highlighted)

    def cancel(self) -> None:
        """Mark the columns still waiting as cancelled; the others keep their answers."""
        for column in self._columns:
            column.set_cancelled()

    def highlight(self, document: int | None) -> None:
        """Highlight ``document`` (an index into the documents) in every column."""
        self._highlighted = document
        for column in self._columns:
            column.highlight(document)
        self.sig_document_highlighted.emit(-1 if document is None else document)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Rankings, one column per model"))
        self._placeholder.setText(
            self.tr("Each model's ranking appears here, side by side, when you press Run.")
        )
