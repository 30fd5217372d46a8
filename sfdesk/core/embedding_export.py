"""Exporting the Embeddings panel's results: the similarity matrix as CSV, the vectors as .npy or
.jsonl.

This module owns the file formats. Each function returns the file's bytes (the UI writes them to
the path the user picked, with :func:`write_file` or its own code), using only the standard
library and numpy.

- CSV (RFC 4180, comma-separated): the texts label the first row and the first column. UTF-8
  *with* a byte-order mark and CRLF line ends, because that is what makes Excel open Chinese
  text correctly (without the BOM it assumes the system's ANSI code page). A label Excel would
  run as a formula is defused.
- .npy: the n × d float32 matrix, in the same row order as the texts (``numpy.load`` reads it).
- .jsonl: one ``{"text", "group", "vector"}`` object per line, UTF-8 without BOM (JSON Lines
  readers reject a BOM); each number has the 9 significant digits that give back the exact
  float32. ``sfdesk.core.text_sets.load_file`` reads these files back as texts and groups.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

#: Excel cannot hold more characters in a cell; longer labels are cut to this.
EXCEL_CELL_LIMIT: Final = 32_767
# Excel (and LibreOffice) evaluate a cell starting with one of these as a formula: an exported
# text like "=HYPERLINK(...)" or "-1 point" must stay text. A leading apostrophe is the common
# defence (OWASP "CSV injection"); it shows, but it shows only on such labels.
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_QUOTE_WHEN: Final = (",", '"', "\r", "\n")


def matrix_to_csv(
    matrix: npt.ArrayLike,
    labels: Sequence[str],
    *,
    column_labels: Sequence[str] | None = None,
    corner: str = "",
    decimals: int = 6,
) -> bytes:
    """The matrix as CSV bytes: ``labels`` head the rows, ``column_labels`` (default: the same
    labels) head the columns, ``corner`` fills the top-left cell. NaN cells are left empty."""
    values = np.asarray(matrix, dtype=np.float64)
    columns = labels if column_labels is None else column_labels
    if values.ndim != 2 or values.shape != (len(labels), len(columns)):
        raise ValueError(
            f"a {len(labels)} × {len(columns)} matrix was expected, got shape {values.shape}"
        )
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    cells = [_cell(corner), *(_cell(c) for c in columns)]
    lines = [",".join(cells)]
    # One %-template per row is ~1.5x faster than formatting each number (1,000 × 1,000: 0.2 s).
    template = ",".join([f"%.{decimals}f"] * len(columns))
    for label, row in zip(labels, values.tolist(), strict=True):
        if any(v != v for v in row):
            numbers = ",".join("" if v != v else f"{v:.{decimals}f}" for v in row)
        else:
            numbers = template % tuple(row)
        lines.append(f"{_cell(label)},{numbers}" if row else _cell(label))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def vectors_to_npy(vectors: npt.ArrayLike) -> bytes:
    """The vectors as a .npy file (float32, one row per text, no pickled objects)."""
    array = _vector_matrix(vectors)
    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return out.getvalue()


def vectors_to_jsonl(
    vectors: npt.ArrayLike,
    texts: Sequence[str],
    groups: Sequence[str | None] | None = None,
) -> bytes:
    """One JSON object per text: ``{"text": str, "group": str | null, "vector": [float, ...]}``."""
    array = _vector_matrix(vectors)
    group_list = list(groups) if groups is not None else [None] * len(texts)
    if array.shape[0] != len(texts) or len(group_list) != len(texts):
        raise ValueError(
            f"{array.shape[0]} vectors, {len(texts)} texts and {len(group_list)} groups"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError("vectors contain NaN or infinity, which JSON cannot hold")
    lines: list[str] = []
    template = ",".join(["%.9g"] * array.shape[1])
    for text, group, row in zip(texts, group_list, array.tolist(), strict=True):
        head = json.dumps({"text": text, "group": group}, ensure_ascii=False)
        # 9 significant digits round-trip any float32 exactly; json.dumps of the float64 value
        # would write up to 17 and double the file for no information.
        numbers = template % tuple(row)
        lines.append(f'{head[:-1]}, "vector": [{numbers}]}}')
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def write_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a crash or a full disk leaves either the old file
    or the new one, never half of the new one."""
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _cell(text: str) -> str:
    """``text`` as one CSV cell (RFC 4180 quoting), cut to Excel's limit, formulas defused."""
    label = text[:EXCEL_CELL_LIMIT]
    if label.startswith(_FORMULA_STARTS):
        label = "'" + label[: EXCEL_CELL_LIMIT - 1]
    if any(c in label for c in _QUOTE_WHEN) or label != label.strip():
        return '"' + label.replace('"', '""') + '"'
    return label


def _vector_matrix(vectors: npt.ArrayLike) -> npt.NDArray[np.float32]:
    array: npt.NDArray[Any] = np.asarray(vectors, dtype=np.float32)
    if array.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array (one row per text), got {array.shape}")
    return array
