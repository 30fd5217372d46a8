"""Transcription: multipart parsing, the WAV report, format and model checks, the 50 MB limit."""

from __future__ import annotations

import io
import json
import select
import socket
import wave

import httpx
import numpy as np
import pytest

from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer

from .helpers import log_for

MODEL = "FunAudioLLM/SenseVoiceSmall"
PATH = "/v1/audio/transcriptions"
LIMIT = 50 * 1024 * 1024
INVALID = {"code": 20015, "message": "The parameter is invalid. Please check again.", "data": None}


def wav(seconds: float, rate: int = 16000, channels: int = 1) -> bytes:
    samples = (np.sin(np.arange(int(seconds * rate) * channels) * 0.05) * 8000).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples.tobytes())
    return out.getvalue()


def transcribe(
    client: httpx.Client,
    content: bytes,
    filename: str = "speech.wav",
    content_type: str = "audio/wav",
    model: str | None = MODEL,
) -> httpx.Response:
    data = {"model": model} if model is not None else {}
    return client.post(
        "/audio/transcriptions", data=data, files={"file": (filename, content, content_type)}
    )


def test_wav_uploads_are_reported_and_logged(client: httpx.Client, srv: SandboxServer) -> None:
    audio = wav(3.2)
    response = transcribe(client, audio)
    assert response.status_code == 200
    assert response.json() == {"text": "[sandbox] 3.20 s of audio, 16000 Hz, mono, level -15 dBFS"}
    entry = log_for(srv, PATH)[-1]
    assert entry["body"] is None
    assert entry["file"] == {
        "filename": "speech.wav",
        "content_type": "audio/wav",
        "size": len(audio),
        "wav": {
            "rate": 16000,
            "channels": 1,
            "sample_width": 2,
            "frames": 51200,
            "duration": 3.2,
            "rms_dbfs": -15.3,  # a sine of amplitude 8000: 20·log10(8000 / 32768 / √2)
        },
    }


def test_stereo_wav_and_the_other_model(client: httpx.Client) -> None:
    response = transcribe(client, wav(0.5, rate=44100, channels=2), model="TeleAI/TeleSpeechASR")
    assert response.json()["text"] == "[sandbox] 0.50 s of audio, 44100 Hz, stereo, level -15 dBFS"


def test_a_silent_wav_is_reported_as_silent(client: httpx.Client) -> None:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16000)
        writer.writeframes(bytes(16000 * 2))
    response = transcribe(client, out.getvalue())
    assert response.json()["text"] == "[sandbox] 1.00 s of audio, 16000 Hz, mono, silent"


def test_other_formats_report_bytes_and_type(client: httpx.Client, srv: SandboxServer) -> None:
    response = transcribe(client, b"ID3" + b"\0" * 997, "memo.mp3", "audio/mpeg")
    assert response.json() == {"text": "[sandbox] received 1000 bytes of audio/mpeg (memo.mp3)"}
    assert log_for(srv, PATH)[-1]["file"]["wav"] is None
    # A .wav name on something that is not a WAV still transcribes, by byte count.
    assert "received 4 bytes" in transcribe(client, b"RIFF").json()["text"]


@pytest.mark.parametrize("filename", ["notes.txt", "speech", "clip.mp4"])
def test_unsupported_extensions_are_20083(client: httpx.Client, filename: str) -> None:
    response = transcribe(client, wav(0.1), filename)
    assert response.status_code == 400
    assert response.json() == {
        "code": 20083,
        "message": "Unsupported audio format, please use wav/mp3/pcm/opus/webm",
        "data": None,
    }


def test_missing_parts_and_wrong_models(client: httpx.Client) -> None:
    no_file = client.post("/audio/transcriptions", data={"model": MODEL, "file": "speech.wav"})
    assert (no_file.status_code, no_file.json()) == (400, INVALID)
    assert transcribe(client, wav(0.1), model=None).json() == INVALID
    for model in ("no/model", "FunAudioLLM/CosyVoice2-0.5B"):
        assert transcribe(client, wav(0.1), model=model).json()["code"] == 20012
    as_json = client.post("/audio/transcriptions", json={"model": MODEL})
    assert as_json.status_code == 400


def test_files_over_50_mb_are_413(client: httpx.Client, srv: SandboxServer) -> None:
    response = transcribe(client, b"\0" * (LIMIT + 1), "big.wav")
    assert response.status_code == 413
    assert response.json() == {
        "code": 20042,
        "message": "File size exceeds the limit of 50MB",
        "data": None,
    }
    assert log_for(srv, PATH)[-1]["file"]["size"] == LIMIT + 1


def _request_head(srv: SandboxServer, extra: str) -> bytes:
    return (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n"
        f"Authorization: Bearer {SANDBOX_API_KEY}\r\n"
        f"Content-Type: multipart/form-data; boundary=xyz\r\n{extra}\r\n"
    ).encode()


def _status_and_body(sock: socket.socket) -> tuple[int, dict[str, object]]:
    received = b""
    while b"\r\n\r\n" not in received or not received.endswith(b"}"):
        chunk = sock.recv(65536)
        assert chunk, "connection closed before a response"
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_a_declared_oversized_body_is_refused_before_it_is_sent(srv: SandboxServer) -> None:
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
        sock.sendall(_request_head(srv, f"Content-Length: {200 * 1024 * 1024}\r\n"))
        status, body = _status_and_body(sock)  # answered without sending a byte of body
    assert status == 413 and body["code"] == 20042


def test_a_chunked_upload_is_cut_off_once_it_passes_the_limit(srv: SandboxServer) -> None:
    piece = b"\0" * (1024 * 1024)
    frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    part = (
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n'
        b"Content-Type: audio/wav\r\n\r\n"
    )
    sent = 0
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
        sock.sendall(_request_head(srv, "Transfer-Encoding: chunked\r\n"))
        sock.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        while sent < 200 * 1024 * 1024:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered
            sock.sendall(frame)
            sent += len(piece)
        status, body = _status_and_body(sock)
    assert status == 413 and body["message"] == "File size exceeds the limit of 50MB"
    # The server stopped reading soon after the limit instead of buffering everything.
    assert sent < 120 * 1024 * 1024
