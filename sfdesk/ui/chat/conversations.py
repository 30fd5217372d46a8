"""The list of stored conversations: search, New, and rename/delete from a context menu.

It reads the store directly (a local SQLite file, fast) and asks for confirmation before
deleting. Choosing a conversation or "New" is reported by signals; the panel does the rest.
Dialogs are opened with ``open()`` (no nested event loop), so asyncio keeps running.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sfdesk.store import ConversationStore

ID_ROLE = Qt.ItemDataRole.UserRole


class ConversationList(QWidget):
    sig_conversation_selected = Signal(int)
    sig_new_requested = Signal()
    sig_conversation_deleted = Signal(int)
    sig_export_requested = Signal(int)

    def __init__(self, store: ConversationStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._current: int | None = None
        self._dialog: QWidget | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("chat.search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.reload)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("chat.new")
        self.new_button.clicked.connect(self.sig_new_requested)
        self.list = QListWidget(self)
        self.list.setObjectName("chat.conversations")
        # Long titles are elided (full title in the tooltip) rather than scrolled sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_context_menu_requested)
        self.list.itemActivated.connect(self._on_list_item_chosen)
        self.list.itemClicked.connect(self._on_list_item_chosen)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self._retranslate()
        self.reload()

    def set_current(self, conversation_id: int | None) -> None:
        self._current = conversation_id
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for conversation in self._store.list_conversations(search=self.search.text()):
            item = QListWidgetItem(conversation.title or self.tr("(untitled)"))
            item.setData(ID_ROLE, conversation.id)
            item.setToolTip(f"{item.text()}\n{conversation.model}")
            self.list.addItem(item)
            if conversation.id == self._current:
                self.list.setCurrentItem(item)

    def titles(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    # -- slots --------------------------------------------------------------------------------

    def _on_list_item_chosen(self, item: QListWidgetItem) -> None:
        conversation_id = int(item.data(ID_ROLE))
        if conversation_id != self._current:
            self._current = conversation_id
            self.sig_conversation_selected.emit(conversation_id)

    def _on_list_context_menu_requested(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        conversation_id = int(item.data(ID_ROLE))
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(self.tr("Rename…"), lambda: self.rename(conversation_id, item.text()))
        menu.addAction(self.tr("Export…"), lambda: self.sig_export_requested.emit(conversation_id))
        menu.addAction(self.tr("Delete…"), lambda: self.confirm_delete(conversation_id))
        menu.popup(self.list.viewport().mapToGlobal(pos))

    def rename(self, conversation_id: int, title: str) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("dialog.rename_conversation")
        dialog.setWindowTitle(self.tr("Rename conversation"))
        dialog.setLabelText(self.tr("Title:"))
        dialog.setTextValue(title)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda text: self._rename(conversation_id, text))
        self._dialog = dialog
        dialog.open()

    def _rename(self, conversation_id: int, title: str) -> None:
        if title.strip():
            self._store.rename_conversation(conversation_id, title.strip())
            self.reload()

    def confirm_delete(self, conversation_id: int) -> None:
        box = QMessageBox(self)
        box.setObjectName("dialog.delete_conversation")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete conversation"))
        box.setText(
            self.tr("Delete this conversation and all its messages? This cannot be undone.")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda result: (
                self._delete(conversation_id) if result == QMessageBox.StandardButton.Yes else None
            )
        )
        self._dialog = box
        box.open()

    def _delete(self, conversation_id: int) -> None:
        # The panel stops a reply streaming into it before the rows go.
        self.sig_conversation_deleted.emit(conversation_id)
        self._store.delete_conversation(conversation_id)
        if self._current == conversation_id:
            self._current = None
        self.reload()

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search conversations"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.new_button.setText(self.tr("New"))
        self.new_button.setToolTip(self.tr("New conversation (Ctrl+N)"))
        self.new_button.setAccessibleName(self.tr("New conversation"))
        self.list.setAccessibleName(self.tr("Conversations"))
