"""Images turned into attachment records: passed through when small, downscaled and re-encoded
when huge, oriented, and refused with a reason when they are not images."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from sfdesk.core.image_attachments import (
    MAX_INPUT_BYTES,
    MAX_SIDE,
    AttachmentError,
    decode_data_url,
    prepare_image,
)


def encoded(size: tuple[int, int], fmt: str, mode: str = "RGB", **save: object) -> bytes:
    image = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def decoded(record: dict[str, object]) -> Image.Image:
    data = decode_data_url(str(record["url"]))
    assert data is not None
    return Image.open(io.BytesIO(data))


def test_a_small_png_is_sent_byte_for_byte() -> None:
    data = encoded((320, 200), "PNG")
    record = prepare_image(data, "chart.png")
    assert record["mime"] == "image/png" and record["name"] == "chart.png"
    assert str(record["url"]).startswith("data:image/png;base64,")
    assert decode_data_url(str(record["url"])) == data
    assert (record["width"], record["height"]) == (320, 200)


def test_a_huge_photo_is_downscaled_to_a_jpeg_keeping_its_aspect() -> None:
    record = prepare_image(encoded((6000, 3000), "JPEG"), "photo.jpg")
    image = decoded(record)
    assert record["mime"] == "image/jpeg" and image.format == "JPEG"
    assert image.size == (MAX_SIDE, MAX_SIDE // 2) == (record["width"], record["height"])


def test_transparency_survives_as_png_and_odd_formats_are_re_encoded() -> None:
    record = prepare_image(encoded((3000, 100), "PNG", mode="RGBA"), "logo.png")
    image = decoded(record)
    assert record["mime"] == "image/png" and image.mode == "RGBA"
    assert image.width == MAX_SIDE
    bmp = prepare_image(encoded((64, 64), "BMP"), "scan.bmp")
    assert bmp["mime"] == "image/jpeg"  # BMP is not sent as-is


def test_exif_orientation_is_applied_when_re_encoding() -> None:
    image = Image.new("RGB", (4000, 1000), (10, 10, 10))
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    record = prepare_image(out.getvalue(), "phone.jpg")
    assert record["height"] > record["width"]  # upright, as the phone showed it


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"not an image at all", "not-an-image"),
        (encoded((50, 50), "PNG")[:40], "not-an-image"),  # truncated
        (b"\0" * (MAX_INPUT_BYTES + 1), "too-large"),
    ],
)
def test_what_cannot_be_attached_says_why(data: bytes, reason: str) -> None:
    with pytest.raises(AttachmentError) as caught:
        prepare_image(data, "thing.png")
    assert caught.value.reason == reason and caught.value.name == "thing.png"


def test_decode_data_url_accepts_only_base64_data_urls() -> None:
    payload = base64.b64encode(b"\x89PNG").decode()
    assert decode_data_url(f"data:image/png;base64,{payload}") == b"\x89PNG"
    assert decode_data_url("https://example.com/a.png") is None
    assert decode_data_url("data:image/png,raw") is None
    assert decode_data_url("data:image/png;base64,%%%") is None
