"""The "Connect to SiliconFlow" dialog: choose the site, enter the API key, test it, save it.

Shown on first run when there is no key, and from File → API key…. Testing calls
``/v1/user/info`` with a temporary client for the candidate key and site (through a
:class:`~sfdesk.ui.tasks.Controller`, so the dialog stays responsive and the test can be cancelled)
and explains the outcome in plain words: connected with the balance, wrong key, key from the other
site, zero balance, or a network problem.

The key only ever lives in the password field, the key store and the client: it is never logged,
written to the settings, or put in a tooltip or accessible text.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sfdesk.api import ApiError, SiliconFlowClient, Timeouts, UserInfo
from sfdesk.config import SITES, base_url_from_env, normalise_base_url
from sfdesk.secrets import API_KEY_ENV, clean_api_key, looks_like_api_key
from sfdesk.ui.balance import format_balance
from sfdesk.ui.context import AppContext
from sfdesk.ui.errors import explain
from sfdesk.ui.tasks import Controller

TEST_SLOT = "test"
SITE_ORDER: tuple[str, ...] = ("cn", "com", "custom")
# Where each site hands out keys; plain text, the dialog never opens the network by itself.
KEY_PAGES: dict[str, str] = {
    "cn": "cloud.siliconflow.cn/account/ak",
    "com": "cloud.siliconflow.com",
}

_STYLES = {
    "ok": "QLabel { color: #2b8a3e; }",
    "warning": "QLabel { color: #e67700; }",
    "error": "QLabel { color: #e03131; }",
    "info": "",
}


class KeyTester(Controller):
    """Tries a candidate key and site with a throw-away client (never the app's own)."""

    sig_test_succeeded = Signal(object)  # sfdesk.api.UserInfo

    def __init__(self, timeouts: Timeouts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timeouts = timeouts

    def test(self, api_key: str, base_url: str) -> None:
        self.start(TEST_SLOT, self._run(api_key, base_url))

    async def _run(self, api_key: str, base_url: str) -> None:
        # No retries: the user is waiting for a verdict, and a retry would only delay it.
        async with SiliconFlowClient(
            api_key=api_key, base_url=base_url, timeouts=self._timeouts, max_retries=0
        ) as client:
            info = await client.user.info()
        self.sig_test_succeeded.emit(info)


class KeyDialog(QDialog):
    """First-run and File → API key… dialog. Emits ``sig_key_saved(base_url)`` after Save."""

    sig_key_saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.key")
        self.setModal(False)
        self._ctx = ctx
        self._prefilled = ""  # the stored key put in the field, to tell it from typing
        # What the last test or check found, kept so a language switch can rewrite it.
        self._last_outcome: tuple[str, object] | None = None

        settings = ctx.settings
        timeouts = Timeouts(
            connect=min(settings.connect_timeout, 15.0), read=min(settings.read_timeout, 30.0)
        )
        self.tester = KeyTester(timeouts, self)
        self.tester.sig_test_succeeded.connect(self._on_tester_test_succeeded)
        self.tester.sig_task_failed.connect(self._on_tester_task_failed)
        self.tester.sig_busy_changed.connect(self._on_tester_busy_changed)

        self._build()
        self._load_state()
        self._retranslate()
        self._on_tester_busy_changed(False)

    # -- construction -----------------------------------------------------------------------

    def _build(self) -> None:
        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)

        self.site_combo = QComboBox(self)
        self.site_combo.setObjectName("key.site")
        for site in SITE_ORDER:
            self.site_combo.addItem("", site)
        self.site_label = QLabel(self)
        self.site_label.setBuddy(self.site_combo)

        self.base_url_edit = QLineEdit(self)
        self.base_url_edit.setObjectName("key.base_url")
        self.base_url_edit.setPlaceholderText("https://example.com/v1")
        self.base_url_label = QLabel(self)
        self.base_url_label.setBuddy(self.base_url_edit)

        self.env_base_url_label = QLabel(self)
        self.env_base_url_label.setObjectName("key.env_base_url")
        self.env_base_url_label.setWordWrap(True)

        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("key.input")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("sk-…")
        # Keys are plain ASCII; stop input methods from turning them into full-width text.
        self.key_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhSensitiveData
        )
        self.key_label = QLabel(self)
        self.key_label.setBuddy(self.key_edit)
        self.show_key_button = QToolButton(self)
        self.show_key_button.setObjectName("key.show")
        self.show_key_button.setCheckable(True)
        key_row = QHBoxLayout()
        key_row.setContentsMargins(0, 0, 0, 0)
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.show_key_button)

        self.where_label = QLabel(self)
        self.where_label.setObjectName("key.where")
        self.where_label.setWordWrap(True)
        self.where_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.env_key_label = QLabel(self)
        self.env_key_label.setObjectName("key.env_notice")
        self.env_key_label.setWordWrap(True)

        self.memory_label = QLabel(self)
        self.memory_label.setObjectName("key.memory_notice")
        self.memory_label.setWordWrap(True)
        self.memory_label.setStyleSheet(_STYLES["warning"])

        self.test_button = QPushButton(self)
        self.test_button.setObjectName("key.test")
        self.test_button.setAutoDefault(False)
        self.cancel_test_button = QPushButton(self)
        self.cancel_test_button.setObjectName("key.cancel_test")
        self.cancel_test_button.setAutoDefault(False)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("key.busy")
        self.busy_bar.setRange(0, 0)  # indeterminate
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(120)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.cancel_test_button)
        test_row.addWidget(self.busy_bar)
        test_row.addStretch(1)

        self.result_label = QLabel(self)
        self.result_label.setObjectName("key.result")
        self.result_label.setWordWrap(True)
        # Plain text: the server's message is shown inside it and must not be read as HTML.
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("key.save")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("key.cancel")

        # Word-wrapped notes in the field column would otherwise be laid out at their narrowest.
        for note in (self.env_base_url_label, self.where_label):
            note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            note.setMinimumWidth(360)
            note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.site_label, self.site_combo)
        form.addRow(self.base_url_label, self.base_url_edit)
        form.addRow("", self.env_base_url_label)
        form.addRow(self.key_label, key_row)
        form.addRow("", self.where_label)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.env_key_label)
        layout.addWidget(self.memory_label)
        layout.addLayout(test_row)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        self.site_combo.currentIndexChanged.connect(self._on_site_combo_current_index_changed)
        self.base_url_edit.textEdited.connect(self._on_base_url_edit_text_edited)
        self.key_edit.textChanged.connect(self._on_key_edit_text_changed)
        self.show_key_button.toggled.connect(self._on_show_key_button_toggled)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.cancel_test_button.clicked.connect(self._on_cancel_test_button_clicked)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _load_state(self) -> None:
        settings = self._ctx.settings
        env_url = base_url_from_env()
        site = "custom" if env_url else settings.site
        self.site_combo.setCurrentIndex(SITE_ORDER.index(site) if site in SITE_ORDER else 0)
        if env_url:
            self.base_url_edit.setText(settings.base_url)
        else:
            self.base_url_edit.setText(settings.custom_base_url)
        self.site_combo.setEnabled(not env_url)
        # The whole row, or its empty label cell would still take up a line of spacing.
        self._form.setRowVisible(self.env_base_url_label, env_url)
        self.env_key_label.setVisible(self._env_key_set())
        self.memory_label.setVisible(not self._ctx.keys.persistent)
        self._sync_site_widgets()
        self._prefill_key()
        self.save_button.setEnabled(bool(self.api_key()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.key_edit.text():
            self.key_edit.setFocus()  # the one thing the user came to do

    # -- queries ----------------------------------------------------------------------------

    @staticmethod
    def _env_key_set() -> bool:
        return bool(os.environ.get(API_KEY_ENV, "").strip())

    def site(self) -> str:
        return str(self.site_combo.currentData())

    def api_key(self) -> str:
        """The cleaned key in the field."""
        return clean_api_key(self.key_edit.text())

    def candidate_base_url(self) -> str | None:
        """The base URL the key is for, or None while the custom URL is not a valid URL."""
        if base_url_from_env():
            return self._ctx.settings.base_url
        site = self.site()
        if site in SITES:
            return SITES[site]
        url = normalise_base_url(self.base_url_edit.text())
        return url or None

    # -- behaviour --------------------------------------------------------------------------

    def _sync_site_widgets(self) -> None:
        site = self.site()
        custom = site == "custom" and not base_url_from_env()
        self.base_url_edit.setEnabled(custom)
        self.base_url_edit.setReadOnly(not custom)
        if site in SITES and not base_url_from_env():
            self.base_url_edit.setText(SITES[site])
        elif custom and self.base_url_edit.text() in SITES.values():
            self.base_url_edit.setText(self._ctx.settings.custom_base_url)
        self._update_where_label()

    def _prefill_key(self) -> None:
        """Show the key already saved for the chosen site, unless the user has typed one."""
        if self.key_edit.text() != self._prefilled or self._env_key_set():
            return
        url = self.candidate_base_url()
        stored = self._ctx.keys.get(url) if url else None
        self._prefilled = stored or ""
        self.key_edit.setText(self._prefilled)

    def _update_where_label(self) -> None:
        page = KEY_PAGES.get(self.site()) if not base_url_from_env() else None
        if page:
            text = self.tr("Create or copy a key on the API keys page: %1").replace("%1", page)
        else:
            text = self.tr("Use the API key issued by this server.")
        self.where_label.setText(text)

    def _set_result(self, state: str, text: str) -> None:
        self.result_label.setStyleSheet(_STYLES[state])
        self.result_label.setText(text)
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow taller when a long explanation arrives, rather than squashing the fields.

        Word-wrapped labels only know their height for a given width, which Qt does not turn
        into a minimum size for a window, so this asks the layout directly.
        """
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _clear_result(self) -> None:
        self._last_outcome = None
        self._set_result("info", "")

    def _show_outcome(self) -> None:
        """(Re)write the result of the last test in the current language."""
        if self._last_outcome is None:
            return
        kind, payload = self._last_outcome
        if kind == "ok" and isinstance(payload, UserInfo):
            self._show_success(payload)
        elif kind == "error" and isinstance(payload, BaseException):
            self._show_failure(payload)
        elif kind == "message" and isinstance(payload, str):
            self._set_result("error", self._message_text(payload))

    def _message_text(self, which: str) -> str:
        if which == "no_key":
            return self.tr("Enter an API key first.")
        if which == "bad_key":
            return self.tr(
                "This does not look like an API key: it contains characters keys never have."
            )
        return self.tr("Enter a valid base URL starting with http:// or https://.")

    def _show_success(self, info: UserInfo) -> None:
        url = self.candidate_base_url() or ""
        amount = format_balance(info.total_balance, url, sandbox=self._ctx.sandbox)
        if info.total_balance <= 0:
            text = self.tr(
                "Connected, but the account balance is %1. Requests to paid models will be "
                "refused (HTTP 403) until you recharge; free models still work."
            ).replace("%1", amount)
            self._set_result("warning", text)
        else:
            self._set_result("ok", self.tr("Connected. Balance %1").replace("%1", amount))

    def _show_failure(self, error: BaseException) -> None:
        title, explanation = explain(error)
        parts = [title, explanation]
        reason = error.reason if isinstance(error, ApiError) else None
        if reason in ("invalid_key", "wrong_site") and not base_url_from_env():
            if self.site() == "cn":
                parts.append(
                    self.tr(
                        "If the key was created on siliconflow.com, choose the International "
                        "site above."
                    )
                )
            elif self.site() == "com":
                parts.append(
                    self.tr(
                        "If the key was created on siliconflow.cn, choose the China site above."
                    )
                )
        self._set_result("error", "\n\n".join(parts))

    def _remember(self, kind: str, payload: object) -> None:
        self._last_outcome = (kind, payload)
        self._show_outcome()

    # -- slots ------------------------------------------------------------------------------

    def _on_site_combo_current_index_changed(self, _index: int) -> None:
        self.tester.cancel(TEST_SLOT)  # a verdict about the old site would mislead
        self._clear_result()
        self._sync_site_widgets()
        self._prefill_key()

    def _on_base_url_edit_text_edited(self, _text: str) -> None:
        self.tester.cancel(TEST_SLOT)
        self._clear_result()

    def _on_key_edit_text_changed(self, text: str) -> None:
        cleaned = clean_api_key(text)
        if cleaned != text:
            # Pasted "Bearer sk-…", a trailing newline, quotes: show what will really be used.
            self.key_edit.setText(cleaned)
            return
        self.tester.cancel(TEST_SLOT)
        self._clear_result()
        self.save_button.setEnabled(bool(cleaned))

    def _on_show_key_button_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.key_edit.setEchoMode(mode)
        self._retranslate_show_button()

    def _on_test_button_clicked(self) -> None:
        checked = self._checked_input()
        if checked is None:
            return
        key, url = checked
        self._clear_result()
        self._set_result("info", self.tr("Testing the connection to %1…").replace("%1", url))
        self.tester.test(key, url)

    def _on_cancel_test_button_clicked(self) -> None:
        if self.tester.cancel(TEST_SLOT):
            self._set_result("info", self.tr("Test cancelled."))

    def _on_tester_test_succeeded(self, info: UserInfo) -> None:
        self._remember("ok", info)

    def _on_tester_task_failed(self, _slot: str, error: BaseException) -> None:
        self._remember("error", error)

    def _on_tester_busy_changed(self, busy: bool) -> None:
        self.test_button.setEnabled(not busy)
        self.cancel_test_button.setVisible(busy)
        self.busy_bar.setVisible(busy)
        if busy:
            self.cancel_test_button.setFocus()
        elif self.cancel_test_button.hasFocus():
            self.test_button.setFocus()

    def _on_buttons_accepted(self) -> None:
        checked = self._checked_input()
        if checked is None:
            return
        key, url = checked
        self.tester.cancel_all()
        self._ctx.keys.set(url, key)
        settings = self._ctx.settings
        if not base_url_from_env():
            settings.site = self.site()
            if settings.site == "custom":
                settings.custom_base_url = url
        settings.onboarded = True
        self._ctx.save_settings()
        self.sig_key_saved.emit(url)
        self.accept()

    def _checked_input(self) -> tuple[str, str] | None:
        """The cleaned key and base URL, or None after showing what is wrong with them."""
        key = self.api_key()
        url = self.candidate_base_url()
        if not key:
            self._remember("message", "no_key")
            self.key_edit.setFocus()
            return None
        if not looks_like_api_key(key):
            self._remember("message", "bad_key")
            self.key_edit.setFocus()
            return None
        if url is None:
            self._remember("message", "bad_url")
            self.base_url_edit.setFocus()
            return None
        return key, url

    def done(self, result: int) -> None:
        # Closing the dialog in any way stops a test in flight; its client closes as it unwinds.
        self.tester.cancel_all()
        if not self._ctx.settings.onboarded and not self._ctx.sandbox:
            self._ctx.settings.onboarded = True
            self._ctx.save_settings()
        super().done(result)

    # -- language ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate_show_button(self) -> None:
        shown = self.show_key_button.isChecked()
        self.show_key_button.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.show_key_button.setAccessibleName(
            self.tr("Hide the key") if shown else self.tr("Show the key")
        )

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Connect to SiliconFlow"))
        self.intro_label.setText(
            self.tr(
                "sfdesk needs an API key from your SiliconFlow account. Choose the site the "
                "account belongs to, paste the key, and test it."
            )
        )
        names = {
            "cn": self.tr("China — api.siliconflow.cn"),
            "com": self.tr("International — api.siliconflow.com"),
            "custom": self.tr("Custom OpenAI-compatible server"),
        }
        for index, site in enumerate(SITE_ORDER):
            self.site_combo.setItemText(index, names[site])
        self.site_label.setText(self.tr("&Site:"))
        self.site_combo.setAccessibleName(self.tr("Site"))
        self.base_url_label.setText(self.tr("&Base URL:"))
        self.base_url_edit.setAccessibleName(self.tr("Base URL"))
        self.env_base_url_label.setText(self.tr("Set by the SFDESK_BASE_URL environment variable."))
        self.key_label.setText(self.tr("API &key:"))
        self.key_edit.setAccessibleName(self.tr("API key"))
        self._retranslate_show_button()
        self._update_where_label()
        self.env_key_label.setText(
            self.tr(
                "The SILICONFLOW_API_KEY environment variable is set, so its key is in use. "
                "A key saved here is used when the variable is not set."
            )
        )
        self.memory_label.setText(
            self.tr(
                "No system keyring is available: the key will be kept in memory for this "
                "session only, and you will be asked for it again next time."
            )
        )
        self.test_button.setText(self.tr("&Test connection"))
        self.test_button.setAccessibleName(self.tr("Test connection"))
        self.cancel_test_button.setText(self.tr("Stop test"))
        self.cancel_test_button.setAccessibleName(self.tr("Stop the connection test"))
        self.busy_bar.setAccessibleName(self.tr("Testing…"))
        self.result_label.setAccessibleName(self.tr("Test result"))
        self.save_button.setAccessibleName(self.tr("Save"))
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self._show_outcome()
