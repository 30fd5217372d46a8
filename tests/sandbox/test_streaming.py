"""Chat streaming: SSE frame format, tool-call deltas, throttling, stream faults, disconnects."""

from __future__ import annotations

import itertools
import json
import re
import socket
import time
from typing import Any

import httpx
import pytest

from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer

from .helpers import chunks, data_lines, log_for, wait_until

QWEN = "Qwen/Qwen2.5-7B-Instruct"
HELLO = [{"role": "user", "content": "Tell me about rivers."}]
PATH = "/v1/chat/completions"


def body(**extra: Any) -> dict[str, Any]:
    return {"model": QWEN, "messages": HELLO, "stream": True, **extra}


def stream_text(client: httpx.Client, headers: dict[str, str] | None = None, **extra: Any) -> str:
    response = client.post("/chat/completions", json=body(**extra), headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert "content-length" not in response.headers
    return response.text


def deltas(frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f["choices"][0]["delta"] for f in frames]


# -- format ------------------------------------------------------------------------------------


def test_plain_stream_follows_the_captured_format(client: httpx.Client, srv: SandboxServer) -> None:
    frames = chunks(stream_text(client))
    first, *middle, last = frames
    assert re.fullmatch(r"[0-9a-f]{32}", first["id"])
    for frame in frames:
        assert frame["id"] == first["id"] and frame["created"] == first["created"]
        assert (frame["object"], frame["model"], frame["system_fingerprint"]) == (
            "chat.completion.chunk",
            QWEN,
            "",
        )
        assert list(frame) == [
            "id",
            "object",
            "created",
            "model",
            "choices",
            "system_fingerprint",
            "usage",
        ]
    prompt = first["usage"]["prompt_tokens"]
    assert first["choices"] == [
        {
            "index": 0,
            "delta": {"content": "", "reasoning_content": None, "role": "assistant"},
            "finish_reason": None,
        }
    ]
    assert first["usage"] == {
        "prompt_tokens": prompt,
        "completion_tokens": 0,
        "total_tokens": prompt,
    }
    for count, frame in enumerate(middle, start=1):
        delta = frame["choices"][0]["delta"]
        assert set(delta) == {"content", "reasoning_content"} and delta["reasoning_content"] is None
        assert delta["content"]  # one non-empty piece per chunk
        assert frame["choices"][0]["finish_reason"] is None
        # Usage is cumulative in every chunk, and there is no usage-only chunk.
        assert frame["usage"] == {
            "prompt_tokens": prompt,
            "completion_tokens": count,
            "total_tokens": prompt + count,
        }
    assert last["choices"][0] == {
        "index": 0,
        "delta": {"content": "", "reasoning_content": None},
        "finish_reason": "stop",
    }
    assert last["usage"] == middle[-1]["usage"]

    plain = client.post("/chat/completions", json=body(stream=False)).json()
    assert (
        "".join(d["content"] for d in deltas(middle)) == plain["choices"][0]["message"]["content"]
    )
    assert plain["usage"]["completion_tokens"] == len(middle)
    entry = log_for(srv, PATH)[0]
    assert entry["frames_sent"] == len(frames) + 1  # [DONE] included
    assert entry["disconnected"] is False and entry["finished"] is not None


def test_reasoning_stream_sends_reasoning_first_with_growing_details(
    client: httpx.Client,
) -> None:
    frames = chunks(stream_text(client, model="deepseek-ai/DeepSeek-R1"))
    first, *middle, last = frames
    assert deltas([first]) == [{"content": None, "reasoning_content": "", "role": "assistant"}]
    assert "completion_tokens_details" not in first["usage"]
    kinds = ["r" if d["content"] is None else "c" for d in deltas(middle)]
    thinking = kinds.index("c")
    assert 40 <= thinking <= 80 and set(kinds[thinking:]) == {"c"}  # reasoning strictly first
    for count, frame in enumerate(middle, start=1):
        delta = frame["choices"][0]["delta"]
        assert delta["role"] == "assistant"
        if count <= thinking:
            assert delta["reasoning_content"] and delta["content"] is None
        else:
            assert delta["content"] and delta["reasoning_content"] is None
        assert frame["usage"]["completion_tokens"] == count
        assert frame["usage"]["completion_tokens_details"] == {
            "reasoning_tokens": min(count, thinking)
        }
    assert last["choices"][0]["finish_reason"] == "stop"
    assert last["usage"]["completion_tokens_details"] == {"reasoning_tokens": thinking}

    plain = client.post(
        "/chat/completions", json=body(model="deepseek-ai/DeepSeek-R1", stream=False)
    ).json()
    message = plain["choices"][0]["message"]
    assert (
        "".join(d["reasoning_content"] for d in deltas(middle[:thinking]))
        == message["reasoning_content"]
    )


def test_hybrid_stream_reasons_only_with_enable_thinking(client: httpx.Client) -> None:
    off = deltas(chunks(stream_text(client, model="Qwen/Qwen3-8B")))
    assert off[0]["content"] == "" and all(d["reasoning_content"] is None for d in off)
    on = deltas(chunks(stream_text(client, model="Qwen/Qwen3-8B", enable_thinking=True)))
    assert on[0] == {"content": None, "reasoning_content": "", "role": "assistant"}
    assert on[1]["reasoning_content"]


def test_max_tokens_stream_finishes_with_length(client: httpx.Client) -> None:
    frames = chunks(stream_text(client, max_tokens=5))
    assert len(frames) == 7  # role chunk, 5 pieces, finish chunk
    assert frames[-1]["choices"][0]["finish_reason"] == "length"
    assert frames[-1]["usage"]["completion_tokens"] == 5


def test_tool_calls_stream_like_openai(client: httpx.Client) -> None:
    tools = [
        {
            "type": "function",
            "function": {
                "name": "get_current_weather",
                "parameters": {
                    "type": "object",
                    "properties": {"location": {"type": "string"}},
                    "required": ["location"],
                },
            },
        }
    ]
    messages = [{"role": "user", "content": "Call get_current_weather for Boston, please."}]
    frames = chunks(stream_text(client, messages=messages, tools=tools))
    calls = [d["tool_calls"] for d in deltas(frames) if "tool_calls" in d]
    opening, *fragments = (c[0] for c in calls)
    assert re.fullmatch(r"[0-9a-f]{32}", opening["id"])
    assert opening == {
        "index": 0,
        "id": opening["id"],
        "type": "function",
        "function": {"name": "get_current_weather", "arguments": ""},
    }
    assert len(fragments) > 1
    assert all(set(f) == {"index", "function"} and f["index"] == 0 for f in fragments)
    arguments = "".join(f["function"]["arguments"] for f in fragments)
    assert json.loads(arguments) == {"location": "Boston"}
    assert frames[-1]["choices"][0]["finish_reason"] == "tool_calls"
    assert frames[-1]["usage"]["completion_tokens"] == 1 + len(fragments)


def test_long_replies_are_cheap_and_exact(client: httpx.Client) -> None:
    started = time.perf_counter()
    response = client.post(
        "/chat/completions", json=body(), headers={"X-Sandbox-Reply-Tokens": "100000"}
    )
    elapsed = time.perf_counter() - started
    tail = data_lines(response.text[-2000:].split("\n\n", 1)[1])
    assert tail[-1] == "[DONE]"
    assert json.loads(tail[-2])["usage"]["completion_tokens"] == 100000
    assert response.text.count("\n\ndata: ") == 100000 + 2
    assert elapsed < 10, f"100k tokens took {elapsed:.1f} s"


# -- throttling --------------------------------------------------------------------------------


def test_rate_header_throttles_the_stream(client: httpx.Client) -> None:
    started = time.perf_counter()
    frames = chunks(
        stream_text(client, headers={"X-Sandbox-Reply-Tokens": "150", "X-Sandbox-Rate": "500"})
    )
    elapsed = time.perf_counter() - started
    assert len(frames) == 152
    assert 0.28 <= elapsed < 0.8, elapsed  # 153 frames at 500/s ≈ 0.3 s


def test_configured_rate_stays_accurate_at_thousands_of_tokens_per_second(
    client: httpx.Client, srv: SandboxServer
) -> None:
    srv.configure(tokens_per_second=5000)
    started = time.perf_counter()
    stream_text(client, headers={"X-Sandbox-Reply-Tokens": "2500"})
    elapsed = time.perf_counter() - started
    assert 0.48 <= elapsed < 0.9, elapsed  # 2,503 frames at 5,000/s ≈ 0.5 s
    srv.configure(tokens_per_second=0)
    started = time.perf_counter()
    stream_text(client, headers={"X-Sandbox-Reply-Tokens": "2500"})
    assert time.perf_counter() - started < 0.3


# -- stream faults -----------------------------------------------------------------------------


def test_truncate_ends_cleanly_without_finish_or_done(
    client: httpx.Client, srv: SandboxServer
) -> None:
    payloads = data_lines(stream_text(client, headers={"X-Sandbox-Fault": "truncate-after:5"}))
    assert len(payloads) == 5 and "[DONE]" not in payloads
    assert all(json.loads(p)["choices"][0]["finish_reason"] is None for p in payloads)
    assert log_for(srv, PATH)[-1]["frames_sent"] == 5


def test_corrupt_frame_is_half_a_json_object_then_the_end(client: httpx.Client) -> None:
    payloads = data_lines(stream_text(client, headers={"X-Sandbox-Fault": "corrupt-after:3"}))
    assert len(payloads) == 4
    for payload in payloads[:3]:
        json.loads(payload)
    assert payloads[3].startswith('{"id":')
    with pytest.raises(json.JSONDecodeError):
        json.loads(payloads[3])


def test_error_frame_is_the_overloaded_object_then_the_end(client: httpx.Client) -> None:
    payloads = data_lines(stream_text(client, headers={"X-Sandbox-Fault": "error-frame-after:4"}))
    assert len(payloads) == 5
    assert json.loads(payloads[4]) == {
        "code": 50505,
        "message": "Model service overloaded. Please try again later.",
        "data": None,
    }


def _raw_stream(srv: SandboxServer, fault: str) -> bytes:
    """POST a streaming chat over a bare socket and read until the server closes it."""
    payload = json.dumps(body()).encode()
    request = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n"
        f"Authorization: Bearer {SANDBOX_API_KEY}\r\nContent-Type: application/json\r\n"
        f"X-Sandbox-Fault: {fault}\r\nContent-Length: {len(payload)}\r\n\r\n"
    ).encode() + payload
    received = b""
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
        sock.sendall(request)
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_drop_aborts_the_connection_mid_body(client: httpx.Client, srv: SandboxServer) -> None:
    raw = _raw_stream(srv, "drop-after:6")
    head, _, rest = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"transfer-encoding: chunked" in head.lower()
    assert rest.count(b"data: ") == 6
    assert not rest.endswith(b"0\r\n\r\n"), "a clean chunked end is not a drop"
    assert b"[DONE]" not in rest and b'"finish_reason":"stop"' not in rest

    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/chat/completions", json=body(), headers={"X-Sandbox-Fault": "drop-after:6"})
    entry = log_for(srv, PATH)[-1]
    assert (entry["status"], entry["fault"], entry["frames_sent"]) == (200, "drop-after:6", 6)
    assert entry["disconnected"] is False  # the server hung up, not the client
    assert client.get("/models").status_code == 200  # the server is fine afterwards


def test_stall_pauses_after_n_frames_then_finishes(client: httpx.Client) -> None:
    arrivals: list[float] = []
    with client.stream(
        "POST", "/chat/completions", json=body(), headers={"X-Sandbox-Fault": "stall:0.3@3"}
    ) as response:
        lines = []
        for line in response.iter_lines():
            if line:
                arrivals.append(time.perf_counter())
                lines.append(line)
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert gaps[2] >= 0.28  # between frame 3 and frame 4
    assert max(gaps[:2] + gaps[3:]) < 0.2
    assert lines[-1] == "data: [DONE]"
    assert len(lines) == len(data_lines(stream_text(client)))  # nothing lost or added


def test_stall_reply_text_is_unchanged(client: httpx.Client) -> None:
    stalled = chunks(stream_text(client, headers={"X-Sandbox-Fault": "stall:0.05@2"}))
    normal = chunks(stream_text(client))
    assert [f["choices"] for f in stalled] == [f["choices"] for f in normal]


def test_slow_first_byte_delays_the_status_line(client: httpx.Client, srv: SandboxServer) -> None:
    for request_body in (body(), body(stream=False)):
        started = time.perf_counter()
        with client.stream(
            "POST",
            "/chat/completions",
            json=request_body,
            headers={"X-Sandbox-Fault": "slow-first-byte:0.3"},
        ) as response:
            assert time.perf_counter() - started >= 0.3
            assert response.status_code == 200
            response.read()
    assert [e["fault"] for e in log_for(srv, PATH)] == ["slow-first-byte:0.3"] * 2


def test_stream_faults_do_nothing_to_plain_requests(
    client: httpx.Client, srv: SandboxServer
) -> None:
    srv.queue_fault("/v1/chat/completions", "drop-after:1")
    plain = client.post("/chat/completions", json=body(stream=False))
    assert plain.status_code == 200 and plain.json()["choices"][0]["finish_reason"] == "stop"
    assert log_for(srv, PATH)[-1]["fault"] == "drop-after:1"
    # The queue entry was used up by that request.
    assert chunks(stream_text(client))[-1]["choices"][0]["finish_reason"] == "stop"


def test_queued_stream_fault_applies_to_the_next_stream(
    client: httpx.Client, srv: SandboxServer
) -> None:
    srv.queue_fault("/v1/chat/completions", "truncate-after:2")
    assert len(data_lines(stream_text(client))) == 2
    assert data_lines(stream_text(client))[-1] == "[DONE]"


# -- disconnects -------------------------------------------------------------------------------


def test_a_client_leaving_mid_stream_is_logged_promptly(
    client: httpx.Client, srv: SandboxServer
) -> None:
    with client.stream(
        "POST",
        "/chat/completions",
        json=body(),
        headers={"X-Sandbox-Reply-Tokens": "100000", "X-Sandbox-Rate": "200"},
    ) as response:
        for index, _ in enumerate(response.iter_lines()):
            if index == 6:
                # Stamp before leaving: the close starts as soon as the loop is left.
                left_at = time.time()
                break
    entry = wait_until(lambda: next((e for e in log_for(srv, PATH) if e["disconnected"]), None))
    # Generous for a loaded 2-core CI machine; typically a few milliseconds.
    assert 0 <= entry["disconnected_at"] - left_at < 0.5
    assert entry["frames_sent"] < 200  # the stream stopped; it did not run on regardless
    frames = entry["frames_sent"]
    time.sleep(0.05)
    assert log_for(srv, PATH)[-1]["frames_sent"] == frames


def test_a_client_leaving_before_the_first_byte_is_logged(srv: SandboxServer) -> None:
    with pytest.raises(httpx.ReadTimeout), httpx.Client(timeout=0.2) as impatient:
        impatient.post(
            srv.base_url + "/chat/completions",
            json=body(stream=False),
            headers={
                "Authorization": f"Bearer {SANDBOX_API_KEY}",
                "X-Sandbox-Fault": "slow-first-byte:5",
            },
        )
    left_at = time.time()
    entry = wait_until(lambda: next((e for e in log_for(srv, PATH) if e["disconnected"]), None))
    assert entry["disconnected_at"] - left_at < 0.5
    assert entry["status"] is None  # nothing was ever sent
    wait_until(lambda: log_for(srv, PATH)[-1]["finished"])  # and the handler gave up at once


def test_finished_responses_are_not_counted_as_disconnects(
    client: httpx.Client, srv: SandboxServer
) -> None:
    stream_text(client)
    client.post("/chat/completions", json=body(stream=False))
    client.close()
    time.sleep(0.05)
    assert [e["disconnected"] for e in log_for(srv, PATH)] == [False, False]
