"""Decoding a streamed chat completion (SSE) into :class:`ChatDelta` / :class:`ChatFinished`.

SSE framing is httpx-sse's job; this module owns what the frames mean on SiliconFlow: cumulative
``usage`` in every chunk, reasoning in ``reasoning_content`` or in a leading ``<think>`` block,
OpenAI-style tool-call fragments, error objects sent as frames, and the rule that a stream is only
complete once it has given a ``finish_reason`` — anything else is :class:`StreamInterrupted`, with
the partial text attached so nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from ._errors import ProtocolError, StreamInterrupted, error_from_frame
from ._think import ThinkSplitter
from ._transport import connection_error
from ._types import ChatDelta, ChatEvent, ChatFinished, ToolCall, ToolCallDelta, Usage

if TYPE_CHECKING:
    import httpx
    import httpx_sse
else:
    from ._lazy import httpx_module as httpx
    from ._lazy import httpx_sse_module as httpx_sse

_loads = json.JSONDecoder().decode


class _ToolCallAssembler:
    """Joins tool-call fragments by index into whole calls."""

    def __init__(self) -> None:
        self._calls: dict[int, list[str]] = {}  # index -> [id, name, arguments]

    def add(self, delta: ToolCallDelta) -> None:
        call = self._calls.setdefault(delta.index, ["", "", ""])
        if delta.id:
            call[0] = delta.id
        if delta.name and not call[1]:
            call[1] = delta.name
        call[2] += delta.arguments

    def result(self) -> tuple[ToolCall, ...]:
        return tuple(
            ToolCall(id=c[0], name=c[1], arguments=c[2]) for _, c in sorted(self._calls.items())
        )


class ChatStreamDecoder:
    """Stateful: turns each SSE data payload into zero or more chat events."""

    def __init__(self, trace_id: str | None) -> None:
        self.trace_id = trace_id
        self.content: list[str] = []
        self.reasoning: list[str] = []
        self.finish_reason: str | None = None
        self._raw_usage: object = None
        self.model = ""
        self.done = False
        self._think = ThinkSplitter()
        self._tools = _ToolCallAssembler()

    def interrupted(self, message: str, **kwargs: Any) -> StreamInterrupted:
        return StreamInterrupted(
            message,
            partial_content="".join(self.content),
            partial_reasoning="".join(self.reasoning),
            trace_id=self.trace_id,
            **kwargs,
        )

    def protocol_error(self, message: str) -> ProtocolError:
        return ProtocolError(
            message,
            partial_content="".join(self.content),
            partial_reasoning="".join(self.reasoning),
            trace_id=self.trace_id,
        )

    def decode(self, data: str) -> ChatDelta | None:
        """Decode one frame; returns the delta it carries (None for bookkeeping-only frames).

        This runs once per token, so it avoids per-frame allocations it does not need: usage is
        cumulative, so only the latest raw object is kept and parsed once at the end.
        """
        if self.done:
            return None
        if data == "[DONE]":
            self.done = True
            return None
        try:
            frame = _loads(data)
        except ValueError:
            raise self.protocol_error(f"stream frame is not valid JSON: {data[:120]!r}") from None
        if type(frame) is not dict:
            raise self.protocol_error(f"stream frame is not an object: {data[:120]!r}")
        choices = frame.get("choices")
        if type(choices) is not list:
            if choices is None and ("error" in frame or "code" in frame or "message" in frame):
                code, message, reason = error_from_frame(frame, self.trace_id)
                raise self.interrupted(message, code=code, reason=reason)
            raise self.protocol_error("stream frame has no 'choices' list")

        usage = frame.get("usage")
        if usage is not None:
            self._raw_usage = usage
        if not self.model:
            model = frame.get("model")
            self.model = model if type(model) is str else ""
        if not choices:
            return None
        choice = choices[0]
        if type(choice) is not dict:
            raise self.protocol_error("stream choice is not an object")
        delta = choice.get("delta") or {}
        if type(delta) is not dict:
            raise self.protocol_error("stream delta is not an object")

        raw_content = delta.get("content")
        raw_reasoning = delta.get("reasoning_content")
        content = reasoning = ""
        if raw_content and type(raw_content) is str:
            content, reasoning = self._think.feed(raw_content)
        if raw_reasoning and type(raw_reasoning) is str:
            reasoning = raw_reasoning + reasoning
        raw_tools = delta.get("tool_calls")
        tool_calls = _tool_call_deltas(raw_tools, self.protocol_error) if raw_tools else ()
        for tool_delta in tool_calls:
            self._tools.add(tool_delta)

        finish_reason = choice.get("finish_reason")
        if finish_reason and type(finish_reason) is str:
            self.finish_reason = finish_reason
            tail_content, tail_reasoning = self._think.flush()
            content += tail_content
            reasoning += tail_reasoning

        if content:
            self.content.append(content)
        elif not (reasoning or tool_calls):
            return None
        if reasoning:
            self.reasoning.append(reasoning)
        return ChatDelta(content, reasoning, tool_calls)

    @property
    def usage(self) -> Usage | None:
        return Usage.from_json(self._raw_usage)

    def finished(self) -> ChatFinished:
        """The closing event; raises :class:`StreamInterrupted` if the stream never finished."""
        if self.finish_reason is None:
            tail_content, tail_reasoning = self._think.flush()
            self.content.append(tail_content)
            self.reasoning.append(tail_reasoning)
            what = "[DONE] without a finish_reason" if self.done else "no finish_reason"
            raise self.interrupted(f"the stream ended early ({what})")
        return ChatFinished(
            finish_reason=self.finish_reason,
            usage=self.usage,
            trace_id=self.trace_id,
            model=self.model,
            tool_calls=self._tools.result(),
        )


def _tool_call_deltas(raw: object, fail: Any) -> tuple[ToolCallDelta, ...]:
    if not raw:
        return ()
    if not isinstance(raw, list):
        raise fail("tool_calls is not a list")
    deltas = []
    for position, item in enumerate(raw):
        if not isinstance(item, dict):
            raise fail("tool call fragment is not an object")
        function = item.get("function") or {}
        index, call_id = item.get("index", position), item.get("id")
        name, arguments = function.get("name"), function.get("arguments")
        deltas.append(
            ToolCallDelta(
                index=index if isinstance(index, int) else position,
                id=call_id if isinstance(call_id, str) else None,
                name=name if isinstance(name, str) else None,
                arguments=arguments if isinstance(arguments, str) else "",
            )
        )
    return tuple(deltas)


async def chat_events(response: httpx.Response, trace_id: str | None) -> AsyncIterator[ChatEvent]:
    """Yield the events of an open ``text/event-stream`` response, then :class:`ChatFinished`."""
    decoder = ChatStreamDecoder(trace_id)
    # aclosing: leaving the loop at [DONE] must close httpx-sse's generator now, on this loop,
    # not whenever the garbage collector finalises it (by then the loop may be gone).
    try:
        async with aclosing(httpx_sse.EventSource(response).aiter_sse()) as events:
            async for sse in events:
                if sse.event == "error":
                    code, message, reason = error_from_frame(_json_or_text(sse.data), trace_id)
                    raise decoder.interrupted(message, code=code, reason=reason)
                if not sse.data:
                    continue
                delta = decoder.decode(sse.data)
                if delta is not None:
                    yield delta
                if decoder.done:
                    break
    except httpx_sse.SSEError as exc:
        raise decoder.protocol_error(str(exc)) from None
    except httpx.HTTPError as exc:
        cause = connection_error(exc)
        raise decoder.interrupted(f"the connection broke: {cause.message}") from exc
    yield decoder.finished()


def _json_or_text(data: str) -> dict[str, Any]:
    try:
        parsed = json.loads(data)
    except ValueError:
        return {"message": data}
    return parsed if isinstance(parsed, dict) else {"message": str(parsed)}
