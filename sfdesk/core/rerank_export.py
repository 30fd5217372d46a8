"""Exporting a Rerank panel comparison: CSV for spreadsheets, JSON for scripts.

This module owns the two file formats; each function returns the file's bytes (the panel writes
them with :func:`sfdesk.core.embedding_export.write_file`, atomically, in a worker thread).

- CSV (RFC 4180): one row per document in input order — its number, its text, then the rank and
  score each model that answered gave it (empty where ``top_n`` left it out). UTF-8 *with* a
  byte-order mark and CRLF line ends, which is what makes Excel open Chinese text correctly; a
  document Excel would run as a formula ("=HYPERLINK(…)") is defused with a leading apostrophe.
- JSON: everything the panel showed — query, instruction, the parameters each model was sent,
  documents, every column (ranking with rank changes against the input order and the embedding
  baseline, latency, tokens, trace id, or the error of a model that failed) and the agreement
  between each pair. UTF-8, no BOM; ``"format": "sfdesk.rerank"``, ``"version": 1``.

Pure Python, Qt-free, no numpy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sfdesk.core.rank_agreement import PairAgreement, rank_changes

FORMAT: Final = "sfdesk.rerank"
VERSION: Final = 1
RERANKER: Final = "reranker"
BASELINE: Final = "baseline"
#: Excel cannot hold more characters in a cell; longer documents are cut to this.
EXCEL_CELL_LIMIT: Final = 32_767
# Cells Excel and LibreOffice would evaluate as a formula (OWASP "CSV injection").
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_QUOTE_WHEN: Final = (",", '"', "\r", "\n")

__all__ = ["BASELINE", "FORMAT", "RERANKER", "VERSION", "ExportColumn", "to_csv", "to_json"]


@dataclass(frozen=True, slots=True)
class ExportColumn:
    """One column of a comparison: a reranker, or the embedding baseline."""

    model: str
    kind: str  # RERANKER or BASELINE
    #: ``(document index, score)`` best first; None when the model failed.
    ranking: tuple[tuple[int, float], ...] | None
    seconds: float | None = None
    tokens: int | None = None
    trace_id: str | None = None
    #: For a failed column: ``reason``, ``status``, ``code``, ``message`` (the server's words).
    error: Mapping[str, Any] | None = None
    #: What this model was sent beyond model, query and documents (top_n, instruction, …).
    parameters: Mapping[str, Any] = field(default_factory=dict)


def to_csv(documents: Sequence[str], columns: Sequence[ExportColumn]) -> bytes:
    """The comparison as CSV bytes (see the module docstring); failed columns are left out."""
    answered = [column for column in columns if column.ranking is not None]
    header = ["#", "document"]
    for column in answered:
        name = column.model if column.kind == RERANKER else f"{column.model} (cosine)"
        header += [f"{name} rank", f"{name} score"]
    placed = [_places(column) for column in answered]
    lines = [",".join(_cell(cell) for cell in header)]
    for index, document in enumerate(documents):
        cells = [str(index + 1), _cell(document)]
        for places in placed:
            rank, score = places.get(index, (None, None))
            cells += ["" if rank is None else str(rank), "" if score is None else f"{score:.6f}"]
        lines.append(",".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def to_json(
    *,
    query: str,
    documents: Sequence[str],
    columns: Sequence[ExportColumn],
    agreement: Sequence[PairAgreement] = (),
    instruction: str | None = None,
    created_at: str | None = None,
) -> bytes:
    """The comparison as JSON bytes (see the module docstring).

    ``agreement`` refers to columns by position, as :func:`pairwise_agreement` does;
    ``created_at`` is an ISO 8601 time, when known.
    """
    baseline = next(
        (c.ranking for c in columns if c.kind == BASELINE and c.ranking is not None), None
    )
    baseline_order = [index for index, _ in baseline] if baseline is not None else None
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": created_at,
        "query": query,
        "instruction": instruction,
        "documents": list(documents),
        "columns": [_column_json(c, len(documents), baseline_order) for c in columns],
        "agreement": [
            {
                "a": columns[pair.a].model,
                "b": columns[pair.b].model,
                "a_kind": columns[pair.a].kind,
                "b_kind": columns[pair.b].kind,
                "kendall_tau": pair.tau,
                "top_k_overlap": pair.overlap,
                "k": pair.k,
                "documents_compared": pair.common,
            }
            for pair in agreement
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _column_json(
    column: ExportColumn, count: int, baseline_order: list[int] | None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "model": column.model,
        "kind": column.kind,
        "status": "ok" if column.ranking is not None else "failed",
        "parameters": dict(column.parameters),
        "seconds": column.seconds,
        "tokens": column.tokens,
        "trace_id": column.trace_id,
    }
    if column.ranking is None:
        out["error"] = dict(column.error) if column.error is not None else None
        return out
    order = [index for index, _ in column.ranking]
    from_input = rank_changes(order, range(count))
    from_baseline = (
        rank_changes(order, baseline_order)
        if baseline_order is not None and column.kind == RERANKER
        else {}
    )
    out["ranking"] = [
        {
            "rank": rank,
            "index": index,
            "score": score,
            "change_vs_input": from_input.get(index),
            "change_vs_baseline": from_baseline.get(index),
        }
        for rank, (index, score) in enumerate(column.ranking, start=1)
    ]
    return out


def _places(column: ExportColumn) -> dict[int, tuple[int, float]]:
    """Document index -> (1-based rank, score) in ``column``."""
    assert column.ranking is not None
    places: dict[int, tuple[int, float]] = {}
    for rank, (index, score) in enumerate(column.ranking, start=1):
        places.setdefault(index, (rank, score))
    return places


def _cell(text: str) -> str:
    """``text`` as one CSV cell (RFC 4180 quoting), cut to Excel's limit, formulas defused."""
    value = text[:EXCEL_CELL_LIMIT]
    if value.startswith(_FORMULA_STARTS):
        value = "'" + value[: EXCEL_CELL_LIMIT - 1]
    if any(c in value for c in _QUOTE_WHEN) or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value
