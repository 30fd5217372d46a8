"""The Chat panel driven by its object names against the sandbox: streaming with reasoning,
stop, an interrupted stream, an error explained, and persistence across a new panel."""

from __future__ import annotations

import base64
import io
import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer
from sfdesk.store import ConversationStore
from sfdesk.ui.chat.code_dialog import CodeDialog
from sfdesk.ui.chat.export import write_export
from sfdesk.ui.chat.panel import ChatPanel

THINKING = "deepseek-ai/DeepSeek-R1"
PLAIN = "Qwen/Qwen2.5-7B-Instruct"


def w(panel: ChatPanel, kind: type, name: str) -> Any:
    widget = panel.findChild(kind, name)
    assert widget is not None, name
    return widget


def send(panel: ChatPanel, text: str, model: str) -> None:
    w(panel, QComboBox, "chat.model").setCurrentText(model)
    w(panel, QPlainTextEdit, "chat.input").setPlainText(text)
    w(panel, QPushButton, "chat.send").click()


def wait_reply(qtbot: QtBot, panel: ChatPanel, text: str, model: str) -> Any:
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=10_000) as ended:
        send(panel, text, model)
    return ended.args[0]


def words(markdown: str) -> list[str]:
    """Plain words of an answer, which survive rendering."""
    return [word for word in markdown.split() if word.isalpha()][:5]


def test_streamed_answer_with_reasoning_shows_text_and_stats(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel]
) -> None:
    panel = make_panel()
    stop = w(panel, QPushButton, "chat.stop")
    assert not stop.isEnabled()
    message = wait_reply(qtbot, panel, "What is a vector database?", THINKING)
    assert message.status == "complete" and message.reasoning
    view = w(panel, QTextBrowser, "chat.view")
    text = view.toPlainText()
    assert "What is a vector database?" in text
    assert all(word in text for word in words(message.content))
    assert "Thought for" in text
    stats = w(panel, QLabel, "chat.stats").text()
    assert "tokens/s" in stats and "completion" in stats and "reasoning" in stats
    assert not stop.isEnabled() and w(panel, QPushButton, "chat.send").isEnabled()
    assert w(panel, QPlainTextEdit, "chat.input").toPlainText() == ""


def test_reply_statistics_follow_a_language_switch(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel], translations: Any
) -> None:
    panel = make_panel()
    wait_reply(qtbot, panel, "hello", THINKING)
    stats = w(panel, QLabel, "chat.stats")
    try:
        translations.apply("zh_CN")
        assert "token/秒" in stats.text() and "输出" in stats.text()
    finally:
        translations.apply("en")
    assert "tokens/s" in stats.text()
    wait_reply(qtbot, panel, "and without thinking?", "Qwen/Qwen2.5-7B-Instruct")
    assert "completion" in stats.text() and "reasoning" not in stats.text()


def test_stop_keeps_a_stopped_message(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel], sandbox: SandboxServer
) -> None:
    sandbox.configure(tokens_per_second=40)
    panel = make_panel()
    deltas: list[Any] = []
    panel.controller.sig_reply_delta.connect(lambda *args: deltas.append(args))
    send(panel, "Tell me a long story", PLAIN)
    stop = w(panel, QPushButton, "chat.stop")
    qtbot.waitUntil(lambda: len(deltas) >= 3, timeout=10_000)
    assert stop.isEnabled()
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=5_000) as ended:
        stop.click()
    assert ended.args[0].status == "stopped"
    assert "Stopped" in w(panel, QTextBrowser, "chat.view").toPlainText()
    assert "stopped" in w(panel, QLabel, "chat.stats").text()
    assert not stop.isEnabled()


def test_interrupted_stream_is_marked_and_can_be_retried(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel], sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("/v1/chat/completions", "drop-after:5")
    panel = make_panel()
    message = wait_reply(qtbot, panel, "Hello", PLAIN)
    assert message.status == "interrupted"
    view = w(panel, QTextBrowser, "chat.view")
    assert "Interrupted" in view.toPlainText() and "Retry" in view.toPlainText()
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=10_000) as ended:
        view.sig_retry_requested.emit(message.id)
    assert ended.args[0].status == "complete"
    text = view.toPlainText()
    assert "Interrupted" not in text
    assert text.count("Assistant ·") == 1


def test_unknown_model_is_explained_not_a_traceback(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel]
) -> None:
    panel = make_panel()
    message = wait_reply(qtbot, panel, "Hi", "nobody/no-such-model")
    assert message.status == "error"
    text = w(panel, QTextBrowser, "chat.view").toPlainText()
    assert "Unknown model" in text and "Traceback" not in text
    if message.error.get("trace_id"):
        assert message.error["trace_id"] in text
    assert w(panel, QLabel, "chat.stats").text() == "Unknown model"


def test_conversations_persist_and_reopen(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel]
) -> None:
    first = make_panel()
    message = wait_reply(qtbot, first, "Remember the word pineapple", PLAIN)
    assert first.conversations.titles() == ["Remember the word pineapple"]

    second = make_panel()
    assert second.conversations.titles() == ["Remember the word pineapple"]
    item = second.conversations.list.item(0)
    second.conversations.list.itemClicked.emit(item)
    text = w(second, QTextBrowser, "chat.view").toPlainText()
    assert "Remember the word pineapple" in text
    assert all(word in text for word in words(message.content))
    assert w(second, QComboBox, "chat.model").currentText() == PLAIN

    with qtbot.waitSignal(second.controller.sig_conversation_opened):
        second.conversations.new_button.click()
    assert w(second, QTextBrowser, "chat.view").toPlainText().strip() == ""


@pytest.mark.parametrize(
    ("model", "hybrid"),
    [
        ("Qwen/Qwen3-8B", True),
        ("Pro/zai-org/GLM-4.7", True),
        ("deepseek-ai/DeepSeek-V3.2", True),
        ("Qwen/Qwen3-Coder-480B-A35B-Instruct", False),
        ("Qwen/Qwen3-30B-A3B-Instruct-2507", False),
        ("Qwen/Qwen2.5-7B-Instruct", False),
    ],
)
def test_thinking_is_sent_exactly_as_shown_and_only_to_hybrid_models(
    make_panel: Callable[[], ChatPanel], model: str, hybrid: bool
) -> None:
    panel = make_panel()
    w(panel, QComboBox, "chat.model").setCurrentText(model)
    assert panel.params().get("enable_thinking", "absent") == (False if hybrid else "absent")
    if hybrid:
        thinking = w(panel, QCheckBox, "chat.enable_thinking")
        thinking.setChecked(True)
        assert panel.params()["enable_thinking"] is True


def test_view_code_shows_the_next_request_and_never_the_key(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel]
) -> None:
    panel = make_panel()
    first = wait_reply(qtbot, panel, "What is a vector database?", THINKING)
    w(panel, QPlainTextEdit, "chat.system").setPlainText("Be brief")
    w(panel, QPlainTextEdit, "chat.input").setPlainText("And in 中文?")
    w(panel, QPushButton, "chat.view_code").click()
    dialog = panel.findChild(CodeDialog, "dialog.code")
    assert dialog is not None and dialog.isVisible()
    curl = dialog.sources["curl"]
    # The body is exactly what Send would post: history (no reasoning), then the typed message.
    payload = json.loads(shlex.split(curl)[shlex.split(curl).index("--data") + 1])
    assert payload == panel.request_body()
    assert [m["role"] for m in payload["messages"]] == ["system", "user", "assistant", "user"]
    assert payload["messages"][-1]["content"] == "And in 中文?"
    assert all(first.reasoning not in m["content"] for m in payload["messages"])
    for source in dialog.sources.values():
        assert SANDBOX_API_KEY not in source and "SILICONFLOW_API_KEY" in source
    for name in ("httpx", "openai"):
        compile(dialog.sources[name], f"<{name}>", "exec")  # valid Python
    dialog.close()


@pytest.mark.parametrize("suffix", [".md", ".json"])
def test_export_writes_the_conversation_in_the_chosen_format(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel], tmp_path: Path, suffix: str
) -> None:
    panel = make_panel()
    message = wait_reply(qtbot, panel, "What is a vector database?", THINKING)
    conversation_id = panel.controller.conversation_id
    assert conversation_id is not None
    dialog = panel.export_conversation(conversation_id)
    assert dialog.objectName() == "chat.export_dialog" and dialog.isVisible()
    target = tmp_path / f"export{suffix}"
    dialog.fileSelected.emit(str(target))  # as if the user picked this file
    dialog.close()
    text = target.read_text(encoding="utf-8")
    if suffix == ".json":
        exported = json.loads(text)
        assert exported["format"] == "sfdesk.conversation"
        assert exported["messages"][1]["content"] == message.content
        assert exported["messages"][1]["reasoning"] == message.reasoning
    else:
        assert "What is a vector database?" in text
        assert message.content.splitlines()[0] in text and "Reasoning" in text


def test_markdown_export_speaks_the_ui_language(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel], tmp_path: Path, translations: Any
) -> None:
    panel = make_panel()
    wait_reply(qtbot, panel, "你好", THINKING)
    target = tmp_path / "导出.md"
    try:
        translations.apply("zh_CN")
        write_export(panel._store, panel.controller.conversation_id, target)
    finally:
        translations.apply("en")
    text = target.read_text(encoding="utf-8")
    assert "推理过程" in text and "助手" in text and "Reasoning" not in text


# -- per-message actions, images, long conversations -------------------------------------------


def click_link(panel: ChatPanel, href: str) -> None:
    w(panel, QTextBrowser, "chat.view").anchorClicked.emit(QUrl(href))


def confirm_box(panel: ChatPanel) -> QMessageBox:
    # A box answered before is closed at once but deleted later: look for the open one.
    boxes = [b for b in panel.findChildren(QMessageBox, "chat.confirm") if b.isVisible()]
    assert len(boxes) == 1
    return boxes[0]


def answer_confirm(panel: ChatPanel, button: QMessageBox.StandardButton) -> None:
    confirm_box(panel).button(button).click()


def test_edit_a_sent_message_replaces_it_and_what_follows(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    wait_reply(qtbot, panel, "Name a colour", PLAIN)
    wait_reply(qtbot, panel, "And a fruit?", PLAIN)
    first = panel._store.messages(panel.controller.conversation_id)[0]
    box = w(panel, QPlainTextEdit, "chat.input")
    box.setPlainText("a draft I was typing")
    click_link(panel, f"msg:edit:{first.id}")
    banner = w(panel, QWidget, "chat.edit_banner")
    assert banner.isVisibleTo(panel) and box.toPlainText() == "Name a colour"
    # View code shows what Send would post now: the history stops before the edited message.
    box.setPlainText("Name a warm colour")
    assert [m["content"] for m in panel.request_body()["messages"]] == ["Name a warm colour"]

    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=10_000):
        w(panel, QPushButton, "chat.send").click()
    history = panel._store.messages(panel.controller.conversation_id)
    assert [m.role for m in history] == ["user", "assistant"]
    assert history[0].content == "Name a warm colour"
    text = w(panel, QTextBrowser, "chat.view").toPlainText()
    assert "Name a colour" not in text and "And a fruit?" not in text
    assert text.count("Assistant ·") == 1
    assert not banner.isVisibleTo(panel)


def test_cancelling_an_edit_brings_the_draft_back(make_panel: Callable[[], ChatPanel]) -> None:
    panel = make_panel()
    panel.controller.send("hello", model=PLAIN)  # stored at once; the reply is not awaited
    panel.controller.stop()
    first = panel._store.messages(panel.controller.conversation_id)[0]
    box = w(panel, QPlainTextEdit, "chat.input")
    box.setPlainText("my unsent draft")
    click_link(panel, f"msg:edit:{first.id}")
    assert box.toPlainText() == "hello"
    w(panel, QPushButton, "chat.cancel_edit").click()
    assert box.toPlainText() == "my unsent draft"
    assert not w(panel, QWidget, "chat.edit_banner").isVisibleTo(panel)


def test_delete_asks_first_and_cancel_keeps_the_message(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel]
) -> None:
    panel = make_panel()
    reply = wait_reply(qtbot, panel, "Say something", PLAIN)
    click_link(panel, f"msg:delete:{reply.id}")
    answer_confirm(panel, QMessageBox.StandardButton.Cancel)
    assert panel._store.get_message(reply.id) is not None
    click_link(panel, f"msg:delete:{reply.id}")
    answer_confirm(panel, QMessageBox.StandardButton.Yes)
    assert panel._store.get_message(reply.id) is None
    view = w(panel, QTextBrowser, "chat.view")
    assert "Say something" in view.toPlainText() and "Assistant" not in view.toPlainText()


def test_regenerate_an_earlier_answer_warns_about_the_later_ones(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel]
) -> None:
    panel = make_panel()
    first = wait_reply(qtbot, panel, "One", PLAIN)
    last = wait_reply(qtbot, panel, "Two", PLAIN)
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=10_000) as ended:
        click_link(panel, f"msg:regenerate:{last.id}")  # the last answer: no question asked
    assert panel.findChild(QMessageBox, "chat.confirm") is None
    history = panel._store.messages(panel.controller.conversation_id)
    assert len(history) == 4 and history[-1].created_at > last.created_at
    assert ended.args[0].status == "complete"

    click_link(panel, f"msg:regenerate:{first.id}")
    assert "2 message(s)" in confirm_box(panel).text()
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=10_000):
        answer_confirm(panel, QMessageBox.StandardButton.Yes)
    history = panel._store.messages(panel.controller.conversation_id)
    assert [m.content for m in history if m.role == "user"] == ["One"]
    assert len(history) == 2


def test_images_are_sent_as_image_url_parts_and_shown(
    qtbot: QtBot, make_panel: Callable[[], ChatPanel], sandbox: SandboxServer, tmp_path: Path
) -> None:
    panel = make_panel()
    photo = tmp_path / "receipt.jpg"
    Image.new("RGB", (3000, 1500), (240, 240, 230)).save(photo)
    panel.composer.attachments.add_files([photo])
    w(panel, QPlainTextEdit, "chat.input").setPlainText("What does this say?")
    w(panel, QPushButton, "chat.send").click()  # still being prepared: held, nothing lost
    notice = w(panel, QLabel, "chat.notice")
    assert "still being prepared" in notice.text() and sandbox.requests() == []
    qtbot.waitUntil(lambda: not panel.composer.attachments.loading, timeout=10_000)
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=10_000):
        w(panel, QPushButton, "chat.send").click()
    content = sandbox.requests()[-1]["body"]["messages"][-1]["content"]
    assert content[0] == {"type": "text", "text": "What does this say?"}
    url = content[1]["image_url"]["url"]
    assert url.startswith("data:image/jpeg;base64,")
    with Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))) as sent:
        assert sent.size == (2048, 1024)
    assert panel.composer.images() == [] and not notice.isVisible()
    user = panel._store.messages(panel.controller.conversation_id)[0]
    assert f'src="attachment:{user.id}/0"' in w(panel, QTextBrowser, "chat.view").toHtml()


def test_a_long_conversation_opens_at_its_end_and_pages_back(
    make_panel: Callable[[], ChatPanel], store: ConversationStore
) -> None:
    conversation = store.create_conversation("long", PLAIN)
    for n in range(250):
        role = "user" if n % 2 == 0 else "assistant"
        store.add_message(conversation.id, role, f"message number {n}", model=PLAIN)
    panel = make_panel()
    panel.controller.open_conversation(conversation.id)
    view = w(panel, QTextBrowser, "chat.view")
    text = view.toPlainText()
    assert "message number 249" in text and "message number 150" in text
    assert "message number 149" not in text
    assert "Show earlier messages (150 more)" in text
    click_link(panel, "earlier:")
    text = view.toPlainText()
    assert "message number 50" in text and "Show earlier messages (50 more)" in text
    click_link(panel, "earlier:")
    assert "message number 0\n" in view.toPlainText() and "earlier" not in view.toPlainText()


def test_showing_reasoning_keeps_the_reader_where_they_were(
    make_panel: Callable[[], ChatPanel], store: ConversationStore
) -> None:
    conversation = store.create_conversation("thinking", THINKING)
    for n in range(20):
        store.add_message(conversation.id, "user", f"question {n}")
        store.add_message(
            conversation.id, "assistant", f"answer {n}\n\n" * 5, reasoning="hmm " * 200
        )
    panel = make_panel()
    panel.show()
    panel.controller.open_conversation(conversation.id)
    view = w(panel, QTextBrowser, "chat.view")
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum() > 300  # opened at the end
    bar.setValue(120)
    first_answer = store.messages(conversation.id)[1]
    click_link(panel, f"reasoning:{first_answer.id}")
    assert "hmm hmm" in view.toPlainText()  # shown
    assert bar.value() == 120  # and the reader did not jump to the end
