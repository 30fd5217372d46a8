"""The embedding model list and what each embedding model accepts.

The list comes from ``/models?sub_type=embedding``, fetched once per base URL in the background and
cached by the shared :class:`~sfdesk.ui.model_list.ModelsController`; until it arrives (or if it
never does) the picker offers the models SiliconFlow documents.
Also here: which models take ``dimensions`` and which sizes (siliconflow-api.md §4: only
Qwen3-Embedding), the documented input limit per model, and a rough token estimate used to say
which text is probably too long when the server rejects one.
"""

from __future__ import annotations

import math
import re

from sfdesk.ui.model_list import ModelsController

#: Multilingual (Chinese and English alike), 8k tokens per text, no ``dimensions`` to choose:
#: the model that works for any text a user pastes.
DEFAULT_MODEL = "BAAI/bge-m3"
#: The second model offered for a comparison: another family, so the two disagree somewhere.
DEFAULT_COMPARE_MODEL = "Qwen/Qwen3-Embedding-0.6B"
#: The documented embedding models, shown before the server's list has arrived.
KNOWN_MODELS: tuple[str, ...] = (
    "BAAI/bge-m3",
    "Pro/BAAI/bge-m3",
    "BAAI/bge-large-zh-v1.5",
    "BAAI/bge-large-en-v1.5",
    "netease-youdao/bce-embedding-base_v1",
    "Qwen/Qwen3-Embedding-8B",
    "Qwen/Qwen3-Embedding-4B",
    "Qwen/Qwen3-Embedding-0.6B",
)

# Sizes the CN API docs list per Qwen3-Embedding model (the .com docs omit 1536 and 2560; the CN
# list is the superset and the live API accepts it). The last size is the model's native one.
_QWEN3_06B = (64, 128, 256, 512, 768, 1024)
_QWEN3_4B = (*_QWEN3_06B, 1536, 2048, 2560)
_QWEN3_8B = (*_QWEN3_4B, 4096)
_DIMENSIONS: tuple[tuple[re.Pattern[str], tuple[int, ...]], ...] = (
    (re.compile(r"(?:^|/)Qwen3-Embedding-8B$", re.IGNORECASE), _QWEN3_8B),
    (re.compile(r"(?:^|/)Qwen3-Embedding-4B$", re.IGNORECASE), _QWEN3_4B),
    (re.compile(r"(?:^|/)Qwen3-Embedding-0\.6B$", re.IGNORECASE), _QWEN3_06B),
)
_LIMITS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"(?:^|/)bge-m3$", re.IGNORECASE), 8192),
    (re.compile(r"(?:^|/)bge-large-(?:zh|en)-v1\.5$", re.IGNORECASE), 512),
    (re.compile(r"(?:^|/)bce-embedding-base_v1$", re.IGNORECASE), 512),
    (re.compile(r"(?:^|/)Qwen3-Embedding-", re.IGNORECASE), 32768),
)
# CJK ideographs, kana and hangul: one token each, near enough for the tokenizers in use.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# base URL -> model ids: the list changes rarely, and a panel reopening should not refetch it.
_CACHE: dict[str, list[str]] = {}


def dimension_choices(model: str) -> tuple[int, ...]:
    """The ``dimensions`` values ``model`` takes, smallest first; empty if it takes none."""
    name = model.strip()
    for pattern, sizes in _DIMENSIONS:
        if pattern.search(name):
            return sizes
    return ()


def max_input_tokens(model: str) -> int | None:
    """The documented input limit per text of ``model``, or None if it is not documented."""
    name = model.strip()
    for pattern, limit in _LIMITS:
        if pattern.search(name):
            return limit
    return None


def estimate_tokens(text: str) -> int:
    """A rough token count: one per CJK character, one per four other characters.

    Only for saying which text is probably the long one; never used to refuse a request (the
    server's tokenizer decides).
    """
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 4)


class EmbeddingModelsController(ModelsController):
    """Loads ``/models?sub_type=embedding``; a failure only leaves the list as it was."""

    sub_type = "embedding"
    cache = _CACHE
    what = "embedding model list"
    empty_is_a_list = False  # an empty list is no better than the documented one
