"""``/images/generations``: generate, then download every image at once.

SiliconFlow's image URLs are signed links that expire after an hour, so a result is only useful
once its bytes are here. Downloads go to the file host without the API key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from ._errors import ApiError, ContentFilteredError, ImageDownloadError, ProtocolError
from ._transport import Transport
from ._types import GeneratedImage, Images, require_dict


def build_image_body(model: str, prompt: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The exact JSON body sent (also used by "view code"); unset options are left out."""
    body: dict[str, Any] = {"model": model, "prompt": prompt}
    body.update({key: value for key, value in params.items() if value is not None})
    return body


class ImagesResource:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def generate(
        self,
        *,
        model: str,
        prompt: str,
        extra_headers: Mapping[str, str] | None = None,
        **params: Any,
    ) -> Images:
        """Generate images and return them with their bytes.

        Raises :class:`ContentFilteredError` when every image was withheld by moderation, and
        :class:`ImageDownloadError` when a file could not be fetched: it carries the URLs that
        failed, the images that did arrive and the seed, so nothing already paid for is lost.
        """
        data, trace_id = await self._transport.request_json(
            "POST",
            "/images/generations",
            json_body=build_image_body(model, prompt, params),
            timeout_kind="long",
            extra_headers=extra_headers,
        )
        reply = require_dict(data, "image response")
        urls = _urls(reply, trace_id)
        kept = [url for url in urls if url]
        if not kept:
            raise ContentFilteredError(
                "no image was returned (the prompt was probably filtered)",
                trace_id=trace_id,
            )
        seed = reply.get("seed")
        seed = seed if isinstance(seed, int) and not isinstance(seed, bool) else None
        # Every download is awaited, so one failure cannot throw away the images that did arrive.
        outcomes = await asyncio.gather(
            *(self._fetch(url, trace_id) for url in kept), return_exceptions=True
        )
        results = [item for item in outcomes if isinstance(item, GeneratedImage)]
        failures: list[ImageDownloadError] = []
        for item in outcomes:
            if isinstance(item, ImageDownloadError):
                failures.append(item)
            elif isinstance(item, BaseException):
                raise item
        if failures:
            raise ImageDownloadError(
                failures[0].message,
                urls=tuple(url for failure in failures for url in failure.urls),
                downloaded=tuple(results),
                seed=seed,
                status=failures[0].status,
                trace_id=trace_id,
            )
        timings = reply.get("timings")
        inference = timings.get("inference") if isinstance(timings, dict) else None
        return Images(
            images=tuple(results),
            seed=seed,
            inference_seconds=float(inference) if isinstance(inference, int | float) else None,
            trace_id=trace_id,
            filtered=len(urls) - len(kept),
        )

    async def download(self, url: str) -> GeneratedImage:
        """Fetch one generated image again (a retry after :class:`ImageDownloadError`).

        Raises :class:`ImageDownloadError` when it still cannot be fetched — e.g. its signed URL
        has expired, which happens an hour after it was made.
        """
        return await self._fetch(url, None)

    async def _fetch(self, url: str, trace_id: str | None) -> GeneratedImage:
        try:
            data, content_type = await self._transport.download(url)
        except ApiError as exc:
            raise ImageDownloadError(
                f"could not download the image: {exc.message or exc.hint}",
                urls=(url,),
                status=exc.status,
                trace_id=trace_id,
            ) from exc
        return GeneratedImage(url=url, data=data, mime=_mime(data, content_type))


def _urls(reply: dict[str, Any], trace_id: str | None) -> list[str]:
    items = reply.get("images") or reply.get("data")
    if not isinstance(items, list):
        raise ProtocolError("image response has no images", trace_id=trace_id)
    urls = []
    for item in items:
        url = item.get("url") if isinstance(item, dict) else None
        if url is not None and not isinstance(url, str):
            raise ProtocolError("image url is not text", trace_id=trace_id)
        urls.append(url or "")
    return urls


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)


def _mime(data: bytes, content_type: str) -> str:
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return content_type.partition(";")[0].strip() or "application/octet-stream"
