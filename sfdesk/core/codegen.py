"""The "View code" feature: the request about to be sent, as curl, httpx or openai-SDK code.

This module owns turning one request (method, base URL, path, JSON body, streaming or not) into
code a user can paste and run. The body must be the one the service layer would send, so callers
build it with the same functions the client uses (``build_chat_body``, ``build_rerank_body``,
``build_image_body`` in :mod:`sfdesk.api`); nothing here adds, drops or reorders a field.

The API key is never an input: no function here accepts one. Generated code always reads it from
the environment, as ``$SILICONFLOW_API_KEY`` in shell and ``os.environ["SILICONFLOW_API_KEY"]`` in
Python (design.md §2: the key never appears in exported code).

Display rules:

- Shell output is for POSIX shells: every argument is quoted with :func:`shlex.quote` except the
  Authorization header, which is double-quoted so the shell expands the variable.
- Python output compiles, and its literals evaluate to exactly the body.
- Invisible characters that could hide what the code does (controls, bidi overrides, zero-width
  characters, line separators) are written as escapes, in JSON and in Python alike; the rest of the
  text, Chinese included, is written as it is.
- Images attached as ``data:`` URLs can be megabytes. With ``abbreviate_data_urls=True`` (the
  default) each long one is shown as ``data:image/png;base64,<… 123 KB …>`` and the code starts
  with a comment saying so; that code then no longer sends the same image.
"""

from __future__ import annotations

import json
import re
import shlex
import unicodedata
from collections.abc import Mapping
from typing import Any

__all__ = [
    "API_KEY_ENV",
    "shorten_data_urls",
    "to_curl",
    "to_python_httpx",
    "to_python_openai",
]

#: The environment variable generated code reads the key from.
API_KEY_ENV = "SILICONFLOW_API_KEY"

#: Data URLs up to this many characters are shown whole.
DATA_URL_KEEP = 256

_DATA_URL_RE = re.compile(r"data:([\w.+\-]+/[\w.+\-]+)?((?:;[^,;]*)*);base64,", re.ASCII)
# Characters that render invisibly or reorder text (controls, format characters such as bidi
# overrides and zero-width spaces, surrogates, private use, unassigned, line/paragraph
# separators). Spaces, including the ideographic space common in Chinese, are left alone.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_MAYBE_HIDDEN_RE = re.compile(r"[^\x20-\x7e\n]")
_WIDTH = 88

# Keyword arguments every openai-python 1.x accepts; anything else (SiliconFlow's own parameters
# such as enable_thinking, thinking_budget, min_p, top_k, and newer OpenAI ones an older SDK
# would reject) goes through extra_body, which any version merges into the JSON as is.
_OPENAI_CHAT_KWARGS = frozenset(
    {
        "model",
        "messages",
        "stream",
        "frequency_penalty",
        "logit_bias",
        "logprobs",
        "max_tokens",
        "n",
        "presence_penalty",
        "response_format",
        "seed",
        "stop",
        "temperature",
        "tool_choice",
        "tools",
        "top_logprobs",
        "top_p",
        "user",
    }
)
_OPENAI_EMBEDDING_KWARGS = frozenset({"model", "input", "dimensions", "encoding_format", "user"})

_PythonValue = Any  # JSON-shaped: dict[str, ...] | list | str | int | float | bool | None


def shorten_data_urls(value: _PythonValue) -> tuple[_PythonValue, int]:
    """A copy of ``value`` with long base64 ``data:`` URLs shortened, and how many were."""
    if isinstance(value, str):
        match = _DATA_URL_RE.match(value)
        if match is None or len(value) <= DATA_URL_KEEP:
            return value, 0
        return f"{match.group(0)}<… {_size(len(value))} …>", 1
    if isinstance(value, dict):
        count = 0
        items: dict[str, Any] = {}
        for key, item in value.items():
            items[key], n = shorten_data_urls(item)
            count += n
        return items, count
    if isinstance(value, list):
        count = 0
        elements: list[Any] = []
        for item in value:
            element, n = shorten_data_urls(item)
            elements.append(element)
            count += n
        return elements, count
    return value, 0


def to_curl(
    method: str,
    base_url: str,
    path: str,
    body: Mapping[str, Any] | None,
    *,
    stream: bool = False,
    abbreviate_data_urls: bool = True,
) -> str:
    """A curl command for a POSIX shell; ``--no-buffer`` when streaming."""
    data, shortened = _prepare(body, abbreviate_data_urls)
    lines = []
    if shortened:
        lines.append(f"# {_shortened_note(shortened)}")
    args = [
        f"curl --request {shlex.quote(method.upper())}",
        f"--url {shlex.quote(_url(base_url, path))}",
        # Double quotes on purpose: the shell fills in the key from the environment.
        f'--header "Authorization: Bearer ${API_KEY_ENV}"',
    ]
    if data is not None:
        args.append("--header 'Content-Type: application/json'")
    if stream:
        args.append("--no-buffer")
    if data is not None:
        text = _reveal_hidden(json.dumps(data, ensure_ascii=False, indent=2), python=False)
        args.append(f"--data {shlex.quote(text)}")
    lines.append(" \\\n  ".join(args))
    return "\n".join(lines) + "\n"


def to_python_httpx(
    method: str,
    base_url: str,
    path: str,
    body: Mapping[str, Any] | None,
    *,
    stream: bool = False,
    abbreviate_data_urls: bool = True,
) -> str:
    """A Python script using httpx that sends the request and prints the result."""
    data, shortened = _prepare(body, abbreviate_data_urls)
    return _httpx_script(method.upper(), _url(base_url, path), path, data, stream, shortened, "")


def to_python_openai(
    method: str,
    base_url: str,
    path: str,
    body: Mapping[str, Any] | None,
    *,
    stream: bool = False,
    abbreviate_data_urls: bool = True,
) -> str:
    """A Python script using the openai SDK pointed at SiliconFlow.

    Chat completions and embeddings have SDK methods; for other endpoints (rerank, images, …)
    the SDK has none that fits, so the result says so and uses httpx instead.
    """
    data, shortened = _prepare(body, abbreviate_data_urls)
    endpoint = _endpoint(path)
    if method.upper() != "POST" or data is None or endpoint not in ("chat", "embeddings"):
        note = (
            f"The openai SDK has no method for {method.upper()} /{path.lstrip('/')}, "
            "so this calls the API with httpx."
        )
        return _httpx_script(
            method.upper(), _url(base_url, path), path, data, stream, shortened, note
        )

    known = _OPENAI_CHAT_KWARGS if endpoint == "chat" else _OPENAI_EMBEDDING_KWARGS
    kwargs = {key: value for key, value in data.items() if key in known and key.isidentifier()}
    extra = {key: value for key, value in data.items() if key not in kwargs}
    call = "client.chat.completions.create" if endpoint == "chat" else "client.embeddings.create"

    out = _header(shortened, "")
    out += "import os\n\nfrom openai import OpenAI\n\n"
    out += "client = OpenAI(\n"
    out += f'    api_key=os.environ["{API_KEY_ENV}"],\n'
    out += f"    base_url={_py_str(base_url.rstrip('/'))},\n"
    out += ")\n\n"
    out += f"response = {call}(\n"
    for key, value in kwargs.items():
        out += f"    {key}={_py(value, 4, len(key) + 5)},\n"
    if extra:
        out += "    # Not parameters of the openai SDK: sent as they are in the JSON body.\n"
        out += f"    extra_body={_py(extra, 4, 15)},\n"
    out += ")\n"
    if endpoint == "embeddings":
        out += "for item in response.data:\n    print(item.index, item.embedding[:8], '...')\n"
    elif stream:
        out += (
            "for chunk in response:\n"
            "    if chunk.choices and chunk.choices[0].delta.content:\n"
            '        print(chunk.choices[0].delta.content, end="", flush=True)\n'
            "print()\n"
        )
    else:
        out += "print(response.choices[0].message.content)\n"
    return out


def _prepare(body: Mapping[str, Any] | None, abbreviate: bool) -> tuple[dict[str, Any] | None, int]:
    if body is None:
        return None, 0
    # A JSON round trip gives exactly what goes on the wire (tuples become lists, ...) and
    # refuses what cannot be sent (NaN, objects), rather than printing code that differs.
    try:
        data = json.loads(json.dumps(dict(body), allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the request body is not JSON: {exc}") from exc
    if not abbreviate:
        return data, 0
    shortened, count = shorten_data_urls(data)
    assert isinstance(shortened, dict)
    return shortened, count


def _url(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}/{path.lstrip('/')}"


def _endpoint(path: str) -> str:
    return {
        "chat/completions": "chat",
        "embeddings": "embeddings",
        "images/generations": "images",
    }.get(path.strip("/"), "other")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{round(n / 1024)} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def _shortened_note(count: int) -> str:
    what = "1 data URL is" if count == 1 else f"{count} data URLs are"
    return f"Note: {what} shortened for display; put the full base64 data back before running."


def _header(shortened: int, note: str) -> str:
    lines = [
        f"# {line}" for line in (note, _shortened_note(shortened) if shortened else "") if line
    ]
    return "\n".join(lines) + "\n" if lines else ""


def _httpx_script(
    method: str,
    url: str,
    path: str,
    data: dict[str, Any] | None,
    stream: bool,
    shortened: int,
    note: str,
) -> str:
    endpoint = _endpoint(path)
    streams_chat = stream and endpoint == "chat"
    # Pretty-printing the whole reply needs json; so does decoding stream frames.
    needs_json = streams_chat or endpoint not in ("chat", "images")
    out = _header(shortened, note)
    out += ("import json\n" if needs_json else "") + "import os\n\nimport httpx\n\n"
    out += f"url = {_py_str(url)}\n"
    out += f'headers = {{"Authorization": "Bearer " + os.environ["{API_KEY_ENV}"]}}\n'
    send = "headers=headers, json=body" if data is not None else "headers=headers"
    if data is not None:
        out += f"body = {_py(data, 0, 7)}\n"
    out += "\n"
    # A generous read timeout: thinking models pause for long, image generation is slow.
    out += "timeout = httpx.Timeout(10.0, read=300.0)\n"
    timeout = "timeout=timeout"
    if streams_chat:
        out += f"with httpx.stream({_py_str(method)}, url, {send}, {timeout}) as response:\n"
        out += (
            "    response.raise_for_status()\n"
            "    for line in response.iter_lines():\n"
            '        if not line.startswith("data:"):\n'
            "            continue\n"
            '        data = line.removeprefix("data:").strip()\n'
            '        if data == "[DONE]":\n'
            "            break\n"
            '        for choice in json.loads(data).get("choices") or []:\n'
            '            content = (choice.get("delta") or {}).get("content")\n'
            "            if content:\n"
            '                print(content, end="", flush=True)\n'
            "print()\n"
        )
        return out
    if stream:
        out += f"with httpx.stream({_py_str(method)}, url, {send}, {timeout}) as response:\n"
        out += (
            "    response.raise_for_status()\n"
            "    for line in response.iter_lines():\n"
            "        print(line)\n"
        )
        return out
    out += f"response = httpx.request({_py_str(method)}, url, {send}, {timeout})\n"
    out += "response.raise_for_status()\n"
    if endpoint == "chat":
        out += 'print(response.json()["choices"][0]["message"]["content"])\n'
    elif endpoint == "images":
        out += (
            "# The links expire after one hour: download what you want to keep.\n"
            'for image in response.json().get("images") or []:\n'
            '    print(image["url"])\n'
        )
    else:
        out += "print(json.dumps(response.json(), ensure_ascii=False, indent=2))\n"
    return out


def _reveal_hidden(text: str, *, python: bool) -> str:
    """Escape characters in (already JSON-escaped) string text that would not be seen."""

    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        if unicodedata.category(char) not in _HIDDEN_CATEGORIES:
            return char
        code = ord(char)
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        if python:
            return f"\\U{code:08x}"
        # JSON has no 6-digit escape: write the UTF-16 surrogate pair.
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _MAYBE_HIDDEN_RE.sub(escape, text)


def _py_str(text: str) -> str:
    # JSON string escapes are all valid Python escapes, and double quotes match common style.
    return _reveal_hidden(json.dumps(text, ensure_ascii=False), python=True)


def _py_inline(value: _PythonValue) -> str:
    if isinstance(value, str):
        return _py_str(value)
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_py_inline(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_py_str(k)}: {_py_inline(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _py(value: _PythonValue, indent: int, column: int) -> str:
    """A Python literal for a JSON value, on one line if it fits from ``column``, else one
    element per line indented from ``indent``."""
    inline = _py_inline(value)
    if column + len(inline) <= _WIDTH or not isinstance(value, dict | list) or not value:
        return inline
    inner = " " * (indent + 4)
    if isinstance(value, dict):
        items = [
            f"{inner}{_py_str(key)}: {_py(item, indent + 4, indent + 6 + len(_py_str(key)))},"
            for key, item in value.items()
        ]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    elements = [f"{inner}{_py(item, indent + 4, indent + 4)}," for item in value]
    return "[\n" + "\n".join(elements) + "\n" + " " * indent + "]"
