"""Prompt presets: versions, no empty versions, ordering, rename and delete, reopening, the diff
between two versions, and use from several threads."""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sfdesk import paths
from sfdesk.store.presets import PresetStore, PresetVersion, diff

from .conftest import FakeClock

SYSTEM = "你是一名翻译。\n只输出译文。"
USER = "把「{{句子}}」翻译成{{语言}}。"
PARAMS: dict[str, Any] = {"temperature": 0.7, "max_tokens": 512, "stop": ["\n\n"]}


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Iterator[PresetStore]:
    with PresetStore(tmp_path / "presets.sqlite3", clock=clock) as s:
        yield s


def _save(store: PresetStore, name: str = "翻译", **changes: Any) -> PresetVersion:
    values: dict[str, Any] = {"system_prompt": SYSTEM, "user_prompt": USER, "params": PARAMS}
    values.update(changes)
    return store.save(name, **values)


def test_versions_are_numbered_from_one_and_kept_whole(store: PresetStore) -> None:
    v1 = _save(store, note="第一版")
    v2 = _save(store, params={**PARAMS, "temperature": 0.2})
    v3 = _save(store, user_prompt="Translate {{句子}}.")
    assert (v1.number, v2.number, v3.number) == (1, 2, 3)
    assert v1 == PresetVersion(
        name="翻译",
        number=1,
        system_prompt=SYSTEM,
        user_prompt=USER,
        params=PARAMS,
        note="第一版",
        created_at=v1.created_at,
    )
    assert store.versions("翻译") == [v1, v2, v3]
    assert store.get("翻译") == v3
    assert store.get("翻译", 2) == v2
    assert store.get("翻译", 4) is None
    assert store.get("other") is None
    assert store.versions("other") == []


def test_saving_what_the_latest_version_holds_adds_nothing(
    store: PresetStore, clock: FakeClock
) -> None:
    v1 = _save(store)
    before = clock.now
    # Same prompts and parameters, keys in another order, another note: still the same version.
    again = _save(store, params=dict(reversed(PARAMS.items())), note="unchanged")
    assert again == v1
    assert again.note == ""
    assert [v.number for v in store.versions("翻译")] == [1]
    (summary,) = store.presets()
    assert summary.updated_at == v1.created_at
    assert clock.now == before  # not even the clock was read
    # An older version's content is a change from the latest: it becomes a new version.
    _save(store, system_prompt="changed")
    v3 = _save(store)
    assert v3.number == 3 and v3.system_prompt == SYSTEM


@pytest.mark.parametrize(
    "changes",
    [
        {"system_prompt": SYSTEM + " "},
        {"user_prompt": ""},
        {"params": {**PARAMS, "max_tokens": 513}},
        {"params": {**PARAMS, "top_p": None}},
        {"params": {**PARAMS, "temperature": 1}},  # an int is not the float 0.7
    ],
)
def test_any_change_to_prompts_or_params_is_a_new_version(
    store: PresetStore, changes: dict[str, Any]
) -> None:
    _save(store)
    assert _save(store, **changes).number == 2


def test_names_are_trimmed_case_sensitive_and_required(store: PresetStore) -> None:
    _save(store, "  Review  ")
    _save(store, "review")
    assert sorted(s.name for s in store.presets()) == ["Review", "review"]
    assert store.get(" Review ") is not None
    for bad in ("", "   ", "\n\t"):
        with pytest.raises(ValueError):
            _save(store, bad)
    assert len(store.presets()) == 2


def test_params_json_cannot_hold_are_refused(store: PresetStore) -> None:
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError):
            _save(store, params={"temperature": bad})
    with pytest.raises(TypeError):
        _save(store, params={"when": object()})
    assert store.presets() == []


def test_params_come_back_as_fresh_dicts(store: PresetStore) -> None:
    version = _save(store, params={"nested": {"a": [1, 2]}})
    version.params["nested"]["a"].append(3)
    again = store.get("翻译")
    assert again is not None and again.params == {"nested": {"a": [1, 2]}}


def test_presets_are_listed_most_recently_updated_first(store: PresetStore) -> None:
    _save(store, "a")
    _save(store, "b")
    _save(store, "c")
    _save(store, "a", note="again")  # identical: not an update
    assert [s.name for s in store.presets()] == ["c", "b", "a"]
    _save(store, "a", user_prompt="new")
    summaries = store.presets()
    assert [s.name for s in summaries] == ["a", "c", "b"]
    assert (summaries[0].latest_version, summaries[0].version_count) == (2, 2)
    assert (summaries[1].latest_version, summaries[1].version_count) == (1, 1)
    assert summaries[0].updated_at > summaries[1].updated_at > summaries[2].updated_at


def test_rename_keeps_the_versions(store: PresetStore) -> None:
    _save(store, "old")
    _save(store, "old", note="v2", user_prompt="x")
    _save(store, "other")
    assert store.rename(" old ", "新名字")
    assert store.get("old") is None
    assert [v.number for v in store.versions("新名字")] == [1, 2]
    second = store.get("新名字", 2)
    assert second is not None and second.note == "v2"
    assert not store.rename("missing", "anything")
    with pytest.raises(ValueError):
        store.rename("新名字", "other")
    with pytest.raises(ValueError):
        store.rename("新名字", "  ")
    assert store.rename("新名字", "新名字")  # to itself: nothing to do, but it exists
    assert store.rename("other", "Other")  # case differs: another name
    assert sorted(s.name for s in store.presets()) == ["Other", "新名字"]


def test_delete_removes_the_preset_and_its_versions(store: PresetStore) -> None:
    _save(store, "a")
    _save(store, "a", user_prompt="2")
    _save(store, "b")
    assert store.delete("a")
    assert not store.delete("a")
    assert [s.name for s in store.presets()] == ["b"]
    assert store.versions("a") == []
    # A new preset with the old name starts again at version 1.
    assert _save(store, "a").number == 1
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("SELECT count(*) FROM preset_versions").fetchone()[0] == 2
    finally:
        conn.close()


def test_presets_survive_closing_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "presets.sqlite3"
    with PresetStore(path, clock=FakeClock()) as store:
        v1 = _save(store, note="中文备注")
        v2 = _save(store, system_prompt="新的系统提示")
    with PresetStore(path, clock=FakeClock(start=2_000_000_000.0)) as store:
        assert store.versions("翻译") == [v1, v2]
        assert _save(store, system_prompt="新的系统提示") == v2  # still the latest
        assert _save(store).number == 3


def test_the_default_file_is_under_the_data_dir() -> None:
    with PresetStore() as store:
        _save(store)
        assert store.path == paths.data_dir() / "presets.sqlite3"
    assert (paths.data_dir() / "presets.sqlite3").exists()


def test_diff_shows_the_changed_blocks_with_headers(store: PresetStore) -> None:
    v1 = _save(store)
    v2 = _save(store, system_prompt="你是一名翻译。\n只输出译文。\n语气正式。")
    v3 = _save(
        store, system_prompt=v2.system_prompt, params={**PARAMS, "temperature": 0.2, "top_p": 0.9}
    )
    text = diff(v1, v3)
    lines = text.splitlines()
    assert lines[:2] == ["--- 翻译 v1", "+++ 翻译 v3"]
    assert "+语气正式。" in lines
    assert '-  "temperature": 0.7' in lines
    assert '+  "temperature": 0.2,' in lines
    assert '+  "top_p": 0.9' in lines
    hunks = [line for line in lines if line.startswith("@@")]
    assert [hunk.rsplit("@@ ", 1)[1] for hunk in hunks] == ["system prompt", "parameters"]
    assert not any(line.startswith(("+", "-")) and "{{句子}}" in line for line in lines[2:])
    assert text.endswith("\n")
    assert store.diff(v1, v2) == diff(v1, v2)
    assert diff(v1, v2).splitlines()[1] == "+++ 翻译 v2"


def test_a_hunk_is_named_after_the_block_its_change_is_in(store: PresetStore) -> None:
    v1 = _save(store, system_prompt="one\ntwo", user_prompt="first line\nsecond")
    v2 = _save(store, system_prompt="one\ntwo", user_prompt="FIRST line\nsecond")
    (hunk,) = [line for line in diff(v1, v2).splitlines() if line.startswith("@@")]
    # The hunk's context starts in the system prompt, but the change is in the user prompt.
    assert hunk.endswith("@@ user prompt")


def test_diff_of_the_same_content_is_empty(store: PresetStore) -> None:
    v1 = _save(store, note="a")
    same = PresetVersion("翻译", 7, SYSTEM, USER, dict(reversed(PARAMS.items())), "b", 0.0)
    assert diff(v1, v1) == ""
    assert diff(v1, same) == ""  # key order and notes are not differences


def test_diff_with_translated_section_titles(store: PresetStore) -> None:
    v1 = _save(store)
    v2 = _save(store, user_prompt="新的用户提示")
    text = diff(v1, v2, sections=("系统提示", "用户提示", "参数"))
    assert "[用户提示]" in text and "@@ 用户提示" in text
    assert "user prompt" not in text
    with pytest.raises(ValueError):
        diff(v1, v2, sections=("only one",))


def test_the_store_can_be_used_from_several_threads(store: PresetStore) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(15):
                _save(store, f"p{n}", user_prompt=f"{n}-{i}")
                _save(store, "shared", user_prompt=f"{n}-{i}")
                store.presets()
                store.versions(f"p{n}")
                store.get("shared")
        except BaseException as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for n in range(4):
        assert [v.number for v in store.versions(f"p{n}")] == list(range(1, 16))
    shared = store.versions("shared")
    # Numbers stay dense and unique however the threads interleaved.
    assert [v.number for v in shared] == list(range(1, len(shared) + 1))
    assert len(shared) == 60  # every save there had new content
