"""``/audio/transcriptions``: upload audio (multipart), get text back."""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import Mapping
from os import PathLike
from pathlib import Path

from ._errors import PayloadTooLargeError, ProtocolError
from ._transport import Transport
from ._types import Transcription, require_dict

#: The service rejects larger files; checking first saves uploading 50 MB for nothing.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

_MIME_BY_SUFFIX = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".pcm": "audio/pcm",
    ".opus": "audio/opus",
    ".webm": "audio/webm",
    ".m4a": "audio/mp4",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
}


class AudioResource:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def transcribe(
        self,
        *,
        model: str,
        file: bytes | str | PathLike[str],
        filename: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Transcription:
        """Transcribe audio given as bytes or a path (a path's name is used unless given)."""
        if isinstance(file, bytes):
            data = file
            name = filename or "speech.wav"
        else:
            path = Path(file)
            name = filename or path.name
            size = (await asyncio.to_thread(path.stat)).st_size
            if size > MAX_UPLOAD_BYTES:
                raise _too_large(size)
            data = await asyncio.to_thread(path.read_bytes)
        if len(data) > MAX_UPLOAD_BYTES:
            raise _too_large(len(data))
        result, trace_id = await self._transport.request_json(
            "POST",
            "/audio/transcriptions",
            files={"file": (name, data, audio_mime(name))},
            data={"model": model},
            timeout_kind="long",
            extra_headers=extra_headers,
        )
        reply = require_dict(result, "transcription response")
        text = reply.get("text")
        if not isinstance(text, str):
            raise ProtocolError("transcription response has no text", trace_id=trace_id)
        return Transcription(text=text, trace_id=trace_id)


def audio_mime(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return _MIME_BY_SUFFIX.get(suffix) or mimetypes.guess_type(filename)[0] or "audio/wav"


def _too_large(size: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"the audio file is {size / 1048576:.1f} MB; the limit is 50 MB",
        reason="too_large",
    )
