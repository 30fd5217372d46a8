"""The background model-list controller shared by the panels: ``/models?sub_type=…``, cached.

Each panel that offers a model picker loads its list through a :class:`ModelsController` subclass
that names the ``sub_type`` and owns the cache (base URL -> model ids: the list changes rarely, and
a panel reopening should not refetch it). The list is fetched once per base URL in the background,
never waited on; a failure only leaves the picker's list as it was. What each model *accepts*
stays with its panel (``sfdesk.ui.chat.models``, ``sfdesk.ui.embeddings.models``,
``sfdesk.ui.rerank.models``).
"""

from __future__ import annotations

import logging
from typing import ClassVar

from PySide6.QtCore import QObject, Signal

from sfdesk.api import ApiError, SiliconFlowClient
from sfdesk.ui.tasks import Controller

log = logging.getLogger(__name__)

#: The controller slot the fetch runs in.
MODELS = "models"


class ModelsController(Controller):
    """Loads ``/models?sub_type=<sub_type>``; a failure only leaves the list as it was.

    Subclasses set :attr:`sub_type`, :attr:`cache` (their own dict, so tests can clear it) and
    :attr:`what` (for the log); with :attr:`empty_is_a_list` false, an empty answer is ignored,
    for pickers whose documented list is better than none.
    """

    sub_type: ClassVar[str]
    cache: ClassVar[dict[str, list[str]]]
    what: ClassVar[str]
    empty_is_a_list: ClassVar[bool] = True

    sig_models_loaded = Signal(list)  # list[str]

    def __init__(self, client: SiliconFlowClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client

    def load(self) -> None:
        cached = self.cache.get(self._client.base_url)
        if cached is not None:
            self.sig_models_loaded.emit(list(cached))
            return
        self.start(MODELS, self._fetch())

    async def _fetch(self) -> None:
        base_url = self._client.base_url
        try:
            models = await self._client.models.list(sub_type=self.sub_type)
        except ApiError as exc:
            log.info("%s not loaded: %s", self.what, exc)
            return
        if not models and not self.empty_is_a_list:
            return
        self.cache[base_url] = list(models)
        self.sig_models_loaded.emit(list(models))
