"""Service-layer SSE decoding throughput vs bare httpx-sse over the same bytes (design.md §5).

Both sides read the same pre-built SiliconFlow-shaped stream from an in-memory httpx response,
so only decoding is measured. The baseline is httpx-sse's ``EventSource.aiter_sse`` plus
``json.loads`` per frame (the least any client must do); sfdesk's path adds usage/reasoning/
tool-call handling and the ``<think>`` splitter. Runs alternate to share the machine's noise.

    uv run python bench/sse_throughput.py [--frames 50000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import AsyncIterator

import httpx
from httpx_sse import EventSource

from sfdesk.api._chat_stream import chat_events


def build_stream(frames: int) -> bytes:
    parts = []
    for i in range(frames):
        chunk = {
            "id": "019a8fdafd091c809cf14705cced6e75",
            "object": "chat.completion.chunk",
            "created": 1763350084,
            "model": "Qwen/Qwen2.5-7B-Instruct",
            "choices": [
                {
                    "index": 0,
                    "delta": {"content": f"词{i} ", "reasoning_content": None},
                    "finish_reason": None,
                }
            ],
            "system_fingerprint": "",
            "usage": {"prompt_tokens": 30, "completion_tokens": i + 1, "total_tokens": 31 + i},
        }
        parts.append(b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n")
    last = {
        "id": "x",
        "object": "chat.completion.chunk",
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "stop"}],
    }
    parts.append(b"data: " + json.dumps(last).encode() + b"\n\ndata: [DONE]\n\n")
    return b"".join(parts)


def response_for(data: bytes, chunk_size: int = 4096) -> httpx.Response:
    async def body() -> AsyncIterator[bytes]:
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())


async def bare_httpx_sse(data: bytes) -> int:
    count = 0
    async for sse in EventSource(response_for(data)).aiter_sse():
        if sse.data != "[DONE]":
            json.loads(sse.data)
            count += 1
    return count


async def sfdesk_decoder(data: bytes) -> int:
    count = 0
    async for _event in chat_events(response_for(data), None):
        count += 1
    return count


def timed(fn: object, data: bytes) -> float:
    started = time.perf_counter()
    asyncio.run(fn(data))  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    data = build_stream(args.frames)
    timed(bare_httpx_sse, data)  # warm-up
    timed(sfdesk_decoder, data)
    baseline, ours = [], []
    for _ in range(args.rounds):
        baseline.append(timed(bare_httpx_sse, data))
        ours.append(timed(sfdesk_decoder, data))
    base_rate = args.frames / statistics.median(baseline)
    our_rate = args.frames / statistics.median(ours)
    print(f"stream: {args.frames} frames, {len(data) / 1e6:.1f} MB, {args.rounds} rounds")
    print(f"bare httpx-sse + json.loads : {base_rate:,.0f} frames/s (median)")
    print(f"sfdesk chat_events          : {our_rate:,.0f} frames/s (median)")
    print(f"ratio sfdesk / baseline     : {our_rate / base_rate:.2f}  (target >= 0.80)")


if __name__ == "__main__":
    main()
