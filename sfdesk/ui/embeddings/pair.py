"""The pair pane (``emb.pair``): two texts side by side with their similarity score.

Shown under the heatmap when a cell is clicked, so the two texts can be read in full.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class PairPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emb.pair")
        self._pair: tuple[int, int, float] | None = None
        self.score = QLabel(self)
        self.score.setObjectName("emb.pair.score")
        self.score.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.score.setWordWrap(True)
        self.first = self._text_box("emb.pair.first")
        self.second = self._text_box("emb.pair.second")
        row = QHBoxLayout()
        row.addWidget(self.first)
        row.addWidget(self.second)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.score)
        layout.addLayout(row)
        self._retranslate()

    def _text_box(self, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(self)
        box.setObjectName(name)
        box.setReadOnly(True)
        box.setMaximumHeight(72)
        return box

    def show_pair(self, i: int, text_i: str, j: int, text_j: str, score: float) -> None:
        self._pair = (i, j, score)
        self.first.setPlainText(f"{i + 1} · {text_i}")
        self.second.setPlainText(f"{j + 1} · {text_j}")
        self._retranslate()

    def clear(self) -> None:
        self._pair = None
        self.first.clear()
        self.second.clear()
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        if self._pair is None:
            self.score.setText(self.tr("Click a cell of the heatmap to read its two texts here."))
        else:
            i, j, score = self._pair
            self.score.setText(
                self.tr("Texts %1 and %2: cosine similarity %3")
                .replace("%1", str(i + 1))
                .replace("%2", str(j + 1))
                .replace("%3", f"{score:.4f}")
            )
        self.first.setAccessibleName(self.tr("First text of the pair"))
        self.second.setAccessibleName(self.tr("Second text of the pair"))
