"""httpx and httpx-sse, imported the first time they are used rather than with the package.

The app builds its window (and its :class:`~sfdesk.api.SiliconFlowClient`) before it sends any
request; importing httpx at that point costs ~30 ms of the start (docs/performance.md). The
modules here reach httpx through :data:`httpx` and :data:`httpx_sse`, which import the real
module on first attribute access — in practice on the first request, which the client makes
after warming up in a worker thread. Type checkers see the real modules.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for module ``name``; the first attribute read imports it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def load(self) -> ModuleType:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return self._module

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.load(), attribute)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<lazy module {self._name!r} ({state})>"


httpx_module = LazyModule("httpx")
httpx_sse_module = LazyModule("httpx_sse")
