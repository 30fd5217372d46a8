"""The "Connect to SiliconFlow" dialog against the sandbox: cleaning, testing, saving."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from sfdesk.api import AuthenticationError
from sfdesk.config import SITES
from sfdesk.memory_keyring import MemoryKeyring
from sfdesk.sandbox import SandboxServer
from sfdesk.secrets import KeyStore
from sfdesk.ui.context import AppContext
from sfdesk.ui.key_dialog import KeyDialog

SANDBOX_KEY = "sk-sandbox"


@pytest.fixture
def open_dialog(qtbot: QtBot, make_ctx: Callable[..., AppContext]) -> Callable[..., KeyDialog]:
    def opener(*, keystore: KeyStore | None = None) -> KeyDialog:
        ctx = make_ctx(keystore=keystore)
        dialog = KeyDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return opener


def _use_custom_url(dialog: KeyDialog, url: str) -> None:
    dialog.site_combo.setCurrentIndex(dialog.site_combo.findData("custom"))
    dialog.base_url_edit.setText(url)


def _test(qtbot: QtBot, dialog: KeyDialog, key: str, *, fails: bool) -> str:
    dialog.key_edit.setText(key)
    signal = dialog.tester.sig_task_failed if fails else dialog.tester.sig_task_finished
    with qtbot.waitSignal(signal, timeout=10_000):
        QTest.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.tester.alive_tasks(), timeout=5_000)
    text = dialog.result_label.text()
    assert "Traceback" not in text and key not in text
    return text


def test_object_names_and_site_choices(open_dialog: Callable[..., KeyDialog]) -> None:
    dialog = open_dialog()
    assert dialog.objectName() == "dialog.key"
    for name in ("key.site", "key.base_url", "key.input", "key.test", "key.result", "key.save"):
        widget = dialog.findChild(QWidget, name)
        assert widget is not None, name
        if name != "key.result":
            assert widget.accessibleName(), name
    assert [dialog.site_combo.itemData(i) for i in range(3)] == ["cn", "com", "custom"]
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Password
    # The base URL field is only editable for a custom server.
    assert not dialog.base_url_edit.isEnabled()
    assert dialog.base_url_edit.text() == SITES["cn"]
    assert "cloud.siliconflow.cn/account/ak" in dialog.where_label.text()
    dialog.site_combo.setCurrentIndex(1)
    assert dialog.base_url_edit.text() == SITES["com"]
    assert "cloud.siliconflow.com" in dialog.where_label.text()
    dialog.site_combo.setCurrentIndex(2)
    assert dialog.base_url_edit.isEnabled()


def test_show_toggle_reveals_and_hides_the_key(open_dialog: Callable[..., KeyDialog]) -> None:
    dialog = open_dialog()
    dialog.show_key_button.click()
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Normal
    dialog.show_key_button.click()
    assert dialog.key_edit.echoMode() == QLineEdit.EchoMode.Password


def test_pasted_bearer_spaces_and_newlines_are_cleaned(
    open_dialog: Callable[..., KeyDialog], qapp: QApplication
) -> None:
    dialog = open_dialog()
    dialog.key_edit.setText("Bearer  sk-sandbox \n")
    assert dialog.key_edit.text() == SANDBOX_KEY
    dialog.key_edit.clear()
    qapp.clipboard().setText("  Bearer sk-sandbox\r\n")
    dialog.key_edit.paste()
    assert dialog.key_edit.text() == SANDBOX_KEY
    assert dialog.api_key() == SANDBOX_KEY


def test_good_key_shows_the_balance(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], sandbox: SandboxServer
) -> None:
    dialog = open_dialog()
    _use_custom_url(dialog, sandbox.base_url)
    text = _test(qtbot, dialog, SANDBOX_KEY, fails=False)
    assert text.startswith("Connected.") and "88.88" in text
    assert dialog.test_button.isEnabled() and dialog.busy_bar.isHidden()


def test_wrong_key_is_explained(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], sandbox: SandboxServer
) -> None:
    dialog = open_dialog()
    _use_custom_url(dialog, sandbox.base_url)
    text = _test(qtbot, dialog, "sk-not-a-real-key", fails=True)
    assert text.startswith("Invalid API key")
    assert "The API key was rejected" in text


def test_key_from_the_other_site_is_explained(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], sandbox: SandboxServer
) -> None:
    dialog = open_dialog()
    _use_custom_url(dialog, sandbox.base_url)
    text = _test(qtbot, dialog, "sk-sandbox-othersite", fails=True)
    assert text.startswith("Key rejected by this site")
    assert "siliconflow.cn and siliconflow.com" in text and "separate accounts" in text


def test_zero_balance_is_a_warning(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], sandbox: SandboxServer
) -> None:
    dialog = open_dialog()
    _use_custom_url(dialog, sandbox.base_url)
    text = _test(qtbot, dialog, "sk-sandbox-empty", fails=False)
    assert text.startswith("Connected, but the account balance is 0.00")
    assert "403" in text and "recharge" in text


def test_unreachable_server_is_a_connection_problem(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], closed_port_url: str
) -> None:
    dialog = open_dialog()
    _use_custom_url(dialog, closed_port_url)
    text = _test(qtbot, dialog, SANDBOX_KEY, fails=True)
    assert text.startswith("Cannot connect")
    assert "Could not reach the server" in text


def test_wrong_key_on_china_site_suggests_the_other_site(
    open_dialog: Callable[..., KeyDialog],
) -> None:

    dialog = open_dialog()
    dialog._on_tester_task_failed("test", AuthenticationError("Api key is invalid", status=401))
    assert "choose the International site" in dialog.result_label.text()
    dialog.site_combo.setCurrentIndex(1)
    dialog._on_tester_task_failed("test", AuthenticationError("Api key is invalid", status=401))
    assert "choose the China site" in dialog.result_label.text()


def test_a_test_in_flight_can_be_cancelled(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], silent_server_url: str
) -> None:
    dialog = open_dialog()
    _use_custom_url(dialog, silent_server_url)
    dialog.key_edit.setText(SANDBOX_KEY)
    with qtbot.waitSignal(dialog.tester.sig_busy_changed, timeout=5_000):
        QTest.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.tester.busy
    assert dialog.cancel_test_button.isVisible() and dialog.busy_bar.isVisible()
    assert not dialog.test_button.isEnabled()
    with qtbot.waitSignal(dialog.tester.sig_task_cancelled, timeout=5_000):
        QTest.mouseClick(dialog.cancel_test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.tester.alive_tasks(), timeout=5_000)
    assert dialog.result_label.text() == "Test cancelled."
    assert dialog.test_button.isEnabled() and not dialog.cancel_test_button.isVisible()


def test_save_stores_the_key_in_the_keystore_not_the_settings(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], keys: KeyStore, isolated_user: Path
) -> None:
    dialog = open_dialog()
    dialog.site_combo.setCurrentIndex(dialog.site_combo.findData("com"))
    dialog.key_edit.setText("Bearer sk-secret-for-com-0123456789")
    with qtbot.waitSignal(dialog.sig_key_saved, timeout=5_000) as blocker:
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [SITES["com"]]
    assert keys.get(SITES["com"]) == "sk-secret-for-com-0123456789"
    assert keys.get(SITES["cn"]) is None  # keys are per site
    settings_file = isolated_user / "config" / "settings.json"
    saved = json.loads(settings_file.read_text(encoding="utf-8"))
    assert saved["site"] == "com" and saved["onboarded"] is True
    assert "sk-secret" not in settings_file.read_text(encoding="utf-8")
    assert not dialog.isVisible()


def test_save_with_a_custom_server_remembers_its_url(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], keys: KeyStore, isolated_user: Path
) -> None:
    dialog = open_dialog()
    _use_custom_url(dialog, "http://localhost:8000/v1/ ")
    dialog.key_edit.setText("local-key-123456")
    with qtbot.waitSignal(dialog.sig_key_saved, timeout=5_000):
        dialog.save_button.click()
    assert keys.get("http://localhost:8000/v1") == "local-key-123456"
    saved = json.loads((isolated_user / "config" / "settings.json").read_text(encoding="utf-8"))
    assert saved["site"] == "custom" and saved["custom_base_url"] == "http://localhost:8000/v1"


def test_save_refuses_an_empty_key_or_a_bad_url(open_dialog: Callable[..., KeyDialog]) -> None:
    dialog = open_dialog()
    assert not dialog.save_button.isEnabled()
    _use_custom_url(dialog, "not a url")
    dialog.key_edit.setText(SANDBOX_KEY)
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "valid base URL" in dialog.result_label.text()


def test_the_key_never_appears_in_tooltips_or_accessible_text(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], sandbox: SandboxServer
) -> None:
    dialog = open_dialog()
    _use_custom_url(dialog, sandbox.base_url)
    secret = "sk-sandbox-othersite"
    _test(qtbot, dialog, secret, fails=True)
    for widget in [dialog, *dialog.findChildren(QWidget)]:
        for text in (
            widget.toolTip(),
            widget.accessibleName(),
            widget.accessibleDescription(),
            widget.whatsThis(),
            widget.statusTip(),
        ):
            assert secret not in text, widget.objectName()


def test_memory_only_notice_when_there_is_no_keyring(
    open_dialog: Callable[..., KeyDialog],
) -> None:
    dialog = open_dialog(keystore=KeyStore(backend=MemoryKeyring()))
    assert dialog.memory_label.isVisible()
    assert "in memory for this session only" in dialog.memory_label.text()
    persistent = open_dialog()
    assert not persistent.memory_label.isVisible()


def test_environment_key_is_announced(
    open_dialog: Callable[..., KeyDialog], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not open_dialog().env_key_label.isVisible()
    monkeypatch.setenv("SILICONFLOW_API_KEY", "sk-from-env-0123456789")
    dialog = open_dialog()
    assert dialog.env_key_label.isVisible()
    assert "SILICONFLOW_API_KEY" in dialog.env_key_label.text()
    assert dialog.key_edit.text() == ""  # the environment's key is not copied into the field


def test_stored_key_is_prefilled_for_its_site(
    open_dialog: Callable[..., KeyDialog], keys: KeyStore
) -> None:
    keys.set(SITES["com"], "sk-stored-com-0123456789")
    dialog = open_dialog()
    assert dialog.key_edit.text() == ""
    dialog.site_combo.setCurrentIndex(1)
    assert dialog.key_edit.text() == "sk-stored-com-0123456789"
    dialog.site_combo.setCurrentIndex(0)
    assert dialog.key_edit.text() == ""


def test_closing_the_dialog_stops_the_test(
    qtbot: QtBot, open_dialog: Callable[..., KeyDialog], silent_server_url: str
) -> None:
    dialog = open_dialog()
    _use_custom_url(dialog, silent_server_url)
    dialog.key_edit.setText(SANDBOX_KEY)
    dialog.test_button.click()
    assert dialog.tester.busy
    dialog.reject()
    assert not dialog.tester.busy
    qtbot.waitUntil(lambda: not dialog.tester.alive_tasks(), timeout=5_000)
