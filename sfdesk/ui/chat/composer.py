"""Where the next message is written (objectName ``chat.composer``): the input box, the images
attached to it, an "Attach image" button, and the banner shown while a sent message is edited.

Editing puts the old message's text and images here; the draft that was being typed is kept and
comes back if the edit is cancelled, so nothing typed is ever lost. The composer only holds state;
the panel decides what Send does with it (a new message, or ``edit_and_resend``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sfdesk.store import Message
from sfdesk.ui.chat.attachments import IMAGE_SUFFIXES, AttachmentBar, ChatInput


class Composer(QWidget):
    sig_edit_changed = Signal(object)  # int | None: the message being edited

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chat.composer")
        self._editing: int | None = None
        self._draft: tuple[str, list[dict[str, Any]]] = ("", [])

        self.banner = QWidget(self)
        self.banner.setObjectName("chat.edit_banner")
        self.banner_label = QLabel(self.banner)
        self.banner_label.setWordWrap(True)
        self.cancel_edit_button = QPushButton(self.banner)
        self.cancel_edit_button.setObjectName("chat.cancel_edit")
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(0, 0, 0, 0)
        banner_row.addWidget(self.banner_label, 1)
        banner_row.addWidget(self.cancel_edit_button)
        self.banner.setVisible(False)

        self.attachments = AttachmentBar(self)
        self.notice = QLabel(self)
        self.notice.setObjectName("chat.notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #c0392b")
        self.notice.setVisible(False)

        self.input = ChatInput(self.attachments, self)
        self.input.setObjectName("chat.input")
        self.input.setMaximumHeight(110)
        self.attach_button = QPushButton(self)
        self.attach_button.setObjectName("chat.attach")

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.attachments)
        column.addWidget(self.notice)
        column.addWidget(self.input)

        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self.attach_button.clicked.connect(self.pick_images)
        self.attachments.sig_problem.connect(self.show_notice)
        self._retranslate()

    # -- state --------------------------------------------------------------------------------

    def text(self) -> str:
        return self.input.toPlainText()

    def images(self) -> list[dict[str, Any]]:
        return self.attachments.attachments()

    def is_empty(self) -> bool:
        return not self.text().strip() and not self.images()

    @property
    def editing(self) -> int | None:
        """The id of the message being edited, if any."""
        return self._editing

    def clear(self) -> None:
        """After a send: empty, and out of edit mode."""
        self.input.clear()
        self.attachments.clear()
        self.show_notice("")
        self._set_editing(None)

    # -- editing ------------------------------------------------------------------------------

    def insert_text(self, text: str) -> None:
        """Add ``text`` to the message being typed (after what is there), e.g. a transcript."""
        cursor = self.input.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        if self.input.toPlainText().strip():
            cursor.insertText("\n")
        cursor.insertText(text)
        self.input.setTextCursor(cursor)
        self.input.setFocus()

    def begin_edit(self, message: Message) -> None:
        if self._editing is None:
            self._draft = (self.text(), self.images())
        self.input.setPlainText(message.content)
        self.attachments.set_attachments(message.attachments)
        self._set_editing(message.id)
        self.input.setFocus()
        self.input.moveCursor(self.input.textCursor().MoveOperation.End)

    def cancel_edit(self) -> None:
        """Leave edit mode and bring back what was being typed before."""
        if self._editing is None:
            return
        text, images = self._draft
        self._draft = ("", [])
        self.input.setPlainText(text)
        self.attachments.set_attachments(images)
        self._set_editing(None)

    def _set_editing(self, message_id: int | None) -> None:
        if message_id is None:
            self._draft = ("", [])
        changed = message_id != self._editing
        self._editing = message_id
        self.banner.setVisible(message_id is not None)
        if changed:
            self.sig_edit_changed.emit(message_id)

    # -- images -------------------------------------------------------------------------------

    def pick_images(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Attach images"))
        dialog.setObjectName("chat.attach_dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        patterns = " ".join(f"*{suffix}" for suffix in sorted(IMAGE_SUFFIXES))
        dialog.setNameFilters([self.tr("Images (%1)").replace("%1", patterns)])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.attachments.add_files)
        dialog.open()  # not exec(): no nested event loop while replies stream
        return dialog

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.banner_label.setText(
            self.tr("Editing a sent message: sending replaces it and everything after it.")
        )
        self.cancel_edit_button.setText(self.tr("Cancel edit"))
        self.input.setPlaceholderText(
            self.tr("Message (Ctrl+Enter to send; paste or drop images to attach)")
        )
        self.input.setAccessibleName(self.tr("Message"))
        self.attach_button.setText(self.tr("Image…"))
        self.attach_button.setToolTip(self.tr("Attach images for a vision model (up to 4)"))
        self.attach_button.setAccessibleName(self.tr("Attach images"))
        self.attachments.setAccessibleName(self.tr("Attached images"))
