"""Placeholder pages for the five panels until each panel's own issue replaces them.

Each page says what the panel will do, so the shell can be tried and screenshotted now. The
``PANELS`` table is also where the main window gets each tab's object name and title from.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from sfdesk.ui.i18n import QT_TRANSLATE_NOOP

_CONTEXT = "Panels"


@dataclass(frozen=True)
class PanelInfo:
    key: str  # objectName suffix: tab.<key>
    tab_title: str  # short, for the tab bar
    title: str  # heading of the page
    description: str


PANELS: tuple[PanelInfo, ...] = (
    PanelInfo(
        "chat",
        QT_TRANSLATE_NOOP("Panels", "Chat"),
        QT_TRANSLATE_NOOP("Panels", "Chat"),
        QT_TRANSLATE_NOOP(
            "Panels",
            "Talk with chat models and watch the answers stream in, including the reasoning of "
            "thinking models. Tune the parameters, keep your conversations, and see token usage "
            "for every reply.",
        ),
    ),
    PanelInfo(
        "embeddings",
        QT_TRANSLATE_NOOP("Panels", "Embeddings"),
        QT_TRANSLATE_NOOP("Panels", "Embeddings similarity"),
        QT_TRANSLATE_NOOP(
            "Panels",
            "Enter a few texts, one per line, and see as a heat map how similar an embedding "
            "model finds each pair. Handy for choosing a model for search or clustering.",
        ),
    ),
    PanelInfo(
        "rerank",
        QT_TRANSLATE_NOOP("Panels", "Rerank"),
        QT_TRANSLATE_NOOP("Panels", "Rerank comparison"),
        QT_TRANSLATE_NOOP(
            "Panels",
            "Rank a list of documents against a query with one or more rerank models side by "
            "side, and see where the models agree and where they differ.",
        ),
    ),
    PanelInfo(
        "images",
        QT_TRANSLATE_NOOP("Panels", "Images"),
        QT_TRANSLATE_NOOP("Panels", "Image generation"),
        QT_TRANSLATE_NOOP(
            "Panels",
            "Describe a picture and have an image model draw it. Results stay in a gallery "
            "together with their prompt, size and seed.",
        ),
    ),
    PanelInfo(
        "transcribe",
        QT_TRANSLATE_NOOP("Panels", "Transcription"),
        QT_TRANSLATE_NOOP("Panels", "Microphone transcription"),
        QT_TRANSLATE_NOOP(
            "Panels",
            "Record from your microphone or import an audio file, and turn the speech into "
            "text you can copy.",
        ),
    ),
)


def panel_text(text: str) -> str:
    """Translate one of the ``PANELS`` strings in the current language."""
    return QCoreApplication.translate(_CONTEXT, text)


class PlaceholderPage(QWidget):
    """A friendly "coming soon" page: the panel's title, what it will do, and when."""

    def __init__(self, info: PanelInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._info = info
        self.setObjectName(f"tab.{info.key}")

        self._title = QLabel(self)
        self._title.setObjectName(f"placeholder.{info.key}.title")
        font = QFont(self._title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self._title.setFont(font)

        self._description = QLabel(self)
        self._description.setObjectName(f"placeholder.{info.key}.description")
        self._description.setWordWrap(True)
        self._description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._description.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self._note = QLabel(self)
        self._note.setObjectName(f"placeholder.{info.key}.note")
        self._note.setWordWrap(True)
        self._note.setEnabled(False)  # greyed: secondary information

        column = QWidget(self)
        # A readable line length; stretches (not an alignment flag) centre it, because an
        # aligned widget gets only its size hint and word-wrapped labels would be cut off.
        column.setMaximumWidth(620)
        column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        inner = QVBoxLayout(column)
        inner.setSpacing(12)
        inner.addWidget(self._title)
        inner.addWidget(self._description)
        inner.addWidget(self._note)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._retranslate()

    @property
    def info(self) -> PanelInfo:
        return self._info

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        title = panel_text(self._info.title)
        self._title.setText(title)
        self._description.setText(panel_text(self._info.description))
        self._note.setText(self.tr("This panel arrives in a later version of sfdesk."))
        # The page's accessible name is the main window's job (it names every tab page alike).
        self.setAccessibleDescription(panel_text(self._info.description))
