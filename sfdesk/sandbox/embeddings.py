"""``POST /v1/embeddings``: validation and deterministic, text-derived vectors.

Vectors come from signed feature hashing (BLAKE2b, stable across processes) of lower-cased
character unigrams and bigrams and latin words, so texts sharing words and phrases land close
together. Each model adds its own seeded hashing noise and a shared "anisotropy" direction —
real embedding models rarely score unrelated texts near 0 — so two models agree broadly but not
exactly. ``dimensions`` truncates and renormalises (Matryoshka-style).
"""

from __future__ import annotations

import base64
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from starlette.responses import Response

from . import errors
from .catalogue import ModelInfo, find
from .exchange import Call
from .text import count_tokens, keyed_hash, stable_hash, stem

MAX_BATCH = 64
_BASE_KEY = "sfdesk-sandbox-embedding"
_NOISE_WEIGHT = 0.35  # how far one model's vectors stray from the shared features
_ANISOTROPY = 0.3  # squared cosine every vector shares with the model's common direction
_LATIN_WORD = re.compile(r"[a-z0-9]+")

Vector = npt.NDArray[np.float32]


async def handle(call: Call) -> Response:
    body = call.body
    if not isinstance(body, dict):
        return errors.invalid()
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return errors.invalid()
    info = find(model, "embedding")
    if info is None:
        return errors.unknown_model()
    texts = body.get("input")
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        return errors.invalid()
    if len(texts) > MAX_BATCH:
        return errors.too_large(
            f"input batch size {len(texts)} > maximum allowed batch size {MAX_BATCH}"
        )
    tokens = [count_tokens(t) for t in texts]
    if any(not t.strip() for t in texts) or max(tokens) > info.max_input_tokens:
        return errors.invalid()
    dimensions = body.get("dimensions")
    if dimensions is not None and (
        not isinstance(dimensions, int)
        or isinstance(dimensions, bool)
        or dimensions not in info.dimensions
    ):
        return errors.invalid()
    encoding = body.get("encoding_format", "float")
    if encoding not in ("float", "base64"):
        return errors.invalid()

    vectors = [embed(info, text, dimensions) for text in texts]
    items = ",".join(
        f'{{"object":"embedding","embedding":{_encode(v, encoding)},"index":{i}}}'
        for i, v in enumerate(vectors)
    )
    used = sum(tokens)
    payload = (
        f'{{"object":"list","model":{errors.dumps(info.id).decode()},"data":[{items}],'
        f'"usage":{{"prompt_tokens":{used},"completion_tokens":0,"total_tokens":{used}}}}}'
    )
    return Response(payload.encode(), media_type=errors.JSON_TYPE)


def _encode(vector: Vector, encoding: str) -> str:
    if encoding == "base64":
        return '"' + base64.b64encode(vector.astype("<f4").tobytes()).decode() + '"'
    # Nine significant digits round-trip a float32 exactly, so float and base64 agree.
    return "[" + ",".join(format(x, ".9g") for x in vector.tolist()) + "]"


def features(text: str) -> Counter[str]:
    """Weighted text features: character unigrams and bigrams, and (stemmed) latin words."""
    flat = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    found: Counter[str] = Counter()
    for char in flat:
        if not char.isspace():
            found["c" + char] += 1
    for i in range(len(flat) - 1):
        found["b" + flat[i : i + 2]] += 1
    for word in _LATIN_WORD.findall(flat):
        found["w" + stem(word)] += 1
    return found


_WEIGHTS = {"c": 0.5, "b": 1.0, "w": 2.0}


_CACHED_TEXT_LENGTH = 2048  # longer texts are not cached: the keys would pin too much memory


def embed(info: ModelInfo, text: str, dimensions: int | None = None) -> Vector:
    """The unit vector ``info`` gives ``text`` (truncated to ``dimensions`` if asked)."""
    compute = _cached_embed if len(text) <= _CACHED_TEXT_LENGTH else _embed
    return compute(info.id, info.native_dimensions, text, dimensions or info.native_dimensions)


def _embed(model: str, native: int, text: str, dimensions: int) -> Vector:
    shared = np.zeros(native, dtype=np.float64)
    noise = np.zeros(native, dtype=np.float64)
    for feature, count in features(text).items():
        weight = _WEIGHTS[feature[0]] * (1.0 + math.log(count))
        h = keyed_hash(_BASE_KEY, feature)
        shared[h % native] += weight if h >> 63 else -weight
        h = keyed_hash(model, feature)
        noise[h % native] += weight if h >> 63 else -weight
    mixed = _unit(shared) + _NOISE_WEIGHT * _unit(noise)
    vector = math.sqrt(1 - _ANISOTROPY) * _unit(mixed) + math.sqrt(_ANISOTROPY) * _common(
        model, native
    )
    result = _unit(vector[:dimensions]).astype(np.float32)
    result.flags.writeable = False  # may be cached: callers must not change it
    return result


_cached_embed = lru_cache(maxsize=2048)(_embed)


@lru_cache(maxsize=32)
def _common(model: str, native: int) -> npt.NDArray[np.float64]:
    rng = np.random.default_rng(stable_hash("common", model))
    return _unit(rng.standard_normal(native))


def _unit(vector: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector
