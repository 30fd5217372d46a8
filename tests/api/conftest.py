"""Fixtures for service-layer tests: a client pointed at the sandbox with fast retries."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sfdesk.api import RetryPolicy, SiliconFlowClient, Timeouts
from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer

#: Retries keep their shape but not their wall-clock cost.
FAST_RETRY = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def sf(sandbox: SandboxServer) -> AsyncIterator[SiliconFlowClient]:
    async with SiliconFlowClient(
        api_key=SANDBOX_API_KEY, base_url=sandbox.base_url, retry=FAST_RETRY
    ) as client:
        yield client


def make_client(sandbox: SandboxServer, **kwargs: object) -> SiliconFlowClient:
    options: dict[str, object] = {"api_key": SANDBOX_API_KEY, "base_url": sandbox.base_url}
    options.setdefault("retry", FAST_RETRY)
    options.update(kwargs)
    return SiliconFlowClient(**options)  # type: ignore[arg-type]


def short_timeouts(**kwargs: float) -> Timeouts:
    return Timeouts(**kwargs)
