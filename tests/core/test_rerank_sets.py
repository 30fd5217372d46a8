"""The Rerank panel's documents: parsing the editor, writing it back, reading files, and the
example sets."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from sfdesk.core.rerank_sets import (
    documents_text,
    example_set,
    example_sets,
    load_documents,
    parse_documents,
)
from sfdesk.core.text_sets import TextSetError


def test_documents_are_the_stripped_non_empty_lines_taken_literally() -> None:
    text = "  first doc \r\n\n[1] Introduction\r   \n\ufeff【标签】中文文档\nfirst doc\n"
    # No tags here (unlike the Embeddings editor), and repeats stay: each line is a document.
    assert parse_documents(text) == (
        "first doc",
        "[1] Introduction",
        "【标签】中文文档",
        "first doc",
    )
    assert parse_documents("") == ()
    assert parse_documents(" \n\t\n") == ()


def test_documents_text_round_trips_and_keeps_one_document_per_line() -> None:
    documents = ["a cell\nwith a line break", "  padded  ", "", "[x] bracket", "第二行\r\n继续"]
    text = documents_text(documents)
    assert text.count("\n") == 3  # the empty document is dropped
    assert parse_documents(text) == (
        "a cell with a line break",
        "padded",
        "[x] bracket",
        "第二行 继续",
    )
    assert parse_documents(documents_text(parse_documents(text))) == parse_documents(text)


def test_example_sets_are_complete_and_distinct() -> None:
    examples = example_sets()
    assert 3 <= len(examples) <= 4
    assert len({e.id for e in examples}) == len(examples)
    for example in examples:
        assert 8 <= len(example.documents) <= 12, example.id
        assert example.query.strip() and example.title_en and example.title_zh
        assert len(set(example.documents)) == len(example.documents), example.id
        # The editor holds exactly these documents once loaded.
        assert parse_documents(example.editor_text()) == example.documents
    chinese = [e for e in examples if any("\u4e00" <= c <= "\u9fff" for c in e.query)]
    english = [e for e in examples if e.query.isascii()]
    assert chinese and english
    assert any(e.instruction for e in examples)


def test_example_set_by_id() -> None:
    assert example_set("capital-en").query == "What is the capital of Australia?"
    with pytest.raises(KeyError):
        example_set("no-such-set")


def test_a_text_file_is_read_line_by_line_in_any_supported_encoding(tmp_path: Path) -> None:
    lines = "[1] Introduction\r\n\r\n【标签】不是分组\n  padded  \n"
    expected = ("[1] Introduction", "【标签】不是分组", "padded")
    for encoding, bom in (("utf-8", b""), ("utf-16-le", codecs.BOM_UTF16_LE), ("gb18030", b"")):
        path = tmp_path / f"docs-{encoding}.txt"
        path.write_bytes(bom + lines.encode(encoding))
        # Brackets stay: a document's first word is not a group tag here.
        assert load_documents(path) == expected, encoding


def test_structured_files_give_their_text_column(tmp_path: Path) -> None:
    csv_file = tmp_path / "docs.csv"
    csv_file.write_text('id,text\n1,"two\nlines"\n2,苹果\n', "utf-8")
    assert load_documents(csv_file) == ("two lines", "苹果")
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text('{"text": "[x] kept", "label": 1}\n"bare"\n', "utf-8")
    assert load_documents(jsonl) == ("[x] kept", "bare")


def test_files_without_documents_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", "utf-8")
    with pytest.raises(TextSetError) as caught:
        load_documents(empty)
    assert caught.value.reason == "empty"
    with pytest.raises(TextSetError) as caught:
        load_documents(tmp_path / "missing.txt")
    assert caught.value.reason == "not-found"
    with pytest.raises(TextSetError) as caught:
        load_documents(tmp_path / "docs.pdf")
    assert caught.value.reason == "unsupported-type"
