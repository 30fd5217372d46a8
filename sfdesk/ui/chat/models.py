"""The chat model list: fetched once per base URL in the background, cached, never waited on.

Also knows which models are *hybrid* (think only when asked, so ``enable_thinking`` and
``thinking_budget`` mean something for them).
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QObject, Signal

from sfdesk.api import ApiError, SiliconFlowClient
from sfdesk.ui.tasks import Controller

log = logging.getLogger(__name__)

DEFAULT_MODEL = "Qwen/Qwen3-8B"
MODELS = "models"

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
# base URL -> model ids: the list changes rarely, and a panel reopening should not refetch it.
_CACHE: dict[str, list[str]] = {}


def is_hybrid(model: str) -> bool:
    """True for models whose thinking is switched by ``enable_thinking``."""
    return bool(_HYBRID_RE.search(model))


class ModelListController(Controller):
    """Loads ``/models?sub_type=chat``; a failure only leaves the list as it was."""

    sig_models_loaded = Signal(list)  # list[str]

    def __init__(self, client: SiliconFlowClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client

    def load(self) -> None:
        cached = _CACHE.get(self._client.base_url)
        if cached is not None:
            self.sig_models_loaded.emit(list(cached))
            return
        self.start(MODELS, self._fetch())

    async def _fetch(self) -> None:
        base_url = self._client.base_url
        try:
            models = await self._client.models.list(sub_type="chat")
        except ApiError as exc:
            log.info("chat model list not loaded: %s", exc)
            return
        _CACHE[base_url] = list(models)
        self.sig_models_loaded.emit(list(models))
