"""Export of the Embeddings panel's matrix and vectors, read back with stdlib/numpy readers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from sfdesk.core.embedding_export import (
    EXCEL_CELL_LIMIT,
    matrix_to_csv,
    vectors_to_jsonl,
    vectors_to_npy,
    write_file,
)
from sfdesk.core.similarity import cosine_matrix
from sfdesk.core.text_sets import load_file

LABELS = ["苹果很好吃", 'say "hi", then\nleave', "=SUM(A1:A9)", "-1 point", "plain"]


def _read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_matrix_csv_opens_in_excel_and_reads_back() -> None:
    matrix = cosine_matrix(np.random.default_rng(0).standard_normal((5, 8)))
    data = matrix_to_csv(matrix, LABELS, corner="cosine")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert data.count(b"\r\n") == 6 and data.endswith(b"\r\n")
    assert "苹果很好吃".encode() in data
    rows = _read_csv(data)
    assert len(rows) == 6 and all(len(row) == 6 for row in rows)
    # Formulas are defused with an apostrophe; everything else comes back exactly.
    expected = ["苹果很好吃", 'say "hi", then\nleave', "'=SUM(A1:A9)", "'-1 point", "plain"]
    assert rows[0] == ["cosine", *expected]
    assert [row[0] for row in rows[1:]] == expected
    values = np.array([[float(v) for v in row[1:]] for row in rows[1:]])
    np.testing.assert_allclose(values, matrix, atol=5e-7)
    assert rows[1][1] == "1.000000"


def test_matrix_csv_options_and_checks() -> None:
    rows = _read_csv(
        matrix_to_csv([[0.5, np.nan, -0.25]], ["q"], column_labels=["a", "b", " c "], decimals=2)
    )
    assert rows == [["", "a", "b", " c "], ["q", "0.50", "", "-0.25"]]
    with pytest.raises(ValueError):
        matrix_to_csv(np.eye(3), ["a", "b"])
    long_label = "x" * (EXCEL_CELL_LIMIT + 10)
    assert len(_read_csv(matrix_to_csv([[1.0]], [long_label]))[1][0]) == EXCEL_CELL_LIMIT


def test_npy_round_trips_as_float32() -> None:
    vectors = np.random.default_rng(1).standard_normal((7, 33))
    loaded = np.load(io.BytesIO(vectors_to_npy(vectors)), allow_pickle=False)
    assert loaded.dtype == np.float32 and loaded.shape == (7, 33)
    np.testing.assert_array_equal(loaded, vectors.astype(np.float32))
    with pytest.raises(ValueError):
        vectors_to_npy(np.ones(3))


def test_jsonl_holds_exact_float32_vectors_and_unescaped_chinese(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    vectors = (rng.standard_normal((3, 50)) * np.array([[1e-8], [1.0], [1e6]])).astype(np.float32)
    texts = ["猫在睡觉", 'quote " and \\ backslash', "plain"]
    data = vectors_to_jsonl(vectors, texts, ["动物", None, "g"])
    assert "猫在睡觉".encode() in data and not data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    assert [list(item) for item in items] == [["text", "group", "vector"]] * 3
    assert [i["text"] for i in items] == texts
    assert [i["group"] for i in items] == ["动物", None, "g"]
    np.testing.assert_array_equal(np.array([i["vector"] for i in items], dtype=np.float32), vectors)
    # The panel's importer reads an export back as its texts and groups.
    write_file(tmp_path / "export.jsonl", data)
    loaded = load_file(tmp_path / "export.jsonl")
    assert loaded.texts == tuple(texts)
    assert loaded.groups == ("动物", None, "g")


def test_jsonl_checks_its_inputs() -> None:
    assert vectors_to_jsonl(np.zeros((0, 4)), []) == b""
    with pytest.raises(ValueError):
        vectors_to_jsonl(np.ones((2, 3)), ["only one"])
    with pytest.raises(ValueError):
        vectors_to_jsonl(np.ones((1, 3)), ["a"], ["g", "h"])
    with pytest.raises(ValueError, match="NaN"):
        vectors_to_jsonl(np.array([[np.nan, 1.0]]), ["a"])


def test_write_file_replaces_atomically_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "matrix.csv"
    write_file(target, b"old")
    write_file(target, b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(TypeError):
        write_file(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["matrix.csv"]
