"""WAV files for speech-to-text: encoding recordings, decoding imports, sizes and durations.

This module owns the one audio container the app writes — 16-bit PCM WAV, by default 16 kHz mono,
which every speech model accepts (siliconflow-api.md §7) — and reading WAV imports back to 16-bit
mono for the waveform and the segmenter. It uses only the stdlib ``wave`` module and numpy.

Reading accepts 8-bit (unsigned), 16-, 24- and 32-bit integer PCM and any channel count (mixed
down to mono). Float WAVs and WAVE_FORMAT_EXTENSIBLE headers (which ``wave`` reads only from
Python 3.12) raise :class:`WavError`; the panel uploads such files as they are.
"""

from __future__ import annotations

import contextlib
import io
import math
import struct
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Final

import numpy as np
import numpy.typing as npt

#: What the transcription endpoint accepts (siliconflow-api.md §7).
MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024
MAX_UPLOAD_SECONDS: Final = 60 * 60
#: The canonical RIFF/WAVE header ``wave`` writes for PCM.
HEADER_BYTES: Final = 44
SPEECH_SAMPLERATE: Final = 16000

Int16Array = npt.NDArray[np.int16]
WavSource = bytes | bytearray | memoryview | Path | str | BinaryIO


class WavError(ValueError):
    """Not a WAV file this module can read (corrupt, truncated, float or extensible format)."""


def encode_wav(pcm: npt.ArrayLike, samplerate: int = SPEECH_SAMPLERATE, channels: int = 1) -> bytes:
    """A 16-bit PCM WAV file of ``pcm``.

    ``pcm`` is int16: 1-D (interleaved when ``channels`` > 1) or 2-D ``(frames, channels)``.
    Other dtypes are refused rather than converted, since the right scaling of floats or wider
    integers is the caller's to know.
    """
    samples = np.asarray(pcm)
    if samples.dtype != np.int16:
        raise TypeError(f"expected int16 samples, got {samples.dtype}")
    if channels < 1:
        raise ValueError("channels must be at least 1")
    if samplerate < 1:
        raise ValueError("samplerate must be positive")
    if samples.ndim == 2:
        if samples.shape[1] != channels:
            raise ValueError(f"{samples.shape[1]} columns for {channels} channels")
    elif samples.ndim != 1:
        raise ValueError(f"expected a 1-D or 2-D array, got {samples.ndim} dimensions")
    if samples.size % channels:
        raise ValueError(f"{samples.size} samples do not make whole frames of {channels} channels")
    buffer = io.BytesIO()
    with contextlib.closing(wave.open(buffer, "wb")) as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(samplerate)
        # WAV is little-endian whatever the machine is.
        writer.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())
    return buffer.getvalue()


def decode_wav(source: WavSource) -> tuple[Int16Array, int]:
    """The samples of a PCM WAV as 1-D int16 mono (channels averaged) and its sample rate.

    ``source`` is the file's bytes, a path or an open binary file. Wider samples keep their top
    16 bits; 8-bit samples (unsigned in WAV) are centred and scaled up.
    """
    with _open(source) as reader:
        channels = reader.getnchannels()
        width = reader.getsampwidth()
        rate = reader.getframerate()
        raw = reader.readframes(reader.getnframes())
    if width not in (1, 2, 3, 4):
        raise WavError(f"unsupported sample width: {width * 8} bits")
    # A truncated data chunk can end mid-frame: keep whole frames only.
    frame_bytes = width * channels
    raw = raw[: len(raw) - len(raw) % frame_bytes]
    samples = _to_int16(raw, width)
    if channels > 1:
        frames = samples.reshape(-1, channels).astype(np.int32)
        samples = np.round(frames.mean(axis=1)).astype(np.int16)
    return samples, rate


def wav_duration(source: WavSource) -> float:
    """Seconds of audio in a PCM WAV, from its header (the samples are not read)."""
    with _open(source) as reader:
        rate = reader.getframerate()
        return reader.getnframes() / rate if rate else 0.0


def samples_to_seconds(samples: int, samplerate: int = SPEECH_SAMPLERATE) -> float:
    return samples / samplerate


def seconds_to_samples(seconds: float, samplerate: int = SPEECH_SAMPLERATE) -> int:
    return round(seconds * samplerate)


def wav_size(frames: int, *, channels: int = 1, sample_width: int = 2) -> int:
    """Bytes of the PCM WAV :func:`encode_wav` writes for ``frames`` frames."""
    return HEADER_BYTES + frames * channels * sample_width


def max_wav_seconds(
    samplerate: int = SPEECH_SAMPLERATE,
    *,
    channels: int = 1,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> float:
    """The longest 16-bit WAV that fits in one upload: about 27 minutes at 16 kHz mono, so an
    hour's recording must be sent in pieces (the segmenter's chunks are far smaller)."""
    seconds = (max_bytes - HEADER_BYTES) / (samplerate * channels * 2)
    return float(min(math.floor(seconds * 1000) / 1000, MAX_UPLOAD_SECONDS))


@contextlib.contextmanager
def _open(source: WavSource) -> Iterator[wave.Wave_read]:
    if isinstance(source, bytes | bytearray | memoryview):
        stream: BinaryIO = io.BytesIO(bytes(source))
    elif isinstance(source, Path | str):
        stream = open(source, "rb")  # noqa: SIM115 - closed in the finally below
    else:
        stream = source
    try:
        try:
            reader = wave.open(stream, "rb")  # noqa: SIM115 - closed in the finally below
        except (wave.Error, EOFError, struct.error) as exc:
            raise WavError(f"not a readable PCM WAV file: {exc}") from exc
        try:
            yield reader
        except (wave.Error, EOFError, struct.error) as exc:
            raise WavError(f"not a readable PCM WAV file: {exc}") from exc
        finally:
            reader.close()
    finally:
        if stream is not source:
            stream.close()


def _to_int16(raw: bytes, width: int) -> Int16Array:
    if width == 1:
        # 8-bit WAV is unsigned with 128 as zero.
        return ((np.frombuffer(raw, dtype=np.uint8).astype(np.int16) - 128) << 8).astype(np.int16)
    if width == 2:
        return np.frombuffer(raw, dtype="<i2").astype(np.int16)
    if width == 3:
        triples = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3)
        # The top two bytes of a little-endian 24-bit sample are its 16 most significant bits.
        high = triples[:, 1].astype(np.uint16) | (triples[:, 2].astype(np.uint16) << 8)
        return high.view(np.int16)
    return (np.frombuffer(raw, dtype="<i4") >> 16).astype(np.int16)
