"""The Images tab page (``tab.images``): a :class:`~sfdesk.ui.lazy_page.LazyPage`.

The panel, Pillow-backed gallery and all, is made when the tab is first opened (or when
:meth:`ImagesPage.panel` is first called, e.g. by a script), so the app's start does not grow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from sfdesk.ui.context import AppContext
from sfdesk.ui.lazy_page import LazyPage

if TYPE_CHECKING:
    from sfdesk.ui.images.panel import ImagesPanel


class ImagesPage(LazyPage["ImagesPanel"]):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        def build(page: QWidget) -> ImagesPanel:
            from sfdesk.ui.images.panel import ImagesPanel

            return ImagesPanel(ctx, page)

        super().__init__("tab.images", build, parent)
