"""The main window: five tabs, the menus, the status bar, and the dialogs they open.

It owns no network logic itself: the status bar's controller fetches the balance, the dialogs test
and store keys, and the window re-points the app's one client when the key or site changes. On
close it saves its geometry, emits ``sig_window_closed`` and, through :meth:`MainWindow.shutdown`,
lets every controller among its children cancel and finish its tasks before the client is closed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QTabWidget, QWidget

import sfdesk
from sfdesk.paths import config_dir
from sfdesk.ui.chat.panel import ChatPanel
from sfdesk.ui.context import AppContext
from sfdesk.ui.embeddings.page import EmbeddingsPage
from sfdesk.ui.images.page import ImagesPage
from sfdesk.ui.key_dialog import KeyDialog
from sfdesk.ui.placeholders import PANELS, PanelInfo, PlaceholderPage, panel_text
from sfdesk.ui.rerank.page import RerankPage
from sfdesk.ui.resources import app_icon
from sfdesk.ui.settings_dialog import SettingsDialog
from sfdesk.ui.status_bar import StatusBar
from sfdesk.ui.tasks import Controller
from sfdesk.ui.transcribe.page import TranscribePage

log = logging.getLogger(__name__)

GEOMETRY_FILENAME = "window.ini"


def geometry_store(path: Path | None = None) -> QSettings:
    """Where the window keeps its size and layout (never anything else, never the key).

    An INI file in the config dir rather than QSettings' platform default, so
    ``SFDESK_DATA_DIR`` isolates it like every other file.
    """
    path = config_dir() / GEOMETRY_FILENAME if path is None else path
    return QSettings(str(path), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """The application window (objectName ``main.window``)."""

    sig_window_closed = Signal()
    #: After the first paint: the key store has been read and the balance fetch has started.
    sig_window_shown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main.window")
        self.setWindowIcon(app_icon())
        self._ctx = ctx
        self._shown_once = False
        self._key_dialog: KeyDialog | None = None
        self._settings_dialog: SettingsDialog | None = None
        self._about_box: QMessageBox | None = None

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("main.tabs")
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, QWidget] = {}
        for info in PANELS:
            page: QWidget
            if info.key == "chat" and ctx.store is not None:
                page = ChatPanel(ctx, ctx.store, self.tabs)
            elif info.key == "embeddings":
                # A light page: the panel is built when the tab is first opened.
                page = EmbeddingsPage(ctx, self.tabs)
            elif info.key == "rerank":
                page = RerankPage(ctx, self.tabs)  # light too: the panel waits for the tab
            elif info.key == "images":
                page = ImagesPage(ctx, self.tabs)
            elif info.key == "transcribe":
                page = TranscribePage(ctx, self.tabs)
                page.sig_send_to_chat_requested.connect(self.send_to_chat)
            else:
                page = PlaceholderPage(info, self.tabs)
            self.pages[info.key] = page
            self.tabs.addTab(page, "")
        self.setCentralWidget(self.tabs)

        self.status = StatusBar(ctx, self)
        self.status.sig_key_requested.connect(self.open_key_dialog)
        self.setStatusBar(self.status)

        self._build_actions()
        self._build_menus()
        self._restore_geometry()
        self._retranslate()

    # -- construction -----------------------------------------------------------------------

    def _action(
        self, name: str, shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None
    ) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_actions(self) -> None:
        self.settings_action = self._action("action.settings", "Ctrl+,")
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)

        self.key_action = self._action("action.api_key")
        self.key_action.triggered.connect(self.open_key_dialog)
        # The sandbox has one fixed key; there is nothing to change.
        self.key_action.setEnabled(not self._ctx.sandbox)

        self.quit_action = self._action("action.quit", QKeySequence.StandardKey.Quit)
        if self.quit_action.shortcut().isEmpty():  # no platform default (e.g. Windows)
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        self.about_action = self._action("action.about")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)

        self.tab_actions: list[QAction] = []
        for index, info in enumerate(PANELS):
            action = self._action(f"action.tab.{info.key}", f"Ctrl+{index + 1}")
            action.triggered.connect(lambda _checked=False, i=index: self.tabs.setCurrentIndex(i))
            self.addAction(action)  # active anywhere in the window, without a menu entry
            self.tab_actions.append(action)

    def _build_menus(self) -> None:
        self.file_menu = QMenu(self)
        self.file_menu.setObjectName("menu.file")
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addAction(self.key_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.menuBar().addMenu(self.file_menu)

        self.help_menu = QMenu(self)
        self.help_menu.setObjectName("menu.help")
        self.help_menu.addAction(self.about_action)
        self.menuBar().addMenu(self.help_menu)

    # -- pages ------------------------------------------------------------------------------

    def send_to_chat(self, text: str) -> None:
        """Put ``text`` (a transcript) in the Chat tab's input and show that tab."""
        chat = self.pages.get("chat")
        if isinstance(chat, ChatPanel):
            chat.composer.insert_text(text)
            self.tabs.setCurrentWidget(chat)

    def page(self, key: str) -> QWidget:
        return self.pages[key]

    def set_page(self, key: str, widget: QWidget) -> None:
        """Replace a placeholder by the real panel (later issues); the objectName moves along."""
        index = [info.key for info in PANELS].index(key)
        old = self.pages[key]
        widget.setObjectName(f"tab.{key}")
        current = self.tabs.currentIndex()
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, "")
        self.tabs.setCurrentIndex(current)
        self.pages[key] = widget
        old.deleteLater()
        self._retranslate()

    # -- dialogs ----------------------------------------------------------------------------

    def open_key_dialog(self) -> None:
        if self._ctx.sandbox:
            return
        if self._key_dialog is None:
            self._key_dialog = KeyDialog(self._ctx, self)
            self._key_dialog.sig_key_saved.connect(self._on_key_dialog_key_saved)
            self._key_dialog.finished.connect(self._on_key_dialog_finished)
        # open(): window-modal without a nested event loop, so asyncio keeps running.
        self._key_dialog.open()
        self._key_dialog.raise_()
        self._key_dialog.activateWindow()

    def open_settings(self) -> None:
        if self._settings_dialog is None:
            dialog = SettingsDialog(self._ctx, self)
            dialog.sig_settings_saved.connect(self._on_settings_dialog_settings_saved)
            dialog.sig_key_dialog_requested.connect(self.open_key_dialog)
            dialog.finished.connect(self._on_settings_dialog_finished)
            self._settings_dialog = dialog
        self._settings_dialog.open()

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("dialog.about")
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setWindowTitle(self.tr("About sfdesk"))
        box.setText(f"<b>sfdesk {sfdesk.__version__}</b>")
        from sfdesk.logs import LOG_FILENAME
        from sfdesk.paths import log_dir

        box.setInformativeText(
            self.tr(
                "A desktop playground for the SiliconFlow model API: chat, embeddings, rerank, "
                "image generation and transcription."
            )
            + "\n\n"
            + self.tr("Log file: %1").replace("%1", str(log_dir() / LOG_FILENAME))
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._about_box = box
        box.open()

    # -- slots ------------------------------------------------------------------------------

    def _on_key_dialog_key_saved(self, base_url: str) -> None:
        self._ctx.point_client_at(base_url)
        self.status.refresh_balance()

    def _on_key_dialog_finished(self, _result: int) -> None:
        # Kept (not deleted) until shutdown so its tester task is awaited there; only the
        # reference is dropped so the next opening starts from fresh state.
        dialog, self._key_dialog = self._key_dialog, None
        if dialog is not None:
            dialog.sig_key_saved.disconnect(self._on_key_dialog_key_saved)

    def _on_settings_dialog_settings_saved(self) -> None:
        self._ctx.apply_limits()

    def _on_settings_dialog_finished(self, _result: int) -> None:
        self._settings_dialog = None

    # -- lifecycle --------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Paint and not self._shown_once:
            self._shown_once = True
            # Whatever needs the key store waits until the window is on screen: reading the
            # keyring first costs ~100 ms of start-up (design.md §5), and the dialog that may
            # follow is then placed over the window.
            QTimer.singleShot(0, self._on_window_first_painted)
        return handled

    def _on_window_first_painted(self) -> None:
        log.info("main window shown")
        self._ctx.point_client_at(self._ctx.base_url)  # the stored key, now that we may look
        self.status.refresh_balance()
        if not self._ctx.sandbox and not self._ctx.has_key():
            self.open_key_dialog()
        self.sig_window_shown.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_geometry()
        for controller in self.controllers():
            controller.cancel_all()
        super().closeEvent(event)
        if event.isAccepted():
            self.sig_window_closed.emit()

    def controllers(self) -> list[Controller]:
        """Every controller owned by the window, its panels and its dialogs."""
        return self.findChildren(Controller)

    async def shutdown(self) -> None:
        """Cancel every task of every controller and wait until they have all ended."""
        for controller in self.controllers():
            await controller.shutdown()

    def _save_geometry(self) -> None:
        store = geometry_store()
        store.setValue("geometry", self.saveGeometry())
        store.setValue("state", self.saveState())
        store.setValue("tab", self.tabs.currentIndex())
        store.sync()

    def _restore_geometry(self) -> None:
        store = geometry_store()
        geometry = store.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        state = store.value("state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        try:
            tab = int(store.value("tab", 0))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            tab = 0
        if 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    # -- language ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        title = "sfdesk"
        if self._ctx.sandbox:
            title = self.tr("sfdesk — Sandbox")
        self.setWindowTitle(title)
        self.file_menu.setTitle(self.tr("&File"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.key_action.setText(self.tr("API &key…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.about_action.setText(self.tr("&About sfdesk"))
        self.tabs.setAccessibleName(self.tr("Panels"))
        for index, info in enumerate(PANELS):
            self._retranslate_tab(index, info)

    def _retranslate_tab(self, index: int, info: PanelInfo) -> None:
        tab_title = panel_text(info.tab_title)
        self.tabs.setTabText(index, tab_title)
        self.tabs.setTabToolTip(
            index,
            self.tr("%1 (Ctrl+%2)")
            .replace("%1", panel_text(info.title))
            .replace("%2", str(index + 1)),
        )
        self.pages[info.key].setAccessibleName(panel_text(info.title))
        self.tab_actions[index].setText(tab_title)
