"""Controllers: QObjects that run asyncio tasks on the Qt thread and report through signals.

This is the seam between the async service layer and widgets (design.md §3). A controller starts
each piece of work as a task in a named *slot* ("send", "balance", "test"…), keeps a reference to
it (so it is never garbage-collected mid-flight), and guarantees at most one current task per slot:
starting a new request in a slot cancels the previous one. Views never touch tasks directly; they
call controller methods and listen to signals.

Signal contract, per slot and per start:

* ``sig_task_started(slot)`` once, synchronously, from :meth:`Controller.start`;
* then exactly one of ``sig_task_finished(slot)`` (the coroutine returned),
  ``sig_task_failed(slot, exc)`` (it raised; ``exc`` is an :class:`~sfdesk.api.ApiError` for API
  failures, anything else is a bug and is also logged with its traceback), or
  ``sig_task_cancelled(slot)`` (emitted synchronously by :meth:`cancel`, or when the task is
  cancelled from elsewhere, e.g. at shutdown). Cancellation is never a failure.
* ``sig_busy_changed(bool)`` whenever the controller goes from idle to busy or back.

A task that has been cancelled or replaced is *detached*: its slot is free at once, and whatever it
does while unwinding is not reported to the UI (an unexpected exception is still logged). Detached
tasks are still tracked, so :meth:`Controller.shutdown` can wait for every task to really end
before the HTTP client is closed.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal

from sfdesk.api import ApiError

log = logging.getLogger(__name__)

T = TypeVar("T")


class Controller(QObject):
    """Base class of every controller that owns asyncio tasks."""

    sig_task_started = Signal(str)
    sig_task_finished = Signal(str)
    sig_task_failed = Signal(str, object)
    sig_task_cancelled = Signal(str)
    sig_busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current: dict[str, asyncio.Task[Any]] = {}
        # Every task not yet done, current or detached: what shutdown() waits for.
        self._alive: set[asyncio.Task[Any]] = set()
        self._busy_reported = False

    # -- queries -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether any slot has a current task."""
        return bool(self._current)

    def is_running(self, slot: str) -> bool:
        return slot in self._current

    def task(self, slot: str) -> asyncio.Task[Any] | None:
        """The current task of ``slot`` (for tests and for awaiting a result)."""
        return self._current.get(slot)

    def alive_tasks(self) -> frozenset[asyncio.Task[Any]]:
        """Tasks not yet done, including detached ones still unwinding."""
        return frozenset(self._alive)

    # -- starting and stopping ---------------------------------------------------------------

    def start(self, slot: str, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T | None]:
        """Run ``coro`` as the current task of ``slot``, cancelling the one it replaces.

        Must be called on the thread of the running (qasync) loop, i.e. from a Qt slot or from
        a coroutine. Results are delivered by the coroutine itself (it emits the controller's own
        signals before returning), so they always precede ``sig_task_finished``.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()  # never started: close it so Python doesn't warn it was never awaited
            raise
        self._detach(slot)
        task = loop.create_task(self._guard(slot, coro), name=f"{type(self).__name__}:{slot}")
        self._current[slot] = task
        self._alive.add(task)
        task.add_done_callback(functools.partial(self._on_task_done, slot, coro))
        self.sig_task_started.emit(slot)
        self._sync_busy()
        return task

    def cancel(self, slot: str) -> bool:
        """Cancel the current task of ``slot``; return whether there was one."""
        detached = self._detach(slot)
        self._sync_busy()
        return detached

    def cancel_all(self) -> None:
        """Cancel every current task (each reports ``sig_task_cancelled``)."""
        for slot in list(self._current):
            self._detach(slot)
        self._sync_busy()

    async def shutdown(self, grace: float = 5.0) -> None:
        """Cancel everything and wait until every task, detached ones included, has ended.

        Called on window close, before the HTTP client is closed, so no task outlives the
        resources it uses and asyncio never reports "Task was destroyed but it is pending".
        """
        self.cancel_all()
        pending = {task for task in self._alive if not task.done()}
        for task in pending:
            task.cancel()
        if not pending:
            return
        _done, still = await asyncio.wait(pending, timeout=grace)
        for task in still:
            log.warning("Task %s did not stop %.1f s after cancellation", task.get_name(), grace)

    # -- internals ---------------------------------------------------------------------------

    def _detach(self, slot: str) -> bool:
        task = self._current.pop(slot, None)
        if task is None:
            return False
        task.cancel()
        self.sig_task_cancelled.emit(slot)
        return True

    def _sync_busy(self) -> None:
        # Report transitions only: a listener that starts a new task from inside a "finished"
        # handler must not produce a False/True flicker.
        if self.busy != self._busy_reported:
            self._busy_reported = self.busy
            self.sig_busy_changed.emit(self._busy_reported)

    def _release(self, slot: str) -> bool:
        """Free ``slot`` if the running task is still its current task; return whether it was.

        False as well once Qt has deleted the controller (its parent window went away): there
        is nobody left to tell, and emitting on a deleted QObject would raise.
        """
        task = asyncio.current_task()
        if not shiboken6.isValid(self):
            self._current.pop(slot, None)
            return False
        if task is not None and self._current.get(slot) is task:
            del self._current[slot]
            return True
        return False

    async def _guard(self, slot: str, coro: Coroutine[Any, Any, T]) -> T | None:
        """Run ``coro`` and report its outcome, but only while it is still the slot's task."""
        try:
            result = await coro
        except asyncio.CancelledError:
            if self._release(slot):
                # Cancelled from outside (e.g. the loop shutting down), not through cancel().
                self.sig_task_cancelled.emit(slot)
                self._sync_busy()
            raise
        except Exception as exc:
            self._report_failure(slot, exc)
            return None
        except BaseException:
            if self._release(slot):
                self._sync_busy()
            raise
        if self._release(slot):
            self.sig_task_finished.emit(slot)
            self._sync_busy()
        return result

    def _report_failure(self, slot: str, exc: Exception) -> None:
        current = self._release(slot)
        name = type(self).__name__
        if isinstance(exc, ApiError):
            # Expected; the UI explains it. str(ApiError) never contains the key.
            level = logging.WARNING if current else logging.DEBUG
            log.log(level, "%s/%s failed: %s", name, slot, exc)
        else:
            log.error("%s/%s raised an unexpected error", name, slot, exc_info=exc)
        if current:
            self.sig_task_failed.emit(slot, exc)
            self._sync_busy()

    def _on_task_done(
        self, slot: str, coro: Coroutine[Any, Any, Any], task: asyncio.Task[Any]
    ) -> None:
        self._alive.discard(task)
        # A task cancelled before its first step never ran _guard, so neither the coroutine was
        # awaited (close it, or Python warns it never was) nor its slot released (do it here).
        coro.close()
        if self._current.get(slot) is task and shiboken6.isValid(self):
            del self._current[slot]
            self.sig_task_cancelled.emit(slot)
            self._sync_busy()
