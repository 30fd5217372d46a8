"""A panel's run history as the user sees it (``PREFIX.history``): a hint line above a list of
runs, newest first. Enter or a double-click asks to show the selected run again, Delete asks to
remove the selected runs; both are also the list's context menu (non-blocking, no ``exec()``).

The panel owns what an entry says (its text and tooltip) and what showing or deleting means; this
widget owns the list, its actions and their enabled state, and the "history unavailable" hint.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: One entry: the run's id, the line shown, its tooltip.
Entry = tuple[int, str, str]


class RunHistoryView(QWidget):
    sig_open_requested = Signal(int)  # run id
    sig_delete_requested = Signal(list)  # list[int], in list order

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}.history_view")
        self.hint = QLabel(self)
        self.hint.setObjectName(f"{prefix}.history_hint")
        self.hint.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName(f"{prefix}.history")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Long entries end in "…" (the tooltip has all of them) rather than scroll sideways.
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The list's own actions are its context menu, and their shortcuts act while the list
        # has the focus.
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.open_action = QAction(self.list)
        self.open_action.setObjectName(f"{prefix}.history.open")
        self.open_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.delete_action = QAction(self.list)
        self.delete_action.setObjectName(f"{prefix}.history.delete")
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        for action in (self.open_action, self.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.list.addAction(action)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.hint)
        column.addWidget(self.list, 1)

        self.list.itemActivated.connect(self._on_list_item_activated)
        self.list.itemSelectionChanged.connect(self._sync_actions)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.delete_action.triggered.connect(self._on_delete_action_triggered)
        self._unavailable = False
        self._sync_actions()
        self._retranslate()

    def set_runs(self, entries: Sequence[Entry] | None, hint: str) -> None:
        """Show ``entries`` (None: the history could not be opened) under ``hint``; the current
        entry stays current if it is still listed."""
        current = _run_id(self.list.currentItem())
        self.list.clear()
        for run_id, text, tooltip in entries or ():
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, run_id)
            item.setToolTip(tooltip)
            self.list.addItem(item)
            if run_id == current:
                self.list.setCurrentItem(item)
        self._sync_actions()
        self._unavailable = entries is None
        self.hint.setText(self._unavailable_text() if self._unavailable else hint)

    def selected_ids(self) -> list[int]:
        """Run ids of the selected entries, in list order."""
        items = sorted(self.list.selectedItems(), key=self.list.row)
        return [run_id for item in items if isinstance(run_id := _run_id(item), int)]

    # -- slots --------------------------------------------------------------------------------

    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        run_id = _run_id(item)
        if run_id is not None:
            self.sig_open_requested.emit(run_id)

    def _on_open_action_triggered(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.sig_open_requested.emit(ids[0])

    def _on_delete_action_triggered(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.sig_delete_requested.emit(ids)

    def _sync_actions(self) -> None:
        selected = len(self.list.selectedItems())
        self.open_action.setEnabled(selected == 1)
        self.delete_action.setEnabled(selected > 0)

    # -- language -----------------------------------------------------------------------------

    def _unavailable_text(self) -> str:
        return self.tr("The run history could not be opened, so runs are not being saved.")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.list.setAccessibleName(self.tr("Run history"))
        self.open_action.setText(self.tr("Show again"))
        self.delete_action.setText(self.tr("Delete"))
        if self._unavailable:
            self.hint.setText(self._unavailable_text())


def _run_id(item: QListWidgetItem | None) -> int | None:
    value = None if item is None else item.data(Qt.ItemDataRole.UserRole)
    return value if isinstance(value, int) else None
