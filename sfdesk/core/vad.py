"""Splitting a recording into chunks at pauses while it is still being made (energy VAD).

The Microphone panel uploads a long recording as a series of chunks so that text appears while
the user is still talking, and so that no upload comes near the endpoint's 50 MB / 1 hour limits
(siliconflow-api.md §7). This module owns where those cuts fall. It is incremental and Qt-free:
:meth:`Segmenter.feed` takes whatever the recorder delivered and returns the chunks that are
complete; :meth:`Segmenter.flush` returns the rest when recording stops. Nothing is lost or
duplicated: the chunks laid end to end are exactly the samples fed.

How it decides, per frame of ``frame_ms``:

- A frame is *speech* when its RMS level is more than ``margin_db`` above the noise floor. The
  floor is a low percentile (``noise_percentile``) of the last ``noise_window_s`` of frame levels:
  speech has gaps between words, so the quietest tenth of a window is the room, whatever its
  level. The threshold is clamped to ``[min_threshold_dbfs, max_threshold_dbfs]``: below the
  lower bound nothing is speech (digital silence and a very quiet line stay silent even though
  their own floor is lower still), and anything louder than the upper bound always is (while a
  recording starts in mid-sentence the window has seen no pause yet and its "floor" is speech).
- A chunk is cut inside a pause once the pause has lasted ``min_silence_ms`` and the chunk would
  be at least ``min_segment_s`` long. The cut is made ``min_silence_ms / 2`` into the pause
  (without waiting for it to end, so the chunk can be sent at once), leaving half a pause of
  margin on both sides so no word is clipped.
- A chunk that reaches ``max_segment_s`` without such a pause is cut at its quietest point (the
  quietest pair of adjacent frames) in its second half, which in continuous speech is usually a
  breath between words.
- A chunk with less than ``min_speech_ms`` of speech frames is marked :attr:`Segment.is_silent`,
  so the panel can skip uploading it (a click or a cough is not worth a request).

Defaults, and why: 30 ms frames (a syllable spans several; the usual VAD frame); 600 ms pauses
(longer than the gaps inside a phrase, 100-300 ms, and shorter than the pause between sentences);
3 s minimum chunks (speech models do badly without context, and each request has a fixed cost);
30 s maximum chunks (text keeps coming during a monologue, and a chunk is about 1 MB of WAV);
a 10 dB margin over the 10th percentile of 10 s (the frame-to-frame spread of steady room noise
is a few dB, quiet speech is 15 dB or more above it); thresholds between -60 and -35 dBFS (a
laptop microphone's floor is around -70 to -60 dBFS and normal speech -35 to -15 dBFS).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from .audio_levels import frame_dbfs
from .wav import encode_wav

Int16Array = npt.NDArray[np.int16]

#: How many frames the noise floor is re-estimated after (a percentile per frame would cost
#: seconds on an hour-long import; the floor moves slowly anyway).
_NOISE_REFRESH_FRAMES: Final = 10


@dataclass(frozen=True, slots=True, eq=False)
class Segment:
    """One chunk of the recording: samples ``[start_sample, end_sample)`` of the whole stream."""

    index: int
    start_sample: int
    end_sample: int
    pcm: Int16Array
    samplerate: int
    #: Too little speech to be worth transcribing (silence, noise, a click).
    is_silent: bool = False
    #: How many of the chunk's frames were speech.
    speech_frames: int = 0

    @property
    def start_seconds(self) -> float:
        return self.start_sample / self.samplerate

    @property
    def end_seconds(self) -> float:
        return self.end_sample / self.samplerate

    @property
    def duration_seconds(self) -> float:
        return (self.end_sample - self.start_sample) / self.samplerate

    def wav(self) -> bytes:
        """The chunk as a 16-bit mono WAV file, ready to upload."""
        return encode_wav(self.pcm, self.samplerate, 1)


class Segmenter:
    """Cuts a stream of int16 mono samples into :class:`Segment` chunks at pauses."""

    def __init__(
        self,
        samplerate: int = 16000,
        frame_ms: float = 30.0,
        min_silence_ms: float = 600.0,
        min_segment_s: float = 3.0,
        max_segment_s: float = 30.0,
        *,
        margin_db: float = 10.0,
        noise_percentile: float = 10.0,
        noise_window_s: float = 10.0,
        min_threshold_dbfs: float = -60.0,
        max_threshold_dbfs: float = -35.0,
        min_speech_ms: float = 150.0,
    ) -> None:
        if samplerate < 1:
            raise ValueError("samplerate must be positive")
        if frame_ms <= 0 or min_silence_ms <= 0 or min_segment_s <= 0 or min_speech_ms <= 0:
            raise ValueError("frame_ms, min_silence_ms, min_segment_s, min_speech_ms must be > 0")
        if not 0 <= noise_percentile <= 100:
            raise ValueError("noise_percentile must be between 0 and 100")
        if min_threshold_dbfs > max_threshold_dbfs:
            raise ValueError("min_threshold_dbfs is above max_threshold_dbfs")
        self.samplerate = samplerate
        self.frame_length = max(1, round(samplerate * frame_ms / 1000))
        frame_seconds = self.frame_length / samplerate
        self.min_silence_frames = max(1, math.ceil(min_silence_ms / 1000 / frame_seconds - 1e-9))
        # Rounded so that every chunk but the last is at least min_segment_s and none is longer
        # than max_segment_s.
        self.min_segment_frames = max(1, math.ceil(min_segment_s / frame_seconds - 1e-9))
        self.max_segment_frames = math.floor(max_segment_s / frame_seconds + 1e-9)
        if self.max_segment_frames < self.min_segment_frames:
            raise ValueError("max_segment_s must be at least min_segment_s (and one frame)")
        self.min_speech_frames = max(1, math.ceil(min_speech_ms / 1000 / frame_seconds - 1e-9))
        self.margin_db = margin_db
        self.noise_percentile = noise_percentile
        self.min_threshold_dbfs = min_threshold_dbfs
        self.max_threshold_dbfs = max_threshold_dbfs
        window = max(1, round(noise_window_s / frame_seconds))
        self._history: deque[float] = deque(maxlen=window)
        self._since_estimate = _NOISE_REFRESH_FRAMES
        self._noise_dbfs: float | None = None
        self._threshold_dbfs = min_threshold_dbfs

        self._next_index = 0
        self._segment_start = 0  # absolute sample where the open chunk starts
        self._chunks: list[Int16Array] = []  # the open chunk's samples, as fed
        self._buffered = 0
        self._partial: Int16Array = np.zeros(0, dtype=np.int16)  # not yet a whole frame
        self._levels: list[float] = []  # dBFS of each whole frame of the open chunk
        self._speech: list[bool] = []
        self._silent_run = 0  # silent frames at the end of the open chunk
        self._fed = 0

    # --- what the panel may show --------------------------------------------------------------

    @property
    def noise_floor_dbfs(self) -> float | None:
        """The current noise-floor estimate (None before the first whole frame)."""
        return self._noise_dbfs

    @property
    def threshold_dbfs(self) -> float:
        """Frames louder than this count as speech."""
        return self._threshold_dbfs

    @property
    def samples_fed(self) -> int:
        return self._fed

    @property
    def buffered_samples(self) -> int:
        """Samples fed but not yet returned in a segment."""
        return self._buffered

    # --- feeding ------------------------------------------------------------------------------

    def feed(self, pcm: npt.ArrayLike) -> list[Segment]:
        """Add samples (1-D int16 mono); return the chunks this completed, in order."""
        samples = np.asarray(pcm)
        if samples.dtype != np.int16:
            raise TypeError(f"expected int16 samples, got {samples.dtype}")
        if samples.ndim != 1:
            raise ValueError(f"expected 1-D mono samples, got shape {samples.shape}")
        if samples.size == 0:
            return []
        # A copy: the caller may reuse its buffer, and the chunk keeps these samples.
        samples = samples.copy()
        self._chunks.append(samples)
        self._buffered += samples.size
        self._fed += samples.size
        data = np.concatenate([self._partial, samples]) if self._partial.size else samples
        whole = data.size - data.size % self.frame_length
        self._partial = data[whole:].copy()
        done: list[Segment] = []
        for frame_level in frame_dbfs(data[:whole], self.frame_length):
            segment = self._analyse(float(frame_level))
            if segment is not None:
                done.append(segment)
        return done

    def flush(self) -> list[Segment]:
        """The rest of the recording as a last chunk (nothing if nothing is buffered).

        The segmenter can be fed again afterwards; it then starts a new chunk at the position
        the stream has reached.
        """
        if self._buffered == 0:
            return []
        segment = self._cut_samples(self._buffered, len(self._levels))
        self._partial = np.zeros(0, dtype=np.int16)
        return [segment]

    # --- internals ----------------------------------------------------------------------------

    def _analyse(self, frame_level: float) -> Segment | None:
        self._history.append(frame_level)
        self._since_estimate += 1
        if self._since_estimate >= _NOISE_REFRESH_FRAMES:
            self._since_estimate = 0
            noise = float(np.percentile(np.fromiter(self._history, float), self.noise_percentile))
            self._noise_dbfs = noise
            self._threshold_dbfs = min(
                max(noise + self.margin_db, self.min_threshold_dbfs), self.max_threshold_dbfs
            )
        speech = frame_level > self._threshold_dbfs
        self._levels.append(frame_level)
        self._speech.append(speech)
        self._silent_run = 0 if speech else self._silent_run + 1
        frames = len(self._levels)
        if self._silent_run >= self.min_silence_frames:
            # Half a pause stays with each side; the pause may go on, but it is long enough.
            boundary = frames - self.min_silence_frames // 2
            if boundary >= self.min_segment_frames:
                return self._cut_frames(boundary)
        if frames >= self.max_segment_frames:
            return self._cut_frames(self._quietest_boundary())
        return None

    def _quietest_boundary(self) -> int:
        """The frame boundary in the second half of the open chunk (and not before the minimum
        length) with the least energy in the two frames around it; the latest of equals, so
        chunks stay long in steady sound."""
        frames = len(self._levels)
        low = max(self.min_segment_frames, self.max_segment_frames // 2, 1)
        if low >= frames:
            return frames
        power = np.power(10.0, np.asarray(self._levels, dtype=np.float64) / 10.0)
        around = power[low - 1 : frames - 1] + power[low:frames]  # boundary b: frames b-1 and b
        latest_min = around.size - 1 - int(np.argmin(around[::-1]))
        return low + latest_min

    def _cut_frames(self, boundary: int) -> Segment:
        return self._cut_samples(boundary * self.frame_length, boundary)

    def _cut_samples(self, count: int, frames: int) -> Segment:
        """Close the open chunk after ``count`` samples (``frames`` whole analysed frames)."""
        data = np.concatenate(self._chunks) if len(self._chunks) > 1 else self._chunks[0]
        head = data[:count]
        rest = data[count:]
        if rest.size:
            head = head.copy()  # so the chunk does not keep the rest alive
            self._chunks = [rest.copy()]
        else:
            self._chunks = []
        self._buffered -= count
        speech_frames = sum(self._speech[:frames])
        segment = Segment(
            index=self._next_index,
            start_sample=self._segment_start,
            end_sample=self._segment_start + count,
            pcm=head,
            samplerate=self.samplerate,
            is_silent=speech_frames < self.min_speech_frames,
            speech_frames=speech_frames,
        )
        self._next_index += 1
        self._segment_start += count
        self._levels = self._levels[frames:]
        self._speech = self._speech[frames:]
        run = 0
        for speech in reversed(self._speech):
            if speech:
                break
            run += 1
        self._silent_run = run
        return segment
