"""Small waiting helpers for service tests (poll a condition with a deadline, never sleep blind)."""

from __future__ import annotations

import time
from typing import Any

import anyio


async def wait_for_disconnect(sandbox: Any, path: str, *, within: float = 2.0) -> dict[str, Any]:
    """Return the sandbox's log entry once it has seen the client go away from ``path``."""
    deadline = time.monotonic() + within
    while True:
        entries = [e for e in sandbox.requests() if e["path"] == path]
        if entries and entries[-1]["disconnected"]:
            return entries[-1]  # type: ignore[no-any-return]
        if time.monotonic() > deadline:
            raise AssertionError(f"the sandbox never saw the client leave {path}: {entries[-1:]}")
        await anyio.sleep(0.005)


def requests_to(sandbox: Any, path: str) -> list[dict[str, Any]]:
    return [e for e in sandbox.requests() if e["path"] == path]
