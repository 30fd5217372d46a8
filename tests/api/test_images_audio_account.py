"""Images (download at once, never with the key), transcription, model list and balance."""

from __future__ import annotations

import io
import wave
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from sfdesk.api import (
    ContentFilteredError,
    ImageDownloadError,
    PayloadTooLargeError,
    SiliconFlowClient,
)
from sfdesk.sandbox import SandboxServer

from .helpers import requests_to

pytestmark = pytest.mark.anyio


async def test_generated_images_are_downloaded_without_the_api_key(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    result = await sf.images.generate(
        model="Kwai-Kolors/Kolors",
        prompt="a red fox in snow",
        image_size="512x512",
        batch_size=2,
        seed=42,
    )
    assert len(result.images) == 2 and result.seed == 42
    assert result.inference_seconds is not None
    for image in result.images:
        assert image.mime == "image/png" and image.data.startswith(b"\x89PNG")
    downloads = [e for e in sandbox.requests() if e["path"].startswith("/files/")]
    assert len(downloads) == 2
    assert all(e["auth"] == "missing" for e in downloads)  # the key never goes to the file host
    again = await sf.images.generate(
        model="Kwai-Kolors/Kolors", prompt="a red fox in snow", image_size="512x512", seed=42
    )
    assert again.images[0].data == result.images[0].data


async def test_filtered_prompt_is_explained(sf: SiliconFlowClient) -> None:
    with pytest.raises(ContentFilteredError):
        await sf.images.generate(model="Qwen/Qwen-Image", prompt="something nsfw")


async def test_expired_image_url_is_a_download_error_that_keeps_the_url(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    sandbox.configure(image_ttl_seconds=0)
    with pytest.raises(ImageDownloadError) as caught:
        await sf.images.generate(model="Qwen/Qwen-Image", prompt="a lighthouse")
    assert caught.value.urls and caught.value.urls[0].startswith(sandbox.root_url)
    assert caught.value.status == 403


async def test_one_failed_download_keeps_the_images_that_arrived_and_the_seed(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("/files/outputs", "500")
    with pytest.raises(ImageDownloadError) as caught:
        await sf.images.generate(
            model="Kwai-Kolors/Kolors", prompt="two foxes", batch_size=2, seed=7
        )
    error = caught.value
    assert len(error.urls) == 1 and len(error.downloaded) == 1
    assert error.downloaded[0].data.startswith(b"\x89PNG")
    assert error.seed == 7 and error.trace_id
    # The failed one can be fetched again while its link is valid.
    again = await sf.images.download(error.urls[0])
    assert again.data.startswith(b"\x89PNG") and again.data != error.downloaded[0].data


async def test_download_of_an_expired_link_fails_plainly(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    sandbox.configure(image_ttl_seconds=0)
    with pytest.raises(ImageDownloadError) as caught:
        await sf.images.generate(model="Qwen/Qwen-Image", prompt="a lighthouse", seed=1)
    with pytest.raises(ImageDownloadError) as retried:
        await sf.images.download(caught.value.urls[0])
    assert retried.value.status == 403 and retried.value.urls == caught.value.urls


def _wav(seconds: float, rate: int = 16000) -> bytes:
    samples = (np.sin(np.arange(int(seconds * rate)) * 0.05) * 8000).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


async def test_transcription_uploads_multipart_wav(
    sf: SiliconFlowClient, sandbox: SandboxServer, tmp_path: Path
) -> None:
    result = await sf.audio.transcribe(model="FunAudioLLM/SenseVoiceSmall", file=_wav(1.5))
    assert "1.50 s" in result.text
    upload = requests_to(sandbox, "/v1/audio/transcriptions")[-1]["file"]
    assert upload["filename"] == "speech.wav" and upload["content_type"] == "audio/wav"
    assert upload["wav"]["rate"] == 16000 and upload["wav"]["channels"] == 1

    path = tmp_path / "memo.wav"
    path.write_bytes(_wav(0.5))
    from_path = await sf.audio.transcribe(model="FunAudioLLM/SenseVoiceSmall", file=path)
    assert "0.50 s" in from_path.text
    assert requests_to(sandbox, "/v1/audio/transcriptions")[-1]["file"]["filename"] == "memo.wav"


async def test_oversized_audio_is_refused_before_uploading(
    sf: SiliconFlowClient, sandbox: SandboxServer
) -> None:
    with pytest.raises(PayloadTooLargeError) as caught:
        await sf.audio.transcribe(
            model="FunAudioLLM/SenseVoiceSmall", file=b"\0" * (50 * 1024 * 1024 + 1)
        )
    assert "50 MB" in str(caught.value)
    assert requests_to(sandbox, "/v1/audio/transcriptions") == []


async def test_models_are_filtered_by_sub_type_and_type(sf: SiliconFlowClient) -> None:
    chat = await sf.models.list(sub_type="chat")
    embedding = await sf.models.list(sub_type="embedding")
    images = await sf.models.list(type="image")
    assert "Qwen/Qwen3-8B" in chat and "BAAI/bge-m3" not in chat
    assert "BAAI/bge-m3" in embedding and "Qwen/Qwen3-8B" not in embedding
    assert "Kwai-Kolors/Kolors" in images and "Qwen/Qwen-Image-Edit" in images


async def test_balances_are_exact_decimals(sf: SiliconFlowClient) -> None:
    info = await sf.user.info()
    assert info.total_balance == Decimal("88.88")
    assert info.balance + info.charge_balance == info.total_balance
