"""Separate ``<think>…</think>`` reasoning that some models put inside ``content``.

Most SiliconFlow thinking models stream their reasoning in ``reasoning_content``, but some (and
R1 before 2025-02) open ``content`` with a ``<think>`` block instead. Users expect both to look the
same, so the client routes such a block to ``reasoning``.

Only a block at the very start of the answer counts: a model that *talks about* ``<think>`` tags
later in its answer must not have its text swallowed. Tags may be split across stream chunks in any
way; the splitter holds back just enough text to decide, so the result never depends on how the
bytes were chunked.
"""

from __future__ import annotations

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"

_START, _THINK, _CONTENT = "start", "think", "content"


class ThinkSplitter:
    """Feed content fragments in order; get ``(content, reasoning)`` pieces back."""

    __slots__ = ("_held", "_state", "_strip_leading")

    def __init__(self) -> None:
        self._state = _START
        self._held = ""
        # After </think> models emit blank lines before the answer; they belong to neither part.
        self._strip_leading = False

    def feed(self, text: str) -> tuple[str, str]:
        if self._state == _CONTENT and not self._strip_leading:
            return text, ""  # the hot path once the answer has begun
        content: list[str] = []
        reasoning: list[str] = []
        self._consume(self._held + text, content, reasoning)
        return "".join(content), "".join(reasoning)

    def flush(self) -> tuple[str, str]:
        """End of stream: release held text where it belongs (an unclosed block stays reasoning)."""
        held, self._held = self._held, ""
        if self._state == _THINK:
            return "", held
        return held, ""

    def _consume(self, text: str, content: list[str], reasoning: list[str]) -> None:
        self._held = ""
        while text:
            if self._state == _START:
                stripped = text.lstrip()
                if stripped.startswith(OPEN_TAG):
                    self._state = _THINK
                    text = stripped[len(OPEN_TAG) :]
                    continue
                if OPEN_TAG.startswith(stripped):  # whitespace or a partial "<thi": wait
                    self._held = text
                    return
                self._state = _CONTENT
                continue
            if self._state == _THINK:
                end = text.find(CLOSE_TAG)
                if end >= 0:
                    reasoning.append(text[:end])
                    text = text[end + len(CLOSE_TAG) :]
                    self._state = _CONTENT
                    self._strip_leading = True
                    continue
                keep = _partial_suffix(text, CLOSE_TAG)
                reasoning.append(text[: len(text) - keep])
                self._held = text[len(text) - keep :]
                return
            # _CONTENT
            if self._strip_leading:
                text = text.lstrip()
                if not text:
                    return
                self._strip_leading = False
            content.append(text)
            return


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of ``tag``."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0
