"""The Rerank tab page (``tab.rerank``): builds the panel the first time it is shown.

Start-up is the tightest of the performance bars (docs/performance.md), so the main window holds
this light page instead of the panel, whose modules and widgets would add to every start; the
panel is made when the tab is first opened (or when :meth:`RerankPage.panel` is first called,
e.g. by a script), as the Embeddings tab does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from sfdesk.ui.context import AppContext

if TYPE_CHECKING:
    from sfdesk.ui.rerank.panel import RerankPanel


class RerankPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tab.rerank")
        self._ctx = ctx
        self._panel: RerankPanel | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._panel is not None

    def panel(self) -> RerankPanel:
        """The panel, built now if it was not yet."""
        if self._panel is None:
            from sfdesk.ui.rerank.panel import RerankPanel

            self._panel = RerankPanel(self._ctx, self)
            self._layout.addWidget(self._panel)
            if self.isVisible():
                # A child added to a page already on screen stays hidden unless shown.
                self._panel.show()
        return self._panel

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.panel().show()  # children are shown before this event: this one is new
