"""Searching conversations by title and message content, with and without the FTS5 index.

Every behaviour is checked in both modes: the trigram index (with its 1–2 character path through
the index vocabulary) and the LIKE scan used when SQLite lacks FTS5/trigram.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sfdesk.store import ConversationStore

from .conftest import FakeClock, assert_index_matches_messages


@pytest.fixture(params=["fts", "like"])
def mode(request: pytest.FixtureRequest, without_fts: Callable[[], None]) -> str:
    if request.param == "like":
        without_fts()
    return str(request.param)


@pytest.fixture
def corpus(
    mode: str, db_path: Path, clock: FakeClock
) -> Iterator[tuple[ConversationStore, dict[str, int]]]:
    with ConversationStore(db_path, clock=clock) as store:
        assert store.uses_full_text_index == (mode == "fts")
        ids: dict[str, int] = {}

        def conv(key: str, title: str, *contents: str) -> None:
            c = store.create_conversation(title)
            for text in contents:
                store.add_message(c.id, "user", text)
            ids[key] = c.id

        conv("docker", "Docker Deploy", "How do I expose a port?", "Use -p 8080:80.")
        conv("model", "闲聊", "我想了解模型的推理能力", "好的，推理模型会先思考。")
        conv("cat", "图片", "这是一只猫")
        conv("percent", "涨幅", "涨了 50% 以上")
        conv("five", "价格", "500 元")
        conv("under", "my_file notes", "see it")
        conv("nounder", "myXfile notes", "see it too")
        conv("both", "部署 笔记", "docker compose 部署")
        conv("python", "code", "Python is GREAT")
        yield store, ids


def _found(store: ConversationStore, query: str, ids: dict[str, int]) -> set[str]:
    by_id = {v: k for k, v in ids.items()}
    return {by_id[c.id] for c in store.list_conversations(query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("docker", {"docker", "both"}),  # title (case-insensitive) or content
        ("DEPLOY", {"docker"}),
        ("port", {"docker"}),
        ("ort", {"docker"}),  # a substring inside a word
        ("8080:80", {"docker"}),
        ("python", {"python"}),
        ("great", {"python"}),
        ("推理模型", {"model"}),
        ("模型", {"model"}),  # two characters
        ("推理", {"model"}),
        ("能力", {"model"}),  # two characters at the very end of a message
        ("猫", {"cat"}),  # one character, last in its message
        ("部署", {"both"}),
        ("docker 部署", {"both"}),  # every term must match
        ("50%", {"percent"}),  # % is literal: "500" must not match
        ("0%", {"percent"}),
        ("%", {"percent"}),
        ("y_f", {"under"}),  # _ is literal: "myXfile" must not match
        ("_", {"under"}),
        ("不存在的词", set()),
        ("zz", set()),
        (
            "   ",
            {"docker", "model", "cat", "percent", "five", "under", "nounder", "both", "python"},
        ),
    ],
)
def test_search(
    corpus: tuple[ConversationStore, dict[str, int]], query: str, expected: set[str]
) -> None:
    store, ids = corpus
    assert _found(store, query, ids) == expected


@pytest.mark.parametrize(
    "query", ['"', '""', "*", "a*b", "NOT", "AND OR", "(", "^abc", "col:x", "NEAR(a b)", "\\", "'"]
)
def test_search_syntax_is_never_an_error(
    corpus: tuple[ConversationStore, dict[str, int]], query: str
) -> None:
    store, _ = corpus
    store.list_conversations(query)


def test_search_follows_edits_deletes_and_the_end_of_a_stream(
    mode: str, db_path: Path, clock: FakeClock
) -> None:
    with ConversationStore(db_path, clock=clock) as store:
        keep = store.create_conversation("keep")
        drop = store.create_conversation("drop")
        edited = store.add_message(keep.id, "user", "alpha bravo")
        deleted = store.add_message(keep.id, "user", "charlie delta")
        store.add_message(drop.id, "user", "echo foxtrot")
        live = store.add_message(keep.id, "assistant", "", status="streaming")

        store.update_message(edited.id, content="golf hotel")
        store.delete_message(deleted.id)
        store.delete_conversation(drop.id)
        store.update_message(live.id, content="india juliett 模型")
        store.update_message(live.id, status="complete")
        store.update_message(live.id, stats={"ttft_ms": 1})  # a status-less update

        def titles(q: str) -> list[str]:
            return [c.title for c in store.list_conversations(q)]

        assert titles("alpha") == []
        assert titles("golf") == ["keep"]
        assert titles("charlie") == []
        assert titles("echo") == []
        assert titles("juliett") == ["keep"]
        assert titles("模型") == ["keep"]
        # Back to streaming (e.g. a retry reusing the message) and final again.
        store.update_message(live.id, status="streaming", content="kilo")
        store.update_message(live.id, status="interrupted")
        assert titles("juliett") == []
        assert titles("kilo") == ["keep"]
    if mode == "fts":
        assert_index_matches_messages(db_path)


def test_index_is_rebuilt_after_a_run_without_fts(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database used by an SQLite without FTS5 must not leave a stale index behind."""
    with ConversationStore(db_path, clock=clock) as store:
        conv = store.create_conversation("c")
        old = store.add_message(conv.id, "user", "zulu: written with the index")
        assert store.uses_full_text_index

    from sfdesk.store import db

    with monkeypatch.context() as patch:
        patch.setattr(db, "fts_trigram_available", lambda conn: False)
        with ConversationStore(db_path, clock=clock) as store:
            assert not store.uses_full_text_index
            store.add_message(conv.id, "user", "written while the index was away")
            store.update_message(old.id, content="rewritten without the index")
            assert [c.id for c in store.list_conversations("away")] == [conv.id]

    with ConversationStore(db_path, clock=clock) as store:
        assert store.uses_full_text_index
        assert [c.id for c in store.list_conversations("away")] == [conv.id]
        assert [c.id for c in store.list_conversations("rewritten")] == [conv.id]
        assert store.list_conversations("zulu") == []
    assert_index_matches_messages(db_path)
