"""``/chat/completions``: one-shot replies and streamed answers.

Parameters are passed through as keyword arguments and sent only when set (``None`` is dropped),
because SiliconFlow rejects some parameters on models that don't take them (``enable_thinking`` on
a non-hybrid model is a 400).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from types import TracebackType
from typing import Any

from ._chat_stream import chat_events
from ._errors import ProtocolError
from ._think import ThinkSplitter
from ._transport import TRACE_HEADER, Transport
from ._types import ChatEvent, ChatReply, ToolCall, Usage, require_dict

Message = Mapping[str, Any]


def build_chat_body(
    model: str, messages: Sequence[Message], params: Mapping[str, Any], *, stream: bool
) -> dict[str, Any]:
    """The exact JSON body sent for a chat request (also used by "view code")."""
    body: dict[str, Any] = {"model": model, "messages": [dict(m) for m in messages]}
    body.update({key: value for key, value in params.items() if value is not None})
    body["stream"] = stream
    return body


class ChatStream:
    """An async iterator of :data:`ChatEvent`; also an async context manager.

    ``async for ev in sf.chat.stream(...)`` just works. Use ``async with`` (or :meth:`aclose`) to
    close the connection at once when you stop reading early; cancelling the consuming task always
    closes it.
    """

    def __init__(self, transport: Transport, body: dict[str, Any], headers: Mapping[str, str]):
        self._transport = transport
        self._body = body
        self._headers = headers
        self._iterator: AsyncIterator[ChatEvent] | None = None

    def __aiter__(self) -> AsyncIterator[ChatEvent]:
        if self._iterator is None:
            self._iterator = self._run()
        return self._iterator

    async def __anext__(self) -> ChatEvent:
        return await self.__aiter__().__anext__()

    async def aclose(self) -> None:
        if self._iterator is not None:
            await self._iterator.aclose()  # type: ignore[attr-defined]

    async def __aenter__(self) -> ChatStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _run(self) -> AsyncIterator[ChatEvent]:
        async with self._transport.open(
            "POST",
            "/chat/completions",
            json_body=self._body,
            timeout_kind="stream",
            extra_headers=self._headers,
        ) as response:
            async for event in chat_events(response, response.headers.get(TRACE_HEADER)):
                yield event


class Chat:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def stream(
        self,
        *,
        model: str,
        messages: Sequence[Message],
        extra_headers: Mapping[str, str] | None = None,
        **params: Any,
    ) -> ChatStream:
        """Stream an answer: :class:`ChatDelta` events, then one :class:`ChatFinished`.

        Raises :class:`StreamInterrupted` (with the partial text) if the stream breaks or ends
        without a finish reason.
        """
        body = build_chat_body(model, messages, params, stream=True)
        return ChatStream(self._transport, body, extra_headers or {})

    async def create(
        self,
        *,
        model: str,
        messages: Sequence[Message],
        extra_headers: Mapping[str, str] | None = None,
        **params: Any,
    ) -> ChatReply:
        body = build_chat_body(model, messages, params, stream=False)
        data, trace_id = await self._transport.request_json(
            "POST", "/chat/completions", json_body=body, extra_headers=extra_headers
        )
        return parse_chat_reply(data, trace_id)


def parse_chat_reply(data: object, trace_id: str | None) -> ChatReply:
    reply = require_dict(data, "chat completion")
    choices = reply.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ProtocolError("chat completion has no choices", trace_id=trace_id)
    choice = choices[0]
    message = require_dict(choice.get("message"), "chat completion message")
    raw_content = message.get("content") or ""
    raw_reasoning = message.get("reasoning_content") or ""
    if not isinstance(raw_content, str) or not isinstance(raw_reasoning, str):
        raise ProtocolError("chat completion content is not text", trace_id=trace_id)
    splitter = ThinkSplitter()
    content, think = splitter.feed(raw_content)
    tail_content, tail_think = splitter.flush()
    tool_calls = []
    for item in message.get("tool_calls") or ():
        if not isinstance(item, dict):
            raise ProtocolError("tool call is not an object", trace_id=trace_id)
        function = item.get("function") or {}
        arguments = function.get("arguments", "")
        tool_calls.append(
            ToolCall(
                id=str(item.get("id", "")),
                name=str(function.get("name", "")),
                arguments=arguments if isinstance(arguments, str) else json.dumps(arguments),
            )
        )
    finish_reason = choice.get("finish_reason")
    return ChatReply(
        content=content + tail_content,
        reasoning=raw_reasoning + think + tail_think,
        finish_reason=finish_reason if isinstance(finish_reason, str) else "",
        usage=Usage.from_json(reply.get("usage")),
        tool_calls=tuple(tool_calls),
        trace_id=trace_id,
        model=str(reply.get("model", "")),
    )
