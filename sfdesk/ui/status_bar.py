"""The main window's status bar: which provider, how much balance, and how the key is kept.

It owns the :class:`~sfdesk.ui.balance.BalanceController` that fetches the balance in the
background, and shows, left to right in the permanent area: the SANDBOX badge (sandbox mode only),
the provider, the "key in memory only" notice (no OS keyring), the balance and a refresh button.
Errors show a short translated reason; the full explanation and trace id are in the tooltip.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QStatusBar, QStyle, QToolButton, QWidget

from sfdesk.api import UserInfo
from sfdesk.config import site_label
from sfdesk.ui.balance import BalanceController, format_balance
from sfdesk.ui.context import AppContext
from sfdesk.ui.errors import explain

_BADGE_STYLE = (
    "QLabel { background: #d9480f; color: white; font-weight: bold;"
    " border-radius: 3px; padding: 1px 8px; }"
)
_ERROR_STYLE = "QLabel { color: #d9480f; }"


class StatusBar(QStatusBar):
    """Provider, balance and key-storage state of the current connection."""

    sig_key_requested = Signal()  # the user clicked "No API key": open the key dialog

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status.bar")
        self._ctx = ctx
        self._state = "idle"  # idle | no_key | loading | loaded | failed
        self._info: UserInfo | None = None
        self._error: BaseException | None = None

        self.balance_controller = BalanceController(ctx.client, self)
        self.balance_controller.sig_balance_loaded.connect(self._on_balance_loaded)
        self.balance_controller.sig_task_failed.connect(self._on_balance_task_failed)

        self.sandbox_badge: QLabel | None = None
        if ctx.sandbox:
            self.sandbox_badge = QLabel(self)
            self.sandbox_badge.setObjectName("status.sandbox")
            self.sandbox_badge.setStyleSheet(_BADGE_STYLE)
            self.addPermanentWidget(self.sandbox_badge)

        self.provider_label = QLabel(self)
        self.provider_label.setObjectName("status.provider")
        self.addPermanentWidget(self.provider_label)

        self.key_memory_label = QLabel(self)
        self.key_memory_label.setObjectName("status.key_memory")
        self.key_memory_label.setStyleSheet(_ERROR_STYLE)
        self.addPermanentWidget(self.key_memory_label)
        self.key_env_label = QLabel(self)
        self.key_env_label.setObjectName("status.key_env")
        self.addPermanentWidget(self.key_env_label)

        self.balance_label = QLabel(self)
        self.balance_label.setObjectName("status.balance")
        self.balance_label.setTextFormat(Qt.TextFormat.RichText)
        self.balance_label.linkActivated.connect(self._on_balance_label_link_activated)
        self.addPermanentWidget(self.balance_label)

        self.refresh_action = QAction(
            self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload), "", self
        )
        self.refresh_action.setObjectName("action.refresh_balance")
        self.refresh_action.triggered.connect(self.refresh_balance)
        self.refresh_button = QToolButton(self)
        self.refresh_button.setObjectName("status.refresh")
        self.refresh_button.setDefaultAction(self.refresh_action)
        self.refresh_button.setAutoRaise(True)
        self.addPermanentWidget(self.refresh_button)

        self._retranslate()

    # -- public -----------------------------------------------------------------------------

    def refresh_balance(self) -> None:
        """Show the provider and fetch the balance again (or say that there is no key)."""
        self._update_provider()
        if not self._ctx.has_key():
            self.balance_controller.cancel_all()
            self._set_state("no_key")
            return
        self._set_state("loading")
        self.balance_controller.refresh()

    # -- slots ------------------------------------------------------------------------------

    def _on_balance_loaded(self, info: UserInfo) -> None:
        self._info = info
        self._set_state("loaded")

    def _on_balance_task_failed(self, _slot: str, error: BaseException) -> None:
        self._error = error
        self._set_state("failed")

    def _on_balance_label_link_activated(self, _link: str) -> None:
        self.sig_key_requested.emit()

    # -- display ----------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self._state = state
        self._show_balance()

    def _update_provider(self) -> None:
        base_url = self._ctx.base_url
        self.provider_label.setText(site_label(base_url))
        self.provider_label.setToolTip(self.tr("API base URL: %1").replace("%1", base_url))
        self.key_memory_label.setVisible(self._ctx.key_in_memory_only())
        self.key_env_label.setVisible(self._ctx.key_from_env())

    def _show_balance(self) -> None:
        label = self.balance_label
        label.setStyleSheet("")
        if self._state == "no_key":
            link = self.tr("No API key — connect…")
            label.setText(f'<a href="key">{link}</a>')
            label.setToolTip(self.tr("Enter an API key to use SiliconFlow."))
        elif self._state == "loading":
            label.setText(self.tr("Balance: checking…"))
            label.setToolTip("")
        elif self._state == "loaded" and self._info is not None:
            amount = self._money(self._info.total_balance)
            label.setText(self.tr("Balance: %1").replace("%1", amount))
            tip = [
                self.tr("Gift balance: %1").replace("%1", self._money(self._info.balance)),
                self.tr("Charged balance: %1").replace(
                    "%1", self._money(self._info.charge_balance)
                ),
            ]
            label.setToolTip("\n".join(tip))
        elif self._state == "failed" and self._error is not None:
            title, explanation = explain(self._error)
            label.setText(self.tr("Balance unavailable: %1").replace("%1", title))
            label.setToolTip(explanation)
            label.setStyleSheet(_ERROR_STYLE)
        else:
            label.setText("")
            label.setToolTip("")
        label.setAccessibleName(self.tr("Account balance"))
        label.setAccessibleDescription(label.text() if self._state != "no_key" else "")

    def _money(self, amount: Decimal) -> str:
        return format_balance(amount, self._ctx.base_url, sandbox=self._ctx.sandbox)

    # -- language ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        if self.sandbox_badge is not None:
            self.sandbox_badge.setText(self.tr("SANDBOX"))
            self.sandbox_badge.setToolTip(
                self.tr(
                    "Connected to the built-in sandbox: answers are synthetic, nothing is billed."
                )
            )
            self.sandbox_badge.setAccessibleName(self.tr("Sandbox mode"))
        self.provider_label.setAccessibleName(self.tr("Provider"))
        self.key_memory_label.setText(self.tr("Key in memory only"))
        self.key_memory_label.setToolTip(
            self.tr(
                "No system keyring is available, so the API key is kept in memory for this "
                "session only and will be asked for again next time."
            )
        )
        self.key_memory_label.setAccessibleName(self.tr("Key in memory only"))
        self.key_env_label.setText(self.tr("Key from SILICONFLOW_API_KEY"))
        self.key_env_label.setToolTip(
            self.tr(
                "The API key comes from the SILICONFLOW_API_KEY environment variable; "
                "it is used for this run and not stored."
            )
        )
        self.key_env_label.setAccessibleName(self.tr("Key from SILICONFLOW_API_KEY"))
        self.refresh_action.setText(self.tr("Refresh"))
        self.refresh_action.setToolTip(self.tr("Refresh the account balance"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the account balance"))
        self._update_provider()
        self._show_balance()
