"""A panel's one-line status (``PREFIX.status``): the message of the latest event, by kind.

A panel's subclass owns what each kind says (:meth:`StatusLineBase.text_for`); this base keeps
the kind and its data, so a language switch re-renders the same message in the new language.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class StatusLineBase(QLabel):
    """``show_message(kind, data)``; the kinds are the subclass's :meth:`text_for` cases."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._source: tuple[str, object] = ("intro", None)
        self._retranslate()

    @property
    def kind(self) -> str:
        """What the line is about now ("intro", "run", "cancelled", …)."""
        return self._source[0]

    def show_message(self, kind: str, data: object = None) -> None:
        self._source = (kind, data)
        self.setText(self.text_for(kind, data))

    def text_for(self, kind: str, data: object) -> str:
        """The message for ``kind``; ``data`` is what that kind needs."""
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Status"))
        self.setText(self.text_for(*self._source))
