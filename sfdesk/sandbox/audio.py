"""``POST /v1/audio/transcriptions``: multipart upload checks and a transcript that reports it.

There is no speech recognition here: the "transcript" says what arrived (duration, rate, channels
and loudness for WAV, read with the stdlib ``wave`` module; otherwise size and type), which is
what a client test needs to prove its upload was right. File details also go to the request log.
"""

from __future__ import annotations

import contextlib
import math
import wave
from pathlib import PurePath
from typing import Any, BinaryIO

import numpy as np
from starlette.datastructures import UploadFile
from starlette.responses import Response

from . import errors
from .catalogue import find
from .exchange import Call

MAX_FILE_BYTES = 50 * 1024 * 1024
# Multipart framing and the other fields are small; the body may exceed the file by this much.
BODY_ALLOWANCE = 1024 * 1024
MAX_BODY_BYTES = MAX_FILE_BYTES + BODY_ALLOWANCE
TOO_LARGE = "File size exceeds the limit of 50MB"
FORMATS = frozenset({"wav", "mp3", "pcm", "opus", "webm", "m4a", "flac", "ogg"})


async def handle(call: Call) -> Response:
    form = call.form
    if form is None:
        return errors.invalid()
    model = form.get("model")
    if not isinstance(model, str) or not model:
        return errors.invalid()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return errors.invalid()
    size = _size(upload.file)
    details = describe(upload.file, upload.filename or "", upload.content_type or "", size)
    call.exchange.record(file=details)
    if find(model, "speech-to-text") is None:
        return errors.unknown_model()
    if size > MAX_FILE_BYTES:
        return errors.too_large(TOO_LARGE)
    if PurePath(upload.filename or "").suffix.lower().lstrip(".") not in FORMATS:
        return errors.error(
            400, 20083, "Unsupported audio format, please use wav/mp3/pcm/opus/webm"
        )
    return errors.JSONResponse({"text": transcript(details)})


def _size(file: BinaryIO) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def describe(file: BinaryIO, filename: str, content_type: str, size: int) -> dict[str, Any]:
    """The log's record of an uploaded file, with the WAV header's facts when it is a WAV."""
    return {
        "filename": filename,
        "content_type": content_type,
        "size": size,
        "wav": wav_info(file),
    }


def wav_info(file: BinaryIO) -> dict[str, Any] | None:
    file.seek(0)
    try:
        with contextlib.closing(wave.open(file, "rb")) as reader:
            rate = reader.getframerate()
            frames = reader.getnframes()
            width = reader.getsampwidth()
            return {
                "rate": rate,
                "channels": reader.getnchannels(),
                "sample_width": width,
                "frames": frames,
                "duration": frames / rate if rate else 0.0,
                "rms_dbfs": _rms_dbfs(reader.readframes(frames), width),
            }
    except (wave.Error, EOFError, ValueError):
        return None
    finally:
        file.seek(0)


def _rms_dbfs(raw: bytes, width: int) -> float | None:
    """The loudness of 16-bit audio (None for other widths); -90 for digital silence."""
    if width != 2 or len(raw) < 2:
        return None
    samples = np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float64) / 32768
    rms = float(np.sqrt(np.mean(samples * samples)))
    return round(max(20 * math.log10(rms), -90.0), 1) if rms > 0 else -90.0


def transcript(details: dict[str, Any]) -> str:
    wav = details["wav"]
    if wav is not None:
        channels = {1: "mono", 2: "stereo"}.get(wav["channels"], f"{wav['channels']} channels")
        text = f"[sandbox] {wav['duration']:.2f} s of audio, {wav['rate']} Hz, {channels}"
        level = wav.get("rms_dbfs")
        if level is not None:
            # Says whether speech arrived: a client that uploads silence can be caught.
            text += ", silent" if level <= -60 else f", level {level:.0f} dBFS"
        return text
    kind = details["content_type"] or "unknown type"
    return f"[sandbox] received {details['size']} bytes of {kind} ({details['filename']})"
