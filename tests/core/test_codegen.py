"""View code: generated curl and Python send exactly the body, and never contain the key.

Curl output is checked by parsing it back the way a POSIX shell would (``shlex``) and, for a few
cases, by running it through ``/bin/sh`` with ``curl`` replaced by a function that prints its
arguments. Python output is compiled, and its literals are evaluated back into the body.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import shlex
import shutil
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfdesk.api.chat import build_chat_body
from sfdesk.api.images import build_image_body
from sfdesk.api.rerank import build_rerank_body
from sfdesk.core.codegen import (
    API_KEY_ENV,
    DATA_URL_KEEP,
    shorten_data_urls,
    to_curl,
    to_python_httpx,
    to_python_openai,
)

BASE = "https://api.siliconflow.cn/v1"
TRICKY = (
    "It's a \"quoted\" prompt with 'single' quotes,\nnewlines\tand tabs, $HOME, `whoami`, "
    "$(rm -rf /), \\backslashes\\, ''' and \"\"\", 中文：你好，世界！ and emoji 🙂"
)


def chat_body(stream: bool, **params: Any) -> dict[str, Any]:
    messages = [
        {"role": "system", "content": "你是一个乐于助人的助手。"},
        {"role": "user", "content": TRICKY},
    ]
    return build_chat_body("Qwen/Qwen3-8B", messages, params, stream=stream)


# ---------------------------------------------------------------------------------------------
# Reading generated code back


def curl_args(command: str) -> list[str]:
    """The argv a POSIX shell would build (comment lines dropped, line continuations joined)."""
    lines = [line for line in command.splitlines(keepends=True) if not line.startswith("#")]
    return shlex.split("".join(lines).replace("\\\n", ""), comments=False, posix=True)


def curl_body(command: str) -> Any:
    args = curl_args(command)
    return json.loads(args[args.index("--data") + 1])


def python_body(code: str) -> Any:
    """The value assigned to ``body`` in an httpx script."""
    for node in ast.walk(ast.parse(code)):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "body"
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("no body assignment")


def openai_body(code: str) -> dict[str, Any]:
    """The JSON the openai SDK would send: the create() keywords with extra_body merged in."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".create"):
            body: dict[str, Any] = {}
            for keyword in node.keywords:
                assert keyword.arg is not None
                value = ast.literal_eval(keyword.value)
                if keyword.arg == "extra_body":
                    body.update(value)
                else:
                    body[keyword.arg] = value
            return body
    raise AssertionError("no create() call")


def assert_python_ok(code: str) -> None:
    compile(code, "<view code>", "exec")
    assert f'os.environ["{API_KEY_ENV}"]' in code


# ---------------------------------------------------------------------------------------------
# Chat


@pytest.mark.parametrize("stream", [False, True])
def test_chat_curl_sends_the_exact_body(stream: bool) -> None:
    body = chat_body(stream, temperature=0.7, max_tokens=512, stop=["\n\n", "END"])
    command = to_curl("POST", BASE, "/chat/completions", body, stream=stream)
    args = curl_args(command)
    assert args[:5] == ["curl", "--request", "POST", "--url", f"{BASE}/chat/completions"]
    assert f"Authorization: Bearer ${API_KEY_ENV}" in args
    assert "Content-Type: application/json" in args
    assert ("--no-buffer" in args) is stream
    assert curl_body(command) == body
    assert "中文：你好，世界！" in command  # readable, not \u-escaped


@pytest.mark.parametrize("stream", [False, True])
def test_chat_httpx_sends_the_exact_body(stream: bool) -> None:
    body = chat_body(stream, temperature=0.2, enable_thinking=True, thinking_budget=4096)
    code = to_python_httpx("POST", BASE, "/chat/completions", body, stream=stream)
    assert_python_ok(code)
    assert python_body(code) == body
    assert f'url = "{BASE}/chat/completions"' in code
    assert ("httpx.stream(" in code) is stream
    assert ('"[DONE]"' in code) is stream
    assert "中文：你好，世界！" in code


@pytest.mark.parametrize("stream", [False, True])
def test_chat_openai_sdk_puts_siliconflow_parameters_in_extra_body(stream: bool) -> None:
    body = chat_body(
        stream,
        temperature=0.6,
        top_p=0.9,
        max_tokens=1024,
        frequency_penalty=0.5,
        stop=["###"],
        response_format={"type": "json_object"},
        enable_thinking=True,
        thinking_budget=2048,
        min_p=0.05,
        top_k=50,
    )
    code = to_python_openai("POST", BASE, "/chat/completions", body, stream=stream)
    assert_python_ok(code)
    assert openai_body(code) == body
    tree = ast.parse(code)
    call = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "client.chat.completions.create"
    )
    direct = {keyword.arg for keyword in call.keywords}
    extra = ast.literal_eval(next(k.value for k in call.keywords if k.arg == "extra_body"))
    assert set(extra) == {"enable_thinking", "thinking_budget", "min_p", "top_k"}
    assert {"model", "messages", "temperature", "top_p", "stop", "stream"} <= direct
    assert f"base_url={json.dumps(BASE)}" in code
    if stream:
        assert "for chunk in response:" in code
        assert "delta.content" in code
    else:
        assert "response.choices[0].message.content" in code


def test_openai_sdk_for_embeddings() -> None:
    body = {"model": "BAAI/bge-m3", "input": ["你好", "hello"], "dimensions": 512}
    code = to_python_openai("POST", BASE, "/embeddings", body)
    assert_python_ok(code)
    assert "client.embeddings.create(" in code
    assert openai_body(code) == body


# ---------------------------------------------------------------------------------------------
# Rerank and images: no SDK method


def test_rerank() -> None:
    body = build_rerank_body(
        "BAAI/bge-reranker-v2-m3",
        "苹果的营养价值",
        ["苹果富含维生素", 'It\'s "sunny" today', "香蕉\n很甜"],
        top_n=2,
        return_documents=True,
    )
    assert curl_body(to_curl("POST", BASE, "/rerank", body)) == body
    code = to_python_httpx("POST", BASE, "/rerank", body)
    assert_python_ok(code)
    assert python_body(code) == body
    sdk = to_python_openai("POST", BASE, "/rerank", body)
    assert_python_ok(sdk)
    assert sdk.startswith("# The openai SDK has no method for POST /rerank")
    assert "import httpx" in sdk
    assert python_body(sdk) == body


def test_images() -> None:
    body = build_image_body(
        "Kwai-Kolors/Kolors",
        "一只戴着'墨镜'的猫, \"cinematic\"",
        {"image_size": "1024x1024", "batch_size": 2, "seed": None, "guidance_scale": 7.5},
    )
    assert "seed" not in body
    assert curl_body(to_curl("POST", BASE, "/images/generations", body)) == body
    for code in (
        to_python_httpx("POST", BASE, "/images/generations", body),
        to_python_openai("POST", BASE, "/images/generations", body),
    ):
        assert_python_ok(code)
        assert python_body(code) == body
        assert 'print(image["url"])' in code


def test_get_without_a_body() -> None:
    command = to_curl("get", BASE + "/", "models?sub_type=chat", None)
    args = curl_args(command)
    assert args[:5] == ["curl", "--request", "GET", "--url", f"{BASE}/models?sub_type=chat"]
    assert "--data" not in args
    assert "Content-Type: application/json" not in args
    code = to_python_httpx("GET", BASE, "/models", None)
    assert_python_ok(code)
    assert "json=body" not in code
    assert_python_ok(to_python_openai("GET", BASE, "/models", None))


# ---------------------------------------------------------------------------------------------
# The key


def test_no_function_can_take_a_key() -> None:
    for function in (to_curl, to_python_httpx, to_python_openai):
        names = set(inspect.signature(function).parameters)
        assert names == {"method", "base_url", "path", "body", "stream", "abbreviate_data_urls"}


def test_generated_code_refers_to_the_environment_variable_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "sk-abcdefgh12345678abcdefgh12345678"
    monkeypatch.setenv(API_KEY_ENV, secret)
    body = chat_body(True)
    outputs = [
        to_curl("POST", BASE, "/chat/completions", body),
        to_python_httpx("POST", BASE, "/chat/completions", body),
        to_python_openai("POST", BASE, "/chat/completions", body),
    ]
    for output in outputs:
        assert secret not in output
        assert "sk-" not in output
    assert f'"Authorization: Bearer ${API_KEY_ENV}"' in outputs[0]
    assert f'"Bearer " + os.environ["{API_KEY_ENV}"]' in outputs[1]
    assert f'api_key=os.environ["{API_KEY_ENV}"]' in outputs[2]


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_a_real_shell_passes_the_body_verbatim_and_expands_only_the_key() -> None:
    body = chat_body(False, stop=["'", '"', "$(", "`", "\\"])
    command = to_curl("POST", BASE, "/chat/completions", body)
    # curl is replaced by a function that prints the arguments it was given.
    fake_curl = (
        f"curl() {{ {shlex.quote(sys.executable)} -c "
        "'import json, sys; print(json.dumps(sys.argv[1:]))' \"$@\"; }\n"
    )
    result = subprocess.run(
        ["sh", "-c", fake_curl + command],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, API_KEY_ENV: "test-key-from-env", "HOME": "/nonexistent"},
        check=True,
    )
    args = json.loads(result.stdout)
    assert "Authorization: Bearer test-key-from-env" in args
    assert json.loads(args[args.index("--data") + 1]) == body


# ---------------------------------------------------------------------------------------------
# Data URLs and invisible characters


def vision_body(size: int) -> dict[str, Any]:
    image = "data:image/png;base64," + "iVBORw0KGgo" * (size // 11)
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "这张图里有什么？"},
                {"type": "image_url", "image_url": {"url": image, "detail": "high"}},
            ],
        }
    ]
    return build_chat_body("Qwen/Qwen2.5-VL-72B-Instruct", messages, {}, stream=True)


def test_long_data_urls_are_abbreviated_by_default() -> None:
    body = vision_body(2_000_000)
    for output in (
        to_curl("POST", BASE, "/chat/completions", body, stream=True),
        to_python_httpx("POST", BASE, "/chat/completions", body, stream=True),
        to_python_openai("POST", BASE, "/chat/completions", body, stream=True),
    ):
        assert len(output) < 5000
        assert "data:image/png;base64,<… 1.9 MB …>" in output
        assert output.startswith("#") and "shortened for display" in output.splitlines()[0]
    shown = curl_body(to_curl("POST", BASE, "/chat/completions", body))
    assert shown["messages"][0]["content"][0] == body["messages"][0]["content"][0]


def test_data_urls_can_be_shown_whole() -> None:
    body = vision_body(5000)
    command = to_curl("POST", BASE, "/chat/completions", body, abbreviate_data_urls=False)
    assert curl_body(command) == body
    assert "shortened" not in command
    code = to_python_httpx("POST", BASE, "/chat/completions", body, abbreviate_data_urls=False)
    assert python_body(code) == body


def test_shorten_data_urls() -> None:
    short = "data:image/png;base64,AAAA"
    long = "data:image/jpeg;base64," + "A" * 200_000
    value, count = shorten_data_urls({"a": [short, long, {"b": long}], "c": "data:text"})
    assert count == 2
    assert value == {
        "a": [
            short,
            "data:image/jpeg;base64,<… 195 KB …>",
            {"b": "data:image/jpeg;base64,<… 195 KB …>"},
        ],
        "c": "data:text",
    }
    not_base64 = "data:text/plain," + "x" * (DATA_URL_KEEP + 10)
    assert shorten_data_urls(not_base64) == (not_base64, 0)


def test_invisible_characters_are_escaped() -> None:
    sneaky = "safe\u202eevil\u200b\u2028\x7f\x00 full\u3000width"
    body = build_chat_body("m", [{"role": "user", "content": sneaky}], {}, stream=False)
    command = to_curl("POST", BASE, "/chat/completions", body)
    code = to_python_httpx("POST", BASE, "/chat/completions", body)
    for output in (command, code):
        for char in "\u202e\u200b\u2028\x7f\x00":
            assert char not in output
        assert "\\u202e" in output
        assert "\u3000" in output  # a full-width space is ordinary Chinese text
    assert curl_body(command) == body
    assert python_body(code) == body


def test_a_body_that_is_not_json_is_refused() -> None:
    with pytest.raises(ValueError, match="not JSON"):
        to_curl("POST", BASE, "/chat/completions", {"temperature": float("nan")})
    with pytest.raises(ValueError, match="not JSON"):
        to_python_httpx("POST", BASE, "/chat/completions", {"x": object()})


# ---------------------------------------------------------------------------------------------
# Any content round-trips

json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=30)
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.text(max_size=10), json_values, max_size=5),
    st.text(max_size=60),
    st.booleans(),
)
def test_any_body_round_trips_through_every_format(
    extra: dict[str, Any], prompt: str, stream: bool
) -> None:
    body = build_chat_body("m", [{"role": "user", "content": prompt}], extra, stream=stream)
    body = json.loads(json.dumps(body))  # what goes on the wire
    assert curl_body(to_curl("POST", BASE, "/chat/completions", body, stream=stream)) == body
    code = to_python_httpx("POST", BASE, "/chat/completions", body, stream=stream)
    assert_python_ok(code)
    assert python_body(code) == body
    sdk = to_python_openai("POST", BASE, "/chat/completions", body, stream=stream)
    assert_python_ok(sdk)
    assert openai_body(sdk) == body
