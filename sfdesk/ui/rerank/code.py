""" "View code" for the Rerank panel: the request of the first chosen model, as curl and Python.

The shared :class:`~sfdesk.ui.chat.code_dialog.CodeDialog` (tabs, copy button, fixed-width font,
translations) shows it, pointed at ``/rerank``. The openai SDK has no rerank method, so its tab
(which would only repeat the httpx script) is left out. The code comes from
:mod:`sfdesk.core.codegen`, which cannot take a key: it reads ``$SILICONFLOW_API_KEY``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from sfdesk.ui.chat.code_dialog import CodeDialog

RERANK_PATH = "/rerank"


class RerankCodeDialog(CodeDialog):
    """curl and Python (httpx) for one ``/rerank`` body."""

    def __init__(self, base_url: str, body: dict[str, Any], parent: QWidget | None = None):
        super().__init__(
            base_url,
            body,
            parent,
            path=RERANK_PATH,
            flavours=("curl", "httpx"),
            object_name="rerank.code_dialog",
        )
