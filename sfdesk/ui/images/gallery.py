"""The gallery (``img.gallery``): every image kept, newest first, with lazy thumbnails.

The list holds only the entries' metadata; a thumbnail is asked for the first time the view
paints its row (:class:`GalleryModel` collects those asks and hands them to the controller in one
batch per event-loop turn), so a gallery of thousands opens at once and loads what is on screen.
Filters (text in the prompt, model) work on the entries in memory.

Actions — open full size, save as, copy, reuse parameters, download again, delete — are buttons,
a context menu and keys (Enter, Ctrl+C, Delete); the panel does them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QIcon, QImage, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from sfdesk.store.image_gallery import GalleryEntry

ICON_SIZE = 160
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def link_expiry(url: str) -> datetime | None:
    """When a signed image link stops working (its ``Expires`` query value)."""
    values = parse_qs(urlsplit(url).query).get("Expires")
    if not values or not values[0].isdigit():
        return None
    return datetime.fromtimestamp(int(values[0]))


class GalleryModel(QAbstractListModel):
    """Entries with their thumbnails, loaded when first shown."""

    sig_thumbnails_wanted = Signal(list)  # list[int]: entry ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[GalleryEntry] = []
        self._rows: dict[int, int] = {}
        self._icons: dict[int, QIcon] = {}
        self._wanted: list[int] = []
        self._asked: set[int] = set()
        self._placeholder = _placeholder_icon(QColor(128, 128, 128, 60), "")
        self._failed = _placeholder_icon(QColor(200, 120, 40, 90), "!")
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._on_flush_timeout)

    def set_entries(self, entries: Sequence[GalleryEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self._rows = {entry.id: row for row, entry in enumerate(self._entries)}
        # Thumbnails of deleted entries go; the others are kept across filters.
        alive = set(self._rows)
        self._icons = {k: v for k, v in self._icons.items() if k in alive}
        self._asked &= alive
        self.endResetModel()

    def forget(self, entry_id: int) -> None:
        """Drop a cached thumbnail (the entry's file changed, e.g. downloaded again)."""
        self._icons.pop(entry_id, None)
        self._asked.discard(entry_id)

    def entry(self, row: int) -> GalleryEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def row_of(self, entry_id: int) -> int | None:
        return self._rows.get(entry_id)

    def has_thumbnail(self, entry_id: int) -> bool:
        return entry_id in self._icons

    def set_thumbnail(self, entry_id: int, image: QImage) -> None:
        if image.isNull():
            self._icons[entry_id] = self._failed
        else:
            self._icons[entry_id] = QIcon(QPixmap.fromImage(image))
        row = self._rows.get(entry_id)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _short(entry.prompt)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return entry.prompt
        if role == ENTRY_ROLE:
            return entry
        return None

    def _icon(self, entry: GalleryEntry) -> QIcon:
        if not entry.saved:
            return self._failed
        icon = self._icons.get(entry.id)
        if icon is not None:
            return icon
        if entry.id not in self._asked:
            self._asked.add(entry.id)
            self._wanted.append(entry.id)
            self._flush.start()
        return self._placeholder

    def _on_flush_timeout(self) -> None:
        wanted, self._wanted = self._wanted, []
        if wanted:
            self.sig_thumbnails_wanted.emit(wanted)

    def _tooltip(self, entry: GalleryEntry) -> str:
        lines = [entry.prompt[:300], self.tr("Model: %1").replace("%1", entry.model)]
        if entry.width:
            size = self.tr("Size: %1×%2")
            lines.append(size.replace("%1", str(entry.width)).replace("%2", str(entry.height)))
        if entry.seed is not None:
            lines.append(self.tr("Seed: %1").replace("%1", str(entry.seed)))
        created = datetime.fromtimestamp(entry.created_at).strftime("%Y-%m-%d %H:%M")
        lines.append(self.tr("Made: %1").replace("%1", created))
        if entry.kind == "grid":
            lines.append(self.tr("A comparison grid"))
        if not entry.saved:
            expiry = link_expiry(entry.urls[0]) if entry.urls else None
            lines.append(self.tr("Not downloaded: the parameters are kept."))
            if expiry is not None:
                until = self.tr("Its link works until %1.")
                lines.append(until.replace("%1", expiry.strftime("%H:%M")))
        return "\n".join(lines)


def _short(prompt: str) -> str:
    text = " ".join(prompt.split())
    return text if len(text) <= 28 else text[:27] + "…"


def _placeholder_icon(colour: QColor, mark: str) -> QIcon:
    pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
    pixmap.fill(colour)
    if mark:
        painter = QPainter(pixmap)
        font = painter.font()
        font.setPixelSize(ICON_SIZE // 3)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, mark)
        painter.end()
    return QIcon(pixmap)


class GalleryView(QWidget):
    """The filter, the icon list and the actions on the chosen entries."""

    sig_open_requested = Signal(object)  # GalleryEntry
    sig_save_requested = Signal(object)
    sig_copy_requested = Signal(object)
    sig_reuse_requested = Signal(object)
    sig_retry_requested = Signal(object)
    sig_delete_requested = Signal(list)  # list[GalleryEntry]
    sig_thumbnails_wanted = Signal(list)  # list[int]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[GalleryEntry] = []
        self._available = True
        self.title = QLabel(self)
        self.title.setObjectName("img.gallery_title")
        self.filter = QLineEdit(self)
        self.filter.setObjectName("img.gallery_filter")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.model_filter = QComboBox(self)
        self.model_filter.setObjectName("img.gallery_model")
        self.model_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model_filter.currentIndexChanged.connect(self._apply_filter)
        self.model = GalleryModel(self)
        self.model.sig_thumbnails_wanted.connect(self.sig_thumbnails_wanted)
        self.list = QListView(self)
        self.list.setObjectName("img.gallery")
        self.list.setModel(self.model)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.list.setGridSize(QSize(ICON_SIZE + 24, ICON_SIZE + 40))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_context_menu)
        self.list.activated.connect(lambda _index: self._emit_current(self.sig_open_requested))
        self.list.selectionModel().selectionChanged.connect(self._sync_actions)
        self.hint = QLabel(self)
        self.hint.setObjectName("img.gallery_hint")
        self.hint.setWordWrap(True)

        self.buttons: dict[str, QPushButton] = {}
        self.menu_actions: dict[str, QAction] = {}
        buttons = QHBoxLayout()
        for key, signal in (
            ("open", self.sig_open_requested),
            ("save", self.sig_save_requested),
            ("copy", self.sig_copy_requested),
            ("reuse", self.sig_reuse_requested),
            ("retry", self.sig_retry_requested),
        ):
            button = QPushButton(self)
            button.setObjectName(f"img.{key}")
            button.clicked.connect(lambda _c=False, s=signal: self._emit_current(s))
            self.buttons[key] = button
            buttons.addWidget(button)
            action = QAction(self)
            action.triggered.connect(lambda _c=False, s=signal: self._emit_current(s))
            self.menu_actions[key] = action
        delete = QPushButton(self)
        delete.setObjectName("img.delete")
        delete.clicked.connect(self._emit_delete)
        self.buttons["delete"] = delete
        buttons.addWidget(delete)
        buttons.addStretch(1)
        delete_action = QAction(self)
        delete_action.triggered.connect(self._emit_delete)
        self.menu_actions["delete"] = delete_action
        # Keys on the list itself, so they never steal Ctrl+C from the text fields.
        for key, sequence in (
            ("copy", QKeySequence.StandardKey.Copy),
            ("delete", QKeySequence.StandardKey.Delete),
        ):
            shortcut = QAction(self.list)
            shortcut.setShortcut(sequence)
            shortcut.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.triggered.connect(self.menu_actions[key].trigger)
            self.list.addAction(shortcut)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.filter, 1)
        top.addWidget(self.model_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self._retranslate()
        self._sync_actions()

    # -- content ------------------------------------------------------------------------------

    def set_entries(self, entries: Sequence[GalleryEntry] | None) -> None:
        """The whole gallery, newest first; None when it cannot be opened."""
        self._available = entries is not None
        self._all = list(entries or [])
        models = sorted({entry.model for entry in self._all})
        chosen = self.model_filter.currentData()
        self.model_filter.blockSignals(True)
        self.model_filter.clear()
        self.model_filter.addItem(self.tr("All models"), None)
        for model in models:
            self.model_filter.addItem(model, model)
        index = self.model_filter.findData(chosen) if chosen else 0
        self.model_filter.setCurrentIndex(max(index, 0))
        self.model_filter.blockSignals(False)
        self._apply_filter()

    def entries(self) -> list[GalleryEntry]:
        """The entries shown (after the filters)."""
        return [e for row in range(self.model.rowCount()) if (e := self.model.entry(row))]

    def selected(self) -> list[GalleryEntry]:
        rows = sorted(index.row() for index in self.list.selectionModel().selectedIndexes())
        return [e for row in rows if (e := self.model.entry(row)) is not None]

    def current(self) -> GalleryEntry | None:
        chosen = self.selected()
        return chosen[0] if chosen else None

    def select(self, entry_id: int) -> None:
        row = self.model.row_of(entry_id)
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))

    def _apply_filter(self) -> None:
        selected = {entry.id for entry in self.selected()}
        text = self.filter.text().strip().casefold()
        model = self.model_filter.currentData()
        shown = [
            entry
            for entry in self._all
            if (not model or entry.model == model)
            and (
                not text
                or text in entry.prompt.casefold()
                or text in entry.negative_prompt.casefold()
            )
        ]
        self.model.set_entries(shown)
        for entry_id in selected:
            row = self.model.row_of(entry_id)
            if row is not None:
                self.list.selectionModel().select(
                    self.model.index(row), self.list.selectionModel().SelectionFlag.Select
                )
        self._sync_hint()
        self._sync_actions()

    def _sync_hint(self) -> None:
        if not self._available:
            text = self.tr(
                "The gallery could not be opened, so images are not kept after this session. "
                "The log file says why."
            )
        elif not self._all:
            text = self.tr(
                "Every image you generate is kept here, on this computer, with the parameters "
                "it was made with."
            )
        elif not self.model.rowCount():
            text = self.tr("No image matches the filter.")
        else:
            text = ""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))
        self.title.setText(self.tr("Gallery (%1)").replace("%1", str(len(self._all))))

    def _sync_actions(self) -> None:
        chosen = self.selected()
        one = chosen[0] if len(chosen) == 1 else None
        enabled = {
            "open": one is not None and one.saved,
            "save": one is not None and one.saved,
            "copy": one is not None and one.saved,
            "reuse": one is not None and one.kind == "image",
            "retry": one is not None and not one.saved,
            "delete": bool(chosen),
        }
        for key, value in enabled.items():
            self.buttons[key].setEnabled(value)
            self.menu_actions[key].setEnabled(value)
        self.buttons["retry"].setVisible(any(not entry.saved for entry in self._all))

    # -- actions ------------------------------------------------------------------------------

    def _emit_current(self, signal: Any) -> None:
        entry = self.current()
        if entry is not None:
            signal.emit(entry)

    def _emit_delete(self) -> None:
        chosen = self.selected()
        if chosen:
            self.sig_delete_requested.emit(chosen)

    def _on_list_context_menu(self, point: Any) -> None:
        index = self.list.indexAt(point)
        if index.isValid() and not self.list.selectionModel().isSelected(index):
            self.list.setCurrentIndex(index)
        if not self.selected():
            return
        menu = QMenu(self)
        menu.setObjectName("img.gallery_menu")
        for key in ("open", "save", "copy", "reuse", "retry"):
            if self.menu_actions[key].isEnabled():
                menu.addAction(self.menu_actions[key])
        menu.addSeparator()
        menu.addAction(self.menu_actions["delete"])
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.list.viewport().mapToGlobal(point))

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        texts = {
            "open": self.tr("Open"),
            "save": self.tr("Save as…"),
            "copy": self.tr("Copy"),
            "reuse": self.tr("Reuse parameters"),
            "retry": self.tr("Download again"),
            "delete": self.tr("Delete"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
            self.menu_actions[key].setText(text)
        self.buttons["open"].setToolTip(self.tr("Show the image at full size (Enter)"))
        self.buttons["copy"].setToolTip(self.tr("Copy the image to the clipboard (Ctrl+C)"))
        self.buttons["reuse"].setToolTip(
            self.tr("Put this image's model, prompt, size, steps and seed back in the form")
        )
        self.buttons["retry"].setToolTip(
            self.tr("Download an image that could not be fetched (links work for one hour)")
        )
        self.buttons["delete"].setToolTip(self.tr("Delete the chosen images (Delete)"))
        self.filter.setPlaceholderText(self.tr("Filter by prompt"))
        self.filter.setAccessibleName(self.tr("Filter the gallery by prompt"))
        self.model_filter.setAccessibleName(self.tr("Filter the gallery by model"))
        self.list.setAccessibleName(self.tr("Gallery"))
        if self.model_filter.count():
            self.model_filter.setItemText(0, self.tr("All models"))
        self._sync_hint()
