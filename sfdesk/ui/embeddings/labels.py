"""Short labels for texts on axes, maps and lists, and the numbers that identify texts.

A text is identified everywhere in the panel by its number (1-based position in the set), so a
heatmap axis, a map point and a ranking row can be matched up even when the labels are cut short.
Width is counted the way a screen shows it: a CJK character takes the room of two latin ones.
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def elide(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, with an ellipsis when cut."""
    if display_width(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        step = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + step > width - 1:
            break
        out.append(char)
        used += step
    return "".join(out).rstrip() + ELLIPSIS


def numbered(index: int, text: str, width: int) -> str:
    """``"3 · She was happy…"``: the text's number and its start."""
    return f"{index + 1} · {elide(text, width)}"
