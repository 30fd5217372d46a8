"""A transcript made of timed pieces, and its plain-text and SubRip (SRT) forms.

The endpoint returns only text (siliconflow-api.md §7: no timestamps), so the Microphone panel
times each piece itself: one :class:`TranscriptSegment` per uploaded chunk, spanning the chunk's
place in the recording (:class:`sfdesk.core.vad.Segment`). This module owns that record and the
two exports; it knows nothing of audio or storage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

_BLANK_LINES: Final = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


@dataclass(frozen=True, slots=True)
class TranscriptSegment:
    """The text of seconds ``[start, end)`` of a recording."""

    start: float
    end: float
    text: str


def format_timestamp(seconds: float, *, separator: str = ",") -> str:
    """``HH:MM:SS,mmm`` (SRT; WebVTT uses ``separator="."``), rounded to the millisecond.

    Negative or non-finite times become 0; hours go past 99 rather than wrapping.
    """
    if not math.isfinite(seconds) or seconds < 0:
        seconds = 0.0
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_text(segments: Iterable[TranscriptSegment], *, separator: str = "\n") -> str:
    """The texts in order, one piece per line by default, empty pieces left out.

    A line per chunk rather than spaces: chunks end at pauses, so they read as sentences, and a
    space would be wrong between two Chinese pieces.
    """
    return separator.join(text for text in (s.text.strip() for s in segments) if text)


def to_srt(segments: Iterable[TranscriptSegment]) -> str:
    """A SubRip file: numbered cues ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` with their text,
    separated by blank lines. Empty pieces make no cue (numbering stays consecutive); blank lines
    inside a text are closed up, since in SRT a blank line ends the cue."""
    cues: list[str] = []
    for segment in segments:
        text = _cue_text(segment.text)
        if not text:
            continue
        end = max(segment.end, segment.start)
        cues.append(
            f"{len(cues) + 1}\n"
            f"{format_timestamp(segment.start)} --> {format_timestamp(end)}\n"
            f"{text}\n"
        )
    return "\n".join(cues)


def _cue_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return _BLANK_LINES.sub("\n", text)
