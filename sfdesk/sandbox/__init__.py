"""A local server speaking the SiliconFlow API contract (design.md §4), for ``sfdesk --sandbox``,
the test suite and the frozen bundle's self-test.

Real HTTP, SSE and multipart on 127.0.0.1 (Starlette + uvicorn on a daemon thread); synthetic but
sensible, deterministic results; faults injected per request (``X-Sandbox-Fault``) or queued.
Qt-free by design::

    from sfdesk.sandbox import SandboxServer, SANDBOX_API_KEY

    with SandboxServer() as srv:
        ...  # point a client at srv.base_url with SANDBOX_API_KEY
"""

from __future__ import annotations

from .auth import EMPTY_BALANCE_KEY, OTHER_SITE_KEY, SANDBOX_API_KEY
from .catalogue import CATALOGUE, ModelInfo, Thinking
from .server import SandboxServer

__all__ = [
    "CATALOGUE",
    "EMPTY_BALANCE_KEY",
    "OTHER_SITE_KEY",
    "SANDBOX_API_KEY",
    "ModelInfo",
    "SandboxServer",
    "Thinking",
]
