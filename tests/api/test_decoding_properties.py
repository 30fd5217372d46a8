"""Property tests: SSE decoding is independent of chunking and fails only with typed errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from sfdesk.api import ApiError, ChatDelta, ChatEvent, ChatFinished
from sfdesk.api._chat_stream import chat_events
from sfdesk.api._think import ThinkSplitter


def _frame(delta: dict[str, object], finish: str | None = None, tokens: int = 1) -> bytes:
    chunk = {
        "id": "019a8fdafd091c809cf14705cced6e75",
        "object": "chat.completion.chunk",
        "model": "Qwen/Qwen2.5-7B-Instruct",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        "usage": {"prompt_tokens": 30, "completion_tokens": tokens, "total_tokens": 30 + tokens},
    }
    return b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n"


STREAM = b"".join(
    [
        _frame({"content": None, "reasoning_content": "", "role": "assistant"}, tokens=0),
        _frame({"content": None, "reasoning_content": "让我想想…"}),
        _frame({"content": None, "reasoning_content": " step two"}, tokens=2),
        _frame({"content": "你好，", "reasoning_content": None}, tokens=3),
        _frame({"content": "世界 🌏\n```py\nprint(1)\n```", "reasoning_content": None}, tokens=4),
        _frame(
            {
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "f", "arguments": ""},
                    }
                ]
            },
            tokens=5,
        ),
        _frame({"tool_calls": [{"index": 0, "function": {"arguments": '{"a": 1}'}}]}, tokens=6),
        _frame({"content": "", "reasoning_content": None}, finish="stop", tokens=6),
        b"data: [DONE]\n\n",
    ]
)


def _split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, start = [], 0
    for point in points:
        pieces.append(data[start:point])
        start = point
    pieces.append(data[start:])
    return [p for p in pieces if p]


async def _decode(chunks: list[bytes]) -> list[ChatEvent]:
    async def body() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())
    return [event async for event in chat_events(response, "trace")]


def _normalise(events: list[ChatEvent]) -> tuple[str, str, str, object]:
    deltas = [e for e in events if isinstance(e, ChatDelta)]
    finished = events[-1]
    assert isinstance(finished, ChatFinished)
    return (
        "".join(d.content for d in deltas),
        "".join(d.reasoning for d in deltas),
        finished.finish_reason,
        (finished.usage, finished.tool_calls),
    )


REFERENCE = _normalise(asyncio.run(_decode([STREAM])))


def test_reference_decoding_is_what_the_frames_say() -> None:
    content, reasoning, finish, (usage, tools) = REFERENCE
    assert content == "你好，世界 🌏\n```py\nprint(1)\n```"
    assert reasoning == "让我想想… step two"
    assert finish == "stop"
    assert usage.completion_tokens == 6  # type: ignore[attr-defined]
    assert [(t.name, t.arguments) for t in tools] == [("f", '{"a": 1}')]  # type: ignore[attr-defined]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=40))
def test_any_chunking_of_the_bytes_gives_the_same_events(cuts: list[int]) -> None:
    # Splits fall inside UTF-8 sequences, inside "data:", between \n and \n: all must be equal.
    assert _normalise(asyncio.run(_decode(_split(STREAM, cuts)))) == REFERENCE


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=60),
            st.sampled_from(
                [
                    b"data: ",
                    b"\n",
                    b"\r\n",
                    b"[DONE]",
                    b"{",
                    b'"choices"',
                    b"data: {}\n\n",
                    b'data: {"choices": [{"delta": 5}]}\n\n',
                    b'data: {"code": 1}\n\n',
                    b"event: error\ndata: x\n\n",
                    b'data: {"choices": [], "usage": 3}\n\n',
                ]
            ),
        ),
        max_size=20,
    )
)
def test_garbage_only_ever_raises_typed_errors(chunks: list[bytes]) -> None:
    try:
        events = asyncio.run(_decode(chunks))
    except ApiError:
        return
    assert isinstance(events[-1], ChatFinished)  # anything that "succeeds" really finished


THINK_TEXT = (
    "  <think>\nweighing options </thi nk> more</think>\n\nThe answer. <think>not this</think>"
)


def _run_splitter(pieces: list[str]) -> tuple[str, str]:
    splitter = ThinkSplitter()
    content, reasoning = [], []
    for piece in pieces:
        c, r = splitter.feed(piece)
        content.append(c)
        reasoning.append(r)
    c, r = splitter.flush()
    return "".join(content) + c, "".join(reasoning) + r


def test_think_block_at_the_start_is_reasoning_and_later_tags_are_text() -> None:
    content, reasoning = _run_splitter([THINK_TEXT])
    assert reasoning == "\nweighing options </thi nk> more"
    assert content == "The answer. <think>not this</think>"


def test_text_without_think_passes_through_untouched() -> None:
    assert _run_splitter(["  hello ", "<thin", "k> world"]) == ("  hello <think> world", "")
    assert _run_splitter(["<thi"]) == ("<thi", "")
    assert _run_splitter(["<think>unfinished"]) == ("", "unfinished")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="<>/thinkTAa \n你", max_size=40),
    st.lists(st.integers(min_value=0, max_value=60), max_size=12),
)
def test_think_splitting_is_independent_of_chunking(text: str, cuts: list[int]) -> None:
    for candidate in (text, "<think>" + text, "<think>" + text + "</think>\n" + text):
        points = sorted({c % (len(candidate) + 1) for c in cuts})
        pieces, start = [], 0
        for point in points:
            pieces.append(candidate[start:point])
            start = point
        pieces.append(candidate[start:])
        assert _run_splitter(pieces) == _run_splitter([candidate])
