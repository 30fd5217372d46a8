"""The Transcription tab page (``tab.transcribe``): a :class:`~sfdesk.ui.lazy_page.LazyPage`.

The panel (numpy, the audio modules) is made when the tab is first opened. The page forwards the
panel's "send to chat" so the main window can connect to it before the panel exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from sfdesk.ui.context import AppContext
from sfdesk.ui.lazy_page import LazyPage

if TYPE_CHECKING:
    from sfdesk.ui.transcribe.panel import TranscribePanel


class TranscribePage(LazyPage["TranscribePanel"]):
    sig_send_to_chat_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        def build(page: QWidget) -> TranscribePanel:
            from sfdesk.ui.transcribe.panel import TranscribePanel

            panel = TranscribePanel(ctx, page)
            panel.sig_send_to_chat_requested.connect(self.sig_send_to_chat_requested)
            return panel

        super().__init__("tab.transcribe", build, parent)
