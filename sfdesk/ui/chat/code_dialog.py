""" "View code": the exact request a panel would send next, as curl and Python.

The code comes from :mod:`sfdesk.core.codegen`, which has no way to take a key: it always
writes ``$SILICONFLOW_API_KEY`` (curl) or ``os.environ["SILICONFLOW_API_KEY"]`` (Python).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sfdesk.core.codegen import to_curl, to_python_httpx, to_python_openai

CHAT_PATH = "/chat/completions"


class CodeDialog(QDialog):
    """Tabs of generated code for one request body, each copyable.

    The Chat panel's request by default; the other panels pass their endpoint's ``path`` and the
    ``flavours`` that make sense for it (the openai SDK has no rerank, and its image method does
    not take SiliconFlow's parameters).
    """

    def __init__(
        self,
        base_url: str,
        body: dict[str, Any],
        parent: QWidget | None = None,
        *,
        path: str = CHAT_PATH,
        flavours: tuple[str, ...] = ("curl", "httpx", "openai"),
        object_name: str = "dialog.code",
    ):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.resize(760, 560)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("code.tabs")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        stream = bool(body.get("stream"))
        makers = {"curl": to_curl, "httpx": to_python_httpx, "openai": to_python_openai}
        self.sources = {
            name: makers[name]("POST", base_url, path, body, stream=stream) for name in flavours
        }
        for name, source in self.sources.items():
            editor = QPlainTextEdit(source, self)
            editor.setObjectName(f"code.{name}")
            editor.setReadOnly(True)
            editor.setFont(mono)
            editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            self.tabs.addTab(editor, "")
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("code.copy")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self._retranslate()

    def current_source(self) -> str:
        return list(self.sources.values())[self.tabs.currentIndex()]

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.current_source())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("View code"))
        labels = {
            "curl": self.tr("curl"),
            "httpx": self.tr("Python (httpx)"),
            "openai": self.tr("Python (openai SDK)"),
        }
        for index, name in enumerate(self.sources):
            self.tabs.setTabText(index, labels[name])
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the code"))
