"""The chat controller against the sandbox: streaming into the store, stop, broken streams,
errors, regenerate/edit, persistence across a restart, and what is sent back to the model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from sfdesk.api import BadRequestError, SiliconFlowClient
from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer
from sfdesk.store import ConversationStore
from sfdesk.ui.chat.controller import ChatController, request_messages

PLAIN = "Qwen/Qwen2.5-7B-Instruct"
THINKING = "deepseek-ai/DeepSeek-R1"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sfdesk.sqlite3"


@pytest.fixture
def chat(
    sandbox: SandboxServer, db_path: Path, run_async: Any, loop: Any
) -> Iterator[ChatController]:
    client = SiliconFlowClient(api_key=SANDBOX_API_KEY, base_url=sandbox.base_url, max_retries=0)
    store = ConversationStore(db_path)
    controller = ChatController(client, store)
    yield controller
    run_async(controller.shutdown())
    run_async(client.aclose())
    store.close()


def send_and_wait(qtbot: QtBot, chat: ChatController, text: str, **options: Any) -> Any:
    options.setdefault("model", PLAIN)
    with qtbot.waitSignal(chat.sig_reply_ended, timeout=10_000) as ended:
        chat.send(text, **options)
    return ended.args


def test_a_streamed_reply_with_reasoning_is_saved_and_survives_a_restart(
    qtbot: QtBot, chat: ChatController, db_path: Path
) -> None:
    deltas: list[tuple[int, str, str]] = []
    chat.sig_reply_delta.connect(lambda *args: deltas.append(args))
    message, error = send_and_wait(qtbot, chat, "What is a vector database?", model=THINKING)
    assert error is None
    assert message.status == "complete" and message.finish_reason == "stop"
    assert message.content and message.reasoning
    assert "".join(d[1] for d in deltas) == message.content  # the view saw exactly what is saved
    assert "".join(d[2] for d in deltas) == message.reasoning
    assert message.usage["reasoning_tokens"] > 0
    assert message.stats["ttft_ms"] is not None and message.stats["thinking_ms"] is not None

    with ConversationStore(db_path) as reopened:  # as after a restart
        conversation = reopened.get_conversation(chat.conversation_id)
        assert conversation is not None and conversation.title == "What is a vector database?"
        assert conversation.model == THINKING
        stored = reopened.messages(conversation.id)
    assert [(m.role, m.status) for m in stored] == [("user", "complete"), ("assistant", "complete")]
    assert (stored[1].content, stored[1].reasoning) == (message.content, message.reasoning)


def test_reasoning_is_never_sent_back(
    qtbot: QtBot, chat: ChatController, sandbox: SandboxServer
) -> None:
    first, _ = send_and_wait(
        qtbot, chat, "First question", model=THINKING, system_prompt="Be brief"
    )
    send_and_wait(qtbot, chat, "Second question", model=THINKING, system_prompt="Be brief")
    sent = sandbox.requests()[-1]["body"]["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assert sent[2] == {"role": "assistant", "content": first.content}
    assert all(first.reasoning not in str(m) for m in sent)


def test_stop_keeps_what_arrived_marked_stopped(
    qtbot: QtBot, chat: ChatController, sandbox: SandboxServer, db_path: Path
) -> None:
    sandbox.configure(tokens_per_second=40)
    with qtbot.waitSignal(chat.sig_reply_delta, timeout=10_000):
        reply = chat.send("Tell me about rivers", model=PLAIN)
    assert reply is not None
    with qtbot.waitSignal(chat.sig_reply_ended, timeout=5_000) as ended:
        assert chat.stop()
    message, error = ended.args
    assert error is None and message.status == "stopped"
    assert message.content  # the partial answer is kept
    assert not chat.busy


def test_saved_while_streaming_not_only_at_the_end(
    qtbot: QtBot, sandbox: SandboxServer, db_path: Path, run_async: Any, loop: Any
) -> None:
    sandbox.configure(tokens_per_second=40)
    client = SiliconFlowClient(api_key=SANDBOX_API_KEY, base_url=sandbox.base_url)
    store = ConversationStore(db_path)
    chat = ChatController(client, store, save_interval=0.0)  # save with every delta
    try:
        deltas: list[Any] = []
        chat.sig_reply_delta.connect(lambda *args: deltas.append(args))
        reply = chat.send("Tell me about rivers", model=PLAIN)
        assert reply is not None
        qtbot.waitUntil(lambda: len(deltas) >= 3, timeout=10_000)
        with ConversationStore(db_path) as other:  # another connection sees the partial answer
            partial = other.get_message(reply.id)
        assert partial is not None and partial.status == "streaming" and partial.content
    finally:
        run_async(chat.shutdown())
        run_async(client.aclose())
        store.close()


def test_a_broken_stream_is_interrupted_and_regenerate_replaces_it(
    qtbot: QtBot, chat: ChatController, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("/v1/chat/completions", "drop-after:5")
    broken, error = send_and_wait(qtbot, chat, "Explain tides")
    assert broken.status == "interrupted" and broken.content
    assert error is not None and error.reason == "interrupted"
    assert broken.error["reason"] == "interrupted"

    with qtbot.waitSignal(chat.sig_reply_ended, timeout=10_000) as ended:
        chat.regenerate(model=PLAIN)
    retried, error = ended.args
    assert error is None and retried.status == "complete"
    history = chat._store.messages(chat.conversation_id)
    assert [(m.role, m.status) for m in history] == [
        ("user", "complete"),
        ("assistant", "complete"),
    ]


def test_a_failed_request_is_an_error_with_its_explanation(
    qtbot: QtBot, chat: ChatController
) -> None:
    message, error = send_and_wait(qtbot, chat, "hello", model="no/such-model")
    assert isinstance(error, BadRequestError)
    assert message.status == "error" and message.content == ""
    assert message.error["reason"] == "unknown_model"
    assert message.error["trace_id"] == error.trace_id


def test_edit_and_resend_replaces_the_rest_of_the_conversation(
    qtbot: QtBot, chat: ChatController
) -> None:
    send_and_wait(qtbot, chat, "first version")
    send_and_wait(qtbot, chat, "another turn")
    first_user = chat._store.messages(chat.conversation_id)[0]
    with qtbot.waitSignal(chat.sig_reply_ended, timeout=10_000):
        chat.edit_and_resend(first_user.id, "second version", model=PLAIN)
    history = chat._store.messages(chat.conversation_id)
    assert [(m.role, m.content if m.role == "user" else "") for m in history] == [
        ("user", "second version"),
        ("assistant", ""),
    ]


def test_regenerate_an_earlier_reply_replaces_it_and_what_follows(
    qtbot: QtBot, chat: ChatController, sandbox: SandboxServer
) -> None:
    send_and_wait(qtbot, chat, "first question")
    send_and_wait(qtbot, chat, "second question")
    first_reply = chat._store.messages(chat.conversation_id)[1]
    with qtbot.waitSignal(chat.sig_reply_ended, timeout=10_000) as ended:
        chat.regenerate(model=PLAIN, message_id=first_reply.id)
    history = chat._store.messages(chat.conversation_id)
    assert [m.role for m in history] == ["user", "assistant"]
    assert history[0].content == "first question" and history[1].id == ended.args[0].id
    assert [m["content"] for m in sandbox.requests()[-1]["body"]["messages"]] == ["first question"]
    # Only an assistant message of this conversation can be regenerated.
    assert chat.regenerate(model=PLAIN, message_id=history[0].id) is None
    assert chat.regenerate(model=PLAIN, message_id=999_999) is None


def test_edit_and_resend_can_replace_or_keep_the_images(
    qtbot: QtBot, chat: ChatController, sandbox: SandboxServer
) -> None:
    cat = {"name": "cat.png", "mime": "image/png", "url": "data:image/png;base64,iVBOR"}
    dog = {"name": "dog.png", "mime": "image/png", "url": "data:image/png;base64,R0lGO"}
    send_and_wait(qtbot, chat, "What is this?", attachments=[cat])
    user = chat._store.messages(chat.conversation_id)[0]
    with qtbot.waitSignal(chat.sig_reply_ended, timeout=10_000):
        chat.edit_and_resend(user.id, "And this?", model=PLAIN)
    user = chat._store.messages(chat.conversation_id)[0]
    assert user.content == "And this?" and user.attachments == [cat]  # kept
    with qtbot.waitSignal(chat.sig_reply_ended, timeout=10_000):
        chat.edit_and_resend(user.id, "", model=PLAIN, attachments=[dog])
    user = chat._store.messages(chat.conversation_id)[0]
    assert user.attachments == [dog]  # an image alone is a message
    parts = sandbox.requests()[-1]["body"]["messages"][0]["content"]
    assert parts[1] == {"type": "image_url", "image_url": {"url": dog["url"]}}


def test_empty_input_sends_nothing(chat: ChatController, sandbox: SandboxServer) -> None:
    assert chat.send("   \n", model=PLAIN) is None
    assert chat.conversation_id is None
    assert sandbox.requests() == []


def test_request_messages_send_images_as_parts_and_skip_unfinished_replies(
    db_path: Path,
) -> None:
    with ConversationStore(db_path) as store:
        conversation = store.create_conversation()
        image = {"name": "cat.png", "mime": "image/png", "url": "data:image/png;base64,iVBOR"}
        store.add_message(conversation.id, "user", "What is this?", attachments=[image])
        store.add_message(conversation.id, "assistant", "", status="error")
        store.add_message(conversation.id, "assistant", "", status="streaming")
        sent = request_messages("", store.messages(conversation.id))
    assert sent == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": {"url": image["url"]}},
            ],
        }
    ]
