"""The Rerank tab page (``tab.rerank``): a :class:`~sfdesk.ui.lazy_page.LazyPage`.

Start-up is the tightest of the performance bars (docs/performance.md), so the main window holds
this light page instead of the panel, whose modules and widgets would add to every start; the
panel is made when the tab is first opened (or when :meth:`RerankPage.panel` is first called,
e.g. by a script), as the Embeddings tab does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from sfdesk.ui.context import AppContext
from sfdesk.ui.lazy_page import LazyPage

if TYPE_CHECKING:
    from sfdesk.ui.rerank.panel import RerankPanel


class RerankPage(LazyPage["RerankPanel"]):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        def build(page: QWidget) -> RerankPanel:
            from sfdesk.ui.rerank.panel import RerankPanel

            return RerankPanel(ctx, page)

        super().__init__("tab.rerank", build, parent)
