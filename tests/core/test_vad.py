"""The energy segmenter: cuts inside pauses, forced cuts at the quietest point, silent chunks
flagged, an adaptive threshold — and, whatever the input and however it is fed, nothing lost.

Speech is stood in for by tone bursts (a few harmonics with a syllable-rate tremolo) over a
noise floor; the levels below are RMS dBFS.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfdesk.core.audio_levels import (
    FLOOR_DBFS,
    EnvelopeStream,
    amplitude_to_dbfs,
    envelope,
    frame_dbfs,
    level,
    rms_dbfs,
)
from sfdesk.core.vad import Segment, Segmenter
from sfdesk.core.wav import decode_wav

RATE = 16000


def noise(seconds: float, dbfs: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    amplitude = 32768 * 10 ** (dbfs / 20)
    return np.round(rng.normal(0, amplitude, round(seconds * RATE))).astype(np.float64)


def burst(seconds: float, dbfs: float = -20.0) -> np.ndarray:
    """A voiced-sounding tone at roughly ``dbfs`` RMS: harmonics of 150 Hz, 4 Hz tremolo that
    never drops to silence (syllables, not words separated by pauses)."""
    t = np.arange(round(seconds * RATE)) / RATE
    if t.size == 0:
        return t
    tone = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 5))
    tremolo = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)
    wave = tone * tremolo
    rms = np.sqrt(np.mean(wave**2))
    if rms == 0:  # a burst of one sample, at the sine's zero
        return np.zeros_like(wave)
    return wave / rms * 32768 * 10 ** (dbfs / 20)


def pcm(*parts: np.ndarray, floor_dbfs: float | None = -70.0) -> np.ndarray:
    signal = np.concatenate(parts)
    if floor_dbfs is not None:
        signal = signal + noise(signal.size / RATE, floor_dbfs, seed=signal.size)
    return np.clip(np.round(signal), -32768, 32767).astype(np.int16)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE))


def run(segmenter: Segmenter, samples: np.ndarray, block: int = 1600) -> list[Segment]:
    out: list[Segment] = []
    for start in range(0, samples.size, block):
        out.extend(segmenter.feed(samples[start : start + block]))
    out.extend(segmenter.flush())
    return out


def assert_lossless(segments: list[Segment], samples: np.ndarray) -> None:
    assert [s.index for s in segments] == list(range(len(segments)))
    position = 0
    for segment in segments:
        assert segment.start_sample == position
        assert segment.end_sample == position + segment.pcm.size
        position = segment.end_sample
    joined = np.concatenate([s.pcm for s in segments]) if segments else np.zeros(0, np.int16)
    np.testing.assert_array_equal(joined, samples)


# --- levels -----------------------------------------------------------------------------------


def test_levels_of_known_signals() -> None:
    full = np.full(1000, 32767, dtype=np.int16)
    assert rms_dbfs(full) == pytest.approx(0.0, abs=0.01)
    assert level(full).clipped
    half_sine = np.round(16384 * np.sin(np.arange(16000) * 2 * np.pi * 440 / RATE))
    measured = level(half_sine.astype(np.int16))
    assert measured.rms_dbfs == pytest.approx(-9.03, abs=0.05)  # -6 dB, sine RMS -3 dB
    assert measured.peak == pytest.approx(0.5, abs=0.001)
    assert measured.peak_dbfs == pytest.approx(-6.02, abs=0.02)
    assert not measured.clipped


def test_silence_is_the_floor_not_minus_infinity() -> None:
    zeros = np.zeros(480, dtype=np.int16)
    assert rms_dbfs(zeros) == FLOOR_DBFS
    assert level(zeros).rms_dbfs == FLOOR_DBFS and level(zeros).peak == 0.0
    assert level(np.zeros(0, dtype=np.int16)).rms_dbfs == FLOOR_DBFS
    assert amplitude_to_dbfs(0.0) == FLOOR_DBFS
    assert amplitude_to_dbfs(1e-9) == FLOOR_DBFS
    assert level(np.array([-32768], dtype=np.int16)).peak == 1.0  # no int16 overflow
    np.testing.assert_array_equal(frame_dbfs(np.zeros(1000, np.int16), 480), [FLOOR_DBFS] * 2)
    with pytest.raises(TypeError):
        rms_dbfs(np.zeros(4, dtype=np.float32))


def test_envelope_keeps_every_peak() -> None:
    samples = np.zeros(10_000, dtype=np.int16)
    samples[1234] = 30000  # a single-sample click must still show
    samples[8000] = -20000
    mins, maxs = envelope(samples, 100)
    assert mins.shape == maxs.shape == (100,)
    assert maxs.max() == pytest.approx(30000 / 32768)
    assert mins.min() == pytest.approx(-20000 / 32768)
    assert int(np.argmax(maxs)) == 12
    short_mins, short_maxs = envelope(np.array([1, -2, 3], dtype=np.int16), 100)
    assert short_mins.size == short_maxs.size == 3
    assert envelope(np.zeros(0, np.int16), 5)[0].size == 0


def test_envelope_stream_matches_the_whole_envelope() -> None:
    rng = np.random.default_rng(1)
    samples = rng.integers(-32768, 32767, 16000, dtype=np.int16)
    stream = EnvelopeStream(160)
    parts = [stream.feed(samples[i : i + 700]) for i in range(0, samples.size, 700)]
    mins = np.concatenate([p[0] for p in parts])
    maxs = np.concatenate([p[1] for p in parts])
    whole_mins, whole_maxs = envelope(samples, 100)
    np.testing.assert_array_equal(mins, whole_mins)
    np.testing.assert_array_equal(maxs, whole_maxs)


# --- cutting ----------------------------------------------------------------------------------


def test_bursts_separated_by_pauses_are_cut_inside_the_pauses() -> None:
    samples = pcm(burst(4), silence(1), burst(5), silence(1.5), burst(3.5), silence(0.3))
    segmenter = Segmenter()
    segments = run(segmenter, samples)
    assert_lossless(segments, samples)
    assert len(segments) == 3
    assert not any(s.is_silent for s in segments)
    # Each cut is inside the pause that follows a burst, with pause on both sides of it.
    for cut, (pause_start, pause_end) in zip(
        [s.end_seconds for s in segments[:2]], [(4.0, 5.0), (10.0, 11.5)], strict=True
    ):
        assert pause_start + 0.2 < cut < pause_end - 0.2
    assert segmenter.noise_floor_dbfs is not None and segmenter.noise_floor_dbfs < -60
    assert segmenter.buffered_samples == 0


def test_chunks_are_returned_while_the_recording_continues() -> None:
    segmenter = Segmenter()
    first = segmenter.feed(pcm(burst(4), silence(0.7)))
    assert len(first) == 1, "a chunk is due once the pause has lasted min_silence"
    assert first[0].end_seconds == pytest.approx(4.0 + 0.3, abs=0.031)
    assert segmenter.feed(pcm(burst(1))) == []


def test_pauses_shorter_than_min_silence_do_not_cut() -> None:
    samples = pcm(*[part for _ in range(6) for part in (burst(1.5), silence(0.4))], burst(1))
    segments = run(Segmenter(), samples)
    assert_lossless(segments, samples)
    assert len(segments) == 1


def test_a_pause_before_min_segment_does_not_cut() -> None:
    samples = pcm(burst(1), silence(1), burst(1.5), silence(1), burst(2))
    segments = run(Segmenter(), samples)
    assert_lossless(segments, samples)
    assert segments[0].duration_seconds >= 3.0
    assert 3.5 < segments[0].end_seconds < 4.5  # in the second pause, the first came too soon


def test_continuous_sound_is_cut_at_max_segment_at_its_quietest_point() -> None:
    # 70 s without a pause, with a brief dip (shorter than min_silence) at 22 s and 48 s.
    parts = []
    for start, end in ((0, 22), (22.2, 48), (48.2, 70)):
        parts += [burst(end - start), silence(0.2) if end < 70 else silence(0)]
    samples = pcm(*parts)
    segments = run(Segmenter(), samples)
    assert_lossless(segments, samples)
    assert all(s.duration_seconds <= 30.0 for s in segments)
    assert [round(s.end_seconds, 1) for s in segments[:2]] == pytest.approx([22.1, 48.1], abs=0.15)
    assert not any(s.is_silent for s in segments)


def test_steady_sound_without_any_dip_makes_long_chunks() -> None:
    samples = pcm(burst(65), floor_dbfs=None)
    segments = run(Segmenter(), samples)
    assert_lossless(segments, samples)
    assert [len(s.pcm) <= 30 * RATE for s in segments] == [True] * len(segments)
    assert all(s.duration_seconds >= 15 for s in segments[:-1])


def test_silence_and_noise_only_chunks_are_flagged_silent() -> None:
    samples = pcm(silence(4), burst(3), silence(8), floor_dbfs=-55)
    segments = run(Segmenter(), samples)
    assert_lossless(segments, samples)
    flags = [s.is_silent for s in segments]
    assert False in flags, "the burst is speech"
    assert flags[-1], "eight seconds of room noise are not worth uploading"
    speech = next(s for s in segments if not s.is_silent)
    assert speech.start_seconds <= 4.0 and speech.end_seconds >= 7.0


def test_pure_digital_silence_is_silent() -> None:
    samples = np.zeros(10 * RATE, dtype=np.int16)
    segmenter = Segmenter()
    segments = run(segmenter, samples)
    assert_lossless(segments, samples)
    assert segments and all(s.is_silent and s.speech_frames == 0 for s in segments)
    assert segmenter.threshold_dbfs == -60.0  # the absolute floor, not floor + margin


def test_a_single_click_does_not_make_a_chunk_speech() -> None:
    samples = np.zeros(4 * RATE, dtype=np.int16)
    samples[RATE : RATE + 200] = 20000  # inside one 30 ms frame
    segments = run(Segmenter(), samples)
    assert_lossless(segments, samples)
    assert segments[0].speech_frames == 1
    assert all(s.is_silent for s in segments)


def test_the_threshold_follows_a_noisy_room() -> None:
    """Speech at -25 dBFS over a -45 dBFS fan: the fan is not speech, the pauses are found."""
    samples = pcm(noise(3, -45, 1), burst(4, -25), noise(1, -45, 2), burst(4, -25), floor_dbfs=None)
    segmenter = Segmenter()
    segments = run(segmenter, samples)
    assert_lossless(segments, samples)
    assert segmenter.noise_floor_dbfs == pytest.approx(-45, abs=3)
    assert len(segments) >= 2
    assert any(7.0 < s.end_seconds < 8.0 for s in segments)


def test_a_recording_that_starts_mid_sentence_is_speech() -> None:
    # No pause in the window yet: the "floor" is speech, the upper clamp keeps it speech.
    (segment,) = run(Segmenter(), pcm(burst(2.5, -20)))
    assert not segment.is_silent


def test_flush_returns_the_tail_and_nothing_when_empty() -> None:
    segmenter = Segmenter()
    assert segmenter.flush() == []
    segmenter.feed(np.ones(1000, dtype=np.int16))  # two whole frames and a partial one
    (tail,) = segmenter.flush()
    assert (tail.start_sample, tail.end_sample, tail.is_silent) == (0, 1000, True)
    assert segmenter.flush() == []
    segmenter.feed(np.ones(10, dtype=np.int16))
    (again,) = segmenter.flush()
    assert (again.index, again.start_sample, again.end_sample) == (1, 1000, 1010)


def test_a_segment_is_a_wav_ready_to_upload() -> None:
    samples = pcm(burst(3.5), silence(1))
    segments = run(Segmenter(), samples)
    decoded, rate = decode_wav(segments[0].wav())
    assert rate == RATE
    np.testing.assert_array_equal(decoded, segments[0].pcm)


def test_feed_checks_its_input() -> None:
    segmenter = Segmenter()
    with pytest.raises(TypeError):
        segmenter.feed(np.zeros(10, dtype=np.float32))
    with pytest.raises(ValueError):
        segmenter.feed(np.zeros((10, 2), dtype=np.int16))
    assert segmenter.feed(np.zeros(0, dtype=np.int16)) == []
    with pytest.raises(ValueError):
        Segmenter(min_segment_s=10, max_segment_s=5)


def test_the_caller_may_reuse_its_buffer() -> None:
    segmenter = Segmenter(min_segment_s=0.1, max_segment_s=1.0)
    buffer = np.full(RATE, 1000, dtype=np.int16)
    segmenter.feed(buffer)
    buffer[:] = 0
    (tail,) = segmenter.flush()
    assert int(tail.pcm.min()) == 1000


# --- nothing lost, whatever the input ---------------------------------------------------------


@st.composite
def recordings(draw: st.DrawFn) -> tuple[np.ndarray, list[int]]:
    """A signal of random bursts, pauses, noise and clicks, and random read sizes."""
    parts: list[np.ndarray] = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["burst", "silence", "noise", "click"]))
        seconds = draw(st.floats(0.0, 4.0))
        if kind == "burst":
            parts.append(burst(seconds, draw(st.floats(-50, -3))))
        elif kind == "silence":
            parts.append(silence(seconds))
        elif kind == "noise":
            parts.append(noise(seconds, draw(st.floats(-80, -30)), draw(st.integers(0, 99))))
        else:
            parts.append(np.full(draw(st.integers(1, 400)), 25000.0))
    samples = pcm(*parts, floor_dbfs=None) if parts else np.zeros(0, np.int16)
    sizes = draw(st.lists(st.integers(0, 20000), min_size=1, max_size=30))
    return samples, sizes


@settings(max_examples=60)
@given(
    recordings(),
    st.sampled_from([(0.5, 2.0, 200.0), (1.0, 3.0, 600.0), (3.0, 30.0, 600.0), (0.09, 0.1, 30.0)]),
)
def test_nothing_is_lost_or_repeated(
    recording: tuple[np.ndarray, list[int]], limits: tuple[float, float, float]
) -> None:
    samples, sizes = recording
    min_segment, max_segment, min_silence = limits
    segmenter = Segmenter(
        min_segment_s=min_segment, max_segment_s=max_segment, min_silence_ms=min_silence
    )
    segments: list[Segment] = []
    position = 0
    if not any(sizes):
        sizes = [*sizes, 1600]
    while position < samples.size:
        for size in sizes:  # empty reads included: a poll that found nothing
            segments.extend(segmenter.feed(samples[position : position + size]))
            position += size
    segments.extend(segmenter.flush())
    assert_lossless(segments, samples)
    frame = segmenter.frame_length
    for segment in segments:
        assert segment.pcm.size <= segmenter.max_segment_frames * frame
    for segment in segments[:-1]:
        assert segment.pcm.size >= segmenter.min_segment_frames * frame
        assert segment.start_sample % frame == 0 and segment.end_sample % frame == 0
    assert segmenter.buffered_samples == 0
    assert segmenter.samples_fed == samples.size
