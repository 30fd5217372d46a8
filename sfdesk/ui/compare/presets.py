"""Prompt presets (``compare.presets_dialog``): save a column's set-up under a name, keep every
version, load one into a column, and see what changed between two versions.

A preset version holds a column's system prompt, the user prompt and the parameters
(:class:`~sfdesk.store.presets.PresetStore`); saving the same set-up again adds no version. The
dialog is modeless (the workbench stays usable) and every store call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from sfdesk.ui.tasks import Controller

if TYPE_CHECKING:
    from sfdesk.store.presets import PresetVersion
    from sfdesk.ui.compare.panel import ComparePanel

VERSION_ROLE = Qt.ItemDataRole.UserRole + 1


class PresetsDialog(QDialog):
    def __init__(self, panel: ComparePanel) -> None:
        super().__init__(panel)
        self.setObjectName("compare.presets_dialog")
        self.resize(900, 560)
        self._panel = panel
        # Its own controller: the window's shutdown finds it and waits for its store calls.
        self.worker = Controller(self)
        self.names = QListWidget(self)
        self.names.setObjectName("compare.preset_names")
        self.versions = QListWidget(self)
        self.versions.setObjectName("compare.preset_versions")
        self.versions.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view = QPlainTextEdit(self)
        self.view.setObjectName("compare.preset_view")
        self.view.setReadOnly(True)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.column = QComboBox(self)
        self.column.setObjectName("compare.preset_column")
        self.name = QLineEdit(self)
        self.name.setObjectName("compare.preset_name")
        self.note = QLineEdit(self)
        self.note.setObjectName("compare.preset_note")
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("compare.preset_save")
        self.load_button = QPushButton(self)
        self.load_button.setObjectName("compare.preset_load")
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName("compare.preset_delete")
        self.message = QLabel(self)
        self.message.setObjectName("compare.preset_message")
        self.message.setWordWrap(True)
        self._labels = {key: QLabel(self) for key in ("column", "name", "note", "lists")}

        lists = QHBoxLayout()
        lists.addWidget(self.names, 1)
        lists.addWidget(self.versions, 1)
        lists.addWidget(self.view, 3)
        save = QGridLayout()
        save.addWidget(self._labels["column"], 0, 0)
        save.addWidget(self.column, 0, 1)
        save.addWidget(self._labels["name"], 0, 2)
        save.addWidget(self.name, 0, 3)
        save.addWidget(self._labels["note"], 1, 2)
        save.addWidget(self.note, 1, 3)
        save.addWidget(self.save_button, 0, 4)
        save.addWidget(self.load_button, 1, 4)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self._labels["lists"])
        layout.addLayout(lists, 1)
        layout.addLayout(save)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.names.currentItemChanged.connect(
            lambda *_: self.worker.start("versions", self._list_versions())
        )
        self.versions.itemSelectionChanged.connect(
            lambda: self.worker.start("show", self._show_selection())
        )
        self.save_button.clicked.connect(lambda: self.worker.start("save", self.save()))
        self.load_button.clicked.connect(lambda: self.worker.start("load", self.load()))
        self.delete_button.clicked.connect(lambda: self.worker.start("delete", self.delete()))
        self._retranslate()

    # -- tasks --------------------------------------------------------------------------------

    async def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return await self._panel.controller.call_presets(method, *args, **kwargs)

    def refresh(self) -> asyncio.Task[Any]:
        self._fill_columns()
        return self.worker.start("list", self._list_names())

    def _fill_columns(self) -> None:
        current = self.column.currentIndex()
        self.column.clear()
        for index, column in enumerate(self._panel.columns):
            self.column.addItem(
                self.tr("Column %1: %2")
                .replace("%1", str(index + 1))
                .replace("%2", column.spec().label()),
                index,
            )
        self.column.setCurrentIndex(max(0, min(current, self.column.count() - 1)))

    async def _list_names(self, select: str | None = None) -> None:
        presets = await self._call("presets") or []
        chosen = select or (self.names.currentItem().text() if self.names.currentItem() else None)
        self.names.blockSignals(True)
        self.names.clear()
        for preset in presets:
            item = QListWidgetItem(preset.name)
            item.setToolTip(self.tr("%1 version(s)").replace("%1", str(preset.version_count)))
            self.names.addItem(item)
            if preset.name == chosen:
                self.names.setCurrentItem(item)
        self.names.blockSignals(False)
        await self._list_versions()

    async def _list_versions(self) -> None:
        item = self.names.currentItem()
        self.versions.clear()
        self.view.clear()
        if item is None:
            return
        for version in await self._call("versions", item.text()) or []:
            entry = QListWidgetItem(
                self.tr("v%1 %2").replace("%1", str(version.number)).replace("%2", version.note)
            )
            entry.setData(VERSION_ROLE, version)
            self.versions.addItem(entry)
        if self.versions.count():
            self.versions.setCurrentRow(self.versions.count() - 1)

    def selected_versions(self) -> list[PresetVersion]:
        items = sorted(self.versions.selectedItems(), key=self.versions.row)
        return [item.data(VERSION_ROLE) for item in items]

    async def _show_selection(self) -> None:
        """One version: its contents; two: what changed from the older to the newer."""
        chosen = self.selected_versions()
        if len(chosen) == 2:
            older, newer = sorted(chosen, key=lambda v: v.number)
            text = await self._call("diff", older, newer)
            self.view.setPlainText(text or self.tr("The two versions are the same."))
        elif len(chosen) == 1:
            self.view.setPlainText(self._describe(chosen[0]))
        else:
            self.view.clear()

    def _describe(self, version: PresetVersion) -> str:
        import json

        parameters = json.dumps(version.params, ensure_ascii=False, indent=2, sort_keys=True)
        return "\n\n".join(
            (
                self.tr("System prompt:") + "\n" + version.system_prompt,
                self.tr("User prompt:") + "\n" + version.user_prompt,
                self.tr("Parameters:") + "\n" + parameters,
            )
        )

    # -- actions ------------------------------------------------------------------------------

    async def save(self) -> PresetVersion | None:
        name = self.name.text().strip()
        index = self.column.currentData()
        if not name or index is None or index >= len(self._panel.columns):
            self.message.setText(self.tr("Choose a column and type a name for the preset."))
            return None
        spec = self._panel.columns[index].spec()
        version: PresetVersion | None = await self._call(
            "save",
            name,
            system_prompt=spec.system_prompt,
            user_prompt=self._panel.input.toPlainText(),
            params={"model": spec.model, "variant": spec.variant, **dict(spec.params)},
            note=self.note.text().strip(),
        )
        if version is None:
            self.message.setText(self.tr("The presets could not be saved (see the log)."))
            return None
        self.message.setText(
            self.tr("Saved “%1” as version %2.")
            .replace("%1", name)
            .replace("%2", str(version.number))
        )
        self.note.clear()
        await self._list_names(select=name)
        return version

    async def load(self) -> bool:
        chosen = self.selected_versions()
        index = self.column.currentData()
        if len(chosen) != 1 or index is None or index >= len(self._panel.columns):
            self.message.setText(self.tr("Choose one version and the column to load it into."))
            return False
        version = chosen[0]
        params = dict(version.params)
        model = str(params.pop("model", "") or self._panel.columns[index].spec().model)
        variant = str(params.pop("variant", "") or "")
        self._panel.columns[index].apply(model, version.system_prompt, params, variant)
        if version.user_prompt:
            self._panel.input.setPlainText(version.user_prompt)
        self.message.setText(
            self.tr("Loaded version %1 into column %2.")
            .replace("%1", str(version.number))
            .replace("%2", str(index + 1))
        )
        self._fill_columns()
        return True

    async def delete(self) -> None:
        item = self.names.currentItem()
        if item is None:
            return
        await self._call("delete", item.text())
        await self._list_names()

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Prompt presets"))
        self._labels["lists"].setText(
            self.tr("Presets, their versions (choose two to see what changed), and a version:")
        )
        self._labels["column"].setText(self.tr("Column"))
        self._labels["name"].setText(self.tr("Name"))
        self._labels["note"].setText(self.tr("Note"))
        self.note.setPlaceholderText(self.tr("what changed (optional)"))
        self.save_button.setText(self.tr("Save column as preset"))
        self.load_button.setText(self.tr("Load into column"))
        self.delete_button.setText(self.tr("Delete preset"))
        self.names.setAccessibleName(self.tr("Presets"))
        self.versions.setAccessibleName(self.tr("Versions"))
