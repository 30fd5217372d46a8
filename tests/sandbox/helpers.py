"""Small helpers for the sandbox tests: polling with a deadline and SSE parsing."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from sfdesk.sandbox import SandboxServer


def wait_until(condition: Callable[[], Any], *, within: float = 2.0, every: float = 0.002) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within} s")
        time.sleep(every)


def data_lines(text: str) -> list[str]:
    """The payloads of an SSE body's ``data:`` lines, checking the framing on the way."""
    assert text.endswith("\n\n"), "every event ends with a blank line"
    events = text[:-2].split("\n\n")
    payloads = []
    for event in events:
        assert event.startswith("data: ") and "\n" not in event, repr(event[:80])
        payloads.append(event[len("data: ") :])
    return payloads


def chunks(text: str) -> list[dict[str, Any]]:
    """The JSON chunks of a complete stream (which must end with ``[DONE]``)."""
    payloads = data_lines(text)
    assert payloads[-1] == "[DONE]"
    return [json.loads(p) for p in payloads[:-1]]


def log_for(srv: SandboxServer, path: str) -> list[dict[str, Any]]:
    return [e for e in srv.requests() if e["path"] == path]
