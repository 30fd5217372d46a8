"""The account balance: fetching it in the background and writing it for people.

:class:`BalanceController` asks ``/v1/user/info`` through the app's one client (design.md §3:
the UI never waits on the network) and emits ``sig_balance_loaded`` with the
:class:`~sfdesk.api.UserInfo`; failures arrive through the controller's ``sig_task_failed``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QObject, Signal

from sfdesk.api import SiliconFlowClient
from sfdesk.config import site_label
from sfdesk.ui.tasks import Controller

BALANCE_SLOT = "balance"


def uses_yuan(base_url: str, *, sandbox: bool = False) -> bool:
    """Whether balances are in CNY: on siliconflow.cn, and in the sandbox (which mimics it)."""
    return sandbox or site_label(base_url) == "siliconflow.cn"


def format_balance(amount: Decimal, base_url: str, *, sandbox: bool = False) -> str:
    """``¥88.88`` on the China site; the bare number elsewhere (the currency is not reported)."""
    number = f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    return f"¥{number}" if uses_yuan(base_url, sandbox=sandbox) else number


class BalanceController(Controller):
    """Fetches the balance of the account behind the client's current key."""

    sig_balance_loaded = Signal(object)  # sfdesk.api.UserInfo

    def __init__(self, client: SiliconFlowClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client

    def refresh(self) -> None:
        """Fetch again; an earlier fetch still in flight is cancelled (its answer may be stale)."""
        self.start(BALANCE_SLOT, self._fetch())

    async def _fetch(self) -> None:
        info = await self._client.user.info()
        self.sig_balance_loaded.emit(info)
