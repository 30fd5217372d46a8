"""Fault injection: the fault grammar and the per-path FIFO of queued faults.

A fault arrives in an ``X-Sandbox-Fault`` header or is queued through ``POST /sandbox/faults``
(design.md §4). Grammar: ``name[:k=v,...]`` or ``name:N`` —

* ``400`` ``403`` ``404`` ``413`` ``429`` ``451`` ``500`` ``502`` ``503`` ``504``: answer with that
  status and its real body; ``429:retry-after=1`` / ``429:retry-after-ms=200`` add the header.
* ``slow-first-byte:S``: wait S seconds before the status line, then answer normally.
* streaming only: ``stall:S@N`` (pause S s after N frames), ``drop-after:N`` (abort the connection),
  ``truncate-after:N`` (clean end, no finish), ``corrupt-after:N`` (half a JSON frame),
  ``error-frame-after:N`` (a 50505 error object as a frame). N counts ``data:`` frames, first
  (role) chunk included.

Status faults queued for ``/files/outputs`` fail image downloads from the file host (with an
OSS-style XML body); the file host ignores ``*`` faults and the header.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from enum import Enum

from .errors import FAULT_STATUSES

ANY_PATH = "*"


class FaultError(ValueError):
    """The fault text does not follow the grammar."""


class FaultKind(Enum):
    STATUS = "status"
    SLOW_FIRST_BYTE = "slow-first-byte"
    STALL = "stall"
    DROP = "drop-after"
    TRUNCATE = "truncate-after"
    CORRUPT = "corrupt-after"
    ERROR_FRAME = "error-frame-after"


STREAM_KINDS = frozenset(
    {FaultKind.STALL, FaultKind.DROP, FaultKind.TRUNCATE, FaultKind.CORRUPT, FaultKind.ERROR_FRAME}
)


@dataclass(frozen=True, slots=True)
class Fault:
    spec: str  # the text it was parsed from, recorded in the request log
    kind: FaultKind
    status: int = 0
    seconds: float = 0.0
    frames: int = 0
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def streaming(self) -> bool:
        return self.kind in STREAM_KINDS


def _seconds(text: str, spec: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultError(f"{spec!r}: {text!r} is not a number of seconds") from None
    if not 0 <= value <= 3600:
        raise FaultError(f"{spec!r}: seconds must be within 0..3600")
    return value


def _frames(text: str, spec: str) -> int:
    if not text.isdigit():
        raise FaultError(f"{spec!r}: {text!r} is not a frame count")
    return int(text)


def parse_fault(text: str) -> Fault:
    spec = text.strip()
    name, _, arg = spec.partition(":")
    name = name.strip().lower()
    arg = arg.strip()
    if name.isdigit():
        status = int(name)
        if status not in FAULT_STATUSES:
            raise FaultError(f"{spec!r}: no canned body for HTTP {status}")
        headers: list[tuple[str, str]] = []
        for item in filter(None, (part.strip() for part in arg.split(","))):
            key, eq, value = item.partition("=")
            key = key.strip().lower()
            if status != 429 or not eq or key not in ("retry-after", "retry-after-ms"):
                raise FaultError(f"{spec!r}: unknown option {item!r}")
            if not value.strip().isdigit():
                raise FaultError(f"{spec!r}: {key} needs a whole number")
            headers.append((key, value.strip()))
        return Fault(spec, FaultKind.STATUS, status=status, headers=tuple(headers))
    try:
        kind = FaultKind(name)
    except ValueError:
        raise FaultError(f"unknown fault {name!r}") from None
    if kind is FaultKind.STATUS:
        raise FaultError(f"unknown fault {name!r}")
    if kind is FaultKind.SLOW_FIRST_BYTE:
        return Fault(spec, kind, seconds=_seconds(arg, spec))
    if kind is FaultKind.STALL:
        seconds, at, after = arg.partition("@")
        return Fault(
            spec, kind, seconds=_seconds(seconds, spec), frames=_frames(after, spec) if at else 1
        )
    return Fault(spec, kind, frames=_frames(arg, spec) if arg else 1)


@dataclass(slots=True)
class _Queued:
    fault: Fault
    remaining: int


class FaultQueue:
    """Queued faults, FIFO per path; each use of an entry decrements its count. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[_Queued]] = {}

    def push(self, path: str, fault: Fault, count: int = 1) -> None:
        if count < 1:
            raise FaultError("count must be at least 1")
        with self._lock:
            self._queues.setdefault(path, deque()).append(_Queued(fault, count))

    def take(self, path: str, *, any_path: bool = True) -> Fault | None:
        """The next fault for ``path``: its own queue first, then (``any_path``) the ``*`` one."""
        with self._lock:
            for key in (path, ANY_PATH) if any_path else (path,):
                queue = self._queues.get(key)
                if not queue:
                    continue
                entry = queue[0]
                entry.remaining -= 1
                if entry.remaining <= 0:
                    queue.popleft()
                return entry.fault
        return None

    def pending(self) -> list[dict[str, object]]:
        with self._lock:
            return [
                {"path": path, "fault": entry.fault.spec, "count": entry.remaining}
                for path, queue in self._queues.items()
                for entry in queue
            ]

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()
