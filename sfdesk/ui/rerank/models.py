"""The reranker list, what each reranker accepts, and the options each one is sent.

The list comes from ``/models?sub_type=reranker``, fetched once per base URL in the background and
cached by the shared :class:`~sfdesk.ui.model_list.ModelsController`; until it arrives (or if it
never does) the picker offers the rerankers SiliconFlow documents. Which options a model takes
follows siliconflow-api.md §5: ``instruction`` only the Qwen3-Reranker models (not the multimodal
Qwen3-VL-Reranker); ``max_chunks_per_doc`` and ``overlap_tokens`` only bge-reranker-v2-m3 (also
under ``Pro/``) and bce-reranker-base_v1, which split a long document into chunks and score it by
its best chunk. :func:`request_options` is the
one place that decides what a model is sent, so a run, "view code" and the history agree.

Also here: how much of a long document a model reads, for saying which document is too long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sfdesk.ui.model_list import ModelsController

#: The documented rerankers, shown before the server's list has arrived.
KNOWN_MODELS: tuple[str, ...] = (
    "BAAI/bge-reranker-v2-m3",
    "Pro/BAAI/bge-reranker-v2-m3",
    "netease-youdao/bce-reranker-base_v1",
    "Qwen/Qwen3-Reranker-8B",
    "Qwen/Qwen3-Reranker-4B",
    "Qwen/Qwen3-Reranker-0.6B",
)
#: Checked when the panel opens: one model that chunks long documents and one that takes an
#: instruction, so a first run already shows two families side by side.
DEFAULT_SELECTION: tuple[str, ...] = ("BAAI/bge-reranker-v2-m3", "Qwen/Qwen3-Reranker-0.6B")
#: At most this many rerankers run side by side (the columns must stay readable).
MAX_MODELS = 4
#: The chunking models read a document in windows of about this many tokens.
CHUNK_TOKENS = 512
#: The API's defaults when the options are not sent.
DEFAULT_MAX_CHUNKS = 1024
DEFAULT_OVERLAP = 80
MAX_OVERLAP = 80
#: What the Qwen3 rerankers read of a query and one document together (their context length).
QWEN3_CONTEXT_TOKENS = 32_768

_INSTRUCTION = re.compile(r"(?:^|/)Qwen3-Reranker-", re.IGNORECASE)
_CHUNKING = re.compile(r"(?:^|/)(?:bge-reranker-v2-m3|bce-reranker-base_v1)$", re.IGNORECASE)
# base URL -> model ids: the list changes rarely, and a panel reopening should not refetch it.
_CACHE: dict[str, list[str]] = {}


def takes_instruction(model: str) -> bool:
    """Whether ``model`` accepts ``instruction`` (sending it to any other is a 400)."""
    return bool(_INSTRUCTION.search(model.strip()))


def takes_chunking(model: str) -> bool:
    """Whether ``model`` accepts ``max_chunks_per_doc`` and ``overlap_tokens``."""
    return bool(_CHUNKING.search(model.strip()))


def tokens_read(max_chunks: int | None, overlap: int | None) -> int:
    """How many tokens of one document a chunking model reads at most: ``max_chunks`` windows
    of :data:`CHUNK_TOKENS`, each sharing ``overlap`` tokens with the one before."""
    chunks = DEFAULT_MAX_CHUNKS if max_chunks is None else max_chunks
    shared = DEFAULT_OVERLAP if overlap is None else overlap
    return chunks * (CHUNK_TOKENS - shared) + shared


def document_limit(model: str, params: RerankParams) -> int | None:
    """How many tokens of a document ``model`` reads, or None if that is not known."""
    if takes_chunking(model):
        return tokens_read(params.max_chunks_per_doc, params.overlap_tokens)
    if takes_instruction(model):
        return QWEN3_CONTEXT_TOKENS
    return None


@dataclass(frozen=True)
class RerankParams:
    """The options set in the panel; each model is sent those it takes (:func:`request_options`)."""

    top_n: int | None = None
    return_documents: bool = False
    instruction: str | None = None
    max_chunks_per_doc: int | None = None
    overlap_tokens: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "top_n": self.top_n,
            "return_documents": self.return_documents,
            "instruction": self.instruction,
            "max_chunks_per_doc": self.max_chunks_per_doc,
            "overlap_tokens": self.overlap_tokens,
        }

    @classmethod
    def from_json(cls, data: object) -> RerankParams:
        values = data if isinstance(data, dict) else {}

        def whole(name: str) -> int | None:
            value = values.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        instruction = values.get("instruction")
        return cls(
            top_n=whole("top_n"),
            return_documents=values.get("return_documents") is True,
            instruction=instruction if isinstance(instruction, str) and instruction else None,
            max_chunks_per_doc=whole("max_chunks_per_doc"),
            overlap_tokens=whole("overlap_tokens"),
        )


def request_options(model: str, params: RerankParams) -> dict[str, Any]:
    """Keyword arguments of ``client.rerank.create`` (and ``build_rerank_body``) for ``model``:
    the options it takes, and only those that are set."""
    options: dict[str, Any] = {}
    if params.top_n is not None:
        options["top_n"] = params.top_n
    if params.return_documents:
        options["return_documents"] = True
    if params.instruction and takes_instruction(model):
        options["instruction"] = params.instruction
    if takes_chunking(model):
        if params.max_chunks_per_doc is not None:
            options["max_chunks_per_doc"] = params.max_chunks_per_doc
        if params.overlap_tokens is not None:
            options["overlap_tokens"] = params.overlap_tokens
    return options


class RerankModelsController(ModelsController):
    """Loads ``/models?sub_type=reranker``; a failure only leaves the list as it was."""

    sub_type = "reranker"
    cache = _CACHE
    what = "reranker list"
    empty_is_a_list = False  # an empty list is no better than the documented one
