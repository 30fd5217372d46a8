"""Retries: what is retried, how long we wait, and what is never silently repeated."""

from __future__ import annotations

import time

import httpx
import pytest

from sfdesk.api import (
    ChatDelta,
    RateLimitError,
    RetryPolicy,
    ServerOverloadedError,
    SiliconFlowClient,
    StreamInterrupted,
)
from sfdesk.api._transport import retry_after_seconds
from sfdesk.sandbox import SandboxServer

from .conftest import make_client
from .helpers import requests_to

pytestmark = pytest.mark.anyio

HELLO = [{"role": "user", "content": "hello there"}]


async def test_429_without_retry_after_backs_off_and_succeeds(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("/v1/models", "429", count=2)
    assert "Qwen/Qwen3-8B" in await sf.models.list()
    assert [e["status"] for e in requests_to(sandbox, "/v1/models")] == [429, 429, 200]


async def test_retry_after_ms_is_honoured(sandbox: SandboxServer) -> None:
    sandbox.queue_fault("/v1/models", "429:retry-after-ms=300")
    # A zero back-off base proves the wait comes from the header, not from the policy.
    async with make_client(sandbox, retry=RetryPolicy(base_delay=0.0, max_delay=0.0)) as sf:
        started = time.monotonic()
        await sf.models.list()
    assert time.monotonic() - started >= 0.3


async def test_retry_after_seconds_is_honoured(sandbox: SandboxServer) -> None:
    sandbox.queue_fault("/v1/models", "429:retry-after=1")
    async with make_client(sandbox, retry=RetryPolicy(base_delay=0.0, max_delay=0.0)) as sf:
        started = time.monotonic()
        await sf.models.list()
    assert time.monotonic() - started >= 1.0


def test_retry_after_parsing() -> None:
    assert retry_after_seconds(httpx.Headers({"retry-after": "2"})) == 2.0
    assert retry_after_seconds(httpx.Headers({"retry-after-ms": "250"})) == 0.25
    assert retry_after_seconds(httpx.Headers({"retry-after": "garbage"})) is None
    http_date = retry_after_seconds(httpx.Headers({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    assert http_date == 0.0  # in the past: retry now


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(max_retries=10, base_delay=1.0, max_delay=30.0)
    delays = [policy.delay(attempt, None) for attempt in range(1, 11)]
    assert all(d is not None and d <= 30.0 for d in delays)
    assert delays[0] is not None and 0.5 <= delays[0] <= 1.0
    assert policy.delay(11, None) is None


async def test_too_long_retry_after_is_not_waited_for(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("/v1/models", "429:retry-after=3600")
    with pytest.raises(RateLimitError):
        await sf.models.list()
    assert len(requests_to(sandbox, "/v1/models")) == 1


async def test_gives_up_after_three_tries(sf: SiliconFlowClient, sandbox: SandboxServer) -> None:
    sandbox.queue_fault("/v1/chat/completions", "503", count=3)
    with pytest.raises(ServerOverloadedError) as caught:
        await sf.chat.create(model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO)
    assert caught.value.code == 50505
    assert len(requests_to(sandbox, "/v1/chat/completions")) == 3


async def test_stream_refused_before_it_starts_is_retried(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("/v1/chat/completions", "504")
    events = [e async for e in sf.chat.stream(model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO)]
    assert any(isinstance(e, ChatDelta) for e in events)
    assert [e["status"] for e in requests_to(sandbox, "/v1/chat/completions")] == [504, 200]


async def test_stream_that_delivered_tokens_is_never_restarted(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("/v1/chat/completions", "drop-after:4")
    with pytest.raises(StreamInterrupted):
        async for _ in sf.chat.stream(model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO):
            pass
    assert len(requests_to(sandbox, "/v1/chat/completions")) == 1


async def test_max_retries_zero_means_one_try(sandbox: SandboxServer) -> None:
    sandbox.queue_fault("/v1/models", "503")
    async with make_client(sandbox, max_retries=0) as sf:
        with pytest.raises(ServerOverloadedError):
            await sf.models.list()
    assert len(requests_to(sandbox, "/v1/models")) == 1
