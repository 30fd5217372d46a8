""" "View code" for the Images panel: the next generation's request as curl and Python.

The shared :class:`~sfdesk.ui.chat.code_dialog.CodeDialog` shows it, pointed at
``/images/generations``. The openai SDK's ``images.generate`` does not take SiliconFlow's
parameters, so its tab is left out. The code comes from :mod:`sfdesk.core.codegen`, which cannot
take a key (it reads ``$SILICONFLOW_API_KEY``); reference images, megabytes of base64, are
shortened there and the code says so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from sfdesk.ui.chat.code_dialog import CodeDialog

IMAGES_PATH = "/images/generations"


class ImagesCodeDialog(CodeDialog):
    """curl and Python (httpx) for one ``/images/generations`` body."""

    def __init__(self, base_url: str, body: dict[str, Any], parent: QWidget | None = None):
        super().__init__(
            base_url,
            body,
            parent,
            path=IMAGES_PATH,
            flavours=("curl", "httpx"),
            object_name="img.code_dialog",
        )
