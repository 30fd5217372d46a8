"""The asyncio loop that runs inside Qt's event loop (qasync), set up the way asyncio expects.

qasync's loop never installs asyncio's async-generator hooks (plain asyncio does so in
``run_forever``). Without them, an async generator abandoned mid-iteration (httpx's byte and
line iterators when a stream is left at ``[DONE]``, stopped, or broken) is finalised by the
garbage collector outside the loop, where its cleanup cannot await anything. With the hooks, its
``aclose()`` is scheduled on the loop, and ``shutdown_asyncgens()`` finishes any still open.
"""

from __future__ import annotations

import sys

import qasync
from PySide6.QtWidgets import QApplication


def create_event_loop(app: QApplication, *, already_running: bool = False) -> qasync.QEventLoop:
    loop = qasync.QEventLoop(app, already_running=already_running)
    install_asyncgen_hooks(loop)
    return loop


def install_asyncgen_hooks(loop: qasync.QEventLoop) -> None:
    # The loop's own hook methods (asyncio.BaseEventLoop): they track first iteration for
    # shutdown_asyncgens() and schedule finalisation as a task on the loop.
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,
        finalizer=loop._asyncgen_finalizer_hook,
    )


def remove_asyncgen_hooks() -> None:
    sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
