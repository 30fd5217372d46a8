"""A light tab page that builds its real panel the first time it is shown.

Start-up is the tightest of the performance bars (docs/performance.md), so the main window holds
such a page instead of a panel whose modules and widgets would add to every start. The panel is
made when the tab is first opened, or when :meth:`LazyPage.panel` is first called (e.g. by a
script). The page never imports the panel's module itself: the ``build`` callable given to it
does, when it is called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

P = TypeVar("P", bound=QWidget)


class LazyPage(QWidget, Generic[P]):
    """Holds the place of a panel ``build(page)`` makes on first show or first :meth:`panel`."""

    def __init__(
        self, object_name: str, build: Callable[[QWidget], P], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._build = build
        self._panel: P | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._panel is not None

    def panel(self) -> P:
        """The panel, built now if it was not yet."""
        if self._panel is None:
            self._panel = self._build(self)
            self._layout.addWidget(self._panel)
            if self.isVisible():
                # A child added to a page already on screen stays hidden unless shown.
                self._panel.show()
        return self._panel

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.panel().show()  # children are shown before this event: this one is new
