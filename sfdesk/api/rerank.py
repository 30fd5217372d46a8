"""``/rerank``: score documents against a query.

The documented response shapes disagree: the live API puts token counts under ``meta.tokens``,
older docs at top-level ``tokens``. Both are read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._errors import ProtocolError
from ._transport import Transport
from ._types import Rerank, RerankHit, RerankUsage, require_dict


def build_rerank_body(
    model: str,
    query: str,
    documents: Sequence[str],
    *,
    top_n: int | None = None,
    return_documents: bool = False,
    instruction: str | None = None,
    max_chunks_per_doc: int | None = None,
    overlap_tokens: int | None = None,
) -> dict[str, Any]:
    """The exact JSON body sent (also used by "view code"); unset options are left out."""
    body: dict[str, Any] = {"model": model, "query": query, "documents": list(documents)}
    optional = {
        "top_n": top_n,
        "instruction": instruction,
        "max_chunks_per_doc": max_chunks_per_doc,
        "overlap_tokens": overlap_tokens,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    if return_documents:
        body["return_documents"] = True
    return body


class RerankResource:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def create(
        self,
        *,
        model: str,
        query: str,
        documents: Sequence[str],
        top_n: int | None = None,
        return_documents: bool = False,
        instruction: str | None = None,
        max_chunks_per_doc: int | None = None,
        overlap_tokens: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Rerank:
        body = build_rerank_body(
            model,
            query,
            documents,
            top_n=top_n,
            return_documents=return_documents,
            instruction=instruction,
            max_chunks_per_doc=max_chunks_per_doc,
            overlap_tokens=overlap_tokens,
        )
        data, trace_id = await self._transport.request_json(
            "POST", "/rerank", json_body=body, extra_headers=extra_headers
        )
        return parse_rerank(data, trace_id)


def parse_rerank(data: object, trace_id: str | None) -> Rerank:
    reply = require_dict(data, "rerank response")
    raw_results = reply.get("results")
    if not isinstance(raw_results, list):
        raise ProtocolError("rerank response has no results", trace_id=trace_id)
    hits = []
    for item in raw_results:
        if not isinstance(item, dict):
            raise ProtocolError("rerank result is not an object", trace_id=trace_id)
        index, score = item.get("index"), item.get("relevance_score")
        if not isinstance(index, int) or not isinstance(score, int | float):
            raise ProtocolError("rerank result lacks index or score", trace_id=trace_id)
        hits.append(RerankHit(index=index, relevance_score=float(score), document=_text(item)))
    hits.sort(key=lambda hit: hit.relevance_score, reverse=True)
    return Rerank(results=tuple(hits), usage=_usage(reply), trace_id=trace_id)


def _text(item: dict[str, Any]) -> str | None:
    document = item.get("document")
    if isinstance(document, str):
        return document
    if isinstance(document, dict) and isinstance(document.get("text"), str):
        return str(document["text"])
    return None


def _usage(reply: dict[str, Any]) -> RerankUsage | None:
    meta = reply.get("meta")
    tokens = meta.get("tokens") if isinstance(meta, dict) else None
    if not isinstance(tokens, dict):
        tokens = reply.get("tokens")
    if not isinstance(tokens, dict):
        return None
    return RerankUsage(
        input_tokens=int(tokens.get("input_tokens") or 0),
        output_tokens=int(tokens.get("output_tokens") or 0),
    )
