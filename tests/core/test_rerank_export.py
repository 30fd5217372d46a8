"""Rerank comparison exports: the CSV a spreadsheet opens and the JSON a script reads back."""

from __future__ import annotations

import csv
import io
import json

from sfdesk.core.rank_agreement import pairwise_agreement
from sfdesk.core.rerank_export import BASELINE, RERANKER, ExportColumn, to_csv, to_json

DOCUMENTS = ["苹果很好吃", "=HYPERLINK(evil)", 'say "hi", twice', "plain"]
BGE = ExportColumn(
    "BAAI/bge-reranker-v2-m3",
    RERANKER,
    ((2, 0.9), (0, 0.5), (3, 0.25), (1, 0.125)),
    seconds=0.25,
    tokens=40,
    trace_id="t-1",
    parameters={"max_chunks_per_doc": 2},
)
QWEN = ExportColumn(
    "Qwen/Qwen3-Reranker-0.6B",
    RERANKER,
    ((0, 0.75), (2, 0.5)),  # top_n = 2
    seconds=0.5,
    tokens=41,
    parameters={"top_n": 2, "instruction": "find answers"},
)
FAILED = ExportColumn(
    "netease-youdao/bce-reranker-base_v1",
    RERANKER,
    None,
    seconds=0.01,
    trace_id="t-429",
    error={"reason": "rate_limited", "status": 429, "code": None, "message": "TPM limit"},
)
COSINE = ExportColumn("BAAI/bge-m3", BASELINE, ((0, 0.8), (2, 0.7), (3, 0.1), (1, -0.2)))
COLUMNS = [BGE, QWEN, FAILED, COSINE]


def test_csv_has_one_row_per_document_with_each_answering_models_rank_and_score() -> None:
    data = to_csv(DOCUMENTS, COLUMNS)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # Excel: BOM and CRLF
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == [
        "#",
        "document",
        "BAAI/bge-reranker-v2-m3 rank",
        "BAAI/bge-reranker-v2-m3 score",
        "Qwen/Qwen3-Reranker-0.6B rank",
        "Qwen/Qwen3-Reranker-0.6B score",
        "BAAI/bge-m3 (cosine) rank",
        "BAAI/bge-m3 (cosine) score",
    ]  # the failed model has no columns
    assert [row[1] for row in rows[1:]] == [
        "苹果很好吃",
        "'=HYPERLINK(evil)",  # defused: Excel would run it
        'say "hi", twice',
        "plain",
    ]
    by_document = {int(row[0]) - 1: row[2:] for row in rows[1:]}
    assert by_document[2][:4] == ["1", "0.900000", "2", "0.500000"]
    assert by_document[1][:4] == ["4", "0.125000", "", ""]  # cut by Qwen's top_n
    assert by_document[1][4:] == ["4", "-0.200000"]


def test_json_holds_everything_and_reads_back() -> None:
    agreement = pairwise_agreement([c.ranking for c in COLUMNS], k=2)
    data = json.loads(
        to_json(
            query="水果？",
            documents=DOCUMENTS,
            columns=COLUMNS,
            agreement=agreement,
            instruction="find answers",
            created_at="2025-01-02T03:04:05",
        )
    )
    assert data["format"] == "sfdesk.rerank" and data["version"] == 1
    assert data["query"] == "水果？" and data["documents"] == DOCUMENTS
    assert data["instruction"] == "find answers"
    bge, qwen, failed, cosine = data["columns"]
    assert [hit["index"] for hit in bge["ranking"]] == [2, 0, 3, 1]
    assert [hit["rank"] for hit in bge["ranking"]] == [1, 2, 3, 4]
    # Document 2 was third in the input and first here; second in the baseline.
    assert bge["ranking"][0]["change_vs_input"] == 2
    assert bge["ranking"][0]["change_vs_baseline"] == 1
    assert bge["ranking"][1]["change_vs_baseline"] == -1  # document 0: baseline's first
    assert bge["parameters"] == {"max_chunks_per_doc": 2} and bge["trace_id"] == "t-1"
    assert qwen["parameters"]["instruction"] == "find answers" and len(qwen["ranking"]) == 2
    assert failed["status"] == "failed" and "ranking" not in failed
    assert failed["error"]["status"] == 429 and failed["trace_id"] == "t-429"
    assert cosine["kind"] == "baseline"
    assert all(hit["change_vs_baseline"] is None for hit in cosine["ranking"])
    pairs = {(p["a"], p["b"]): p for p in data["agreement"]}
    assert set(pairs) == {
        ("BAAI/bge-reranker-v2-m3", "Qwen/Qwen3-Reranker-0.6B"),
        ("BAAI/bge-reranker-v2-m3", "BAAI/bge-m3"),
        ("Qwen/Qwen3-Reranker-0.6B", "BAAI/bge-m3"),
    }
    bge_qwen = pairs[("BAAI/bge-reranker-v2-m3", "Qwen/Qwen3-Reranker-0.6B")]
    # On {0, 2}: bge puts 2 first, Qwen 0 first.
    assert bge_qwen["kendall_tau"] == -1.0 and bge_qwen["documents_compared"] == 2
    assert bge_qwen["top_k_overlap"] == 1.0 and bge_qwen["k"] == 2
