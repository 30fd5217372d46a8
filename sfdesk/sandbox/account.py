"""``GET /v1/models`` and ``GET /v1/user/info``: the free, read-only endpoints."""

from __future__ import annotations

from starlette.responses import Response

from . import errors
from .auth import user_info
from .catalogue import listed
from .exchange import Call


async def models(call: Call) -> Response:
    chosen = listed(call.query.get("type") or None, call.query.get("sub_type") or None)
    return errors.JSONResponse(
        {
            "object": "list",
            "data": [{"id": m.id, "object": "model", "created": 0, "owned_by": ""} for m in chosen],
        }
    )


async def me(call: Call) -> Response:
    return errors.JSONResponse(user_info(call.account))
