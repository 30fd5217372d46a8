"""The models the sandbox serves and what each one can do.

:data:`CATALOGUE` is the single list every endpoint consults: ``/v1/models`` filters it, chat reads
the thinking style, embeddings the dimensions and input limit, rerank the optional parameters,
images whether an input image is needed. Other code (the app's sandbox mode, tests) may read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType


class Thinking(Enum):
    """How a chat model reasons."""

    NONE = "none"  # never thinks; `enable_thinking` is a 400
    HYBRID = "hybrid"  # thinks only with `enable_thinking: true`
    ALWAYS = "always"  # always sends `reasoning_content` first
    THINK_TAGS = "think-tags"  # always thinks, inline as `<think>…</think>` inside `content`


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    type: str  # text | image | audio | video (the `type` filter of /v1/models)
    sub_type: str  # chat | embedding | reranker | text-to-image | image-to-image | ...
    thinking: Thinking = Thinking.NONE
    vision: bool = False
    # embeddings
    native_dimensions: int = 0
    dimensions: tuple[int, ...] = ()  # values `dimensions` may take; empty = parameter refused
    max_input_tokens: int = 0
    # rerank
    instruction: bool = False
    chunking: bool = False
    # images
    uses_image_size: bool = False
    batch: bool = False
    needs_image: bool = False


def _chat(model_id: str, thinking: Thinking = Thinking.NONE, *, vision: bool = False) -> ModelInfo:
    return ModelInfo(model_id, "text", "chat", thinking=thinking, vision=vision)


def _embedding(
    model_id: str, native: int, max_tokens: int, dimensions: tuple[int, ...] = ()
) -> ModelInfo:
    return ModelInfo(
        model_id,
        "text",
        "embedding",
        native_dimensions=native,
        dimensions=dimensions,
        max_input_tokens=max_tokens,
    )


_QWEN3_DIMS_06B = (64, 128, 256, 512, 768, 1024)
_QWEN3_DIMS_4B = (*_QWEN3_DIMS_06B, 1536, 2048, 2560)
_QWEN3_DIMS_8B = (*_QWEN3_DIMS_4B, 4096)

CATALOGUE: tuple[ModelInfo, ...] = (
    _chat("Qwen/Qwen3-8B", Thinking.HYBRID),
    _chat("Qwen/Qwen2.5-7B-Instruct"),
    _chat("deepseek-ai/DeepSeek-V3.2", Thinking.HYBRID),
    _chat("deepseek-ai/DeepSeek-R1", Thinking.ALWAYS),
    _chat("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", Thinking.THINK_TAGS),
    _chat("Pro/zai-org/GLM-4.7", Thinking.HYBRID),
    _chat("Qwen/Qwen2.5-VL-72B-Instruct", vision=True),
    _embedding("BAAI/bge-m3", 1024, 8192),
    _embedding("BAAI/bge-large-zh-v1.5", 1024, 512),
    _embedding("BAAI/bge-large-en-v1.5", 1024, 512),
    _embedding("netease-youdao/bce-embedding-base_v1", 768, 512),
    _embedding("Qwen/Qwen3-Embedding-8B", 4096, 32768, _QWEN3_DIMS_8B),
    _embedding("Qwen/Qwen3-Embedding-4B", 2560, 32768, _QWEN3_DIMS_4B),
    _embedding("Qwen/Qwen3-Embedding-0.6B", 1024, 32768, _QWEN3_DIMS_06B),
    ModelInfo("BAAI/bge-reranker-v2-m3", "text", "reranker", chunking=True),
    ModelInfo("Pro/BAAI/bge-reranker-v2-m3", "text", "reranker", chunking=True),
    ModelInfo("netease-youdao/bce-reranker-base_v1", "text", "reranker", chunking=True),
    ModelInfo("Qwen/Qwen3-Reranker-8B", "text", "reranker", instruction=True),
    ModelInfo("Qwen/Qwen3-Reranker-4B", "text", "reranker", instruction=True),
    ModelInfo("Qwen/Qwen3-Reranker-0.6B", "text", "reranker", instruction=True),
    ModelInfo("Kwai-Kolors/Kolors", "image", "text-to-image", uses_image_size=True, batch=True),
    ModelInfo("Qwen/Qwen-Image", "image", "text-to-image", uses_image_size=True),
    ModelInfo("Tongyi-MAI/Z-Image-Turbo", "image", "text-to-image", uses_image_size=True),
    ModelInfo("Qwen/Qwen-Image-Edit", "image", "image-to-image", needs_image=True),
    ModelInfo("Qwen/Qwen-Image-Edit-2509", "image", "image-to-image", needs_image=True),
    ModelInfo("FunAudioLLM/SenseVoiceSmall", "audio", "speech-to-text"),
    ModelInfo("TeleAI/TeleSpeechASR", "audio", "speech-to-text"),
    ModelInfo("FunAudioLLM/CosyVoice2-0.5B", "audio", "text-to-speech"),
)

MODELS: Mapping[str, ModelInfo] = MappingProxyType({m.id: m for m in CATALOGUE})


def find(model_id: object, *sub_types: str) -> ModelInfo | None:
    """The model ``model_id`` if it exists and is one of ``sub_types`` (any if none given)."""
    if not isinstance(model_id, str):
        return None
    info = MODELS.get(model_id)
    if info is None or (sub_types and info.sub_type not in sub_types):
        return None
    return info


def listed(type_: str | None = None, sub_type: str | None = None) -> list[ModelInfo]:
    """Models matching the `/v1/models` filters (either, both or none)."""
    return [
        m
        for m in CATALOGUE
        if (not type_ or m.type == type_) and (not sub_type or m.sub_type == sub_type)
    ]
