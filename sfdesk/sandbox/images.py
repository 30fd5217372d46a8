"""``POST /v1/images/generations`` and the file host that serves the results.

Images are drawn with Pillow — a gradient, soft shapes and "hills" in a palette taken from the
prompt, composed from prompt+seed (same prompt and seed, same bytes), with the prompt's first words
as a caption. Like SiliconFlow's OSS links, the URLs are signed and expire (one hour by default,
settable for tests); the file host needs no API key, and the results live in memory (bounded).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import colorsys
import hashlib
import hmac
import io
import math
import random
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError
from starlette.datastructures import QueryParams
from starlette.responses import Response

from . import errors
from .catalogue import ModelInfo, find
from .text import has_cjk, stable_hash

if TYPE_CHECKING:
    from .exchange import Call

MAX_STORED = 200
MAX_SEED = 9_999_999_999
MIN_SIDE, MAX_SIDE = 64, 2048
DEFAULT_SIZE = (1024, 1024)
_SIZE_RE = re.compile(r"\s*(\d{1,5})\s*[xX*]\s*(\d{1,5})\s*")
_FILTERED_WORDS = ("nsfw", "违禁")


# -- storage and signed URLs -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredImage:
    png: bytes
    expires_at: float  # precise; the URL's `Expires` is this rounded down to whole seconds


class ImageStore:
    """The last :data:`MAX_STORED` images, by file name; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._images: OrderedDict[str, StoredImage] = OrderedDict()
        self._secret = secrets.token_bytes(32)

    def put(self, png: bytes, ttl: float, now: float) -> tuple[str, int]:
        """Store ``png``; returns its file name and the URL's ``Expires``."""
        name = secrets.token_hex(5) + ".png"
        with self._lock:
            self._images[name] = StoredImage(png, now + ttl)
            while len(self._images) > MAX_STORED:
                self._images.popitem(last=False)
        return name, int(now + ttl)

    def get(self, name: str) -> StoredImage | None:
        with self._lock:
            return self._images.get(name)

    def signature(self, name: str, expires: str) -> str:
        digest = hmac.new(self._secret, f"GET\n{expires}\n/outputs/{name}".encode(), hashlib.sha1)
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")

    def url(self, root_url: str, name: str, expires: int) -> str:
        signature = self.signature(name, str(expires))
        return (
            f"{root_url}/files/outputs/{name}"
            f"?Expires={expires}&OSSAccessKeyId=sandbox&Signature={signature}"
        )

    def serve(self, name: str, query: QueryParams) -> Response:
        """The file host's answer to ``GET /files/outputs/<name>?Expires=…&Signature=…``."""
        expires = query.get("Expires", "")
        given = query.get("Signature", "")
        if not expires.isdigit() or not hmac.compare_digest(given, self.signature(name, expires)):
            return errors.oss_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        stored = self.get(name)
        deadline = stored.expires_at if stored is not None else float(expires)
        if time.time() >= deadline:
            return errors.oss_error(403, "AccessDenied", "Request has expired.")
        if stored is None:
            return errors.oss_error(404, "NoSuchKey", "The specified key does not exist.")
        return Response(stored.png, media_type="image/png")


# -- the endpoint ------------------------------------------------------------------------------


async def handle(call: Call) -> Response:
    try:
        request = _parse(call.body)
    except errors.Invalid as invalid:
        return invalid.response
    started = time.perf_counter()
    if request.filtered:
        # Moderation: the real API answers 200 with an empty URL (siliconflow-api.md §6).
        pngs = [b""] * request.count
    else:
        pngs = await asyncio.to_thread(_render_all, request)
    inference = round(time.perf_counter() - started, 3)
    now = time.time()
    store = call.state.images
    ttl = call.state.config.image_ttl_seconds
    urls = []
    for png in pngs:
        if png:
            name, expires = store.put(png, ttl, now)
            urls.append(store.url(call.root_url, name, expires))
        else:
            urls.append("")
    items = [{"url": url} for url in urls]
    return errors.JSONResponse(
        {
            "images": items,
            "data": items,
            "timings": {"inference": inference},
            "seed": request.seed,
            "shared_id": "0",
            "created": int(now),
        }
    )


@dataclass(frozen=True, slots=True)
class _Request:
    model: ModelInfo
    prompt: str
    seed: int
    count: int
    size: tuple[int, int]
    source: Image.Image | None
    filtered: bool
    steps: int | None = None
    guidance: float | None = None


def _number(body: dict[str, Any], name: str, low: int, high: int) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise errors.Invalid(errors.invalid())
    return value


def _real(body: dict[str, Any], name: str, low: float, high: float) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
        raise errors.Invalid(errors.invalid())
    return float(value)


def _parse(body: object) -> _Request:
    if not isinstance(body, dict):
        raise errors.Invalid(errors.invalid())
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise errors.Invalid(errors.invalid())
    info = find(model, "text-to-image", "image-to-image")
    if info is None:
        raise errors.Invalid(errors.unknown_model())
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise errors.Invalid(errors.invalid())
    size = DEFAULT_SIZE
    if info.uses_image_size and body.get("image_size") is not None:
        size = _parse_size(body["image_size"])
    count = 1
    if info.batch:
        count = _number(body, "batch_size", 1, 4) or 1
    # Range checks of siliconflow-api.md §6; the values do not change the drawing.
    steps = _number(body, "num_inference_steps", 1, 100)
    guidance = _real(body, "guidance_scale", 0, 20)
    cfg = _real(body, "cfg", 0.1, 20)
    if not isinstance(body.get("negative_prompt", ""), str):
        raise errors.Invalid(errors.invalid())
    seed = _number(body, "seed", 0, MAX_SEED)
    if seed is None:
        seed = random.randint(0, MAX_SEED)
    source = None
    image = body.get("image")
    if info.needs_image and not image:
        raise errors.Invalid(errors.invalid())
    if image is not None and (info.needs_image or info.batch):
        source = _source_image(image)
        if info.needs_image:
            # Edit models ignore image_size: the output follows the input's aspect ratio.
            size = _edit_size(source)
    filtered = any(word in prompt.lower() for word in _FILTERED_WORDS)
    return _Request(
        info, prompt, seed, count, size, source, filtered, steps, guidance if cfg is None else cfg
    )


def _parse_size(value: object) -> tuple[int, int]:
    match = _SIZE_RE.fullmatch(value) if isinstance(value, str) else None
    if match is not None:
        width, height = int(match.group(1)), int(match.group(2))
        if MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE:
            return width, height
    raise errors.Invalid(errors.error(400, 20025, "Invalid image_size, please check again."))


def _source_image(value: object) -> Image.Image | None:
    """The decoded input image of a data URL; None for an http(s) URL (never fetched)."""
    if not isinstance(value, str):
        raise errors.Invalid(errors.invalid())
    if value.startswith(("http://", "https://")):
        return None
    head, comma, data = value.partition(",")
    if not (head.startswith("data:image/") and head.endswith(";base64") and comma):
        raise errors.Invalid(errors.invalid())
    try:
        with Image.open(io.BytesIO(base64.b64decode(data, validate=True))) as opened:
            opened.thumbnail((MAX_SIDE, MAX_SIDE))
            return opened.convert("RGB")
    except (binascii.Error, UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise errors.Invalid(errors.invalid()) from None


def _edit_size(source: Image.Image | None) -> tuple[int, int]:
    if source is None:
        return DEFAULT_SIZE
    # About one megapixel with the input's aspect, in multiples of 16 (512² in → 1024² out).
    scale = math.sqrt(1024 * 1024 / (source.width * source.height))

    def side(length: float) -> int:
        return min(MAX_SIDE, max(MIN_SIDE, round(length * scale / 16) * 16))

    return side(source.width), side(source.height)


# -- drawing -----------------------------------------------------------------------------------


def _render_all(request: _Request) -> list[bytes]:
    width, height = request.size
    return [
        render(
            request.prompt,
            request.seed,
            width,
            height,
            index=i,
            source=request.source,
            steps=request.steps,
            guidance=request.guidance,
        )
        for i in range(request.count)
    ]


def render(
    prompt: str,
    seed: int,
    width: int,
    height: int,
    *,
    index: int = 0,
    source: Image.Image | None = None,
    steps: int | None = None,
    guidance: float | None = None,
) -> bytes:
    """A PNG for ``prompt`` and ``seed``; the same arguments always give the same bytes.

    So that a grid of steps or guidance values shows something in a demo: more steps draw more
    shapes ("detail"), more guidance (or CFG) makes the colours stronger. Unset, they change
    nothing.
    """
    rnd = random.Random(stable_hash("image", prompt, str(seed), str(index)))
    # The palette comes from the prompt alone, so one prompt keeps its mood across seeds.
    hue = stable_hash("hue", prompt.strip().lower()) % 360 / 360

    # Guidance: 7.5 (Kolors' default) or CFG 4 look like an image drawn without it.
    vivid = 1.0 if guidance is None else min(max(0.35 + guidance / 10, 0.35), 1.6)

    def colour(h: float, s: float, v: float, alpha: int | None = None) -> tuple[int, ...]:
        r, g, b = colorsys.hsv_to_rgb(h % 1.0, min(s * vivid, 1.0), v)
        rgb = (round(r * 255), round(g * 255), round(b * 255))
        return rgb if alpha is None else (*rgb, alpha)

    top = np.array(colour(hue + rnd.uniform(-0.05, 0.05), 0.55, 0.95), dtype=np.float32)
    bottom = np.array(colour(hue + rnd.uniform(0.25, 0.45), 0.6, 0.45), dtype=np.float32)
    # Draw the gradient small and scale it up: smooth, and cheap even at 2048².
    small = 64
    ys, xs = np.mgrid[0:small, 0:small].astype(np.float32) / (small - 1)
    tilt = rnd.uniform(-0.4, 0.4)
    t = np.clip(ys + tilt * (xs - 0.5), 0, 1)[..., None]
    pixels = (top + (bottom - top) * t).astype(np.uint8)
    base = Image.fromarray(pixels, "RGB").resize((width, height), Image.Resampling.BILINEAR)
    if source is not None:
        base = Image.blend(base, source.resize((width, height)), 0.5)

    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    unit = min(width, height)
    for _ in range(rnd.randint(4, 8)):
        radius = unit * rnd.uniform(0.05, 0.22)
        cx, cy = width * rnd.random(), height * rnd.uniform(0.05, 0.6)
        fill = colour(
            hue + rnd.uniform(-0.15, 0.15), rnd.uniform(0.2, 0.6), 1.0, rnd.randint(40, 110)
        )
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill)
    # Steps add small "detail" from a generator of their own, so the composition stays put.
    detail = random.Random(stable_hash("detail", prompt, str(seed), str(index)))
    for _ in range((steps or 0) // 4):
        radius = unit * detail.uniform(0.008, 0.03)
        cx, cy = width * detail.random(), height * detail.uniform(0.0, 0.65)
        fill = colour(hue + detail.uniform(-0.2, 0.2), 0.3, 1.0, detail.randint(90, 170))
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill)
    for layer_index in range(3):
        level = height * (0.62 + 0.1 * layer_index)
        amplitude = height * rnd.uniform(0.03, 0.08)
        phase, waves = rnd.uniform(0, math.tau), rnd.uniform(1.0, 3.0)
        steps = 48
        outline = [
            (width * k / steps, level + amplitude * math.sin(phase + waves * math.tau * k / steps))
            for k in range(steps + 1)
        ]
        shade = colour(hue + 0.5 + 0.05 * layer_index, 0.5, 0.5 - 0.12 * layer_index, 200)
        draw.polygon([*outline, (width, height), (0, height)], fill=shade)
    _caption(draw, prompt, width, height)

    image = Image.alpha_composite(base.convert("RGBA"), layer).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _caption(draw: ImageDraw.ImageDraw, prompt: str, width: int, height: int) -> None:
    text = " ".join(prompt.split()[:6])
    if len(text) > 40:
        text = text[:39] + "…"
    size = max(10, min(width, height) // 22)
    font = _font(size, cjk=has_cjk(text))
    if font is None:
        # No CJK-capable font here: keep the latin part rather than draw boxes.
        text = " ".join(w for w in text.split() if not has_cjk(w))
        font = _font(size, cjk=False)
    if not text or font is None:
        return
    margin = size // 2
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    y = height - (bottom - top) - 3 * margin
    draw.rectangle(
        (margin, y - margin, margin + right - left + 2 * margin, y + bottom - top + margin),
        fill=(0, 0, 0, 110),
    )
    draw.text((2 * margin - left, y - top), text, font=font, fill=(255, 255, 255, 235))


_HERE = Path(__file__).resolve().parent
_CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
_LATIN_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/System/Library/Fonts/Helvetica.ttc",
    "C:/Windows/Fonts/arial.ttf",
)

FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=64)
def _font(size: int, *, cjk: bool) -> FontType | None:
    """A font for captions: the project's own fonts first, then common system fonts."""
    bundled = sorted(
        p
        for folder in (
            _HERE.parent.parent / "resources" / "fonts",
            _HERE.parent / "resources" / "fonts",
        )
        if folder.is_dir()
        for p in folder.iterdir()
        if p.suffix.lower() in (".ttf", ".otf", ".ttc")
    )
    if cjk:
        hinted = [p for p in bundled if re.search(r"cjk|sc|hei|song|han", p.name, re.I)]
        candidates = [*map(str, hinted), *_CJK_FONTS]
    else:
        candidates = [*map(str, bundled), *_LATIN_FONTS]
    for candidate in candidates:
        try:
            return ImageFont.truetype(candidate, size)
        except OSError:
            continue
    if cjk:
        return None
    try:
        return ImageFont.load_default(size)  # a scalable font when FreeType is available
    except (OSError, TypeError, ImportError):
        return ImageFont.load_default()
