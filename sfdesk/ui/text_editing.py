"""Small pieces shared by the panels' multi-line text inputs (texts to embed, documents to rank).

This module owns replacing an editor's whole text as one undoable edit, and the non-modal
"open a file of texts" dialog; each panel keeps its own wording and object names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QPlainTextEdit, QWidget


def replace_all(editor: QPlainTextEdit, text: str) -> None:
    """Put ``text`` in ``editor`` as one edit that Ctrl+Z takes back."""
    # Through a cursor rather than setPlainText, which would also wipe the undo history.
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    cursor.endEditBlock()
    editor.moveCursor(QTextCursor.MoveOperation.Start)


def open_file_dialog(
    parent: QWidget,
    title: str,
    object_name: str,
    name_filters: Sequence[str],
    on_chosen: Callable[[Path], None],
) -> QFileDialog:
    """Ask for one existing file without blocking; ``on_chosen`` gets the path."""
    dialog = QFileDialog(parent, title)
    dialog.setObjectName(object_name)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters(list(name_filters))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda name: on_chosen(Path(name)))
    dialog.open()  # not exec(): no nested event loop while requests run
    return dialog
