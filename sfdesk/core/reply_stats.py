"""Per-reply timing statistics: time to first token, thinking time, tokens per second.

Fed by the chat controller as a streamed answer arrives; Qt-free and clock-injectable so the
arithmetic is tested without waiting. Token counts come from the server's cumulative usage when
it reports one (exact), else from the number of deltas seen (one token each on SiliconFlow).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ReplyStats:
    ttft_ms: float | None  # request sent → first token (reasoning or answer)
    thinking_ms: float | None  # first reasoning token → first answer token
    duration_ms: float  # request sent → end
    tokens_per_s: float | None  # completion tokens over the generation time (after first token)
    completion_tokens: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ReplyTimer:
    """Stamps the moments of one streamed reply and turns them into :class:`ReplyStats`."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._started = clock()
        self._first_token: float | None = None
        self._first_reasoning: float | None = None
        self._first_content: float | None = None
        self._deltas = 0

    def on_delta(self, *, content: bool, reasoning: bool) -> None:
        now = self._clock()
        self._deltas += 1
        if self._first_token is None:
            self._first_token = now
        if reasoning and self._first_reasoning is None:
            self._first_reasoning = now
        if content and self._first_content is None:
            self._first_content = now

    def stats(self, completion_tokens: int | None = None) -> ReplyStats:
        end = self._clock()
        tokens = completion_tokens if completion_tokens is not None else self._deltas
        ttft = _ms(self._started, self._first_token)
        thinking = (
            _ms(self._first_reasoning, self._first_content or end)
            if self._first_reasoning is not None
            else None
        )
        rate = None
        if self._first_token is not None and end > self._first_token and tokens > 1:
            # The first token's latency is the TTFT; the rate is of the tokens after it.
            rate = (tokens - 1) / (end - self._first_token)
        return ReplyStats(
            ttft_ms=ttft,
            thinking_ms=thinking,
            duration_ms=(end - self._started) * 1000.0,
            tokens_per_s=rate,
            completion_tokens=tokens,
        )


def _ms(start: float | None, end: float | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start) * 1000.0
