"""Embeddings (validation, determinism, similarity, dimensions, base64) and rerank."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import numpy as np
import pytest

from sfdesk.sandbox import CATALOGUE

BGE = "BAAI/bge-m3"
INVALID = {"code": 20015, "message": "The parameter is invalid. Please check again.", "data": None}


def embed(client: httpx.Client, texts: Any, **extra: Any) -> httpx.Response:
    return client.post("/embeddings", json={"model": BGE, "input": texts, **extra})


def vectors(client: httpx.Client, texts: list[str], **extra: Any) -> np.ndarray:
    response = embed(client, texts, **extra)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert [item["index"] for item in data] == list(range(len(texts)))
    return np.array([item["embedding"] for item in data], dtype=np.float32)


def test_embeddings_shape_usage_and_unit_length(client: httpx.Client) -> None:
    response = embed(client, ["hello world", "你好，世界"])
    body = response.json()
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert (body["object"], body["model"]) == ("list", BGE)
    assert all(item["object"] == "embedding" for item in body["data"])
    # 2 latin words + 4 CJK characters
    assert body["usage"] == {"prompt_tokens": 6, "completion_tokens": 0, "total_tokens": 6}
    matrix = np.array([item["embedding"] for item in body["data"]])
    assert matrix.shape == (2, 1024)
    np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, rtol=1e-5)


def test_a_single_string_input_is_one_vector(client: httpx.Client) -> None:
    data = embed(client, "just one").json()["data"]
    assert len(data) == 1 and len(data[0]["embedding"]) == 1024
    single = np.array(data[0]["embedding"], dtype=np.float32)
    np.testing.assert_array_equal(single, vectors(client, ["just one"])[0])


def test_vectors_are_deterministic_and_independent_of_batch(client: httpx.Client) -> None:
    texts = ["alpha beta", "gamma delta", "epsilon"]
    together = vectors(client, texts)
    for i, text in enumerate(texts):
        np.testing.assert_array_equal(vectors(client, [text])[0], together[i])


def test_a_paraphrase_is_closer_than_an_unrelated_text(client: httpx.Client) -> None:
    for model in (BGE, "Qwen/Qwen3-Embedding-0.6B", "netease-youdao/bce-embedding-base_v1"):
        query, para, other = vectors(
            client,
            [
                "How do I reset my password?",
                "How can I reset the password for my account?",
                "The weather in Paris is sunny today.",
            ],
            model=model,
        )
        assert query @ para > query @ other + 0.2, model
        assert 0.1 < query @ other < 0.6  # unrelated texts are not orthogonal, as in real models
    zh_query, zh_para, zh_other = vectors(
        client, ["如何重置我的密码？", "怎样重置账户密码", "今天巴黎天气晴朗"]
    )
    assert zh_query @ zh_para > zh_query @ zh_other + 0.2


def test_models_agree_broadly_but_not_exactly(client: httpx.Client) -> None:
    texts = ["rivers flow to the sea", "the sea is salty", "cats sleep a lot"]
    a = vectors(client, texts, model=BGE)
    b = vectors(client, texts, model="BAAI/bge-large-en-v1.5")
    assert not np.allclose(a, b)
    sims_a, sims_b = a @ a.T, b @ b.T
    assert np.argmax(sims_a[0, 1:]) == np.argmax(sims_b[0, 1:])  # same nearest neighbour
    assert np.abs(sims_a - sims_b).max() < 0.15


def test_dimensions_truncate_and_renormalise(client: httpx.Client) -> None:
    model = "Qwen/Qwen3-Embedding-8B"
    full = vectors(client, ["matryoshka dolls"], model=model)[0]
    small = vectors(client, ["matryoshka dolls"], model=model, dimensions=256)[0]
    assert full.shape == (4096,) and small.shape == (256,)
    np.testing.assert_allclose(small, full[:256] / np.linalg.norm(full[:256]), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(
    ("model", "dimensions"),
    [
        (BGE, 256),  # only Qwen3-Embedding takes `dimensions`
        ("Qwen/Qwen3-Embedding-0.6B", 2048),  # not in its list
        ("Qwen/Qwen3-Embedding-8B", 100),
        ("Qwen/Qwen3-Embedding-8B", True),
    ],
)
def test_unsupported_dimensions_are_20015(
    client: httpx.Client, model: str, dimensions: object
) -> None:
    response = embed(client, ["x"], model=model, dimensions=dimensions)
    assert (response.status_code, response.json()) == (400, INVALID)


def test_native_dimensions_follow_the_catalogue(client: httpx.Client) -> None:
    for info in CATALOGUE:
        if info.sub_type == "embedding":
            assert vectors(client, ["x"], model=info.id).shape == (1, info.native_dimensions)


def test_base64_round_trips_to_the_float_vectors(client: httpx.Client) -> None:
    texts = ["one", "two three"]
    floats = vectors(client, texts)
    data = embed(client, texts, encoding_format="base64").json()["data"]
    decoded = np.array(
        [np.frombuffer(base64.b64decode(item["embedding"]), dtype="<f4") for item in data]
    )
    np.testing.assert_array_equal(decoded, floats)


@pytest.mark.parametrize(
    "texts", [[], "", [""], ["ok", ""], ["   "], [1, 2], None, ["ok", ["tokens"]]]
)
def test_empty_or_malformed_input_is_20015(client: httpx.Client, texts: object) -> None:
    response = embed(client, texts)
    assert (response.status_code, response.json()) == (400, INVALID)


def test_more_than_64_inputs_is_413_naming_the_size(client: httpx.Client) -> None:
    assert embed(client, ["x"] * 64).status_code == 200
    response = embed(client, ["x"] * 65)
    assert response.status_code == 413
    assert response.json() == {
        "code": 20042,
        "message": "input batch size 65 > maximum allowed batch size 64",
        "data": None,
    }


def test_an_input_over_the_models_token_limit_is_20015(client: httpx.Client) -> None:
    just_fits = " ".join(["word"] * 512)
    too_long = just_fits + " more"
    model = "BAAI/bge-large-zh-v1.5"
    assert embed(client, [just_fits], model=model).status_code == 200
    assert embed(client, ["ok", too_long], model=model).status_code == 400
    assert embed(client, ["中" * 513], model=model).status_code == 400
    assert embed(client, [too_long], model=BGE).status_code == 200  # bge-m3 takes 8192


def test_unknown_or_wrong_kind_of_model_is_20012(client: httpx.Client) -> None:
    for model in ("no/model", "Qwen/Qwen3-8B"):
        response = embed(client, ["x"], model=model)
        assert response.status_code == 400 and response.json()["code"] == 20012
    assert embed(client, ["x"], encoding_format="hex").status_code == 400


# -- rerank ------------------------------------------------------------------------------------

DOCS = ["Rivers flow to the sea.", "Cats sleep a lot.", "The sea is salty water.", "Bread recipes."]
RERANKER = "BAAI/bge-reranker-v2-m3"


def rerank(client: httpx.Client, **body: Any) -> httpx.Response:
    body.setdefault("model", RERANKER)
    body.setdefault("query", "where do rivers flow")
    body.setdefault("documents", DOCS)
    return client.post("/rerank", json=body)


def test_rerank_orders_by_lexical_relevance_in_the_meta_shape(client: httpx.Client) -> None:
    body = rerank(client).json()
    assert len(body["id"]) == 32
    results = body["results"]
    assert results[0]["index"] == 0
    assert set(results[0]) == {"index", "relevance_score"}  # no document unless asked
    scores = [r["relevance_score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 0.9 and all(0 < s < 0.1 for s in scores[1:])
    assert sorted(r["index"] for r in results) == [0, 1, 2, 3]
    tokens = body["meta"]["tokens"]["input_tokens"]
    assert tokens > 0
    assert body["meta"] == {
        "billed_units": {
            "input_tokens": tokens,
            "output_tokens": 0,
            "search_units": 0,
            "classifications": 0,
        },
        "tokens": {"input_tokens": tokens, "output_tokens": 0},
    }


def test_rerank_top_n_and_return_documents(client: httpx.Client) -> None:
    body = rerank(client, query="salty sea", top_n=2, return_documents=True).json()
    assert [r["index"] for r in body["results"]] == [2, 0]
    assert [r["document"] for r in body["results"]] == [{"text": DOCS[2]}, {"text": DOCS[0]}]
    assert len(rerank(client, top_n=10).json()["results"]) == 4
    objects = rerank(client, documents=[{"text": d} for d in DOCS], return_documents=True).json()
    assert objects["results"][0]["document"] == {"text": DOCS[0]}


def test_rerank_scores_are_deterministic_and_model_specific(client: httpx.Client) -> None:
    first = rerank(client).json()["results"]
    assert rerank(client).json()["results"] == first
    other = rerank(client, model="Qwen/Qwen3-Reranker-0.6B").json()["results"]
    assert other[0]["index"] == 0
    assert [r["relevance_score"] for r in other] != [r["relevance_score"] for r in first]


def test_chinese_queries_rank_chinese_documents(client: httpx.Client) -> None:
    docs = ["猫喜欢睡觉", "河流最终流入大海", "面包的做法"]
    body = rerank(client, query="河流流向哪里", documents=docs).json()
    assert body["results"][0]["index"] == 1


def test_long_documents_are_scored_by_their_best_chunk(client: httpx.Client) -> None:
    filler = " ".join(f"filler{i}" for i in range(2000))
    long_doc = filler + " rivers flow to the sea"
    docs = [long_doc, "Cats sleep a lot."]
    chunked = rerank(client, documents=docs).json()["results"]
    assert chunked[0]["index"] == 0 and chunked[0]["relevance_score"] > 0.5
    # Only the first chunk counts with max_chunks_per_doc=1: the match is never seen.
    first_only = rerank(client, documents=docs, max_chunks_per_doc=1).json()["results"]
    assert next(r for r in first_only if r["index"] == 0)["relevance_score"] < 0.1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"documents": []}, "List should have at least 1 item after validation"),
        ({"query": ""}, None),
        ({"query": None}, None),
        ({"top_n": 0}, None),
        ({"documents": [1]}, None),
        ({"instruction": "Find rivers"}, None),  # only Qwen3 rerankers take an instruction
        ({"overlap_tokens": 81}, None),
        ({"max_chunks_per_doc": 0}, None),
    ],
)
def test_rerank_validation(
    client: httpx.Client, change: dict[str, Any], message: str | None
) -> None:
    response = rerank(client, **change)
    assert response.status_code == 400
    assert response.json() == {
        "code": 20015,
        "message": message or INVALID["message"],
        "data": None,
    }


def test_rerank_optional_parameters_per_model(client: httpx.Client) -> None:
    qwen = "Qwen/Qwen3-Reranker-8B"
    assert rerank(client, model=qwen, instruction="Find rivers").status_code == 200
    # Chunking parameters are ignored (not refused) by models that do not chunk.
    assert rerank(client, model=qwen, overlap_tokens=500).status_code == 200
    assert rerank(client, model="no/model").json()["code"] == 20012
    assert rerank(client, model=BGE).json()["code"] == 20012
