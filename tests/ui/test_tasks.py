"""The controller/task layer: start, finish, fail, cancel, replace, cancel_all, shutdown."""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

import pytest
from PySide6.QtCore import Signal
from pytestqt.qtbot import QtBot

from sfdesk.api import AuthenticationError
from sfdesk.ui.tasks import Controller


class Worker(Controller):
    sig_value_produced = Signal(object)

    def run(self, slot: str, gate: asyncio.Event, value: object = "done") -> asyncio.Task[Any]:
        return self.start(slot, self._produce(gate, value))

    async def _produce(self, gate: asyncio.Event, value: object) -> object:
        await gate.wait()
        if isinstance(value, BaseException):
            raise value
        self.sig_value_produced.emit(value)
        return value


class Recorder:
    """Every signal of a controller, in emission order."""

    def __init__(self, controller: Controller) -> None:
        self.events: list[tuple[Any, ...]] = []
        controller.sig_task_started.connect(lambda s: self.events.append(("started", s)))
        controller.sig_task_finished.connect(lambda s: self.events.append(("finished", s)))
        controller.sig_task_failed.connect(lambda s, e: self.events.append(("failed", s, e)))
        controller.sig_task_cancelled.connect(lambda s: self.events.append(("cancelled", s)))
        controller.sig_busy_changed.connect(lambda b: self.events.append(("busy", b)))
        if isinstance(controller, Worker):
            controller.sig_value_produced.connect(lambda v: self.events.append(("value", v)))


@pytest.fixture
def worker(loop: asyncio.AbstractEventLoop) -> Worker:
    return Worker()


def _wait_all_done(qtbot: QtBot, controller: Controller) -> None:
    qtbot.waitUntil(lambda: not controller.alive_tasks(), timeout=5_000)


def test_start_then_finish_reports_result_before_finished(qtbot: QtBot, worker: Worker) -> None:
    rec = Recorder(worker)
    gate = asyncio.Event()
    task = worker.run("a", gate, value=42)
    assert worker.busy and worker.is_running("a") and worker.task("a") is task
    assert rec.events == [("started", "a"), ("busy", True)]

    with qtbot.waitSignal(worker.sig_task_finished, timeout=5_000):
        gate.set()
    assert rec.events[2:] == [("value", 42), ("finished", "a"), ("busy", False)]
    assert not worker.busy and worker.task("a") is None
    _wait_all_done(qtbot, worker)
    assert task.result() == 42


def test_api_error_is_reported_as_failure(
    qtbot: QtBot, worker: Worker, caplog: pytest.LogCaptureFixture
) -> None:
    rec = Recorder(worker)
    gate = asyncio.Event()
    error = AuthenticationError("Api key is invalid", status=401, trace_id="t-1")
    worker.run("a", gate, value=error)
    with qtbot.waitSignal(worker.sig_task_failed, timeout=5_000) as blocker:
        gate.set()
    assert blocker.args == ["a", error]
    assert ("finished", "a") not in rec.events
    assert rec.events[-1] == ("busy", False)
    # Expected failures are logged without a traceback.
    records = [r for r in caplog.records if "failed" in r.getMessage()]
    assert records and records[0].levelno == logging.WARNING and records[0].exc_info is None
    _wait_all_done(qtbot, worker)


def test_unexpected_exception_is_reported_and_logged_with_traceback(
    qtbot: QtBot, worker: Worker, caplog: pytest.LogCaptureFixture
) -> None:
    gate = asyncio.Event()
    worker.run("a", gate, value=ZeroDivisionError("boom"))
    with qtbot.waitSignal(worker.sig_task_failed, timeout=5_000) as blocker:
        gate.set()
    assert isinstance(blocker.args[1], ZeroDivisionError)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and errors[0].exc_info is not None
    _wait_all_done(qtbot, worker)


def test_cancel_reports_cancelled_at_once_and_never_fails(qtbot: QtBot, worker: Worker) -> None:
    rec = Recorder(worker)
    gate = asyncio.Event()
    task = worker.run("a", gate)
    assert worker.cancel("a") is True
    assert rec.events == [("started", "a"), ("busy", True), ("cancelled", "a"), ("busy", False)]
    assert not worker.busy
    _wait_all_done(qtbot, worker)
    assert task.cancelled()
    assert rec.events[-1] == ("busy", False)  # nothing more once the task really ended
    assert worker.cancel("a") is False  # nothing left to cancel


def test_new_request_in_same_slot_replaces_the_previous_one(qtbot: QtBot, worker: Worker) -> None:
    rec = Recorder(worker)
    first_gate, second_gate = asyncio.Event(), asyncio.Event()
    first = worker.run("a", first_gate, value="old")
    second = worker.run("a", second_gate, value="new")
    assert worker.task("a") is second
    first_gate.set()  # the old task, even if it could finish, is detached
    with qtbot.waitSignal(worker.sig_task_finished, timeout=5_000):
        second_gate.set()
    _wait_all_done(qtbot, worker)
    assert first.cancelled()
    assert rec.events == [
        ("started", "a"),
        ("busy", True),
        ("cancelled", "a"),
        ("started", "a"),
        ("value", "new"),
        ("finished", "a"),
        ("busy", False),
    ]


def test_slots_are_independent(qtbot: QtBot, worker: Worker) -> None:
    gate_a, gate_b = asyncio.Event(), asyncio.Event()
    worker.run("a", gate_a)
    worker.run("b", gate_b)
    with qtbot.waitSignal(worker.sig_task_finished, timeout=5_000) as blocker:
        gate_a.set()
    assert blocker.args == ["a"]
    assert worker.busy and worker.is_running("b")
    with qtbot.waitSignal(worker.sig_busy_changed, timeout=5_000) as blocker:
        gate_b.set()
    assert blocker.args == [False]
    _wait_all_done(qtbot, worker)


def test_cancel_all_cancels_every_slot_with_one_busy_change(qtbot: QtBot, worker: Worker) -> None:
    rec = Recorder(worker)
    tasks = [worker.run(slot, asyncio.Event()) for slot in ("a", "b", "c")]
    worker.cancel_all()
    cancelled = [e for e in rec.events if e[0] == "cancelled"]
    assert sorted(e[1] for e in cancelled) == ["a", "b", "c"]
    assert [e for e in rec.events if e[0] == "busy"] == [("busy", True), ("busy", False)]
    _wait_all_done(qtbot, worker)
    assert all(task.cancelled() for task in tasks)


def test_shutdown_waits_for_tasks_to_unwind(qtbot: QtBot, worker: Worker, run_async: Any) -> None:
    cleaned_up: list[str] = []

    async def slow_to_stop() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            # Like closing an HTTP connection: takes a few loop turns after the cancel.
            for _ in range(3):
                await asyncio.sleep(0)
            cleaned_up.append("closed")

    worker.start("a", slow_to_stop())
    worker.start("b", slow_to_stop())
    run_async(worker.shutdown())
    assert cleaned_up == ["closed", "closed"]
    assert not worker.alive_tasks() and not worker.busy


@pytest.mark.parametrize("started", [False, True], ids=["before-first-step", "while-running"])
def test_task_cancelled_from_outside_is_reported_as_cancelled(
    qtbot: QtBot, worker: Worker, started: bool
) -> None:
    rec = Recorder(worker)
    running = asyncio.Event()

    async def waits() -> None:
        running.set()
        await asyncio.Event().wait()

    task = worker.start("a", waits())
    if started:
        qtbot.waitUntil(running.is_set, timeout=5_000)
    with qtbot.waitSignal(worker.sig_task_cancelled, timeout=5_000):
        task.cancel()  # e.g. asyncio.Runner cancelling what is left at exit
    _wait_all_done(qtbot, worker)
    assert not [e for e in rec.events if e[0] in ("failed", "finished")]
    assert rec.events[-1] == ("busy", False)
    assert not worker.busy and worker.task("a") is None


def test_superseded_task_errors_are_logged_not_reported(
    qtbot: QtBot, worker: Worker, caplog: pytest.LogCaptureFixture
) -> None:
    rec = Recorder(worker)

    running = asyncio.Event()

    async def fails_while_unwinding() -> None:
        running.set()
        try:
            await asyncio.Event().wait()
        finally:
            raise RuntimeError("cleanup broke")

    worker.start("a", fails_while_unwinding())
    qtbot.waitUntil(running.is_set, timeout=5_000)
    worker.cancel("a")
    _wait_all_done(qtbot, worker)
    assert not [e for e in rec.events if e[0] == "failed"]
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_listener_may_start_a_new_task_when_one_finishes(qtbot: QtBot, worker: Worker) -> None:
    rec = Recorder(worker)
    gates = [asyncio.Event(), asyncio.Event()]
    gates[1].set()
    worker.sig_task_finished.connect(
        lambda slot: worker.run("next", gates[1]) if slot == "first" else None
    )
    worker.run("first", gates[0])
    with qtbot.waitSignal(worker.sig_task_finished, check_params_cb=lambda s: s == "next"):
        gates[0].set()
    _wait_all_done(qtbot, worker)
    # Busy went up once and down once: no flicker between the two tasks.
    assert [e for e in rec.events if e[0] == "busy"] == [("busy", True), ("busy", False)]


def test_start_without_a_running_loop_raises_and_closes_the_coroutine(qapp: Any) -> None:
    worker = Worker()

    async def never() -> None:  # pragma: no cover - must not run
        raise AssertionError

    coro = never()
    with pytest.raises(RuntimeError):
        worker.start("a", coro)
    assert inspect.getcoroutinestate(coro) == "CORO_CLOSED"  # so no "never awaited" warning


def test_signal_emission_keeps_bool_reference_counts_intact(qapp: Any) -> None:
    """PySide6 6.12.0 drops a reference to True/False per emit() on Python < 3.12 and then
    aborts the process (bool_dealloc); pyproject.toml excludes it. This fails if it comes back."""
    import sys

    worker = Worker()
    worker.sig_busy_changed.connect(lambda _busy: None)
    before = sys.getrefcount(True) + sys.getrefcount(False)
    for _ in range(5_000):
        worker.sig_busy_changed.emit(True)
    # Generous margin: other threads (the sandbox) use the bools too.
    assert sys.getrefcount(True) + sys.getrefcount(False) >= before - 100


def test_a_deleted_controller_is_not_signalled(qtbot: QtBot, loop: Any) -> None:
    import shiboken6

    worker = Worker()
    gate = asyncio.Event()
    task = worker.run("a", gate)
    shiboken6.delete(worker)  # e.g. its window was destroyed with the task still running
    gate.set()
    qtbot.waitUntil(task.done, timeout=5_000)
    assert task.exception() is None


def test_garbage_collector_runs_on_the_gui_thread(qtbot: QtBot, qapp: Any) -> None:
    import gc

    from sfdesk.ui.gc_guard import MainThreadGarbageCollector

    was_enabled = gc.isenabled()
    collector = MainThreadGarbageCollector(interval_ms=10)
    collector.start()
    try:
        assert not gc.isenabled()
        for _ in range(2_000):  # enough container allocations to pass generation 0's threshold
            cycle: list[Any] = []
            cycle.append(cycle)
        qtbot.waitUntil(lambda: gc.get_count()[0] < gc.get_threshold()[0], timeout=5_000)
    finally:
        collector.stop()
    assert gc.isenabled() == was_enabled
