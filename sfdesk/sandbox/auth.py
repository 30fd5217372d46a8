"""API keys the sandbox accepts and how it rejects the rest (siliconflow-api.md §1, §2.2).

Keys: ``sk-sandbox`` (funded), ``sk-sandbox-empty`` (valid, zero balance: paid endpoints are 403
30001), ``sk-sandbox-othersite`` (a key of the other site: 401 30014 everywhere). A missing or
malformed ``Authorization: Bearer`` is 401 ``"Invalid token"``; any other key is 401
``"Api key is invalid"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import Response

from . import errors

SANDBOX_API_KEY = "sk-sandbox"
EMPTY_BALANCE_KEY = "sk-sandbox-empty"
OTHER_SITE_KEY = "sk-sandbox-othersite"


@dataclass(frozen=True, slots=True)
class Account:
    balance: str
    charge_balance: str
    total_balance: str

    @property
    def funded(self) -> bool:
        return self.total_balance != "0.00"


ACCOUNTS = {
    SANDBOX_API_KEY: Account(balance="0.88", charge_balance="88.00", total_balance="88.88"),
    EMPTY_BALANCE_KEY: Account(balance="0.00", charge_balance="0.00", total_balance="0.00"),
}


def auth_kind(headers: Headers) -> str:
    """How the request authenticated, for the log: ``missing``, ``bearer`` or ``other``.

    ``other`` (a header without the Bearer scheme) is kept apart from ``missing`` so a test that
    checks "no credentials were sent to the file host" cannot be fooled by a bare key.
    """
    value = headers.get("authorization")
    if value is None:
        return "missing"
    return "bearer" if value[:7].lower() == "bearer " else "other"


def authenticate(
    headers: Headers, extra_keys: Mapping[str, str] | None = None
) -> Account | Response:
    """The caller's account, or the 401 response the real API would give. ``extra_keys`` maps
    keys added with :meth:`SandboxServer.add_key` to the built-in key they stand for."""
    value = headers.get("authorization", "")
    scheme, _, key = value.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        return errors.bare(401, "Invalid token")
    if key == OTHER_SITE_KEY:
        return errors.error(401, 30014, "Token is invalid.", data=False)
    account = ACCOUNTS.get((extra_keys or {}).get(key, key))
    if account is None:
        return errors.bare(401, "Api key is invalid")
    return account


def insufficient_balance() -> Response:
    return errors.error(403, 30001, errors.BALANCE)


def user_info(account: Account) -> dict[str, Any]:
    # name/image/email "will no longer be returned" (siliconflow-api.md §8.2): empty strings.
    return {
        "code": 20000,
        "message": "OK",
        "status": True,
        "data": {
            "id": "sandbox-user",
            "name": "",
            "image": "",
            "email": "",
            "isAdmin": False,
            "balance": account.balance,
            "status": "normal",
            "introduction": "",
            "role": "",
            "chargeBalance": account.charge_balance,
            "totalBalance": account.total_balance,
        },
    }
