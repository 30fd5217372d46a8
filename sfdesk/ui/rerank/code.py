""" "View code" for the Rerank panel: the request of the first chosen model, as curl and Python.

The Chat panel's :class:`~sfdesk.ui.chat.code_dialog.CodeDialog` (tabs, copy button, fixed-width
font, translations) shows it; this subclass points it at ``/rerank`` instead of chat completions.
The openai SDK has no rerank method, so its tab (which would only repeat the httpx script) is
left out. The code comes from :mod:`sfdesk.core.codegen`, which cannot take a key: it reads
``$SILICONFLOW_API_KEY`` from the environment.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from sfdesk.core.codegen import to_curl, to_python_httpx
from sfdesk.ui.chat.code_dialog import CodeDialog

RERANK_PATH = "/rerank"


class RerankCodeDialog(CodeDialog):
    """curl and Python (httpx) for one ``/rerank`` body."""

    def __init__(self, base_url: str, body: dict[str, Any], parent: QWidget | None = None):
        super().__init__(base_url, body, parent)
        self.setObjectName("rerank.code_dialog")
        # Replaces the chat code the base class generated; tab order follows the dict's.
        self.sources = {
            "curl": to_curl("POST", base_url, RERANK_PATH, body),
            "httpx": to_python_httpx("POST", base_url, RERANK_PATH, body),
        }
        for name, source in self.sources.items():
            editor = self.findChild(QPlainTextEdit, f"code.{name}")
            if editor is not None:
                editor.setPlainText(source)
        openai = self.findChild(QPlainTextEdit, "code.openai")
        if openai is not None:
            self.tabs.removeTab(self.tabs.indexOf(openai))
            openai.deleteLater()
