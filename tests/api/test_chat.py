"""Chat over real loopback HTTP: streaming, reasoning, tool calls, and the non-stream reply."""

from __future__ import annotations

import json

import pytest

from sfdesk.api import (
    BadRequestError,
    ChatDelta,
    ChatEvent,
    ChatFinished,
    SiliconFlowClient,
)

from .helpers import wait_for_disconnect

pytestmark = pytest.mark.anyio

HELLO = [{"role": "user", "content": "Explain what a vector database is."}]


async def collect(stream: object) -> list[ChatEvent]:
    return [event async for event in stream]  # type: ignore[attr-defined]


def texts(events: list[ChatEvent]) -> tuple[str, str]:
    deltas = [e for e in events if isinstance(e, ChatDelta)]
    return "".join(d.content for d in deltas), "".join(d.reasoning for d in deltas)


async def test_stream_yields_deltas_then_one_finished_matching_the_plain_reply(
    sf: SiliconFlowClient,
) -> None:
    events = await collect(sf.chat.stream(model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO))
    *deltas, last = events
    assert deltas and all(isinstance(e, ChatDelta) for e in deltas)
    assert isinstance(last, ChatFinished)
    assert last.finish_reason == "stop" and not last.truncated
    assert last.trace_id and len(last.trace_id) == 32
    content, reasoning = texts(events)
    assert reasoning == ""
    # Usage is cumulative in every chunk: the final one counts every streamed token.
    assert last.usage is not None
    assert last.usage.completion_tokens == len(deltas)
    assert last.usage.total_tokens == last.usage.prompt_tokens + last.usage.completion_tokens

    reply = await sf.chat.create(model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO)
    assert reply.content == content
    assert reply.finish_reason == "stop"
    assert reply.usage == last.usage


async def test_reasoning_arrives_before_the_answer_and_is_kept_apart(
    sf: SiliconFlowClient,
) -> None:
    events = await collect(sf.chat.stream(model="deepseek-ai/DeepSeek-R1", messages=HELLO))
    deltas = [e for e in events if isinstance(e, ChatDelta)]
    first_content = next(i for i, d in enumerate(deltas) if d.content)
    assert all(d.reasoning and not d.content for d in deltas[:first_content])
    assert not any(d.reasoning for d in deltas[first_content:])
    finished = events[-1]
    assert isinstance(finished, ChatFinished) and finished.usage is not None
    assert finished.usage.reasoning_tokens == first_content

    reply = await sf.chat.create(model="deepseek-ai/DeepSeek-R1", messages=HELLO)
    assert (reply.content, reply.reasoning) == texts(events)


async def test_think_tags_inside_content_become_reasoning(sf: SiliconFlowClient) -> None:
    model = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"
    content, reasoning = texts(await collect(sf.chat.stream(model=model, messages=HELLO)))
    assert reasoning.strip()
    assert "<think>" not in content and "</think>" not in content
    assert "<think>" not in reasoning and "</think>" not in reasoning
    assert content == content.lstrip()  # the blank line after </think> is not part of the answer

    reply = await sf.chat.create(model=model, messages=HELLO)
    assert (reply.content, reply.reasoning) == (content, reasoning)


async def test_hybrid_model_thinks_only_when_asked(sf: SiliconFlowClient) -> None:
    off = texts(await collect(sf.chat.stream(model="Qwen/Qwen3-8B", messages=HELLO)))
    on = texts(
        await collect(
            sf.chat.stream(
                model="Qwen/Qwen3-8B", messages=HELLO, enable_thinking=True, thinking_budget=256
            )
        )
    )
    assert off[1] == "" and on[1] != ""


async def test_max_tokens_is_reported_as_truncated(sf: SiliconFlowClient) -> None:
    events = await collect(
        sf.chat.stream(model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO, max_tokens=5)
    )
    finished = events[-1]
    assert isinstance(finished, ChatFinished)
    assert finished.finish_reason == "length" and finished.truncated
    assert finished.usage is not None and finished.usage.completion_tokens == 5


async def test_none_parameters_are_not_sent(sf: SiliconFlowClient, sandbox: object) -> None:
    await sf.chat.create(
        model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO, temperature=0.3, enable_thinking=None
    )
    body = sandbox.requests()[-1]["body"]  # type: ignore[attr-defined]
    assert body["temperature"] == 0.3
    assert "enable_thinking" not in body  # sending it to a non-hybrid model would be a 400
    assert body["stream"] is False


TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Weather for a city",
            "parameters": {
                "type": "object",
                "properties": {"location": {"type": "string"}},
                "required": ["location"],
            },
        },
    }
]
WEATHER = [{"role": "user", "content": "Call get_current_weather for Boston, please."}]


async def test_streamed_tool_call_fragments_are_assembled(sf: SiliconFlowClient) -> None:
    events = await collect(
        sf.chat.stream(model="Qwen/Qwen2.5-7B-Instruct", messages=WEATHER, tools=TOOLS)
    )
    fragments = [t for e in events if isinstance(e, ChatDelta) for t in e.tool_calls]
    assert len(fragments) > 1  # really streamed in pieces
    finished = events[-1]
    assert isinstance(finished, ChatFinished)
    assert finished.finish_reason == "tool_calls"
    (call,) = finished.tool_calls
    assert call.name == "get_current_weather" and call.id
    assert "location" in json.loads(call.arguments)
    assert call.arguments == "".join(f.arguments for f in fragments)

    reply = await sf.chat.create(model="Qwen/Qwen2.5-7B-Instruct", messages=WEATHER, tools=TOOLS)
    assert reply.finish_reason == "tool_calls"
    assert [(c.name, json.loads(c.arguments)) for c in reply.tool_calls] == [
        (call.name, json.loads(call.arguments))
    ]


async def test_unknown_model_is_a_typed_400_with_trace_id(sf: SiliconFlowClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        await collect(sf.chat.stream(model="no/such-model", messages=HELLO))
    error = caught.value
    assert (error.status, error.code, error.reason) == (400, 20012, "unknown_model")
    assert "Model does not exist" in error.message
    assert error.trace_id and error.trace_id in str(error)


async def test_enable_thinking_on_a_plain_model_is_rejected(sf: SiliconFlowClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        await sf.chat.create(model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO, enable_thinking=True)
    assert caught.value.code == 20015


async def test_leaving_a_stream_early_with_aclose_closes_the_connection(
    sf: SiliconFlowClient, sandbox: object
) -> None:
    stream = sf.chat.stream(
        model="Qwen/Qwen2.5-7B-Instruct",
        messages=HELLO,
        extra_headers={"X-Sandbox-Reply-Tokens": "5000", "X-Sandbox-Rate": "500"},
    )
    async with stream:
        async for event in stream:
            assert isinstance(event, ChatDelta)
            break
    await wait_for_disconnect(sandbox, "/v1/chat/completions")
