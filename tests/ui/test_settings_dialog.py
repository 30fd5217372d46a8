"""The settings dialog: saved values, live theme, and the client picking up new limits."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QSpinBox
from pytestqt.qtbot import QtBot

from sfdesk.ui.context import AppContext
from sfdesk.ui.settings_dialog import SettingsDialog


def _open(qtbot: QtBot, ctx: AppContext) -> SettingsDialog:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_controls_have_names_units_and_the_current_values(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    dialog = _open(qtbot, make_ctx())
    assert dialog.objectName() == "dialog.settings"
    spin = dialog.findChild(QSpinBox, "settings.connect_timeout")
    assert spin is not None and spin.value() == 10 and spin.suffix() == " s"
    retries = dialog.findChild(QSpinBox, "settings.max_retries")
    assert retries is not None and retries.value() == 2
    assert [dialog.language_combo.itemText(i) for i in range(3)] == [
        "System default",
        "English",
        "简体中文",
    ]
    for combo in (dialog.language_combo, dialog.theme_combo, spin):
        assert combo.accessibleName()


def test_ok_saves_and_the_client_gets_the_new_limits(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], isolated_user: Path
) -> None:
    ctx = make_ctx()
    dialog = _open(qtbot, ctx)
    dialog.timeout_spins["connect_timeout"].setValue(5)
    dialog.timeout_spins["long_timeout"].setValue(900)
    dialog.retries_spin.setValue(4)
    saved_signal = dialog.sig_settings_saved
    saved_signal.connect(ctx.apply_limits)
    with qtbot.waitSignal(saved_signal, timeout=5_000):
        dialog.ok_button.click()
    saved = json.loads((isolated_user / "config" / "settings.json").read_text(encoding="utf-8"))
    assert saved["connect_timeout"] == 5.0 and saved["long_timeout"] == 900.0
    assert saved["max_retries"] == 4
    assert ctx.client.timeouts.connect == 5.0 and ctx.client.timeouts.long == 900.0


def test_theme_applies_live_and_cancel_restores(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], qapp: QApplication
) -> None:
    ctx = make_ctx()
    ctx.theme.apply("light")
    light = qapp.palette().color(QPalette.ColorRole.Window)
    dialog = _open(qtbot, ctx)
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dark = qapp.palette().color(QPalette.ColorRole.Window)
    assert dark.lightness() < 80 < light.lightness()
    assert ctx.theme.is_dark
    dialog.reject()
    assert qapp.palette().color(QPalette.ColorRole.Window) == light


def test_restore_defaults(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> None:
    dialog = _open(qtbot, make_ctx())
    dialog.retries_spin.setValue(9)
    dialog.defaults_button.click()
    assert dialog.retries_spin.value() == 2


def test_connection_button_asks_for_the_key_dialog(
    qtbot: QtBot, make_ctx: Callable[..., AppContext]
) -> None:
    dialog = _open(qtbot, make_ctx())
    with qtbot.waitSignal(dialog.sig_key_dialog_requested, timeout=1_000):
        dialog.connection_button.click()
    sandboxed = _open(qtbot, make_ctx(sandbox=True, api_key="sk-sandbox"))
    assert not sandboxed.connection_button.isEnabled()


def test_system_theme_follows_the_color_scheme(
    make_ctx: Callable[..., AppContext], qapp: QApplication, monkeypatch: Any
) -> None:
    from sfdesk.ui import theme as theme_module

    ctx = make_ctx()
    monkeypatch.setattr(theme_module, "system_is_dark", lambda: False)
    ctx.theme.apply("system")
    assert not ctx.theme.is_dark
    monkeypatch.setattr(theme_module, "system_is_dark", lambda: True)
    ctx.theme._on_hints_color_scheme_changed(Qt.ColorScheme.Dark)
    assert ctx.theme.is_dark
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
    ctx.theme.apply("light")  # an explicit choice ignores the system
    ctx.theme._on_hints_color_scheme_changed(Qt.ColorScheme.Dark)
    assert not ctx.theme.is_dark
