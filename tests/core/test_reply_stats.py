"""Reply statistics arithmetic, with a fake clock (no waiting)."""

from __future__ import annotations

import pytest

from sfdesk.core.reply_stats import ReplyTimer


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_thinking_reply_reports_ttft_thinking_time_and_rate() -> None:
    clock = FakeClock()
    timer = ReplyTimer(clock)
    clock.now = 100.5  # first reasoning token after 500 ms
    timer.on_delta(content=False, reasoning=True)
    clock.now = 102.5  # thinking lasted 2 s
    timer.on_delta(content=True, reasoning=False)
    clock.now = 105.5
    stats = timer.stats(completion_tokens=51)
    assert stats.ttft_ms == pytest.approx(500)
    assert stats.thinking_ms == pytest.approx(2000)
    assert stats.duration_ms == pytest.approx(5500)
    assert stats.tokens_per_s == pytest.approx(50 / 5.0)  # 50 tokens after the first, in 5 s
    assert stats.completion_tokens == 51


def test_plain_reply_has_no_thinking_time_and_counts_deltas_without_usage() -> None:
    clock = FakeClock()
    timer = ReplyTimer(clock)
    for step in range(1, 5):
        clock.now = 100 + step * 0.1
        timer.on_delta(content=True, reasoning=False)
    stats = timer.stats()
    assert stats.thinking_ms is None
    assert stats.completion_tokens == 4
    assert stats.tokens_per_s == pytest.approx(3 / 0.3)


def test_no_tokens_means_no_ttft_and_no_rate() -> None:
    clock = FakeClock()
    timer = ReplyTimer(clock)
    clock.now = 101
    stats = timer.stats()
    assert stats.ttft_ms is None and stats.tokens_per_s is None
    assert stats.duration_ms == pytest.approx(1000)
    assert set(stats.as_dict()) == {
        "ttft_ms",
        "thinking_ms",
        "duration_ms",
        "tokens_per_s",
        "completion_tokens",
    }
