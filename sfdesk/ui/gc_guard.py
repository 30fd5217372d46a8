"""Run Python's cyclic garbage collector on the GUI thread only.

Other threads run Python too (the sandbox server, the executor threads asyncio uses for DNS
lookups). When the cyclic collector happens to start in one of them, it may finalise Qt objects
caught in reference cycles *on that thread*: Qt then tears down timers and notifiers of the GUI
thread from the wrong thread, and the app crashes later in a way no traceback explains. So the
automatic collector is switched off and this object runs it from a timer on the GUI thread,
with the same generation thresholds Python would use.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


class MainThreadGarbageCollector(QObject):
    """Collects cycles every ``interval_ms`` on the thread that owns it (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect once more and give the collector back to Python."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def _on_timer_timeout(self) -> None:
        # The same policy as CPython's own: collect a generation once its count passes its
        # threshold, the older generations only when they are due as well.
        counts = gc.get_count()
        generation = -1
        for level in range(3):
            if counts[level] > self._thresholds[level]:
                generation = level
        if generation >= 0:
            gc.collect(generation)
