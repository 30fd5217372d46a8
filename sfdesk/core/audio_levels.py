"""Loudness of 16-bit PCM for meters and waveforms: RMS and peak in dBFS, min/max envelopes.

This module owns the arithmetic the Microphone panel's level meter and scrolling waveform need,
and the frame energy the segmenter (:mod:`sfdesk.core.vad`) thresholds. It is Qt-free and works
on int16 arrays as :class:`sfdesk.audio.capture.Recorder` delivers them.

Decibels are relative to full scale (0 dBFS is a full-scale square wave). Digital silence has no
finite level, so every level is clamped at :data:`FLOOR_DBFS`: a meter can draw it and a
threshold can compare with it, which ``-inf`` would make awkward (and JSON could not hold).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

#: The lowest level reported. 16-bit PCM's quantisation floor is about -96 dBFS; anything below
#: -90 is silence for every purpose of the app.
FLOOR_DBFS: Final = -90.0
FULL_SCALE: Final = 32768.0

Int16Array = npt.NDArray[np.int16]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Level:
    """The loudness of a block of samples."""

    rms_dbfs: float  # in [FLOOR_DBFS, 0]
    peak: float  # largest absolute sample as a fraction of full scale, in [0, 1]

    @property
    def peak_dbfs(self) -> float:
        return amplitude_to_dbfs(self.peak)

    @property
    def clipped(self) -> bool:
        """A sample hit the largest value 16 bits hold (the input gain is too high)."""
        return self.peak >= 32767 / FULL_SCALE


SILENCE: Final = Level(FLOOR_DBFS, 0.0)


def amplitude_to_dbfs(amplitude: float) -> float:
    """``20·log10(amplitude)`` for a fraction of full scale, never below :data:`FLOOR_DBFS`."""
    if amplitude <= 0.0 or not math.isfinite(amplitude):
        return FLOOR_DBFS
    return max(FLOOR_DBFS, 20.0 * math.log10(amplitude))


def rms_dbfs(pcm: npt.ArrayLike) -> float:
    """The RMS level of int16 samples in dBFS (:data:`FLOOR_DBFS` for silence or no samples)."""
    samples = _as_int16(pcm)
    if samples.size == 0:
        return FLOOR_DBFS
    # float64: squares of int16 overflow int32 after a few samples.
    mean_square = float(np.mean(np.square(samples, dtype=np.float64)))
    return amplitude_to_dbfs(math.sqrt(mean_square) / FULL_SCALE)


def level(pcm: npt.ArrayLike) -> Level:
    """RMS and peak of int16 samples (any shape; all channels count)."""
    samples = _as_int16(pcm)
    if samples.size == 0:
        return SILENCE
    # int32: abs(-32768) does not fit in int16.
    peak = int(np.max(np.abs(samples.astype(np.int32)))) / FULL_SCALE
    return Level(rms_dbfs(samples), min(peak, 1.0))


def frame_dbfs(pcm: npt.ArrayLike, frame_length: int) -> npt.NDArray[np.float64]:
    """The RMS level in dBFS of each whole frame of ``frame_length`` samples (a partial last
    frame is left out), vectorised for the segmenter."""
    if frame_length < 1:
        raise ValueError("frame_length must be at least 1")
    samples = _as_int16(pcm).reshape(-1)
    count = samples.size // frame_length
    if count == 0:
        return np.zeros(0, dtype=np.float64)
    frames = samples[: count * frame_length].reshape(count, frame_length)
    mean_square = np.mean(np.square(frames, dtype=np.float64), axis=1)
    with np.errstate(divide="ignore"):
        levels = 10.0 * np.log10(mean_square / (FULL_SCALE * FULL_SCALE))
    floored: npt.NDArray[np.float64] = np.maximum(levels, FLOOR_DBFS)
    return floored


def envelope(pcm: npt.ArrayLike, buckets: int) -> tuple[FloatArray, FloatArray]:
    """Minimum and maximum of each of ``buckets`` equal slices of the samples, as fractions of
    full scale in [-1, 1]: what a waveform of ``buckets`` pixels draws (one vertical line from
    min to max per pixel keeps every peak visible, which averaging would hide).

    Fewer samples than buckets give one bucket per sample; no samples give empty arrays.
    """
    if buckets < 1:
        raise ValueError("buckets must be at least 1")
    samples = _as_int16(pcm).reshape(-1)
    if samples.size == 0:
        empty = np.zeros(0, dtype=np.float32)
        return empty, empty.copy()
    count = min(buckets, samples.size)
    # Bucket edges spread the remainder over the buckets instead of dropping the tail.
    edges = np.linspace(0, samples.size, count + 1).astype(np.int64)
    starts = edges[:-1]
    mins = np.minimum.reduceat(samples, starts).astype(np.float32) / FULL_SCALE
    maxs = np.maximum.reduceat(samples, starts).astype(np.float32) / FULL_SCALE
    return mins, maxs


class EnvelopeStream:
    """A scrolling waveform's envelope, built as audio arrives: each :meth:`feed` returns the
    (min, max) of every bucket of ``samples_per_bucket`` samples completed so far, keeping the
    remainder for the next call so buckets never straddle two reads unevenly."""

    def __init__(self, samples_per_bucket: int) -> None:
        if samples_per_bucket < 1:
            raise ValueError("samples_per_bucket must be at least 1")
        self.samples_per_bucket = samples_per_bucket
        self._rest: Int16Array = np.zeros(0, dtype=np.int16)

    def feed(self, pcm: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        samples = np.concatenate([self._rest, _as_int16(pcm).reshape(-1)])
        count = samples.size // self.samples_per_bucket
        whole = count * self.samples_per_bucket
        self._rest = samples[whole:].copy()
        if count == 0:
            empty = np.zeros(0, dtype=np.float32)
            return empty, empty.copy()
        frames = samples[:whole].reshape(count, self.samples_per_bucket)
        mins = frames.min(axis=1).astype(np.float32) / FULL_SCALE
        maxs = frames.max(axis=1).astype(np.float32) / FULL_SCALE
        return mins, maxs

    def reset(self) -> None:
        self._rest = np.zeros(0, dtype=np.int16)


def _as_int16(pcm: npt.ArrayLike) -> Int16Array:
    samples = np.asarray(pcm)
    if samples.dtype != np.int16:
        raise TypeError(f"expected int16 samples, got {samples.dtype}")
    return samples
