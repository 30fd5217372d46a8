"""Fixtures for the safety tests: the Qt ones of tests/ui, shared rather than copied.

The UI tests' fixtures (an asyncio loop inside Qt's, a memory keyring for every test, contexts and
panels pointed at the sandbox) are exactly what the in-process safety tests need, and their loop
teardown encodes hard-won Qt knowledge that must not drift in a copy. ``tests/`` is on
``sys.path`` (the top-level conftest lives there), so they are imported from ``ui.conftest``;
pytest registers fixtures found in a conftest's namespace, autouse ones included.
"""

from __future__ import annotations

from ui.conftest import (
    closed_port_url,
    collect_garbage_on_the_gui_thread,
    isolated_user,
    keys,
    loop,
    make_ctx,
    make_panel,
    make_sandbox_panel,
    run_async,
    store,
    theme,
    translations,
)

__all__ = [
    "closed_port_url",
    "collect_garbage_on_the_gui_thread",
    "isolated_user",
    "keys",
    "loop",
    "make_ctx",
    "make_panel",
    "make_sandbox_panel",
    "run_async",
    "store",
    "theme",
    "translations",
]
