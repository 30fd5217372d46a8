"""Server-sent events for chat: chunk frames in SiliconFlow's exact shape, throttling and faults.

Frames follow the captures in siliconflow-api.md §3.3 (CAP-QWEN, CAP-R1): a first ``role`` chunk,
one piece per chunk with *cumulative* ``usage``, reasoning before content for thinking models, a
last chunk with ``"content":""`` and ``finish_reason``, then ``data: [DONE]``.

A 100k-token reply must stay cheap, so frames are produced lazily from string templates (only the
piece and the counters change; each distinct piece is JSON-escaped once) and written in batches:
unthrottled in large batches, throttled by sending whatever is due every few milliseconds, which
keeps thousands of tokens per second accurate without a timer per token.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING

from starlette.background import BackgroundTask
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .errors import OVERLOADED
from .exchange import DropConnection, Exchange
from .faults import Fault, FaultKind

if TYPE_CHECKING:
    from .chat import ChatPlan

DONE = "data: [DONE]\n\n"
ERROR_FRAME = "data: " + json.dumps({"code": 50505, "message": OVERLOADED, "data": None}) + "\n\n"
MAX_BATCH = 256  # frames per write when unthrottled (~80 KB)
MIN_SLEEP = 0.004  # throttled: never sleep less, send what is due instead


def chunk_frames(plan: ChatPlan) -> Iterator[str]:
    """Every ``data:`` frame of ``plan``'s stream, ``[DONE]`` included, produced lazily."""
    head = (
        f'data: {{"id":"{plan.id}","object":"chat.completion.chunk","created":{plan.created},'
        f'"model":{json.dumps(plan.model)},"choices":[{{"index":0,"delta":'
    )
    prompt = plan.prompt_tokens
    usage_head = (
        f',"finish_reason":null}}],"system_fingerprint":"","usage":{{"prompt_tokens":{prompt},'
        '"completion_tokens":'
    )
    details = plan.reports_reasoning
    reasoning_style = bool(plan.reasoning)
    escaped: dict[str, str] = {}

    def esc(piece: str) -> str:
        text = escaped.get(piece)
        if text is None:
            text = escaped[piece] = json.dumps(piece, ensure_ascii=False)
        return text

    def usage(done: int, reasoning: int) -> str:
        tail = f'{done},"total_tokens":{prompt + done}'
        if details:
            tail += f',"completion_tokens_details":{{"reasoning_tokens":{reasoning}}}'
        return tail + "}}\n\n"

    if reasoning_style:
        first = '{"content":null,"reasoning_content":"","role":"assistant"}'
    else:
        first = '{"content":"","reasoning_content":null,"role":"assistant"}'
    # The first chunk has no details even for thinking models (CAP-R1).
    yield f'{head}{first}{usage_head}0,"total_tokens":{prompt}}}}}\n\n'

    done = 0
    for piece in plan.reasoning:
        done += 1
        yield (
            f'{head}{{"content":null,"reasoning_content":{esc(piece)},"role":"assistant"}}'
            f"{usage_head}{usage(done, done)}"
        )
    reasoning = done
    # CAP-R1 repeats the role in every delta of a thinking stream; CAP-QWEN does not.
    content_tail = (
        ',"reasoning_content":null,"role":"assistant"}'
        if reasoning_style
        else (',"reasoning_content":null}')
    )
    for piece in plan.content:
        done += 1
        yield f'{head}{{"content":{esc(piece)}{content_tail}{usage_head}{usage(done, reasoning)}'

    call = plan.tool_call
    if call is not None:
        done += 1
        opening = json.dumps(
            [
                {
                    "index": 0,
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": ""},
                }
            ],
            ensure_ascii=False,
        )
        yield (
            f'{head}{{"content":null,"reasoning_content":null,"tool_calls":{opening}}}'
            f"{usage_head}{usage(done, reasoning)}"
        )
        for fragment in call.fragments:
            done += 1
            yield (
                f'{head}{{"tool_calls":[{{"index":0,"function":{{"arguments":{esc(fragment)}}}}}]}}'
                f"{usage_head}{usage(done, reasoning)}"
            )

    final_head = usage_head.replace(
        '"finish_reason":null', f'"finish_reason":"{plan.finish_reason}"'
    )
    yield f'{head}{{"content":"","reasoning_content":null}}{final_head}{usage(done, reasoning)}'
    yield DONE


def corrupted(frame: str | None) -> str:
    """One ``data:`` line whose JSON is cut in half (never valid JSON)."""
    payload = frame[6:-2] if frame and frame != DONE else '{"id":"0","choices":[]}'
    return "data: " + payload[: max(1, len(payload) // 2)] + "\n\n"


class ChunkStream(Response):
    """A ``text/event-stream`` response writing chat frames with throttling and stream faults."""

    media_type = "text/event-stream"

    def __init__(
        self, exchange: Exchange, frames: Iterator[str], *, rate: float, fault: Fault | None
    ) -> None:
        # Like Starlette's StreamingResponse: no body, so no Content-Length (chunked transfer).
        self.status_code = 200
        self.background: BackgroundTask | None = None
        self.init_headers({"cache-control": "no-cache"})
        self._exchange = exchange
        self._frames = frames
        self._rate = rate
        self._fault = fault if fault is not None and fault.streaming else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ex = self._exchange
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        fault = self._fault
        boundary = fault.frames if fault is not None else None
        sent = 0
        rate = self._rate
        clock_start, clock_sent = time.monotonic(), 0
        while True:
            if ex.stopped:
                if ex.aborted:
                    raise DropConnection
                return  # the client left: nobody to write to
            if fault is not None and boundary is not None and sent >= boundary:
                if fault.kind is FaultKind.STALL:
                    boundary = None
                    if await ex.pause(fault.seconds):
                        continue
                    clock_start, clock_sent = time.monotonic(), 0
                    continue
                await self._end_with_fault(fault, send)
                return
            limit = MAX_BATCH
            if rate > 0:
                now = time.monotonic()
                due = int((now - clock_start) * rate) + 1 - clock_sent
                if due <= 0:
                    wait = clock_start + clock_sent / rate - now
                    await ex.pause(max(wait, MIN_SLEEP))
                    continue
                limit = min(limit, due)
            if boundary is not None:
                limit = min(limit, boundary - sent)
            batch = list(islice(self._frames, limit))
            if not batch:
                break
            await send(
                {"type": "http.response.body", "body": "".join(batch).encode(), "more_body": True}
            )
            sent += len(batch)
            clock_sent += len(batch)
            ex.add_frames(len(batch))
            if rate <= 0:
                await asyncio.sleep(0)  # let the disconnect watcher and other requests run
        ex.response_done = True
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _end_with_fault(self, fault: Fault, send: Send) -> None:
        ex = self._exchange
        if fault.kind is FaultKind.DROP:
            raise DropConnection
        last = ""
        if fault.kind is FaultKind.CORRUPT:
            last = corrupted(next(self._frames, None))
        elif fault.kind is FaultKind.ERROR_FRAME:
            last = ERROR_FRAME
        if last:
            ex.add_frames(1)
        ex.response_done = True
        await send({"type": "http.response.body", "body": last.encode(), "more_body": False})
