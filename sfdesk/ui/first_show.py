"""A panel that starts its background loading (model lists, history) the first time it is shown.

Panels are built lazily by their tab page, but may also be built before the event loop runs (a
script, a test); starting tasks needs the running (qasync) loop. :class:`LoadsWhenShown` calls
:meth:`~LoadsWhenShown.first_shown` once, at the first show that happens with the loop running.
"""

from __future__ import annotations

import asyncio

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class LoadsWhenShown(QWidget):
    """Base of the panels: :meth:`first_shown` runs once, on the first show with a loop."""

    _first_show_done = False

    def first_shown(self) -> None:
        """Start what the panel loads in the background (subclasses)."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._first_show_done:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # built before the loop starts: try again on the next show
        self._first_show_done = True
        self.first_shown()
