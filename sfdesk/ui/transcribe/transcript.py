"""The Microphone panel's transcript editor (``asr.transcript``).

This module owns how a transcript of timed pieces is shown and edited: one paragraph per piece,
``[MM:SS] text`` (``[H:MM:SS]`` past an hour), appended as pieces arrive while the user may be
reading or correcting earlier ones, and parsed back into :class:`TranscriptSegment` s so the
user's corrections are what gets copied, saved and exported. The stamps are the only timing the
user can see, so they are what the parse trusts; the exact times of the pieces this view was given
are kept aside and restored for every stamp the user left alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from sfdesk.core.transcript import TranscriptSegment, to_text

#: A piece whose end is unknown (a line stamped by hand, the last one) lasts this long.
DEFAULT_DURATION: Final = 2.0

# "[MM:SS]" or "[H:MM:SS]" at the start of a line, then at most one separating space.
_STAMP: Final = re.compile(
    r"^[ \t]*\[(?:(?P<hours>\d+):(?P<minutes_h>[0-5]\d)|(?P<minutes>\d+)):(?P<seconds>[0-5]\d)\]"
    r"[ \t]?"
)


def format_stamp(seconds: float) -> str:
    """``[MM:SS]`` below an hour, ``[H:MM:SS]`` from an hour on; whole seconds, rounded down
    (a piece is stamped with the second it starts in)."""
    total = _stamp_second(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"[{hours}:{minutes:02d}:{secs:02d}]"
    return f"[{minutes:02d}:{secs:02d}]"


def _stamp_second(seconds: float) -> int:
    if not math.isfinite(seconds) or seconds < 0:
        return 0
    return int(seconds)


def _line_for(segment: TranscriptSegment) -> str:
    return f"{format_stamp(segment.start)} {segment.text.strip()}"


class TranscriptView(QPlainTextEdit):
    """An editable transcript; ``sig_edited`` when the user (not the program) changes it."""

    sig_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("asr.transcript")
        # The pieces this view was given, by the whole second their stamp shows (several pieces
        # can start within one second), so an untouched stamp gets its exact times back.
        self._originals: dict[int, list[TranscriptSegment]] = {}
        self._programmatic = False
        self.document().contentsChange.connect(self._on_document_contents_change)
        self._retranslate()

    # -- filling -------------------------------------------------------------------------------

    def append_segment(self, segment: TranscriptSegment) -> None:
        """Add a piece as the last paragraph, leaving the user's cursor, selection and scroll
        alone (the view follows new text only when it was already scrolled to the bottom).

        A piece with no text adds nothing: it would show as a bare stamp.
        """
        if not segment.text.strip():
            return
        self._remember(segment)
        bar = self.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum()
        scroll = (bar.value(), self.horizontalScrollBar().value())
        user = self.textCursor()
        anchor, position = user.anchor(), user.position()
        document = self.document()
        was_empty = document.isEmpty()
        # A cursor of our own at the end: inserting through it costs the new text only, and the
        # user's cursor (a different one) is not where the typing happens.
        cursor = QTextCursor(document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self._programmatic = True
        try:
            # One edit block per piece: an undo step of its own, never merged with the user's
            # typing at the end of the last line.
            cursor.beginEditBlock()
            if not was_empty:
                cursor.insertBlock()
            cursor.insertText(_line_for(segment))
            cursor.endEditBlock()
        finally:
            self._programmatic = False
        # Qt moves a cursor that sits exactly where text is inserted; put the user's back, unless
        # the view was empty (there was no place of theirs to keep, and the start of the first
        # line would have them typing in front of its stamp).
        moved = self.textCursor()
        if not was_empty and (moved.anchor(), moved.position()) != (anchor, position):
            restored = QTextCursor(document)
            restored.setPosition(anchor)
            restored.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(restored)  # this scrolls to the cursor: the scroll is reset below
        if at_bottom:
            bar.setValue(bar.maximum())
        else:
            bar.setValue(scroll[0])
        self.horizontalScrollBar().setValue(scroll[1])

    def set_segments(self, segments: Sequence[TranscriptSegment]) -> None:
        """Show these pieces instead (e.g. a saved transcript); the undo history starts afresh."""
        self._originals = {}
        lines: list[str] = []
        for segment in segments:
            if segment.text.strip():
                self._remember(segment)
                lines.append(_line_for(segment))
        self._programmatic = True
        try:
            self.setPlainText("\n".join(lines))
        finally:
            self._programmatic = False

    def set_edited_text(self, text: str, segments: Sequence[TranscriptSegment]) -> None:
        """Show a transcript the user edited earlier (its stamped text, as it was shown), timed
        by the pieces as they were transcribed: stamps left alone get their exact times back."""
        self._originals = {}
        for segment in segments:
            self._remember(segment)
        self._programmatic = True
        try:
            self.setPlainText(text)
        finally:
            self._programmatic = False

    def clear_transcript(self) -> None:
        self._originals = {}
        self._programmatic = True
        try:
            self.clear()
        finally:
            self._programmatic = False

    def _remember(self, segment: TranscriptSegment) -> None:
        self._originals.setdefault(_stamp_second(segment.start), []).append(segment)

    # -- reading back --------------------------------------------------------------------------

    def segments(self) -> list[TranscriptSegment]:
        """The transcript as it reads now, user's edits included.

        A line starting with a stamp starts a piece at that time; lines without one continue the
        piece above (text before the first stamp is a piece at 0). A piece whose stamp matches
        one this view was given keeps that piece's exact start and end; any other ends where the
        next begins, or ``DEFAULT_DURATION`` later if it is the last (or the next starts
        earlier). Pieces left without text are dropped: clearing a line deletes its piece.
        """
        # (stamped second or None for the text above the first stamp, lines of text)
        pieces: list[tuple[int | None, list[str]]] = []
        for line in self.toPlainText().split("\n"):
            match = _STAMP.match(line)
            if match is None:
                if not pieces:
                    pieces.append((None, []))
                pieces[-1][1].append(line)
                continue
            hours = int(match["hours"] or 0)
            minutes = int(match["minutes_h"] or match["minutes"])
            stamp = hours * 3600 + minutes * 60 + int(match["seconds"])
            pieces.append((stamp, [line[match.end() :]]))

        used: dict[int, int] = {}
        timed: list[tuple[float, float | None, str]] = []  # (start, known end, text)
        for second, lines in pieces:
            start, end = 0.0, None
            if second is not None:
                start = float(second)
                # Matched in document order, so a second holding two pieces gives each its own.
                candidates = self._originals.get(second, [])
                nth = used.get(second, 0)
                if nth < len(candidates):
                    used[second] = nth + 1
                    start, end = candidates[nth].start, candidates[nth].end
            text = "\n".join(lines).strip()
            if text:
                timed.append((start, end, text))

        result: list[TranscriptSegment] = []
        for index, (start, end, text) in enumerate(timed):
            if end is None:
                following = timed[index + 1][0] if index + 1 < len(timed) else None
                if following is not None and following > start:
                    end = following
                else:
                    end = start + DEFAULT_DURATION
            result.append(TranscriptSegment(start, end, text))
        return result

    def plain_text(self) -> str:
        """The text without stamps, one piece per line (for Copy and Send to chat)."""
        return to_text(self.segments())

    # -- signals and language ------------------------------------------------------------------

    def _on_document_contents_change(self, position: int, removed: int, added: int) -> None:
        del position
        if not self._programmatic and (removed or added):
            self.sig_edited.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setPlaceholderText(
            self.tr("The transcript appears here as you speak. You can edit it.")
        )
        self.setAccessibleName(self.tr("Transcript"))
