"""Export to Markdown and JSON, and file names safe on every desktop OS."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from sfdesk.store import (
    Conversation,
    ConversationStore,
    MarkdownLabels,
    Message,
    safe_filename,
    to_json,
    to_markdown,
)

PIXELS = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
DATA_URL = f"data:image/png;base64,{PIXELS}"


@pytest.fixture
def conversation(store: ConversationStore) -> tuple[Conversation, list[Message]]:
    conv = store.create_conversation(
        title="图片问答",
        model="Qwen/Qwen3-VL",
        system_prompt="你是一个助手。\n\n回答要简短。",
        params={"temperature": 0.6, "enable_thinking": True},
    )
    store.add_message(
        conv.id,
        "user",
        "这是什么动物？",
        attachments=[{"name": "猫.png", "mime": "image/png", "url": DATA_URL}],
    )
    store.add_message(
        conv.id,
        "assistant",
        "这是一只**猫**。\n\n```python\nprint('喵')\n```",
        reasoning="图里有胡须和尖耳朵。</details> still inside",
        finish_reason="stop",
        model="Qwen/Qwen3-VL",
        usage={"prompt_tokens": 812, "completion_tokens": 40, "reasoning_tokens": 12},
        stats={
            "ttft_ms": 412.4,
            "tokens_per_s": math.inf,
            "thinking_ms": 1500,
            "duration_ms": 2100,
        },
    )
    store.add_message(conv.id, "user", "再详细一点")
    store.add_message(conv.id, "assistant", "它正在", status="stopped")
    store.add_message(conv.id, "assistant", "它正在睡", status="interrupted")
    store.add_message(
        conv.id,
        "assistant",
        status="error",
        error={"reason": "balance", "message": "余额不足", "trace_id": "ti_abc123", "status": 403},
    )
    store.add_message(conv.id, "assistant", "截断的回答", finish_reason="length")
    got = store.get_conversation(conv.id)
    assert got is not None
    return got, store.messages(conv.id)


def test_markdown_has_the_conversation_and_never_the_image_data(
    conversation: tuple[Conversation, list[Message]],
) -> None:
    conv, messages = conversation
    md = to_markdown(conv, messages)
    assert md.startswith("# 图片问答\n")
    assert "`Qwen/Qwen3-VL`" in md
    assert "> 你是一个助手。\n>\n> 回答要简短。" in md
    assert md.count("## User") == 2 and md.count("## Assistant") == 5
    assert "这是一只**猫**。\n\n```python\nprint('喵')\n```" in md
    # Reasoning is collapsed, and cannot close its own block early.
    assert "<details><summary>Reasoning</summary>\n\n图里有胡须和尖耳朵。" in md
    assert md.count("</details>") == 1
    assert "`猫.png` (image/png)" in md
    assert "data:" not in md and PIXELS[:20] not in md
    assert "prompt 812" in md and "completion 40" in md and "reasoning 12" in md
    assert "first token 412 ms" in md and "thinking 1.5 s" in md and "inf" not in md
    assert "Stopped by the user" in md
    assert "Interrupted" in md
    assert "Error: 余额不足 (HTTP 403) · trace id `ti_abc123`" in md
    assert "token limit" in md
    # Messages in conversation order.
    assert (
        md.index("这是什么动物") < md.index("这是一只") < md.index("再详细一点") < md.index("截断")
    )


def test_markdown_labels_can_be_translated(
    conversation: tuple[Conversation, list[Message]],
) -> None:
    conv, messages = conversation
    md = to_markdown(conv, messages, labels=MarkdownLabels(user="用户", assistant="助手"))
    assert md.count("## 用户") == 2 and md.count("## 助手") == 5 and "## User" not in md


def test_markdown_of_an_untitled_empty_conversation(store: ConversationStore) -> None:
    conv = store.create_conversation()
    assert to_markdown(conv, []).startswith("# Untitled conversation\n")


def test_json_is_complete_standard_and_utf8(
    tmp_path: Path, conversation: tuple[Conversation, list[Message]]
) -> None:
    conv, messages = conversation
    text = to_json(conv, messages)
    assert "图片问答" in text  # not \\u escapes
    assert "Infinity" not in text  # standard JSON only
    path = tmp_path / f"{safe_filename(conv.title)}.json"
    path.write_text(text, encoding="utf-8")
    doc = json.loads(path.read_text(encoding="utf-8"))

    assert (doc["format"], doc["version"]) == ("sfdesk.conversation", 1)
    assert doc["conversation"] == {
        "id": conv.id,
        "title": conv.title,
        "model": conv.model,
        "system_prompt": conv.system_prompt,
        "params": conv.params,
        "created_at": conv.created_at,
        "updated_at": conv.updated_at,
    }
    assert [m["position"] for m in doc["messages"]] == [m.position for m in messages]
    first, answer = doc["messages"][0], doc["messages"][1]
    assert first["attachments"] == [{"name": "猫.png", "mime": "image/png", "url": DATA_URL}]
    assert answer["reasoning"] == messages[1].reasoning
    assert answer["usage"] == messages[1].usage
    assert answer["stats"]["tokens_per_s"] is None  # inf has no JSON spelling
    assert doc["messages"][5]["error"]["trace_id"] == "ti_abc123"
    assert {m["status"] for m in doc["messages"]} == {"complete", "stopped", "interrupted", "error"}
    # Everything a Message holds is exported, apart from the redundant conversation id.
    assert set(answer) == set(Message.__slots__) - {"conversation_id"}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("a/b", "a b"),
        ("a\\b", "a b"),
        ("..", "conversation"),
        ("../../etc/passwd", "etc passwd"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("Lpt9", "_Lpt9"),
        ("CONSOLE", "CONSOLE"),
        ("名字: 测试?", "名字 测试"),
        ("   ", "conversation"),
        ("", "conversation"),
        ("tab\tand\nnewline\x00nul\x1b", "tab and newline nul"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("ends with dots... ", "ends with dots"),
        ('<a|b>*"c"', "a b c"),
        ("模型对比 🧪", "模型对比 🧪"),
    ],
)
def test_safe_filename(title: str, expected: str) -> None:
    assert safe_filename(title) == expected


@pytest.mark.parametrize("title", ["字" * 500, "a" * 500, "字a" * 300])
def test_safe_filename_caps_long_titles_by_bytes(title: str, tmp_path: Path) -> None:
    name = safe_filename(title)
    assert 0 < len(name.encode("utf-8")) <= 180
    assert title.startswith(name)  # cut on a character boundary, never mid-character
    (tmp_path / f"{name}.md").write_text("ok", encoding="utf-8")  # the OS accepts it
