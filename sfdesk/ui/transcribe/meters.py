"""The Microphone panel's live audio displays: the input level meter (``asr.level``) and the
scrolling waveform (``asr.waveform``).

This module owns how a level and an envelope are drawn and the little state a meter needs
between readings (peak hold, clip indication). It computes no audio itself: the controller feeds
it what :mod:`sfdesk.core.audio_levels` computes (``Level``, ``EnvelopeStream``) on the GUI
thread. Both widgets only call ``update()`` when fed, so Qt coalesces a burst of readings into one
repaint, and neither runs a timer: the meter's hold and clip states advance with the times the
readings carry, which also lets tests drive them without sleeping.
"""

from __future__ import annotations

import math
import time
from typing import Final

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from sfdesk.core.audio_levels import FLOOR_DBFS

#: The meter's scale. Speech sits around -30…-12 dBFS; below -60 nothing is worth showing.
METER_MIN_DBFS: Final = -60.0
METER_MAX_DBFS: Final = 0.0
#: Up to here the level is comfortable (green); up to ``YELLOW_MAX_DBFS`` it is hot (yellow);
#: above, it is about to clip (red).
GREEN_MAX_DBFS: Final = -12.0
YELLOW_MAX_DBFS: Final = -3.0
#: A peak this close to full scale counts as clipping: int16 full scale is -0.0003 dBFS, and a
#: resampling or gain stage before us may have shaved a little off a clipped wave.
CLIP_DBFS: Final = -0.1
#: How long a peak stays put before it falls, how fast it falls, and how long the clip light
#: stays on: long enough to be seen at a glance, short enough to show the gain was fixed.
PEAK_HOLD_SECONDS: Final = 1.5
PEAK_FALL_DB_PER_SECOND: Final = 20.0
CLIP_HOLD_SECONDS: Final = 1.5
#: The clip light sits at the right end of the meter, apart from the bar.
LED_WIDTH: Final = 8
LED_GAP: Final = 3
PEAK_TICK_WIDTH: Final = 2

# Fixed signal colours: green/yellow/red mean the same on a light and a dark background, and
# these three stay distinguishable on both.
GREEN: Final = QColor("#2ea043")
YELLOW: Final = QColor("#e3b341")
RED: Final = QColor("#e5484d")

_ZONES: Final = (
    (METER_MIN_DBFS, GREEN_MAX_DBFS, GREEN),
    (GREEN_MAX_DBFS, YELLOW_MAX_DBFS, YELLOW),
    (YELLOW_MAX_DBFS, METER_MAX_DBFS, RED),
)

FloatArray = npt.NDArray[np.float32]


def _clean_dbfs(value: float) -> float:
    """A level within [FLOOR_DBFS, 0]: NaN and -inf are silence, +inf is full scale."""
    if math.isnan(value):
        return FLOOR_DBFS
    return min(METER_MAX_DBFS, max(FLOOR_DBFS, value))


def zone_colour(dbfs: float) -> QColor:
    """The colour of the meter's scale at ``dbfs``."""
    if dbfs <= GREEN_MAX_DBFS:
        return GREEN
    if dbfs <= YELLOW_MAX_DBFS:
        return YELLOW
    return RED


class LevelMeter(QWidget):
    """A horizontal input level bar: RMS as the bar, a falling peak-hold tick, a clip light."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("asr.level")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._rms = FLOOR_DBFS
        self._hold_value = FLOOR_DBFS
        self._hold_since = -math.inf
        self._clip_since = -math.inf
        self._now = 0.0
        self._description_key: tuple[int, int, bool] | None = None
        self._retranslate()

    # -- state ---------------------------------------------------------------------------------

    @property
    def rms_dbfs(self) -> float:
        return self._rms

    @property
    def peak_hold_dbfs(self) -> float:
        """The held peak as of the latest reading (falling once the hold time has passed)."""
        return self._held_at(self._now)

    @property
    def clipped(self) -> bool:
        """Whether a reading clipped within the last ``CLIP_HOLD_SECONDS`` (as of the latest)."""
        return self._now - self._clip_since <= CLIP_HOLD_SECONDS

    def set_level(self, rms_dbfs: float, peak_dbfs: float, *, now: float | None = None) -> None:
        """Show a reading; ``now`` is its ``time.monotonic()`` time (taken here when omitted)."""
        now = time.monotonic() if now is None else now
        self._now = now
        self._rms = _clean_dbfs(rms_dbfs)
        peak = max(_clean_dbfs(peak_dbfs), self._rms)
        if peak >= self._held_at(now):
            self._hold_value = peak
            self._hold_since = now
        if peak >= CLIP_DBFS:
            self._clip_since = now
        self._update_description()
        self.update()

    def reset(self) -> None:
        """Back to silence, with no held peak and the clip light off (e.g. when recording stops)."""
        self._rms = FLOOR_DBFS
        self._hold_value = FLOOR_DBFS
        self._hold_since = -math.inf
        self._clip_since = -math.inf
        self._update_description()
        self.update()

    def _held_at(self, now: float) -> float:
        falling_for = now - self._hold_since - PEAK_HOLD_SECONDS
        if falling_for <= 0:
            return self._hold_value
        return max(FLOOR_DBFS, self._hold_value - PEAK_FALL_DB_PER_SECOND * falling_for)

    # -- geometry and drawing ------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(240, 16)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, 8)

    def _bar_rect(self) -> QRectF:
        width = max(1.0, float(self.width() - LED_WIDTH - LED_GAP))
        return QRectF(0.0, 0.0, width, float(self.height()))

    def _x_of(self, dbfs: float, bar: QRectF) -> float:
        clamped = min(METER_MAX_DBFS, max(METER_MIN_DBFS, dbfs))
        fraction = (clamped - METER_MIN_DBFS) / (METER_MAX_DBFS - METER_MIN_DBFS)
        return bar.left() + fraction * bar.width()

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        palette = self.palette()
        track = palette.color(QPalette.ColorRole.Base)
        frame = palette.color(QPalette.ColorRole.Mid)
        bar = self._bar_rect()
        led = QRectF(bar.right() + LED_GAP, 0.0, float(LED_WIDTH), bar.height())
        painter = QPainter(self)
        try:
            painter.fillRect(bar, track)
            # The bar is lit zone by zone, so its colour at a place says how loud that place is.
            level_x = self._x_of(self._rms, bar)
            for low, high, colour in _ZONES:
                left = self._x_of(low, bar)
                right = min(self._x_of(high, bar), level_x)
                if right > left:
                    painter.fillRect(QRectF(left, bar.top(), right - left, bar.height()), colour)
            # Faint marks where the zones meet give the unlit track a scale.
            painter.setPen(frame)
            for mark in (GREEN_MAX_DBFS, YELLOW_MAX_DBFS):
                mark_x = round(self._x_of(mark, bar))
                painter.drawLine(mark_x, 0, mark_x, max(0, round(bar.height() / 4)))
            held = self.peak_hold_dbfs
            if held > METER_MIN_DBFS:
                tick_x = min(self._x_of(held, bar), bar.right() - PEAK_TICK_WIDTH)
                painter.fillRect(
                    QRectF(tick_x, bar.top(), PEAK_TICK_WIDTH, bar.height()), zone_colour(held)
                )
            painter.fillRect(led, RED if self.clipped else track)
            painter.setPen(frame)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(bar.adjusted(0, 0, -1, -1))
            painter.drawRect(led.adjusted(0, 0, -1, -1))
        finally:
            painter.end()

    # -- language ------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Input level"))
        self._description_key = None
        self._update_description()

    def _update_description(self) -> None:
        # Whole decibels: the description changes a few times a second at most, not per reading,
        # so screen readers are not flooded with accessibility events.
        key = (round(self._rms), round(self.peak_hold_dbfs), self.clipped)
        if key == self._description_key:
            return
        self._description_key = key
        rms, peak, clipped = key
        if rms <= METER_MIN_DBFS and not clipped:
            text = self.tr("Silent")
        elif clipped:
            text = self.tr("Level %1 dBFS, peak %2 dBFS. Clipping: turn the input volume down.")
        else:
            text = self.tr("Level %1 dBFS, peak %2 dBFS")
        self.setAccessibleDescription(text.replace("%1", str(rms)).replace("%2", str(peak)))


class WaveformView(QWidget):
    """The last ``seconds`` of audio as a min/max envelope, newest at the right edge.

    Buckets live in a fixed-size ring buffer, so a push costs only the new buckets however long
    the recording; painting reads at most one column per pixel and never more than the window's
    buckets.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        seconds: float = 10.0,
        bucket_seconds: float = 0.02,
    ) -> None:
        super().__init__(parent)
        if seconds <= 0 or bucket_seconds <= 0:
            raise ValueError("seconds and bucket_seconds must be positive")
        self.setObjectName("asr.waveform")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.seconds = seconds
        self.bucket_seconds = bucket_seconds
        self._capacity = max(1, round(seconds / bucket_seconds))
        self._mins: FloatArray = np.zeros(self._capacity, dtype=np.float32)
        self._maxs: FloatArray = np.zeros(self._capacity, dtype=np.float32)
        self._head = 0  # where the next bucket goes
        self._count = 0
        self._retranslate()

    @property
    def capacity(self) -> int:
        """How many buckets the window holds (``seconds / bucket_seconds``)."""
        return self._capacity

    def bucket_count(self) -> int:
        return self._count

    def buckets(self) -> tuple[FloatArray, FloatArray]:
        """Copies of the held (mins, maxs), oldest first."""
        order = (np.arange(self._count) + (self._head - self._count)) % self._capacity
        return self._mins[order], self._maxs[order]

    def push(self, mins: npt.ArrayLike, maxs: npt.ArrayLike) -> None:
        """Add buckets (fractions of full scale, -1…1) at the right; the oldest scroll off."""
        new_mins = np.asarray(mins, dtype=np.float32).reshape(-1)
        new_maxs = np.asarray(maxs, dtype=np.float32).reshape(-1)
        if new_mins.shape != new_maxs.shape:
            raise ValueError("mins and maxs must have the same length")
        if new_mins.size == 0:
            return
        # More than a window's worth: only the newest window can ever be seen.
        new_mins = new_mins[-self._capacity :]
        new_maxs = new_maxs[-self._capacity :]
        count = new_mins.size
        first = min(count, self._capacity - self._head)
        for target, values in ((self._mins, new_mins), (self._maxs, new_maxs)):
            cleaned = np.clip(np.nan_to_num(values), -1.0, 1.0)
            target[self._head : self._head + first] = cleaned[:first]
            target[: count - first] = cleaned[first:]
        self._head = (self._head + count) % self._capacity
        self._count = min(self._capacity, self._count + count)
        self.update()

    def clear(self) -> None:
        self._head = 0
        self._count = 0
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, 80)

    def minimumSizeHint(self) -> QSize:
        return QSize(80, 24)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        palette = self.palette()
        width, height = self.width(), self.height()
        centre = height / 2.0
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
            axis = QColor(palette.color(QPalette.ColorRole.Text))
            axis.setAlpha(70)
            painter.setPen(axis)
            painter.drawLine(0, int(centre), width, int(centre))
            if self._count and width > 0:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
                painter.drawRects(self._columns(width, height))
        finally:
            painter.end()

    def _columns(self, width: int, height: int) -> list[QRectF]:
        """One rectangle per drawn column, spanning the min…max of the buckets under it."""
        capacity = self._capacity
        columns = min(width, capacity)  # at most one column per pixel and per bucket
        column_width = width / columns
        # Lay the window out oldest→newest with empty slots first, so the newest bucket is at
        # the right edge and a recording that just started grows in from the right.
        mins, maxs = self.buckets()
        empty = capacity - self._count
        starts = (np.arange(columns) * capacity) // columns
        window_mins = np.concatenate([np.zeros(empty, dtype=np.float32), mins])
        window_maxs = np.concatenate([np.zeros(empty, dtype=np.float32), maxs])
        # min/max over each column's buckets, not a sample of one: a short click stays visible.
        column_mins = np.minimum.reduceat(window_mins, starts)
        column_maxs = np.maximum.reduceat(window_maxs, starts)
        ends = np.append(starts[1:], capacity)
        has_data = ends > empty
        half = max(1.0, height / 2.0 - 1.0)
        tops = height / 2.0 - column_maxs * half
        bottoms = height / 2.0 - column_mins * half
        rects: list[QRectF] = []
        for index in np.flatnonzero(has_data).tolist():
            top = float(tops[index])
            span = max(1.0, float(bottoms[index]) - top)
            rects.append(QRectF(index * column_width, top, column_width, span))
        return rects

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Waveform"))
        self.setAccessibleDescription(self.tr("The last seconds of microphone input"))
