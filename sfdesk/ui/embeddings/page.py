"""The Embeddings tab page (``tab.embeddings``): a :class:`~sfdesk.ui.lazy_page.LazyPage`.

The panel's modules and widgets cost ~45 ms to import and build, and start-up is already the
tightest of the performance bars (docs/performance.md), so the main window holds this light page
instead and the panel is made when the tab is first opened (or when :meth:`EmbeddingsPage.panel`
is first called, e.g. by a script). Its numpy and pyqtgraph views wait longer still: see
:mod:`sfdesk.ui.embeddings.panel`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from sfdesk.ui.context import AppContext
from sfdesk.ui.lazy_page import LazyPage

if TYPE_CHECKING:
    from sfdesk.ui.embeddings.panel import EmbeddingsPanel


class EmbeddingsPage(LazyPage["EmbeddingsPanel"]):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        def build(page: QWidget) -> EmbeddingsPanel:
            from sfdesk.ui.embeddings.panel import EmbeddingsPanel

            return EmbeddingsPanel(ctx, page)

        super().__init__("tab.embeddings", build, parent)
