"""Transcript exports: timestamps, plain text, and SRT that a SubRip reader gets back exactly."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfdesk.core.transcript import TranscriptSegment, format_timestamp, to_srt, to_text

_TIME = re.compile(r"^(\d{2,}):(\d{2}):(\d{2}),(\d{3}) --> (\d{2,}):(\d{2}):(\d{2}),(\d{3})$")


def parse_srt(document: str) -> list[tuple[int, float, float, str]]:
    """A strict SubRip reader: cues separated by blank lines, each a number, a time line and
    text lines."""
    cues = []
    for block in document.split("\n\n"):
        if not block.strip():
            continue
        number, times, *text = block.strip("\n").split("\n")
        match = _TIME.match(times)
        assert match, times
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(g) for g in match.groups())
        start = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000
        end = h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
        cues.append((int(number), start, end, "\n".join(text)))
    return cues


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.0, "00:00:00,000"),
        (1.5, "00:00:01,500"),
        (59.9995, "00:01:00,000"),  # rounding carries into the minutes
        (3661.042, "01:01:01,042"),
        (360000.0, "100:00:00,000"),  # past 99 hours the field just grows
        (-3.0, "00:00:00,000"),
        (math.nan, "00:00:00,000"),
    ],
)
def test_format_timestamp(seconds: float, expected: str) -> None:
    assert format_timestamp(seconds) == expected


def test_webvtt_separator() -> None:
    assert format_timestamp(61.25, separator=".") == "00:01:01.250"


def test_to_text_skips_empty_pieces_and_puts_one_per_line() -> None:
    segments = [
        TranscriptSegment(0.0, 3.0, " 你好，世界。 "),
        TranscriptSegment(3.0, 6.0, ""),
        TranscriptSegment(6.0, 9.0, "   "),
        TranscriptSegment(9.0, 12.0, "Second line."),
    ]
    assert to_text(segments) == "你好，世界。\nSecond line."
    assert to_text(segments, separator=" ") == "你好，世界。 Second line."
    assert to_text([]) == ""


def test_srt_layout_exactly() -> None:
    segments = [
        TranscriptSegment(0.0, 3.2, "Hello there."),
        TranscriptSegment(3.2, 5.0, "  "),
        TranscriptSegment(5.0, 4.0, "End before start\r\nis clamped."),
        TranscriptSegment(3600.0, 3630.5, "一小时后。\n\n\n新的一行"),
    ]
    assert to_srt(segments) == (
        "1\n00:00:00,000 --> 00:00:03,200\nHello there.\n"
        "\n"
        "2\n00:00:05,000 --> 00:00:05,000\nEnd before start\nis clamped.\n"
        "\n"
        "3\n01:00:00,000 --> 01:00:30,500\n一小时后。\n新的一行\n"
    )
    assert to_srt([]) == ""


def test_a_long_cue_is_kept_whole() -> None:
    text = "很长的一句话，" * 500
    (cue,) = parse_srt(to_srt([TranscriptSegment(0, 30, text)]))
    assert cue[3] == text.strip()


_texts = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from(["\n", "\r\n", "\n\n", "\r", " \t\n"]),
    max_size=40,
).map("".join)
_times = st.floats(0, 400_000, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(_times, _times, _texts), max_size=12))
def test_srt_reads_back_as_written(pieces: list[tuple[float, float, str]]) -> None:
    segments = [TranscriptSegment(a, a + abs(b - a), text) for a, b, text in pieces]
    kept = [s for s in segments if s.text.strip()]
    cues = parse_srt(to_srt(segments))
    assert [number for number, *_ in cues] == list(range(1, len(kept) + 1))
    for (_, start, end, text), segment in zip(cues, kept, strict=True):
        assert start == pytest.approx(segment.start, abs=0.0005 + 1e-9)
        assert end == pytest.approx(segment.end, abs=0.0005 + 1e-9)
        assert start <= end
        assert text  # never an empty cue
        assert "\n\n" not in text
        # Only line breaks and blank lines may differ from the original.
        assert text.split() == segment.text.split()
