"""The main window shell: tabs, menus, status bar (balance, badges), live language switch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QTabWidget
from pytestqt.qtbot import QtBot

from sfdesk.memory_keyring import MemoryKeyring
from sfdesk.sandbox import SandboxServer
from sfdesk.secrets import KeyStore
from sfdesk.ui.context import AppContext
from sfdesk.ui.key_dialog import KeyDialog
from sfdesk.ui.main_window import MainWindow
from sfdesk.ui.settings_dialog import SettingsDialog

TAB_NAMES = ["tab.chat", "tab.embeddings", "tab.rerank", "tab.images", "tab.transcribe"]
ACCESSIBLE_NAMES = [
    "Chat",
    "Embeddings similarity",
    "Rerank comparison",
    "Image generation",
    "Microphone transcription",
]


@pytest.fixture
def make_window(qtbot: QtBot, make_ctx: Callable[..., AppContext], run_async: Any) -> Any:
    windows: list[MainWindow] = []

    def factory(**ctx_options: Any) -> MainWindow:
        # Not qtbot.addWidget: pytest-qt would delete the window before this fixture's
        # teardown could shut its controllers down, the way the app does.
        window = MainWindow(make_ctx(**ctx_options))
        windows.append(window)
        return window

    yield factory
    for window in windows:
        window.close()
        run_async(window.shutdown())
        window.deleteLater()


def _sandbox_window(
    make_window: Any, sandbox: SandboxServer, key: str = "sk-sandbox"
) -> MainWindow:
    window: MainWindow = make_window(base_url=sandbox.base_url, api_key=key, sandbox=True)
    return window


def test_five_tabs_with_object_and_accessible_names(make_window: Any) -> None:
    window = make_window()
    assert window.objectName() == "main.window"
    tabs = window.findChild(QTabWidget, "main.tabs")
    assert tabs is window.tabs
    assert [tabs.widget(i).objectName() for i in range(tabs.count())] == TAB_NAMES
    assert [tabs.widget(i).accessibleName() for i in range(tabs.count())] == ACCESSIBLE_NAMES
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Chat",
        "Embeddings",
        "Rerank",
        "Images",
        "Transcription",
    ]


def test_menus_and_shortcuts(make_window: Any) -> None:
    window = make_window()
    assert window.settings_action.shortcut() == QKeySequence("Ctrl+,")
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Help"]
    file_items = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    assert file_items == ["&Settings…", "API &key…", "&Quit"]
    for index, action in enumerate(window.tab_actions):
        assert action.shortcut() == QKeySequence(f"Ctrl+{index + 1}")
        action.trigger()
        assert window.tabs.currentIndex() == index


def test_quit_closes_the_window(qtbot: QtBot, make_window: Any) -> None:
    window = make_window()
    window.show()
    with qtbot.waitSignal(window.sig_window_closed, timeout=5_000):
        window.quit_action.trigger()
    assert not window.isVisible()


def test_sandbox_badge_only_in_sandbox_mode(make_window: Any, sandbox: SandboxServer) -> None:
    normal = make_window()
    assert normal.findChild(QLabel, "status.sandbox") is None
    assert normal.windowTitle() == "sfdesk"
    boxed = _sandbox_window(make_window, sandbox)
    badge = boxed.findChild(QLabel, "status.sandbox")
    assert badge is not None and badge.text() == "SANDBOX"
    boxed.show()
    assert badge.isVisible()
    assert "Sandbox" in boxed.windowTitle()
    assert not boxed.key_action.isEnabled()  # the sandbox key is fixed


def test_balance_appears_in_the_status_bar(
    qtbot: QtBot, make_window: Any, sandbox: SandboxServer
) -> None:
    window = _sandbox_window(make_window, sandbox)
    status = window.status
    with qtbot.waitSignal(status.balance_controller.sig_balance_loaded, timeout=10_000):
        window.show()
    assert status.balance_label.text() == "Balance: ¥88.88"
    assert "¥0.88" in status.balance_label.toolTip()
    assert status.provider_label.text().startswith("127.0.0.1:")
    # Refresh fetches again.
    with qtbot.waitSignal(status.balance_controller.sig_balance_loaded, timeout=10_000):
        status.refresh_button.click()
    assert status.balance_label.text() == "Balance: ¥88.88"


def test_balance_error_is_short_with_details_in_the_tooltip(
    qtbot: QtBot, make_window: Any, sandbox: SandboxServer
) -> None:
    window = _sandbox_window(make_window, sandbox, key="sk-wrong")
    status = window.status
    with qtbot.waitSignal(status.balance_controller.sig_task_failed, timeout=10_000):
        window.show()
    assert status.balance_label.text() == "Balance unavailable: Invalid API key"
    tooltip = status.balance_label.toolTip()
    assert "The API key was rejected" in tooltip and "HTTP status: 401" in tooltip
    assert "Traceback" not in tooltip


def test_without_a_key_the_key_dialog_opens_on_first_show(qtbot: QtBot, make_window: Any) -> None:
    window = make_window()
    window.show()
    qtbot.waitUntil(
        lambda: (d := window.findChild(KeyDialog, "dialog.key")) is not None and d.isVisible(),
        timeout=5_000,
    )
    assert "No API key" in window.status.balance_label.text()


def test_saving_a_key_repoints_the_client_and_refreshes_the_balance(
    qtbot: QtBot, make_window: Any, sandbox: SandboxServer, keys: KeyStore
) -> None:
    window = make_window()
    window.show()
    qtbot.waitUntil(lambda: window.findChild(KeyDialog, "dialog.key") is not None, timeout=5_000)
    dialog = window.findChild(KeyDialog, "dialog.key")
    dialog.site_combo.setCurrentIndex(dialog.site_combo.findData("custom"))
    dialog.base_url_edit.setText(sandbox.base_url)
    dialog.key_edit.setText("sk-sandbox")
    with qtbot.waitSignal(window.status.balance_controller.sig_balance_loaded, timeout=10_000):
        dialog.save_button.click()
    assert window.status.balance_label.text() == "Balance: 88.88"  # custom server: no currency
    assert window._ctx.client.base_url == sandbox.base_url
    assert keys.get(sandbox.base_url) == "sk-sandbox"


def test_memory_only_indicator_without_a_keyring(make_window: Any, qtbot: QtBot) -> None:
    window = make_window(keystore=KeyStore(backend=MemoryKeyring()))
    window.show()
    # The key store is consulted once the window has painted (start-up time, design.md §5).
    qtbot.waitUntil(window.status.key_memory_label.isVisible, timeout=5_000)
    assert window.status.key_memory_label.text() == "Key in memory only"
    assert not window.status.key_env_label.isVisible()
    persistent = make_window()
    with qtbot.waitSignal(persistent.sig_window_shown, timeout=5_000):
        persistent.show()
    assert not persistent.status.key_memory_label.isVisible()


def test_the_keyring_is_read_only_after_the_first_paint(make_window: Any, qtbot: QtBot) -> None:
    backend = MemoryKeyring(persistent=True)
    base_url = "http://127.0.0.1:9/v1"  # nothing listens: the balance fetch just fails
    KeyStore(backend=backend).set(base_url, "sk-stored-in-the-keyring")
    lazy = KeyStore(backend=backend)  # same backend, not consulted yet
    window = make_window(keystore=lazy, base_url=base_url)
    assert not lazy.resolved  # building the window did not touch the keyring
    with qtbot.waitSignal(window.sig_window_shown, timeout=5_000):
        window.show()
    assert lazy.resolved
    assert window._ctx.api_key() == "sk-stored-in-the-keyring"


def test_a_key_from_the_environment_is_named_as_such(
    make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SILICONFLOW_API_KEY", "sk-from-the-environment")
    window = make_window(keystore=KeyStore(backend=MemoryKeyring()))
    window.show()
    # Nothing is stored when the key comes from the environment: "memory only" would be wrong.
    assert not window.status.key_memory_label.isVisible()
    assert window.status.key_env_label.isVisible()
    assert "SILICONFLOW_API_KEY" in window.status.key_env_label.text()


def test_language_switch_retranslates_live(make_window: Any) -> None:
    window = make_window()
    ctx = window._ctx
    ctx.translations.apply("zh_CN")
    assert [window.tabs.tabText(i) for i in range(5)] == [
        "对话",
        "嵌入",
        "重排序",
        "图像",
        "语音转写",
    ]
    assert window.file_menu.title() == "文件(&F)"
    assert window.tabs.widget(0).accessibleName() == "对话"
    ctx.translations.apply("en")
    assert window.tabs.tabText(0) == "Chat"
    assert window.file_menu.title() == "&File"


def test_settings_dialog_language_applies_live_and_cancel_reverts(
    qtbot: QtBot, make_window: Any
) -> None:
    window = make_window()
    window.show()
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog, "dialog.settings")
    assert dialog is not None and dialog.isVisible()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    assert window.tabs.tabText(0) == "对话"
    assert dialog.windowTitle() == "设置"
    dialog.reject()
    assert window.tabs.tabText(0) == "Chat"


def test_window_geometry_is_remembered(qtbot: QtBot, make_window: Any) -> None:
    first = make_window()
    first.show()
    first.resize(QSize(700, 500))  # within the offscreen screen (800×600), or Qt clamps it
    first.tabs.setCurrentIndex(2)
    first.close()
    second = make_window()
    assert second.size() == QSize(700, 500)
    assert second.tabs.currentIndex() == 2
