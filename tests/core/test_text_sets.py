"""Texts for the Embeddings panel: editor lines, group tags, file import, example sets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfdesk.core import text_sets
from sfdesk.core.text_sets import (
    TextSet,
    TextSetError,
    example_set,
    example_sets,
    format_lines,
    load_file,
    parse_lines,
)

# --- the editor ---------------------------------------------------------------------------------


def test_lines_are_stripped_empty_ones_ignored_and_numbered() -> None:
    parsed = parse_lines("  apple \n\n\t\nbanana split\r\n\u3000橙子\u3000\r\ufeffpear\n")
    assert parsed.texts == ("apple", "banana split", "橙子", "pear")
    assert parsed.lines == (1, 4, 5, 6)
    assert parsed.groups == (None, None, None, None)
    assert not parsed.has_groups and len(parsed) == 4


def test_duplicates_are_kept_and_reported() -> None:
    parsed = parse_lines("a\nb\na\n[x] b\nc\na")
    assert parsed.texts == ("a", "b", "a", "b", "c", "a")
    assert parsed.duplicates == (2, 3, 5)
    assert dict(parsed.duplicate_of) == {2: 0, 3: 1, 5: 0}


def test_group_tags_in_ascii_and_full_width_brackets() -> None:
    parsed = parse_lines(
        "[fruit] apple\n[ fruit ]pear\n【水果】苹果\n［动物］ 猫\n[animal]\t dog\nplain"
    )
    assert parsed.texts == ("apple", "pear", "苹果", "猫", "dog", "plain")
    assert parsed.groups == ("fruit", "fruit", "水果", "动物", "animal", None)
    assert parsed.group_names == ("fruit", "水果", "动物", "animal")
    assert parsed.has_groups


def test_what_is_not_a_tag() -> None:
    parsed = parse_lines(
        "[fruit]\n"  # a tag and no text: nothing to embed
        "[] empty brackets\n"
        "[ ] blank brackets\n"
        "a [mid] tag\n"
        "[unclosed tag\n"
        "\\[1] escaped\n"
        "\\\\[2] escaped backslash\n"
        "\\n stays\n"
        "\\\n"
    )
    assert parsed.texts == (
        "[] empty brackets",
        "[ ] blank brackets",
        "a [mid] tag",
        "[unclosed tag",
        "[1] escaped",
        "\\[2] escaped backslash",
        "\\n stays",
        "\\",
    )
    assert not parsed.has_groups
    assert parsed.lines[0] == 2


_plain_char = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"
)
_line = st.text(_plain_char, min_size=1, max_size=20).map(str.strip).filter(bool)
_group = st.none() | _line.filter(lambda g: not re.search(r"[\[\]【】［］]", g))


@given(st.lists(st.tuples(_line, _group), max_size=12))
def test_format_lines_round_trips_through_the_parser(items: list[tuple[str, str | None]]) -> None:
    texts = [t for t, _ in items]
    groups = [g for _, g in items]
    parsed = parse_lines(format_lines(texts, groups))
    assert list(parsed.texts) == texts
    assert list(parsed.groups) == groups


def test_format_lines_flattens_line_breaks_and_brackets_in_group_names() -> None:
    editor = format_lines(["first\nsecond", "[x] literal", "\\"], ["a [b]", None, "【g】"])
    assert editor == "[a (b)] first second\n\\[x] literal\n[(g)] \\"
    parsed = parse_lines(editor)
    assert parsed.texts == ("first second", "[x] literal", "\\")
    assert parsed.groups == ("a (b)", None, "(g)")
    with pytest.raises(ValueError):
        format_lines(["a", "b"], ["only one"])


# --- files --------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def test_txt_files_use_the_editor_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "texts.TXT", "[fruit] apple\n\npear\r\napple\n")
    loaded = load_file(path)
    assert loaded.texts == ("apple", "pear", "apple")
    assert loaded.groups == ("fruit", None, None)
    assert loaded.lines == (1, 3, 4)
    assert loaded.duplicates == (2,)


def test_csv_with_a_named_text_column_and_label_column(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "data.csv",
        'id,Label,Sentence\n1,pos,"I love it, really"\n2,neg,"Terrible, ""awful"""\n3,,\n4,, ok \n',
    )
    loaded = load_file(path)
    assert loaded.texts == ("I love it, really", 'Terrible, "awful"', "ok")
    assert loaded.groups == ("pos", "neg", None)
    assert loaded.lines == (2, 3, 5)


def test_csv_multiline_fields_become_one_line_and_keep_their_starting_line(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "m.csv", 'text\n"first\r\n  part"\nsecond\n\n"x\ny\nz"\n')
    loaded = load_file(path)
    assert loaded.texts == ("first part", "second", "x y z")
    assert loaded.lines == (2, 4, 6)


@pytest.mark.parametrize(
    ("delimiter", "name"), [(";", "semi.csv"), ("\t", "tabs.csv"), ("|", "pipes.csv")]
)
def test_the_delimiter_is_sniffed(tmp_path: Path, delimiter: str, name: str) -> None:
    rows = [["text", "group"], ["Guten Tag, Welt", "de"], ["Hello, world", "en"], ["你好", "zh"]]
    content = "\n".join(delimiter.join(row) for row in rows) + "\n"
    loaded = load_file(_write(tmp_path, name, content))
    assert loaded.texts == ("Guten Tag, Welt", "Hello, world", "你好")
    assert loaded.groups == ("de", "en", "zh")


def test_tsv_and_chinese_headers(tmp_path: Path) -> None:
    path = _write(tmp_path, "d.tsv", "类别\t文本\n水果\t苹果很甜\n动物\t猫在睡觉\n")
    loaded = load_file(path)
    assert loaded.texts == ("苹果很甜", "猫在睡觉")
    assert loaded.groups == ("水果", "动物")


def test_csv_without_known_header_uses_the_first_text_column(tmp_path: Path) -> None:
    no_header = _write(tmp_path, "plain.csv", "the cat sat\na dog barked loudly\nbirds\n")
    assert load_file(no_header).texts == ("the cat sat", "a dog barked loudly", "birds")
    with_ids = _write(tmp_path, "ids.csv", "id,question\n1,What is AI?\n2,How do I cook rice?\n")
    assert load_file(with_ids).texts == ("What is AI?", "How do I cook rice?")


def test_excel_encodings(tmp_path: Path) -> None:
    content = "文本,标签\n今天天气很好,天气\n我想申请退款,退款\n"
    for name, data in [
        ("gbk.csv", content.encode("gbk")),
        ("bom.csv", b"\xef\xbb\xbf" + content.encode("utf-8")),
        ("utf16.csv", content.replace(",", "\t").encode("utf-16")),
    ]:
        loaded = load_file(_write(tmp_path, name, data))
        assert loaded.texts == ("今天天气很好", "我想申请退款"), name
        assert loaded.groups == ("天气", "退款"), name


def test_jsonl_objects_strings_and_numeric_labels(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "猫在睡觉", "group": "动物"}, ensure_ascii=False),
        "",
        json.dumps("a bare string"),
        json.dumps({"Text": "label as a number", "label": 3}),
        json.dumps({"sentence": "no group", "group": None}),
        json.dumps({"text": "   "}),
        json.dumps({"content": "multi\nline", "tag": "t", "vector": [0.1, 0.2]}),
    ]
    loaded = load_file(_write(tmp_path, "d.jsonl", "\n".join(lines)))
    assert loaded.texts == (
        "猫在睡觉",
        "a bare string",
        "label as a number",
        "no group",
        "multi line",
    )
    assert loaded.groups == ("动物", None, "3", None, "t")
    assert loaded.lines == (1, 3, 4, 5, 7)


def test_json_array(tmp_path: Path) -> None:
    path = _write(tmp_path, "d.json", json.dumps(["one", {"text": "two", "label": "x"}]))
    loaded = load_file(path)
    assert loaded.texts == ("one", "two") and loaded.groups == (None, "x")


@pytest.mark.parametrize(
    ("name", "content", "reason", "line"),
    [
        ("bad.jsonl", '"ok"\n{"text": "fine"}\n{"text": \n', "invalid-json", 3),
        ("bad.jsonl", '"ok"\n\n{"title": "no text"}\n', "bad-item", 3),
        ("bad.jsonl", '"ok"\n42\n', "bad-item", 2),
        ("bad.jsonl", '{"text": ["not", "a", "string"]}\n', "bad-item", 1),
        ("bad.jsonl", '{"text": "x", "group": {"nested": 1}}\n', "bad-item", 1),
        ("bad.json", '{"text": "an object, not an array"}', "bad-item", 1),
        ("bad.json", '[\n"a",\n', "invalid-json", 3),
        ("bin.txt", b"text\x00\x01\x02", "binary", 1),
        ("bad.txt", b"fine\nstill fine\n\x80\xff broken\n", "encoding", 3),
        ("bad.csv", b"\xef\xbb\xbfok\n\xff\n", "encoding", 2),
        ("odd.csv", b"\xff\xfe" + "a\nb\n".encode("utf-16-le") + b"\x00", "encoding", 3),
        ("empty.txt", "\n  \n\n", "empty", None),
        ("empty.csv", "text\n", "empty", None),
        ("huge.csv", "text\n" + "x" * 200_000 + "\n", "malformed", 2),
        ("data.xlsx", b"PK\x03\x04", "unsupported-type", None),
    ],
)
def test_unreadable_files_raise_a_reason_and_a_line(
    tmp_path: Path, name: str, content: str | bytes, reason: str, line: int | None
) -> None:
    with pytest.raises(TextSetError) as caught:
        load_file(_write(tmp_path, name, content))
    assert caught.value.reason == reason
    assert caught.value.line == line
    assert caught.value.path.name == name
    assert name in str(caught.value)


def test_missing_oversized_and_directory_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(TextSetError) as caught:
        load_file(tmp_path / "nope.txt")
    assert caught.value.reason == "not-found"
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(TextSetError) as caught:
        load_file(tmp_path / "folder.txt")
    assert caught.value.reason == "unreadable"
    monkeypatch.setattr(text_sets, "MAX_FILE_BYTES", 10)
    with pytest.raises(TextSetError) as caught:
        load_file(_write(tmp_path, "big.txt", "more than ten bytes"))
    assert caught.value.reason == "too-large"


# --- example sets -------------------------------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_example_sets_are_complete_and_parse_back_unchanged() -> None:
    examples = example_sets()
    ids = [e.id for e in examples]
    assert len(set(ids)) == len(ids)
    assert {
        "near-synonyms-en",
        "paraphrases-zh",
        "unrelated-mixed",
        "cross-lingual-zh-en",
    } <= set(ids)
    for example in examples:
        assert 8 <= len(example.texts) <= 16, example.id
        assert len(example.groups) == len(example.texts)
        assert len(set(example.texts)) == len(example.texts), example.id
        assert example.title_en and _CJK.search(example.title_zh), example.id
        assert all(t == t.strip() and "\n" not in t for t in example.texts)
        parsed = parse_lines(example.editor_text())
        assert parsed == example.text_set()
        assert parsed.texts == example.texts and parsed.groups == example.groups
        assert example_set(example.id) is example
    with pytest.raises(KeyError):
        example_set("no-such-set")


def test_example_sets_speak_the_languages_their_titles_promise() -> None:
    assert not any(_CJK.search(t) for t in example_set("near-synonyms-en").texts)
    assert all(_CJK.search(t) for t in example_set("paraphrases-zh").texts)
    mixed = example_set("unrelated-mixed").texts
    assert any(_CJK.search(t) for t in mixed) and not all(_CJK.search(t) for t in mixed)
    pairs = example_set("cross-lingual-zh-en")
    for group in set(pairs.groups):
        members = [t for t, g in zip(pairs.texts, pairs.groups, strict=True) if g == group]
        assert len(members) == 2 and sum(bool(_CJK.search(t)) for t in members) == 1, group


def test_text_set_defaults_are_empty() -> None:
    empty = TextSet()
    assert len(empty) == 0 and empty.duplicates == () and empty.group_names == ()
    assert parse_lines("") == empty
