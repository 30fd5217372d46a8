"""The conversation repository: round trips, ordering, positions, lazy pages, activity times."""

from __future__ import annotations

from pathlib import Path

import pytest

from sfdesk.store import ConversationStore, Message, NotFoundError, title_from

from .conftest import FakeClock

DATA_URL = "data:image/png;base64," + "iVBORw0KGgo" * 50


def _add_many(store: ConversationStore, cid: int, n: int) -> list[Message]:
    return [
        store.add_message(cid, "user" if i % 2 == 0 else "assistant", f"m{i}") for i in range(n)
    ]


def test_conversation_and_message_round_trip_through_a_new_connection(
    db_path: Path, store: ConversationStore
) -> None:
    params = {"temperature": 0.7, "top_p": 0.9, "stop": ["\n\n", "结束"], "enable_thinking": True}
    conv = store.create_conversation(
        title="模型对比 🧪",
        model="Qwen/Qwen3-8B",
        system_prompt="你是一个助手。\nBe brief.",
        params=params,
    )
    user = store.add_message(
        conv.id,
        "user",
        "这张图里是什么？",
        attachments=[{"name": "猫.png", "mime": "image/png", "url": DATA_URL}],
    )
    answer = store.add_message(
        conv.id,
        "assistant",
        "一只猫。\n\n```python\nprint('喵')\n```",
        reasoning="先看图……",
        finish_reason="stop",
        model="Qwen/Qwen3-8B",
        usage={"prompt_tokens": 812, "completion_tokens": 40, "reasoning_tokens": 12},
        stats={"ttft_ms": 412.5, "tokens_per_s": 35.2, "thinking_ms": 900, "duration_ms": 2100},
        tool_calls=[{"id": "call_1", "name": "look", "arguments": '{"区域": "全部"}'}],
    )
    failed = store.add_message(
        conv.id,
        "assistant",
        status="error",
        error={"reason": "balance", "message": "余额不足", "trace_id": "t-123", "status": 403},
    )
    store.close()

    with ConversationStore(db_path) as reopened:
        again = reopened.get_conversation(conv.id)
        assert again is not None
        assert (again.title, again.model, again.system_prompt, again.params) == (
            conv.title,
            conv.model,
            conv.system_prompt,
            params,
        )
        assert again.message_count == 3
        # The objects add_message returned are exactly what a later read produces.
        assert reopened.messages(conv.id) == [user, answer, failed]


def test_get_missing_returns_none_and_mutations_report_false(store: ConversationStore) -> None:
    assert store.get_conversation(999) is None
    assert store.get_message(999) is None
    assert store.rename_conversation(999, "x") is False
    assert store.update_conversation(999, model="m") is False
    assert store.update_message(999, content="x") is False
    assert store.delete_message(999) is False
    assert store.delete_conversation(999) is False
    with pytest.raises(NotFoundError):
        store.add_message(999, "user", "orphan")


def test_invalid_role_or_status_is_rejected_before_writing(store: ConversationStore) -> None:
    conv = store.create_conversation()
    with pytest.raises(ValueError, match="role"):
        store.add_message(conv.id, "robot", "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="status"):
        store.add_message(conv.id, "user", "x", status="done")  # type: ignore[arg-type]
    message = store.add_message(conv.id, "user", "x")
    with pytest.raises(ValueError, match="status"):
        store.update_message(message.id, status="finished")  # type: ignore[arg-type]
    assert store.message_count(conv.id) == 1
    assert store.get_message(message.id) == message


def test_update_message_changes_only_the_given_fields(store: ConversationStore) -> None:
    conv = store.create_conversation()
    m = store.add_message(
        conv.id, "assistant", "partial", reasoning="r", status="streaming", model="m"
    )
    assert store.update_message(m.id, usage={"completion_tokens": 5}, stats={"ttft_ms": 10})
    assert store.update_message(m.id, content="partial and more")
    assert store.update_message(m.id, status="complete", finish_reason="length")
    got = store.get_message(m.id)
    assert got is not None
    assert (got.content, got.reasoning, got.status, got.finish_reason, got.model) == (
        "partial and more",
        "r",
        "complete",
        "length",
        "m",
    )
    assert got.usage == {"completion_tokens": 5}
    assert got.stats == {"ttft_ms": 10}
    assert got.error is None
    assert got.created_at == m.created_at < got.updated_at


def test_list_is_most_recently_active_first_and_renames_do_not_reorder(
    store: ConversationStore,
) -> None:
    a = store.create_conversation("a")
    b = store.create_conversation("b")
    c = store.create_conversation("c")
    assert [x.title for x in store.list_conversations()] == ["c", "b", "a"]

    msg = store.add_message(a.id, "user", "hi")  # activity moves "a" to the top
    assert [x.title for x in store.list_conversations()] == ["a", "c", "b"]

    store.update_message(store.add_message(b.id, "assistant", status="streaming").id, content="x")
    assert [x.title for x in store.list_conversations()] == ["b", "a", "c"]

    store.update_message(msg.id, content="edited")  # an update is activity too
    assert [x.title for x in store.list_conversations()] == ["a", "b", "c"]

    store.rename_conversation(c.id, "c2")
    store.update_conversation(c.id, model="m", system_prompt="s", params={"top_k": 5})
    listed = store.list_conversations()
    assert [x.title for x in listed] == ["a", "b", "c2"]
    assert (listed[2].model, listed[2].system_prompt, listed[2].params) == ("m", "s", {"top_k": 5})
    assert [x.message_count for x in listed] == [1, 1, 0]
    assert [x.title for x in store.list_conversations(limit=2, offset=1)] == ["b", "c2"]


def test_update_conversation_leaves_unnamed_settings_alone(store: ConversationStore) -> None:
    conv = store.create_conversation("t", "m1", "sys", {"temperature": 1})
    store.update_conversation(conv.id, model="m2")
    got = store.get_conversation(conv.id)
    assert got is not None
    assert (got.title, got.model, got.system_prompt, got.params) == (
        "t",
        "m2",
        "sys",
        {"temperature": 1},
    )
    store.update_conversation(conv.id, params={})
    got = store.get_conversation(conv.id)
    assert got is not None and got.params == {}


def test_positions_append_after_the_last_message_and_survive_deletes(
    store: ConversationStore,
) -> None:
    conv = store.create_conversation()
    other = store.create_conversation()
    msgs = _add_many(store, conv.id, 5)
    store.add_message(other.id, "user", "elsewhere")  # positions are per conversation
    assert [m.position for m in msgs] == [0, 1, 2, 3, 4]

    assert store.delete_message(msgs[2].id)
    assert [m.content for m in store.messages(conv.id)] == ["m0", "m1", "m3", "m4"]
    assert store.add_message(conv.id, "user", "m5").position == 5

    assert store.delete_messages_from(conv.id, 3) == 3  # m3, m4, m5
    assert [m.content for m in store.messages(conv.id)] == ["m0", "m1"]
    regenerated = store.add_message(conv.id, "assistant", "again")
    assert regenerated.position == 2
    assert [m.content for m in store.messages(conv.id)] == ["m0", "m1", "again"]
    assert store.message_count(conv.id) == 3
    assert store.message_count(other.id) == 1


def test_delete_messages_from_a_position_in_a_gap(store: ConversationStore) -> None:
    conv = store.create_conversation()
    msgs = _add_many(store, conv.id, 4)
    store.delete_message(msgs[1].id)
    # Edit-and-resend of the message after the gap: position 1 no longer exists, 2 and 3 go.
    assert store.delete_messages_from(conv.id, 1) == 2
    assert [m.content for m in store.messages(conv.id)] == ["m0"]


def test_deleting_a_conversation_deletes_its_messages(
    db_path: Path, store: ConversationStore
) -> None:
    keep = store.create_conversation("keep")
    drop = store.create_conversation("drop")
    _add_many(store, keep.id, 2)
    dropped = _add_many(store, drop.id, 3)
    assert store.delete_conversation(drop.id)
    assert store.get_conversation(drop.id) is None
    assert all(store.get_message(m.id) is None for m in dropped)
    assert store.message_count(drop.id) == 0
    assert store.message_count(keep.id) == 2
    # Streaming into a conversation the user just deleted: the controller sees False, no crash.
    assert store.update_message(dropped[0].id, content="late chunk") is False


def test_messages_pages_backwards_from_the_end(store: ConversationStore) -> None:
    conv = store.create_conversation()
    msgs = _add_many(store, conv.id, 25)
    store.delete_message(msgs[12].id)

    last = store.messages(conv.id, limit=10)
    assert [m.position for m in last] == list(range(15, 25))
    page = store.messages(conv.id, limit=10, before_position=last[0].position)
    assert [m.position for m in page] == [4, 5, 6, 7, 8, 9, 10, 11, 13, 14]  # 12 was deleted
    first = store.messages(conv.id, limit=10, before_position=page[0].position)
    assert [m.position for m in first] == [0, 1, 2, 3]
    assert store.messages(conv.id, limit=10, before_position=0) == []
    assert [m.position for m in store.messages(conv.id, before_position=3)] == [0, 1, 2]
    assert store.messages(conv.id, limit=0) == []
    assert len(store.messages(conv.id)) == 24


def test_two_stores_on_one_file_append_without_position_clashes(
    db_path: Path, store: ConversationStore
) -> None:
    conv = store.create_conversation()
    with ConversationStore(db_path) as second:  # e.g. a second sfdesk window
        for i in range(6):
            (store if i % 2 else second).add_message(conv.id, "user", f"m{i}")
        assert [m.position for m in second.messages(conv.id)] == list(range(6))
        assert [m.content for m in store.messages(conv.id)] == [f"m{i}" for i in range(6)]


def test_recover_streaming_marks_only_streaming_messages(db_path: Path, clock: FakeClock) -> None:
    with ConversationStore(db_path, clock=clock) as store:
        conv = store.create_conversation()
        done = store.add_message(conv.id, "assistant", "done")
        stopped = store.add_message(conv.id, "assistant", "half", status="stopped")
        live = store.add_message(conv.id, "assistant", "", status="streaming")
        store.update_message(live.id, content="partial 答案")
    with ConversationStore(db_path, clock=clock) as store:
        assert store.recover_streaming() == 1
        assert store.recover_streaming() == 0
        statuses = {m.id: (m.status, m.content) for m in store.messages(conv.id)}
        assert statuses == {
            done.id: ("complete", "done"),
            stopped.id: ("stopped", "half"),
            live.id: ("interrupted", "partial 答案"),
        }


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Hello world", "Hello world"),
        ("  \n\n  first   line\twith  tabs \nsecond line", "first line with tabs"),
        (
            "请帮我把这段话翻译成英文，并且保持原来的语气和格式，不要添加任何解释，谢谢你的帮助和耐心",
            None,
        ),
        ("x" * 40, "x" * 40),
        ("x" * 41, "x" * 39 + "…"),
        ("", ""),
        (" \n\t\n", ""),
    ],
)
def test_title_from(text: str, title: str | None) -> None:
    got = title_from(text)
    if title is None:  # long Chinese: cut to the limit, marked as cut
        assert len(got) == 40 and got.endswith("…") and text.startswith(got[:-1])
    else:
        assert got == title
