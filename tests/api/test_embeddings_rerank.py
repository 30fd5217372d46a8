"""Embeddings (batching, order, 413 split, base64) and rerank over the sandbox."""

from __future__ import annotations

import numpy as np
import pytest

from sfdesk.api import BadRequestError, PayloadTooLargeError, SiliconFlowClient
from sfdesk.api.rerank import parse_rerank
from sfdesk.sandbox import SandboxServer

from .helpers import requests_to

pytestmark = pytest.mark.anyio

TEXTS = [f"sentence number {i} about topic {i % 7}" for i in range(100)]


async def test_large_input_is_batched_by_32_and_returned_in_input_order(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    progress: list[tuple[int, int]] = []
    result = await sf.embeddings.create(
        model="BAAI/bge-m3",
        input=TEXTS,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert result.vectors.shape == (100, 1024) and result.vectors.dtype == np.float32
    batches = [len(e["body"]["input"]) for e in requests_to(sandbox, "/v1/embeddings")]
    assert sorted(batches) == [4, 32, 32, 32]
    assert progress[-1] == (100, 100) and len(progress) == 4
    # Row i is the vector of text i, whatever order the batches completed in.
    for i in (0, 31, 32, 77, 99):
        alone = await sf.embeddings.create(model="BAAI/bge-m3", input=[TEXTS[i]])
        np.testing.assert_allclose(result.vectors[i], alone.vectors[0], rtol=1e-6)
    assert result.usage is not None and result.usage.prompt_tokens > 0


async def test_a_413_splits_the_batch_and_keeps_the_order(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    plain = await sf.embeddings.create(model="BAAI/bge-m3", input=TEXTS[:20])
    sandbox.reset()
    sandbox.queue_fault("/v1/embeddings", "413")
    split = await sf.embeddings.create(model="BAAI/bge-m3", input=TEXTS[:20])
    sizes = [len(e["body"]["input"]) for e in requests_to(sandbox, "/v1/embeddings")]
    assert sizes == [20, 10, 10]
    np.testing.assert_array_equal(split.vectors, plain.vectors)


async def test_a_single_text_that_is_too_large_is_reported(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("/v1/embeddings", "413")
    with pytest.raises(PayloadTooLargeError):
        await sf.embeddings.create(model="BAAI/bge-m3", input=["one"])


async def test_base64_encoding_decodes_to_the_same_vectors(sf: SiliconFlowClient) -> None:
    as_float = await sf.embeddings.create(model="BAAI/bge-m3", input=TEXTS[:3])
    as_b64 = await sf.embeddings.create(
        model="BAAI/bge-m3", input=TEXTS[:3], encoding_format="base64"
    )
    np.testing.assert_allclose(as_b64.vectors, as_float.vectors, rtol=1e-6)


async def test_dimensions_and_validation(sf: SiliconFlowClient) -> None:
    small = await sf.embeddings.create(
        model="Qwen/Qwen3-Embedding-8B", input=["a", "b"], dimensions=256
    )
    assert small.vectors.shape == (2, 256)
    with pytest.raises(BadRequestError) as caught:
        await sf.embeddings.create(model="BAAI/bge-m3", input=["a"], dimensions=256)
    assert caught.value.code == 20015


async def test_no_input_makes_no_request(sf: SiliconFlowClient, sandbox: SandboxServer) -> None:
    empty = await sf.embeddings.create(model="BAAI/bge-m3", input=[])
    assert empty.vectors.shape[0] == 0
    assert requests_to(sandbox, "/v1/embeddings") == []


async def test_one_failing_batch_fails_the_call_with_its_typed_error(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("/v1/embeddings", "400")
    with pytest.raises(BadRequestError):
        await sf.embeddings.create(model="BAAI/bge-m3", input=TEXTS)


DOCS = ["Rivers flow to the sea.", "Cats sleep a lot.", "The sea is salty water.", "Bread recipes."]


async def test_rerank_sorts_limits_and_returns_documents(sf: SiliconFlowClient) -> None:
    result = await sf.rerank.create(
        model="BAAI/bge-reranker-v2-m3",
        query="where do rivers flow",
        documents=DOCS,
        top_n=2,
        return_documents=True,
    )
    assert len(result.results) == 2
    scores = [hit.relevance_score for hit in result.results]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert result.results[0].index == 0
    assert result.results[0].document == DOCS[0]
    assert result.usage is not None and result.usage.input_tokens > 0

    bare = await sf.rerank.create(model="BAAI/bge-reranker-v2-m3", query="sea", documents=DOCS)
    assert len(bare.results) == 4 and all(hit.document is None for hit in bare.results)


async def test_rerank_with_no_documents_is_a_400(sf: SiliconFlowClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        await sf.rerank.create(model="BAAI/bge-reranker-v2-m3", query="q", documents=[])
    assert "at least 1 item" in caught.value.message


def test_rerank_reads_both_usage_shapes() -> None:
    results = [{"index": 1, "relevance_score": 0.2}, {"index": 0, "relevance_score": 0.9}]
    meta = parse_rerank({"results": results, "meta": {"tokens": {"input_tokens": 59}}}, None)
    old = parse_rerank(
        {"results": results, "tokens": {"input_tokens": 7, "output_tokens": 0}}, None
    )
    assert meta.usage is not None and meta.usage.input_tokens == 59
    assert old.usage is not None and old.usage.input_tokens == 7
    assert [hit.index for hit in old.results] == [0, 1]  # sorted even if the server did not
