"""Images attached to a chat message: checked, downscaled if huge, and encoded as data URLs.

Vision models take images as ``image_url`` parts whose URL may be a ``data:…;base64,`` URL
(siliconflow-api.md §3). This module owns turning bytes (a file, a pasted or dropped image) into
the attachment record the store keeps and the controller sends::

    {"name": "cat.png", "mime": "image/png", "url": "data:image/png;base64,…",
     "width": 1024, "height": 768}

Images wider or taller than :data:`MAX_SIDE` are scaled down first: the models resize them to far
less anyway, and a 4,000-pixel photo would make every later request of the conversation megabytes
larger (and several images per request already draw a 413). Pillow does the work, so this stays
free of Qt and testable on its own; Pillow is imported only when an image is prepared.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

MAX_SIDE = 2048  # pixels on the longer side after downscaling
MAX_INPUT_BYTES = 30 * 1024 * 1024  # refuse to decode anything larger than this
MAX_IMAGES_PER_MESSAGE = 4  # several images per request is where 413s start (siliconflow-api.md)
JPEG_QUALITY = 88

# Formats sent as they are when small enough; everything else is re-encoded.
_PASSTHROUGH = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


class AttachmentError(Exception):
    """Why a file cannot be attached. ``reason`` is a stable slug the UI translates:
    ``"empty"``, ``"too-large"`` or ``"not-an-image"``."""

    def __init__(self, reason: str, name: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.reason = reason
        self.name = name


def prepare_image(data: bytes, name: str) -> dict[str, Any]:
    """The attachment record for image ``data`` (downscaled and re-encoded when needed)."""
    # Pillow only here: the UI imports this module for decode_data_url on every conversation
    # drawn, and images are prepared in a worker thread.
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise AttachmentError("empty", name)
    if len(data) > MAX_INPUT_BYTES:
        raise AttachmentError("too-large", name)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return _record(image, data, name)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise AttachmentError("not-an-image", name) from exc


def _record(image: Image.Image, data: bytes, name: str) -> dict[str, Any]:
    fmt = image.format or ""
    width, height = image.size
    if max(width, height) <= MAX_SIDE and fmt in _PASSTHROUGH:
        mime, payload = _PASSTHROUGH[fmt], data
    else:
        image = _oriented(image)
        from PIL import Image

        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        width, height = image.size
        mime, payload = _encode(image)
    encoded = base64.b64encode(payload).decode("ascii")
    return {
        "name": name,
        "mime": mime,
        "url": f"data:{mime};base64,{encoded}",
        "width": width,
        "height": height,
    }


def _oriented(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation: a phone photo should not arrive sideways once re-encoded."""
    from PIL import ImageOps

    return ImageOps.exif_transpose(image) or image


def _encode(image: Image.Image) -> tuple[str, bytes]:
    """PNG when transparency matters, JPEG for everything else (photos: far smaller)."""
    out = io.BytesIO()
    has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    if has_alpha:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return "image/png", out.getvalue()
    image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY)
    return "image/jpeg", out.getvalue()


def decode_data_url(url: str) -> bytes | None:
    """The bytes of a ``data:…;base64,`` URL (None for anything else): for thumbnails."""
    head, sep, payload = url.partition(",")
    if not sep or not head.startswith("data:") or not head.endswith(";base64"):
        return None
    try:
        return base64.b64decode(payload, validate=True)
    except ValueError:
        return None
