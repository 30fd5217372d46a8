"""Shared, thread-safe sandbox state: settings, the request log, queued faults, stored images.

The server runs on its own thread; tests and the app read and change this state from theirs, so
every mutable piece here is guarded by a lock and handed out as copies.
"""

from __future__ import annotations

import copy
import threading
from collections import deque
from dataclasses import dataclass, fields, replace
from typing import Any

from .faults import FaultQueue
from .images import ImageStore

LOG_SIZE = 500


class ConfigError(ValueError):
    """A setting name or value the sandbox does not accept."""


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    tokens_per_second: float = 0.0  # 0 = unthrottled
    image_ttl_seconds: float = 3600.0

    def updated(self, **changes: object) -> SandboxConfig:
        known = {f.name for f in fields(self)}
        values: dict[str, float] = {}
        for name, value in changes.items():
            if name not in known:
                raise ConfigError(f"unknown setting {name!r}")
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ConfigError(f"{name} must be a number >= 0")
            values[name] = float(value)
        return replace(self, **values)


class RequestLog:
    """The last :data:`LOG_SIZE` requests, oldest first. Entries are plain JSON-able dicts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)

    def add(self, entry: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._entries.append(entry)
        return entry

    def update(self, entry: dict[str, Any], **values: Any) -> None:
        with self._lock:
            entry.update(values)

    def add_frames(self, entry: dict[str, Any], count: int) -> None:
        with self._lock:
            entry["frames_sent"] += count

    def snapshot(self) -> list[dict[str, Any]]:
        # Shallow copies are enough: the server never mutates a stored body or file record after
        # storing it, and deep-copying 500 bodies on every poll would make polling slow.
        with self._lock:
            return [copy.copy(entry) for entry in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class SandboxState:
    """Everything one sandbox server remembers."""

    def __init__(self, config: SandboxConfig) -> None:
        self._lock = threading.Lock()
        self._defaults = config
        self._config = config
        self.log = RequestLog()
        self.faults = FaultQueue()
        self.images = ImageStore()
        #: Keys accepted besides the built-in ones (key -> the account it stands for).
        self.extra_keys: dict[str, str] = {}
        #: Chat replies to give next, in order: (content, reasoning).
        self.scripted: deque[tuple[str, str]] = deque()

    @property
    def config(self) -> SandboxConfig:
        with self._lock:
            return self._config

    def configure(self, **changes: object) -> SandboxConfig:
        with self._lock:
            self._config = self._config.updated(**changes)
            return self._config

    def reset(self) -> None:
        """Faults, log and settings back to how the server started (stored images stay)."""
        self.faults.clear()
        self.log.clear()
        self.scripted.clear()
        self.extra_keys.clear()
        with self._lock:
            self._config = self._defaults
