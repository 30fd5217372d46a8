"""The chat model list: fetched once per base URL in the background, cached, never waited on
(by the shared :class:`~sfdesk.ui.model_list.ModelsController`).

Also knows what each model accepts among the chat parameters that SiliconFlow limits to some
models (siliconflow-api.md §3.1): which models are *hybrid* (think only when asked, so
``enable_thinking`` means something for them), which always reason (so ``thinking_budget`` does),
which take ``min_p`` and which refuse JSON mode. The patterns are deliberately narrow: a parameter
a model does not take is at best ignored and often a 400, so an unknown model gets the common ones.
"""

from __future__ import annotations

import re

from sfdesk.ui.model_list import ModelsController

DEFAULT_MODEL = "Qwen/Qwen3-8B"

# The hybrids SiliconFlow documents (siliconflow-api.md §3.1). Deliberately narrow: sending
# ``enable_thinking`` (even false) to any other model is a 400, and look-alikes such as
# Qwen3-Coder-… or Qwen3-30B-A3B-Instruct-2507 are not hybrid.
_HYBRID_RE = re.compile(
    r"(?:^|/)(?:"
    r"Qwen3-(?:8B|14B|32B|30B-A3B)$"
    r"|Qwen3\.5-"
    r"|DeepSeek-V3\.(?:1|2)(?:-Terminus)?$"
    r"|GLM-(?:5|4\.7|4\.6|4\.5V)$"
    r"|Hunyuan-A13B"
    r")",
    re.IGNORECASE,
)
# Reasoning models that always think (no ``enable_thinking``) and take ``thinking_budget``:
# DeepSeek-R1 and its dated/Pro copies, QwQ, and the "…-Thinking…" releases (Qwen3-…-Thinking-2507,
# Kimi-K2-Thinking, GLM-4.1V-9B-Thinking). Not the R1 distills: they think inline in <think> tags
# and the budget is not documented for them.
_THINKS_ALWAYS_RE = re.compile(
    r"(?:^|/)(?:"
    r"DeepSeek-R1(?!-Distill)(?:$|-)"
    r"|QwQ-"
    r"|[^/]*-Thinking(?:$|-)"
    r")",
    re.IGNORECASE,
)
# ``min_p`` is documented for Qwen3 only: Qwen3-8B, Qwen3-235B-A22B-Instruct-2507, Qwen3-Coder-…,
# Qwen3-VL-…; not Qwen3.5 (a different series) nor the Qwen3 embedding and reranker models.
_MIN_P_RE = re.compile(r"(?:^|/)Qwen3-(?!Embedding|Reranker)", re.IGNORECASE)
# JSON mode works on "all major LLMs except DeepSeek R1/V3": DeepSeek-R1…, DeepSeek-V3, V3.1,
# V3.2 and their -Terminus/-Exp/dated/Pro copies. The R1 distills are Qwen/Llama models and keep it.
_NO_JSON_MODE_RE = re.compile(r"(?:^|/)DeepSeek-(?:R1|V3)(?!-Distill)(?:$|[-.])", re.IGNORECASE)
# base URL -> model ids: the list changes rarely, and a panel reopening should not refetch it.
_CACHE: dict[str, list[str]] = {}


def is_hybrid(model: str) -> bool:
    """True for models whose thinking is switched by ``enable_thinking``."""
    return bool(_HYBRID_RE.search(model))


def thinks_always(model: str) -> bool:
    """True for reasoning models that always think (``enable_thinking`` is not theirs to take)."""
    return bool(_THINKS_ALWAYS_RE.search(model))


def accepts_thinking_budget(model: str) -> bool:
    """True when ``thinking_budget`` means something: hybrids (when thinking) and reasoners."""
    return is_hybrid(model) or thinks_always(model)


def supports_min_p(model: str) -> bool:
    """True for the Qwen3 models, the only ones documented to take ``min_p``."""
    return bool(_MIN_P_RE.search(model))


def supports_json_mode(model: str) -> bool:
    """False for DeepSeek R1/V3, which refuse ``response_format: json_object``; True otherwise."""
    return not _NO_JSON_MODE_RE.search(model)


class ModelListController(ModelsController):
    """Loads ``/models?sub_type=chat``; a failure only leaves the list as it was."""

    sub_type = "chat"
    cache = _CACHE
    what = "chat model list"
