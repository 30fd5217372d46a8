"""Broken streams: each sandbox fault ends in the right typed error, with the partial text kept."""

from __future__ import annotations

import asyncio
import time

import pytest

from sfdesk.api import (
    ApiTimeoutError,
    ChatDelta,
    ChatFinished,
    ProtocolError,
    SiliconFlowClient,
    StreamInterrupted,
    Timeouts,
)
from sfdesk.sandbox import SandboxServer

from .conftest import make_client
from .helpers import wait_for_disconnect

pytestmark = pytest.mark.anyio

MODEL = "Qwen/Qwen2.5-7B-Instruct"
#: How soon the sandbox must notice a closed connection; generous for loaded CI machines.
SERVER_SEES_CLOSE = 0.5
HELLO = [{"role": "user", "content": "Tell me about rivers."}]


async def stream_text(sf: SiliconFlowClient, **kwargs: object) -> str:
    parts = []
    async for event in sf.chat.stream(model=MODEL, messages=HELLO, **kwargs):  # type: ignore[arg-type]
        if isinstance(event, ChatDelta):
            parts.append(event.content)
    return "".join(parts)


async def full_answer(sf: SiliconFlowClient) -> str:
    return await stream_text(sf)


@pytest.mark.parametrize("fault", ["drop-after:6", "truncate-after:6"])
async def test_broken_or_truncated_stream_is_interrupted_with_what_arrived(
    sf: SiliconFlowClient, sandbox: SandboxServer, fault: str
) -> None:
    complete = await full_answer(sf)
    seen: list[str] = []
    with pytest.raises(StreamInterrupted) as caught:
        async for event in sf.chat.stream(
            model=MODEL, messages=HELLO, extra_headers={"X-Sandbox-Fault": fault}
        ):
            assert not isinstance(event, ChatFinished), "a truncated stream reported success"
            seen.append(event.content)
    error = caught.value
    assert type(error) is StreamInterrupted
    assert error.partial_content == "".join(seen)
    assert error.partial_content and complete.startswith(error.partial_content)
    assert len(error.partial_content) < len(complete)
    assert error.trace_id


async def test_corrupted_frame_is_a_protocol_error_keeping_the_partial(
    sf: SiliconFlowClient,
) -> None:
    with pytest.raises(ProtocolError) as caught:
        await stream_text(sf, extra_headers={"X-Sandbox-Fault": "corrupt-after:3"})
    assert caught.value.partial_content
    assert caught.value.reason == "protocol"


async def test_error_frame_mid_stream_carries_the_server_code(sf: SiliconFlowClient) -> None:
    with pytest.raises(StreamInterrupted) as caught:
        await stream_text(sf, extra_headers={"X-Sandbox-Fault": "error-frame-after:3"})
    error = caught.value
    assert (error.code, error.reason) == (50505, "overloaded")
    assert "overloaded" in error.message
    assert error.partial_content


async def test_slow_first_byte_within_the_timeout_still_succeeds(sf: SiliconFlowClient) -> None:
    assert await stream_text(sf, extra_headers={"X-Sandbox-Fault": "slow-first-byte:0.3"})


async def test_no_first_byte_before_the_read_timeout_is_a_timeout(sandbox: SandboxServer) -> None:
    async with make_client(sandbox, timeouts=Timeouts(read=0.2), max_retries=0) as sf:
        with pytest.raises(ApiTimeoutError):
            await sf.models.list(extra_headers={"X-Sandbox-Fault": "slow-first-byte:2"})


async def test_a_stall_longer_than_the_idle_timeout_interrupts(sandbox: SandboxServer) -> None:
    async with make_client(sandbox, timeouts=Timeouts(stream_idle=0.2)) as sf:
        with pytest.raises(StreamInterrupted) as caught:
            await stream_text(sf, extra_headers={"X-Sandbox-Fault": "stall:3@4"})
    assert caught.value.partial_content  # the four frames before the stall are kept


async def test_a_stall_shorter_than_the_idle_timeout_is_waited_out(sf: SiliconFlowClient) -> None:
    assert await stream_text(sf, extra_headers={"X-Sandbox-Fault": "stall:0.3@2"}) == (
        await full_answer(sf)
    )


async def test_cancelling_a_stream_closes_the_connection_promptly(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    first_token = asyncio.Event()

    async def consume() -> None:
        async for _ in sf.chat.stream(
            model=MODEL,
            messages=HELLO,
            extra_headers={"X-Sandbox-Reply-Tokens": "100000", "X-Sandbox-Rate": "200"},
        ):
            first_token.set()

    task = asyncio.create_task(consume())
    await first_token.wait()
    cancelled_at = time.time()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The connection is closed inside the cancelled task, so the task ending within 100 ms is
    # the promptness guarantee (design.md §2).
    assert time.time() - cancelled_at < 0.1
    entry = await wait_for_disconnect(sandbox, "/v1/chat/completions")
    # The sandbox thread shares the GIL: its observation only shows the socket really closed.
    assert entry["disconnected_at"] - cancelled_at < SERVER_SEES_CLOSE


async def test_cancelling_while_waiting_for_the_answer_closes_the_connection(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    task = asyncio.create_task(
        sf.chat.create(
            model=MODEL, messages=HELLO, extra_headers={"X-Sandbox-Fault": "slow-first-byte:5"}
        )
    )
    deadline = time.monotonic() + 2
    while not any(e["path"] == "/v1/chat/completions" for e in sandbox.requests()):
        assert time.monotonic() < deadline, "the request never reached the sandbox"
        await asyncio.sleep(0.005)
    cancelled_at = time.time()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.time() - cancelled_at < 0.1
    entry = await wait_for_disconnect(sandbox, "/v1/chat/completions")
    assert entry["disconnected_at"] - cancelled_at < SERVER_SEES_CLOSE


async def test_client_stays_usable_after_a_cancelled_stream(
    sf: SiliconFlowClient,
) -> None:
    task = asyncio.create_task(
        stream_text(sf, extra_headers={"X-Sandbox-Reply-Tokens": "100000", "X-Sandbox-Rate": "200"})
    )
    await asyncio.sleep(0)  # let it start
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await full_answer(sf)
