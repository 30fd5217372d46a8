"""``POST /v1/rerank``: validation and lexical relevance scores in the real ``meta`` shape.

Scores are BM25 over the sandbox's tokenisation (:mod:`.text`), normalised by the best score the
query could reach and squashed through a logistic curve, so a matching document scores near 1 and
an unrelated one near 0, like a cross-encoder. Each model gets its own curve and a small
deterministic jitter. Models that chunk long documents (bge/bce) score a document by its best chunk.
"""

from __future__ import annotations

import math
import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from starlette.responses import Response

from . import errors
from .catalogue import ModelInfo, find
from .exchange import Call
from .text import count_tokens, input_tokens, stable_hash, terms, to_terms

EMPTY_DOCUMENTS = "List should have at least 1 item after validation"
CHUNK_TOKENS = 512  # the bge/bce rerankers' window
DEFAULT_MAX_CHUNKS = 1024
DEFAULT_OVERLAP = 80
_K1 = 1.2
_B = 0.75
_INSTRUCTION_WEIGHT = 0.25


async def handle(call: Call) -> Response:
    try:
        return errors.JSONResponse(_rerank(call.body))
    except errors.Invalid as invalid:
        return invalid.response


def _int_param(body: dict[str, Any], name: str, low: int, high: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < low
        or (high is not None and value > high)
    ):
        raise errors.Invalid(errors.invalid())
    return value


def _documents(raw: object) -> list[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise errors.Invalid(errors.invalid())
    if not raw:
        raise errors.Invalid(errors.invalid(EMPTY_DOCUMENTS))
    docs: list[str] = []
    for item in raw:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            item = item["text"]
        if not isinstance(item, str):
            raise errors.Invalid(errors.invalid())
        docs.append(item)
    return docs


def _rerank(body: object) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise errors.Invalid(errors.invalid())
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise errors.Invalid(errors.invalid())
    info = find(model, "reranker")
    if info is None:
        raise errors.Invalid(errors.unknown_model())
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise errors.Invalid(errors.invalid())
    docs = _documents(body.get("documents"))
    instruction = body.get("instruction")
    if instruction is not None and (
        not info.instruction or not isinstance(instruction, str) or not instruction
    ):
        raise errors.Invalid(errors.invalid())
    top_n = _int_param(body, "top_n", 1)
    return_documents = body.get("return_documents")
    if return_documents is not None and not isinstance(return_documents, bool):
        raise errors.Invalid(errors.invalid())
    max_chunks, overlap = DEFAULT_MAX_CHUNKS, DEFAULT_OVERLAP
    if info.chunking:  # other models ignore the chunking parameters, as the real API does
        max_chunks = _int_param(body, "max_chunks_per_doc", 1) or DEFAULT_MAX_CHUNKS
        chosen_overlap = _int_param(body, "overlap_tokens", 0, 80)
        overlap = DEFAULT_OVERLAP if chosen_overlap is None else chosen_overlap

    scores = score(
        info, query, docs, instruction=instruction, max_chunks=max_chunks, overlap=overlap
    )
    order = sorted(range(len(docs)), key=lambda i: (-scores[i], i))
    results: list[dict[str, Any]] = []
    for index in order[: top_n or len(docs)]:
        hit: dict[str, Any] = {"index": index, "relevance_score": scores[index]}
        if return_documents:
            hit["document"] = {"text": docs[index]}
        results.append(hit)
    used = sum(count_tokens(query) + count_tokens(doc) + 2 for doc in docs)
    return {
        "id": uuid.uuid4().hex,
        "results": results,
        "meta": {
            "billed_units": {
                "input_tokens": used,
                "output_tokens": 0,
                "search_units": 0,
                "classifications": 0,
            },
            "tokens": {"input_tokens": used, "output_tokens": 0},
        },
    }


def _chunks(doc: str, chunking: bool, max_chunks: int, overlap: int) -> list[list[str]]:
    tokens = input_tokens(doc)
    if not chunking or len(tokens) <= CHUNK_TOKENS:
        return [to_terms(tokens)]
    stride = CHUNK_TOKENS - overlap
    starts = range(0, len(tokens) - overlap, stride)
    return [to_terms(tokens[s : s + CHUNK_TOKENS]) for s in list(starts)[:max_chunks]]


def score(
    info: ModelInfo,
    query: str,
    docs: Sequence[str],
    *,
    instruction: str | None = None,
    max_chunks: int = DEFAULT_MAX_CHUNKS,
    overlap: int = DEFAULT_OVERLAP,
) -> list[float]:
    """A relevance score in (0, 1) for each document."""
    per_doc = [_chunks(doc, info.chunking, max_chunks, overlap) for doc in docs]
    chunks = [chunk for doc_chunks in per_doc for chunk in doc_chunks]
    avg_len = sum(len(c) for c in chunks) / len(chunks) or 1.0
    frequency: Counter[str] = Counter(term for chunk in chunks for term in set(chunk))
    weights: dict[str, float] = dict.fromkeys(terms(query), 1.0)
    if instruction:
        # An instruction steers the ranking a little, never as much as the query itself.
        for term in terms(instruction):
            weights[term] = max(weights.get(term, 0.0), _INSTRUCTION_WEIGHT)

    def idf(term: str) -> float:
        df = frequency[term]
        return math.log(1 + (len(chunks) - df + 0.5) / (df + 0.5))

    best_possible = sum(w * idf(t) * (_K1 + 1) for t, w in weights.items())
    model_hash = stable_hash("rerank", info.id)
    steepness = 16.0 + model_hash % 5
    centre = 0.25 + (model_hash >> 8) % 7 / 100
    scores: list[float] = []
    for doc, doc_chunks in zip(docs, per_doc, strict=True):
        best = 0.0
        for chunk in doc_chunks:
            counts = Counter(chunk)
            norm = _K1 * (1 - _B + _B * len(chunk) / avg_len)
            total = sum(
                w * idf(t) * counts[t] * (_K1 + 1) / (counts[t] + norm)
                for t, w in weights.items()
                if counts[t]
            )
            best = max(best, total)
        x = best / best_possible if best_possible > 0 else 0.0
        jitter = (stable_hash(info.id, query, doc) % 1000 / 1000 - 0.5) * 0.8
        scores.append(1 / (1 + math.exp(-(steepness * (x - centre) + jitter))))
    return scores
