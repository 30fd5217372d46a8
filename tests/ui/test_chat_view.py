"""The conversation view on its own: per-message actions, copying, attached-image thumbnails,
the "earlier messages" link, and that nothing in a message makes the document load anything."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication, QTextDocument
from pytestqt.qtbot import QtBot

from sfdesk.store import ConversationStore, Message
from sfdesk.ui.chat.view import ChatView

ANSWER = "# Plan\n\nUse **pgvector**:\n\n```sql\nCREATE EXTENSION vector;\n```\n"


def png_url(size: tuple[int, int] = (400, 200)) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 120, 200)).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@pytest.fixture
def conversation(tmp_path: Path) -> list[Message]:
    with ConversationStore(tmp_path / "c.sqlite3") as store:
        conv = store.create_conversation("t", "m")
        attachment = {"name": "chart.png", "mime": "image/png", "url": png_url()}
        store.add_message(conv.id, "user", "What is in <b>this</b>?", attachments=[attachment])
        store.add_message(conv.id, "assistant", ANSWER, finish_reason="stop", model="m")
        return store.messages(conv.id)


@pytest.fixture
def view(qtbot: QtBot) -> ChatView:
    widget = ChatView()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    return widget


def click(view: ChatView, href: str) -> None:
    view.anchorClicked.emit(QUrl(href))


def test_each_message_offers_its_actions(view: ChatView, conversation: list[Message]) -> None:
    view.show_messages(conversation)
    html = view.toHtml()
    user, answer = conversation
    for action in ("copy", "edit", "delete"):
        assert f"msg:{action}:{user.id}" in html
    for action in ("copy", "markdown", "regenerate", "delete"):
        assert f"msg:{action}:{answer.id}" in html
    assert f"msg:edit:{answer.id}" not in html and f"msg:regenerate:{user.id}" not in html


def test_copy_gives_plain_text_and_copy_as_markdown_the_source(
    view: ChatView, conversation: list[Message]
) -> None:
    view.show_messages(conversation)
    user, answer = conversation
    clipboard = QGuiApplication.clipboard()
    click(view, f"msg:markdown:{answer.id}")
    assert clipboard.text() == ANSWER
    click(view, f"msg:copy:{answer.id}")
    plain = clipboard.text()
    assert "Use pgvector:" in plain and "CREATE EXTENSION vector;" in plain
    assert "**" not in plain and "```" not in plain and "#" not in plain
    click(view, f"msg:copy:{user.id}")
    assert clipboard.text() == "What is in <b>this</b>?"


def test_edit_delete_and_regenerate_are_asked_of_the_panel(
    qtbot: QtBot, view: ChatView, conversation: list[Message]
) -> None:
    view.show_messages(conversation)
    user, answer = conversation
    asked: list[tuple[str, int]] = []
    view.sig_message_action.connect(lambda action, mid: asked.append((action, mid)))
    for href in (f"msg:edit:{user.id}", f"msg:delete:{answer.id}", f"msg:regenerate:{answer.id}"):
        click(view, href)
    click(view, "msg:explode:1")  # unknown actions are ignored
    click(view, "msg:edit:abc")
    assert asked == [("edit", user.id), ("delete", answer.id), ("regenerate", answer.id)]


def test_attached_images_show_as_thumbnails_from_document_resources(
    view: ChatView, conversation: list[Message]
) -> None:
    view.show_messages(conversation)
    user = conversation[0]
    url = QUrl(f"attachment:{user.id}/0")
    image = view.document().resource(QTextDocument.ResourceType.ImageResource, url)
    assert image is not None and image.width() == 160 and image.height() == 80
    assert f'src="attachment:{user.id}/0"' in view.toHtml()
    # The user's text is text: their markup is not interpreted.
    assert "What is in <b>this</b>?" in view.toPlainText()


def test_the_earlier_link_appears_only_when_messages_are_hidden(
    qtbot: QtBot, view: ChatView, conversation: list[Message]
) -> None:
    view.show_messages(conversation)
    assert "earlier:" not in view.toHtml()
    view.show_messages(conversation, earlier=140)
    assert "Show earlier messages (140 more)" in view.toPlainText()
    with qtbot.waitSignal(view.sig_earlier_requested):
        click(view, "earlier:")


def test_a_finished_stream_gets_its_actions(
    view: ChatView, conversation: list[Message], tmp_path: Path
) -> None:
    user, answer = conversation
    streaming: Any = answer.__class__(**{**_fields(answer), "status": "streaming", "content": ""})
    view.show_messages([user])
    view.add_message(streaming)
    assert f"msg:copy:{answer.id}" not in view.toHtml()  # nothing to copy yet
    view.feed(answer.id, ANSWER, "")
    view.end_reply(answer)
    assert f"msg:copy:{answer.id}" in view.toHtml()
    assert view.message(answer.id) == answer


def _fields(message: Message) -> dict[str, Any]:
    return {name: getattr(message, name) for name in message.__dataclass_fields__}


def _layout(view: ChatView) -> list[tuple[float, float, str]]:
    """Each non-empty paragraph's margins and text: what decides how the answer looks."""
    out = []
    block = view.document().begin()
    while block.isValid():
        if block.text().strip():
            fmt = block.blockFormat()
            out.append((fmt.topMargin(), fmt.bottomMargin(), block.text().strip()))
        block = block.next()
    return out


def test_a_streamed_answer_is_laid_out_like_the_same_answer_reopened(
    qtbot: QtBot, conversation: list[Message]
) -> None:
    user, answer = conversation
    text = "### Plan\n\nFirst paragraph.\n\nSecond paragraph.\n\n- one\n- two\n\n" + ANSWER
    final = answer.__class__(**{**_fields(answer), "content": text})
    live, whole = ChatView(), ChatView()
    qtbot.addWidget(live)
    qtbot.addWidget(whole)
    live.show_messages([user])
    live.add_message(answer.__class__(**{**_fields(answer), "status": "streaming", "content": ""}))
    for start in range(0, len(text), 5):  # token-sized pieces, a repaint after each
        live.feed(answer.id, text[start : start + 5], "")
        live._on_timer_timeout()
    live.end_reply(final)
    whole.show_messages([user, final])
    assert _layout(live) == _layout(whole)
    assert "Second paragraph." in [t for _, _, t in _layout(live)]
    margins = {t: (top, bottom) for top, bottom, t in _layout(live)}
    assert margins["Second paragraph."][0] > 0  # paragraphs keep their spacing
