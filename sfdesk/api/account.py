"""``/models`` (the model catalogue, filtered by type) and ``/user/info`` (balance)."""

from __future__ import annotations

from collections.abc import Mapping

from ._errors import ProtocolError
from ._transport import Transport
from ._types import UserInfo, decimal_from, require_dict


class ModelsResource:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def list(
        self,
        *,
        type: str | None = None,
        sub_type: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> list[str]:
        """Model ids, in the server's order; filter by ``type`` and/or ``sub_type``."""
        params = {key: value for key, value in (("type", type), ("sub_type", sub_type)) if value}
        data, trace_id = await self._transport.request_json(
            "GET", "/models", params=params, extra_headers=extra_headers
        )
        items = require_dict(data, "model list").get("data")
        if not isinstance(items, list):
            raise ProtocolError("model list has no data", trace_id=trace_id)
        ids: list[str] = []
        for item in items:
            model_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(model_id, str) and model_id and model_id not in ids:
                ids.append(model_id)
        return ids


class UserResource:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def info(self, *, extra_headers: Mapping[str, str] | None = None) -> UserInfo:
        data, trace_id = await self._transport.request_json(
            "GET", "/user/info", extra_headers=extra_headers
        )
        payload = require_dict(require_dict(data, "user info").get("data"), "user info data")
        try:
            return UserInfo(
                total_balance=decimal_from(payload.get("totalBalance")),
                balance=decimal_from(payload.get("balance")),
                charge_balance=decimal_from(payload.get("chargeBalance")),
                name=str(payload.get("name") or ""),
                status=str(payload.get("status") or ""),
                id=str(payload.get("id") or ""),
            )
        except ProtocolError as exc:
            exc.trace_id = trace_id
            raise
