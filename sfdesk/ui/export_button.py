"""A panel's Export button (``PREFIX.export``): a menu of the kinds of file it can write, and the
non-blocking "save as" dialog for the kind chosen.

A panel's export module lists its :class:`ExportKind` values (their texts marked for translation
in the panel's context, which translates them: see :meth:`ExportButton.retranslate`); what each
kind writes stays with the panel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget


@dataclass(frozen=True)
class ExportKind:
    key: str
    menu_text: str  # marked for translation in the panel's context
    name_filter: str  # likewise
    suffix: str
    basename: str


class ExportButton(QToolButton):
    sig_chosen = Signal(str)  # the key of the kind chosen in the menu

    def __init__(self, prefix: str, kinds: Sequence[ExportKind], parent: QWidget | None = None):
        super().__init__(parent)
        self._prefix = prefix
        self._kinds = tuple(kinds)
        self.setObjectName(f"{prefix}.export")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_ = QMenu(self)
        self.menu_.setObjectName(f"{prefix}.export_menu")
        self.actions_by_key: dict[str, QAction] = {}
        for kind in self._kinds:
            action = self.menu_.addAction("")
            action.setObjectName(f"{prefix}.export.{kind.key}")
            action.triggered.connect(lambda _checked=False, k=kind.key: self.sig_chosen.emit(k))
            self.actions_by_key[kind.key] = action
        self.setMenu(self.menu_)

    def set_available(self, available: bool) -> None:
        for action in self.actions_by_key.values():
            action.setEnabled(available)
        self.setEnabled(available)

    def retranslate(self, translate_kind: Callable[[str], str]) -> None:
        """Texts in the UI language; the kinds' through ``translate_kind`` (the panel's
        ``tr``: they are marked in its context)."""
        self.setText(self.tr("Export"))
        self.setAccessibleName(self.tr("Export"))
        for kind in self._kinds:
            self.actions_by_key[kind.key].setText(translate_kind(kind.menu_text))

    def save_dialog(
        self,
        kind: ExportKind,
        title: str,
        name_filter: str,
        on_chosen: Callable[[Path], object],
    ) -> QFileDialog:
        """Ask where to save ``kind``; ``on_chosen`` gets the path.

        Modeless, and never ``exec()``: no nested event loop while requests run, and the panel
        stays usable; the panel writes the file in a worker thread once a name is chosen.
        """
        dialog = QFileDialog(self.window(), title)
        dialog.setObjectName(f"{self._prefix}.export_dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([name_filter])
        dialog.setDefaultSuffix(kind.suffix)
        dialog.selectFile(f"{kind.basename}.{kind.suffix}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: on_chosen(Path(name)))
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.show()
        return dialog
