"""One column of the compare workbench (``compare.column.N``): its set-up and its answer.

The set-up is a model, a label for the variant, a system prompt and the chat parameters (the Chat
panel's own :class:`~sfdesk.ui.chat.params.ChatParams`, so each model shows only what it takes).
Below it, the answer of the row on screen: plain text while it streams (cheap at any speed), the
safe Markdown rendering once it has ended, and its figures — time to first token, tokens per
second, tokens, finish reason — or its error in plain words.

In blind mode the set-up is hidden and the header shows only a letter, so an audience judges the
answers, not the names; a Vote button stands under the answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sfdesk.ui.chat.params import ChatParams
from sfdesk.ui.compare.controller import CellResult, ColumnSpec
from sfdesk.ui.errors import explain

#: How often streamed text is drawn (ms).
FLUSH_MS = 33


class AnswerView(QTextBrowser):
    """Shows an answer; never opens a link or loads anything (model output is untrusted).

    Its code blocks' Copy links (``copy:N``) copy that block's source; web links open in the
    browser only when clicked (the renderer keeps only http, https and mailto links).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.source_text = ""
        self.anchorClicked.connect(self._on_anchor_clicked)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        return None

    def _on_anchor_clicked(self, url: QUrl) -> None:
        href = url.toString()
        if href.startswith("copy:"):
            from sfdesk.core.markdown_render import MarkdownRenderer

            sources = MarkdownRenderer.code_sources(self.source_text)
            index = href.removeprefix("copy:").rpartition("/")[2]
            if index.isdigit() and int(index) < len(sources):
                QGuiApplication.clipboard().setText(sources[int(index)])
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


class CompareColumn(QFrame):
    """The set-up and the answer of one column."""

    sig_remove_requested = Signal()
    sig_vote_requested = Signal()
    sig_changed = Signal()

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.index = index
        self.setObjectName(f"compare.column.{index}")
        self._letter = ""
        self._result: CellResult | None = None
        # Streamed text waiting for the next repaint: four fast columns would otherwise redraw
        # the window on every token (design.md §3: stream repaints are coalesced, ~30 Hz).
        self._pending: list[str] = []
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self._on_flush_timeout)
        self.title = QLabel(self)
        self.title.setObjectName("compare.column_title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.remove = QToolButton(self)
        self.remove.setObjectName("compare.remove_column")
        self.remove.setText("✕")
        self.remove.clicked.connect(self.sig_remove_requested)
        self.model = QComboBox(self)
        self.model.setObjectName("compare.model")
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.setMinimumContentsLength(14)
        self.variant = QLineEdit(self)
        self.variant.setObjectName("compare.variant")
        self.system = QPlainTextEdit(self)
        self.system.setObjectName("compare.system")
        self.system.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.params = ChatParams(self)
        self.answer = AnswerView(self)
        self.answer.setObjectName("compare.answer")
        self.stats = QLabel(self)
        self.stats.setObjectName("compare.stats")
        self.stats.setWordWrap(True)
        self.stats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.vote = QPushButton(self)
        self.vote.setObjectName("compare.vote")
        self.vote.clicked.connect(self.sig_vote_requested)
        self.vote.setVisible(False)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.remove)
        self.setup = QWidget(self)
        form = QFormLayout(self.setup)
        form.setContentsMargins(0, 0, 0, 0)
        self._labels = {key: QLabel(self) for key in ("model", "variant", "system")}
        form.addRow(self._labels["model"], self.model)
        form.addRow(self._labels["variant"], self.variant)
        form.addRow(self._labels["system"], self.system)
        form.addRow(self.params)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.setup)
        layout.addWidget(self.answer, 1)
        layout.addWidget(self.stats)
        layout.addWidget(self.vote)
        self.model.currentTextChanged.connect(self._on_model_changed)
        self.variant.textChanged.connect(self.sig_changed)
        self.system.textChanged.connect(self.sig_changed)
        self.params.sig_changed.connect(self.sig_changed)
        self._retranslate()

    # -- set-up -------------------------------------------------------------------------------

    def set_models(self, models: Iterable[str], current: str) -> None:
        chosen = self.model.currentText() or current
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItems(list(models))
        self.model.setCurrentText(chosen)
        self.model.blockSignals(False)
        self._on_model_changed(chosen)

    def spec(self) -> ColumnSpec:
        return ColumnSpec(
            model=self.model.currentText().strip(),
            system_prompt=self.system.toPlainText(),
            params=self.params.params(),
            variant=self.variant.text().strip(),
        )

    def apply(self, model: str, system_prompt: str, params: dict[str, Any], variant: str) -> None:
        """Set the column up as a preset (or a copy of another column) says."""
        self.model.setCurrentText(model)
        self.system.setPlainText(system_prompt)
        self.params.apply(params)
        self.variant.setText(variant)

    def _on_model_changed(self, model: str) -> None:
        self.params.set_model(model)
        self.sig_changed.emit()

    # -- blind mode ---------------------------------------------------------------------------

    def set_blind(self, letter: str | None) -> None:
        """Hide who this column is (``letter`` to show instead), or show it again (None)."""
        self._letter = letter or ""
        blind = letter is not None
        self.setup.setVisible(not blind)
        self.remove.setVisible(not blind)
        self.vote.setVisible(blind)
        self._retranslate()

    def mark_vote(self, chosen: bool) -> None:
        self.vote.setText(self.tr("✓ Voted") if chosen else self.tr("Vote"))

    # -- the answer ---------------------------------------------------------------------------

    def clear_answer(self, waiting: bool = False) -> None:
        self._result = None
        self._pending = []
        self._flush.stop()
        self.answer.clear()
        self.stats.setText(self.tr("Waiting…") if waiting else "")

    def append_text(self, text: str) -> None:
        """New text of the streaming answer: shown as plain text at the next repaint (rendered
        as Markdown when it ends)."""
        self._pending.append(text)
        if not self._flush.isActive():
            self._flush.start()

    def _on_flush_timeout(self) -> None:
        text, self._pending = "".join(self._pending), []
        if not text:
            return
        cursor = self.answer.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(text)
        if self.stats.text() in ("", self.tr("Waiting…")):
            self.stats.setText(self.tr("Streaming…"))

    def show_result(self, result: CellResult | None) -> None:
        """The whole answer of a finished cell (or nothing yet)."""
        self._pending = []
        self._flush.stop()
        self._result = result
        if result is None:
            self.clear_answer()
            return
        from sfdesk.core.markdown_render import RenderOptions
        from sfdesk.core.markdown_stream import render_markdown

        options = RenderOptions(
            dark=self.palette().color(self.backgroundRole()).lightness() < 128,
            copy_label=self.tr("Copy"),
            image_label=self.tr("image"),
        )
        self.answer.source_text = result.text
        self.answer.setHtml(render_markdown(result.text, options=options))
        self.stats.setText(self.stats_text(result))

    def stats_text(self, result: CellResult) -> str:
        if result.error is not None:
            title, text = explain(result.error)
            return f"⚠ {title}: {text}"
        parts = []
        if result.ttft_seconds is not None:
            parts.append(self.tr("TTFT %1 s").replace("%1", f"{result.ttft_seconds:.2f}"))
        if result.tokens_per_second is not None:
            parts.append(self.tr("%1 tok/s").replace("%1", f"{result.tokens_per_second:.0f}"))
        if result.completion_tokens is not None:
            parts.append(self.tr("%1 tokens").replace("%1", str(result.completion_tokens)))
        if result.finish_reason:
            parts.append(result.finish_reason)
        return " · ".join(parts)

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        if self._letter:
            self.title.setText(self.tr("Answer %1").replace("%1", self._letter))
        else:
            self.title.setText(self.tr("Column %1").replace("%1", str(self.index + 1)))
        self._labels["model"].setText(self.tr("Model"))
        self._labels["variant"].setText(self.tr("Label"))
        self._labels["system"].setText(self.tr("System"))
        self.variant.setPlaceholderText(self.tr("e.g. short prompt, thinking on"))
        self.system.setPlaceholderText(self.tr("System prompt ({{name}} placeholders allowed)"))
        self.model.setAccessibleName(
            self.tr("Model of column %1").replace("%1", str(self.index + 1))
        )
        self.answer.setAccessibleName(self.tr("Answer"))
        self.remove.setToolTip(self.tr("Remove this column"))
        if self.vote.text() != self.tr("✓ Voted"):
            self.vote.setText(self.tr("Vote"))
        if self._result is not None:
            self.stats.setText(self.stats_text(self._result))
