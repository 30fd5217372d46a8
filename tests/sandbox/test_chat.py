"""Chat completions without streaming: validation, reply synthesis, thinking, JSON mode, tools."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from sfdesk.sandbox import SandboxServer
from sfdesk.sandbox.text import split_pieces

from .helpers import log_for

QWEN = "Qwen/Qwen2.5-7B-Instruct"
HELLO = [{"role": "user", "content": "Explain what a vector database is."}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_current_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
            "required": ["location"],
        },
    },
}


def chat(client: httpx.Client, **body: Any) -> httpx.Response:
    body.setdefault("model", QWEN)
    body.setdefault("messages", HELLO)
    return client.post("/chat/completions", json=body)


def reply(client: httpx.Client, **body: Any) -> dict[str, Any]:
    response = chat(client, **body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


# -- validation --------------------------------------------------------------------------------

INVALID = {"code": 20015, "message": "The parameter is invalid. Please check again.", "data": None}


@pytest.mark.parametrize(
    "body",
    [
        {"model": ""},
        {"model": None},
        {"messages": []},
        {"messages": "hello"},
        {"messages": [{"role": "robot", "content": "hi"}]},
        {"max_tokens": 0},
        {"max_tokens": "5"},
        {"stream": "yes"},
        {"response_format": {"type": "xml"}},
        {"tools": [{"type": "function", "function": {"name": "bad name!"}}]},
        {"tools": [WEATHER_TOOL], "tool_choice": {"type": "function", "function": {"name": "x"}}},
    ],
)
def test_invalid_requests_are_20015(client: httpx.Client, body: dict[str, Any]) -> None:
    response = chat(client, **body)
    assert response.status_code == 400
    assert response.json() == INVALID


def test_unknown_or_non_chat_model_is_20012(client: httpx.Client) -> None:
    for model in ("no/such-model", "BAAI/bge-m3"):
        response = chat(client, model=model)
        assert response.status_code == 400
        assert response.json() == {
            "code": 20012,
            "message": "Model does not exist. Please check it carefully.",
            "data": None,
        }


def test_body_that_is_not_json_is_20015(client: httpx.Client) -> None:
    response = client.post(
        "/chat/completions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["code"] == 20015


def test_enable_thinking_is_refused_by_models_without_hybrid_thinking(
    client: httpx.Client,
) -> None:
    for model in (QWEN, "deepseek-ai/DeepSeek-R1"):
        for value in (True, False):
            response = chat(client, model=model, enable_thinking=value)
            assert response.status_code == 400
            assert response.json() == {
                "code": 20015,
                "message": "Value error, current model does not supportparameter "
                "`enable thinking`.",
                "data": None,
            }
    assert chat(client, model="Qwen/Qwen3-8B", enable_thinking=False).status_code == 200


def test_thinking_budget_above_32768_is_refused(client: httpx.Client) -> None:
    response = chat(client, model="Qwen/Qwen3-8B", enable_thinking=True, thinking_budget=32769)
    assert response.status_code == 400
    assert response.json() == {
        "code": 20015,
        "message": "thinking_budget: Must be less than or equal to 32768",
        "data": None,
    }
    assert chat(client, model="Qwen/Qwen3-8B", thinking_budget=32768).status_code == 200


# -- replies -----------------------------------------------------------------------------------


def test_plain_reply_has_the_documented_shape(client: httpx.Client) -> None:
    body = reply(client)
    assert re.fullmatch(r"[0-9a-f]{32}", body["id"])
    assert body["object"] == "chat.completion" and body["model"] == QWEN
    assert body["system_fingerprint"] == "" and isinstance(body["created"], int)
    (choice,) = body["choices"]
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    message = choice["message"]
    assert message["role"] == "assistant" and "reasoning_content" not in message
    usage = body["usage"]
    assert usage["completion_tokens"] == len(split_pieces(message["content"]))
    assert 100 <= usage["completion_tokens"] <= 200
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["completion_tokens_details"] == {"reasoning_tokens": 0}
    assert usage["prompt_tokens_details"] == {"cached_tokens": 0}
    assert usage["prompt_cache_miss_tokens"] == usage["prompt_tokens"] > 0


def test_reply_is_markdown_about_the_question_and_deterministic(client: httpx.Client) -> None:
    first = reply(client)["choices"][0]["message"]["content"]
    assert first == reply(client)["choices"][0]["message"]["content"]
    assert first.startswith("### ")
    assert "vector database" in first  # quotes the question
    assert "\n- **" in first  # a bullet list
    assert "\n```python\n" in first and first.count("```") == 2  # one fenced block
    other = reply(client, messages=[{"role": "user", "content": "How do volcanoes form?"}])
    assert other["choices"][0]["message"]["content"] != first


def test_chinese_questions_get_chinese_answers(client: httpx.Client) -> None:
    content = reply(client, messages=[{"role": "user", "content": "请解释一下什么是向量数据库"}])[
        "choices"
    ][0]["message"]["content"]
    assert "向量数据库" in content and "沙盒" in content
    assert "You asked" not in content


def test_only_the_last_user_message_matters(client: httpx.Client) -> None:
    history = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Tell me about cats."},
        {"role": "assistant", "content": "Cats are great."},
        *HELLO,
    ]
    with_history = reply(client, messages=history)
    plain = reply(client)
    assert with_history["choices"][0]["message"] == plain["choices"][0]["message"]
    assert with_history["usage"]["prompt_tokens"] > plain["usage"]["prompt_tokens"]


def test_max_tokens_cuts_the_answer_with_finish_reason_length(client: httpx.Client) -> None:
    full = reply(client)["choices"][0]["message"]["content"]
    body = reply(client, max_tokens=7)
    assert body["choices"][0]["finish_reason"] == "length"
    assert body["usage"]["completion_tokens"] == 7
    assert full.startswith(body["choices"][0]["message"]["content"])


def test_reply_tokens_header_sets_the_exact_length(client: httpx.Client) -> None:
    headers = {"X-Sandbox-Reply-Tokens": "3000"}
    long = client.post(
        "/chat/completions", json={"model": QWEN, "messages": HELLO}, headers=headers
    ).json()
    assert long["usage"]["completion_tokens"] == 3000
    assert long["choices"][0]["finish_reason"] == "stop"
    assert len(split_pieces(long["choices"][0]["message"]["content"])) == 3000
    capped = client.post(
        "/chat/completions",
        json={"model": QWEN, "messages": HELLO, "max_tokens": 50},
        headers=headers,
    ).json()
    assert capped["usage"]["completion_tokens"] == 50
    assert capped["choices"][0]["finish_reason"] == "length"
    bad = client.post(
        "/chat/completions",
        json={"model": QWEN, "messages": HELLO},
        headers={"X-Sandbox-Reply-Tokens": "lots"},
    )
    assert bad.status_code == 400


def test_long_replies_are_markdown_with_code_blocks_and_lists(client: httpx.Client) -> None:
    headers = {"X-Sandbox-Reply-Tokens": "2000"}
    for messages in (HELLO, [{"role": "user", "content": "请解释一下向量数据库。"}]):
        response = client.post(
            "/chat/completions", json={"model": QWEN, "messages": messages}, headers=headers
        )
        content = response.json()["choices"][0]["message"]["content"]
        fences = re.findall(r"^```(\w*)$", content, flags=re.MULTILINE)
        assert {"python", "javascript", "bash"} <= set(fences)
        # Fences alternate: an opening one with a language, then its closing one.
        assert all(fences[0::2])
        assert fences[1::2] == [""] * (len(fences) // 2)
        assert re.search(r"^- ", content, flags=re.MULTILINE)
        assert len(split_pieces(content)) == 2000


def test_always_thinking_model_reasons_first_within_the_budget(client: httpx.Client) -> None:
    body = reply(client, model="deepseek-ai/DeepSeek-R1")
    message = body["choices"][0]["message"]
    reasoning_tokens = body["usage"]["completion_tokens_details"]["reasoning_tokens"]
    assert 40 <= reasoning_tokens <= 80
    assert len(split_pieces(message["reasoning_content"])) == reasoning_tokens
    assert body["usage"]["completion_tokens"] == reasoning_tokens + len(
        split_pieces(message["content"])
    )
    budgeted = reply(client, model="deepseek-ai/DeepSeek-R1", thinking_budget=128)
    assert budgeted["usage"]["completion_tokens_details"]["reasoning_tokens"] <= 128


def test_hybrid_model_thinks_only_when_asked_and_honours_the_budget(client: httpx.Client) -> None:
    off = reply(client, model="Qwen/Qwen3-8B")["choices"][0]["message"]
    assert "reasoning_content" not in off
    on = reply(client, model="Qwen/Qwen3-8B", enable_thinking=True)
    assert on["choices"][0]["message"]["reasoning_content"]
    assert on["choices"][0]["message"]["content"] == off["content"]


def test_think_tag_model_puts_its_reasoning_inside_content(client: httpx.Client) -> None:
    body = reply(client, model="deepseek-ai/DeepSeek-R1-Distill-Qwen-7B")
    message = body["choices"][0]["message"]
    assert "reasoning_content" not in message
    match = re.fullmatch(r"<think>\n(.+)\n</think>\n\n(### .+)", message["content"], re.S)
    assert match is not None, message["content"][:200]
    assert match.group(1).strip()


def test_json_mode_content_is_a_json_object(client: httpx.Client) -> None:
    for question in ("List three rivers.", "列出三条河流"):
        content = reply(
            client,
            messages=[{"role": "user", "content": question}],
            response_format={"type": "json_object"},
        )["choices"][0]["message"]["content"]
        value = json.loads(content)
        assert isinstance(value, dict) and value["source"] == "sfdesk sandbox"


def test_vision_reply_counts_the_images(client: httpx.Client) -> None:
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    content = [{"type": "text", "text": "What is in these pictures?"}, image, image]
    body = reply(
        client,
        model="Qwen/Qwen2.5-VL-72B-Instruct",
        messages=[{"role": "user", "content": content}],
    )
    assert "2 images" in body["choices"][0]["message"]["content"]
    text_only = reply(
        client,
        model="Qwen/Qwen2.5-VL-72B-Instruct",
        messages=[{"role": "user", "content": "What is in these pictures?"}],
    )
    assert body["usage"]["prompt_tokens"] > text_only["usage"]["prompt_tokens"]


# -- tools -------------------------------------------------------------------------------------


def test_mentioning_a_tool_gets_a_tool_call(client: httpx.Client) -> None:
    body = reply(
        client,
        messages=[{"role": "user", "content": "Call get_current_weather for Boston, please."}],
        tools=[WEATHER_TOOL],
    )
    choice = body["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    (call,) = choice["message"]["tool_calls"]
    assert re.fullmatch(r"[0-9a-f]{32}", call["id"]) and call["type"] == "function"
    assert call["function"]["name"] == "get_current_weather"
    assert json.loads(call["function"]["arguments"]) == {"location": "Boston"}


@pytest.mark.parametrize(
    ("choice", "calls"),
    [
        ("none", False),
        ("auto", False),
        ("required", True),
        ({"type": "function", "function": {"name": "get_current_weather"}}, True),
    ],
)
def test_tool_choice_decides_when_nothing_is_mentioned(
    client: httpx.Client, choice: object, calls: bool
) -> None:
    body = reply(client, tools=[WEATHER_TOOL], tool_choice=choice)
    assert (body["choices"][0]["finish_reason"] == "tool_calls") is calls


def test_a_tool_result_is_answered_in_words(client: httpx.Client) -> None:
    messages = [
        {"role": "user", "content": "Call get_current_weather for Boston, please."},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_current_weather", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "Sunny, 22 °C"},
    ]
    body = reply(client, messages=messages, tools=[WEATHER_TOOL])
    assert body["choices"][0]["finish_reason"] == "stop"
    assert "Sunny, 22 °C" in body["choices"][0]["message"]["content"]


def test_the_request_body_is_logged_as_sent(client: httpx.Client, srv: SandboxServer) -> None:
    reply(client, temperature=0.3)
    entry = log_for(srv, "/v1/chat/completions")[-1]
    assert entry["body"] == {"model": QWEN, "messages": HELLO, "temperature": 0.3}
    assert entry["status"] == 200 and entry["frames_sent"] == 0


@pytest.mark.parametrize(
    ("question", "label"),
    [("Give me a detailed answer about indexes", "Part 12."), ("请详细介绍向量数据库", "第 12 段")],
)
def test_asking_for_a_long_answer_gets_one(client: httpx.Client, question: str, label: str) -> None:
    short = reply(client, messages=[{"role": "user", "content": "About indexes"}])
    long = reply(client, messages=[{"role": "user", "content": question}])
    short_text = short["choices"][0]["message"]["content"]
    long_text = long["choices"][0]["message"]["content"]
    assert label in long_text and "Part 1." not in short_text
    assert long_text.count("```") >= 2 * 4  # its own code block and three more
    assert long["usage"]["completion_tokens"] > 3 * short["usage"]["completion_tokens"]
