"""WAV encoding and decoding: round trips, every PCM width, mixing down, headers the sandbox reads,
and files that are not WAVs."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sfdesk.core.wav import (
    HEADER_BYTES,
    MAX_UPLOAD_BYTES,
    WavError,
    decode_wav,
    encode_wav,
    max_wav_seconds,
    samples_to_seconds,
    seconds_to_samples,
    wav_duration,
    wav_size,
)
from sfdesk.sandbox.audio import wav_info


def raw_wav(frames: bytes, *, width: int, channels: int, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(frames)
    return buffer.getvalue()


@given(
    hnp.arrays(np.int16, st.integers(0, 2000)),
    st.sampled_from([8000, 16000, 44100, 48000]),
)
def test_mono_round_trip_is_exact(pcm: np.ndarray, rate: int) -> None:
    data = encode_wav(pcm, rate)
    assert len(data) == wav_size(pcm.size)
    decoded, decoded_rate = decode_wav(data)
    assert decoded_rate == rate
    assert decoded.dtype == np.int16
    np.testing.assert_array_equal(decoded, pcm)


def test_the_header_is_what_the_sandbox_and_the_endpoint_expect() -> None:
    pcm = np.zeros(16000 * 2, dtype=np.int16)
    data = encode_wav(pcm)
    assert data[:4] == b"RIFF" and data[8:16] == b"WAVEfmt "
    assert len(data) == HEADER_BYTES + pcm.size * 2
    info = wav_info(io.BytesIO(data))
    assert info == {
        "rate": 16000,
        "channels": 1,
        "sample_width": 2,
        "frames": 32000,
        "duration": 2.0,
        "rms_dbfs": -90.0,  # zeros: digital silence
    }
    assert wav_duration(data) == 2.0


def test_samples_are_little_endian_whatever_the_array() -> None:
    pcm = np.array([1, -2, 0x1234], dtype=">i2")  # big-endian int16 is still int16
    data = encode_wav(pcm.astype(np.int16))
    assert data[HEADER_BYTES:] == b"\x01\x00\xfe\xff\x34\x12"


def test_stereo_is_mixed_down_and_interleaving_is_accepted() -> None:
    left = np.array([1000, -1000, 32767, -32768], dtype=np.int16)
    right = np.array([3000, -3000, 32767, -32767], dtype=np.int16)
    two_d = np.stack([left, right], axis=1)
    from_2d = encode_wav(two_d, 16000, channels=2)
    from_interleaved = encode_wav(two_d.reshape(-1), 16000, channels=2)
    assert from_2d == from_interleaved
    mono, rate = decode_wav(from_2d)
    assert rate == 16000
    np.testing.assert_array_equal(mono, [2000, -2000, 32767, -32768])


@pytest.mark.parametrize(
    ("width", "frames", "expected"),
    [
        # 8-bit is unsigned around 128.
        (1, bytes([128, 255, 0, 129]), [0, 127 << 8, -32768, 256]),
        (2, np.array([5, -5], dtype="<i2").tobytes(), [5, -5]),
        # 24-bit little-endian: the top two bytes are kept.
        (3, bytes([0xFF, 0x34, 0x12, 0x00, 0x00, 0x80]), [0x1234, -32768]),
        (4, np.array([0x12345678, -(2**31)], dtype="<i4").tobytes(), [0x1234, -32768]),
    ],
)
def test_every_pcm_width_decodes_to_16_bits(width: int, frames: bytes, expected: list[int]) -> None:
    samples, rate = decode_wav(raw_wav(frames, width=width, channels=1))
    assert rate == 8000
    np.testing.assert_array_equal(samples, expected)


def test_24_bit_stereo_mixes_down() -> None:
    frames = bytes([0, 0x00, 0x10, 0, 0x00, 0x30]) * 3  # left 0x1000, right 0x3000
    samples, _ = decode_wav(raw_wav(frames, width=3, channels=2))
    np.testing.assert_array_equal(samples, [0x2000] * 3)


def test_decoding_from_a_path_and_an_open_file(tmp_path: Path) -> None:
    pcm = (np.arange(100) * 300 - 15000).astype(np.int16)
    path = tmp_path / "speech.wav"
    path.write_bytes(encode_wav(pcm, 22050))
    for source in (path, str(path)):
        samples, rate = decode_wav(source)
        assert rate == 22050
        np.testing.assert_array_equal(samples, pcm)
    with path.open("rb") as file:
        samples, _ = decode_wav(file)
        assert not file.closed  # the caller's file stays the caller's
    np.testing.assert_array_equal(samples, pcm)
    assert wav_duration(path) == pytest.approx(100 / 22050)


@pytest.mark.parametrize(
    "data",
    [b"", b"not a wav at all", b"RIFF\x00\x00\x00\x00WAVE", b"ID3\x04mp3 data here"],
)
def test_non_wav_data_raises_wav_error(data: bytes) -> None:
    with pytest.raises(WavError):
        decode_wav(data)
    with pytest.raises(WavError):
        wav_duration(data)


def test_a_truncated_data_chunk_keeps_whole_frames() -> None:
    data = encode_wav(np.array([[1, 2], [3, 4], [5, 6]], dtype=np.int16), channels=2)
    samples, _ = decode_wav(data[:-3])  # cut mid-frame
    np.testing.assert_array_equal(samples, [2, 4])  # (1+2)/2 rounds to even, (3+4)/2 too


def test_encoding_refuses_what_it_cannot_write_faithfully() -> None:
    with pytest.raises(TypeError):
        encode_wav(np.zeros(4, dtype=np.float32))
    with pytest.raises(ValueError, match="whole frames"):
        encode_wav(np.zeros(3, dtype=np.int16), channels=2)
    with pytest.raises(ValueError, match="columns"):
        encode_wav(np.zeros((3, 2), dtype=np.int16), channels=1)
    with pytest.raises(ValueError):
        encode_wav(np.zeros(3, dtype=np.int16), samplerate=0)


def test_sizes_and_durations() -> None:
    assert samples_to_seconds(24000) == 1.5
    assert seconds_to_samples(1.5) == 24000
    assert seconds_to_samples(0.5, 44100) == 22050
    assert wav_size(16000) == 32044
    # An hour at 16 kHz mono is ~115 MB: more than one upload may hold, hence the chunks.
    limit = max_wav_seconds()
    assert 1600 < limit < 1700
    assert wav_size(seconds_to_samples(limit)) <= MAX_UPLOAD_BYTES
    assert max_wav_seconds(4000) == 3600  # capped by the duration limit too
