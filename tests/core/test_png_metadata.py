"""Generation parameters written into PNG text chunks and read back unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from sfdesk.core.png_metadata import MetadataError, read_parameters, with_parameters

PARAMS = {
    "model": "Kwai-Kolors/Kolors",
    "prompt": "一只戴着围巾的橘猫，水彩风格",
    "negative_prompt": "blurry",
    "image_size": "1024x1024",
    "seed": 4_294_967_296,
    "num_inference_steps": 20,
    "guidance_scale": 7.5,
}


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_parameters_round_trip_with_chinese_and_the_pixels_are_kept(tmp_path: Path) -> None:
    original = png()
    saved = with_parameters(original, PARAMS)
    assert read_parameters(saved) == PARAMS
    path = tmp_path / "cat.png"
    path.write_bytes(saved)
    assert read_parameters(path) == PARAMS
    with Image.open(io.BytesIO(saved)) as image, Image.open(io.BytesIO(original)) as before:
        assert image.tobytes() == before.tobytes()
        # Other tools show the plain keys.
        assert image.text["prompt"] == PARAMS["prompt"] and image.text["seed"] == "4294967296"


def test_saving_again_replaces_the_record_instead_of_adding_one() -> None:
    first = with_parameters(png(), PARAMS)
    second = with_parameters(first, {**PARAMS, "seed": 7})
    assert read_parameters(second) == {**PARAMS, "seed": 7}
    assert second.count(b"iTXtparameters") == 1


def test_images_without_our_record_have_no_parameters(tmp_path: Path) -> None:
    assert read_parameters(png()) is None
    assert read_parameters(b"not an image") is None
    assert read_parameters(tmp_path / "missing.png") is None
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG", pnginfo=_foreign_chunk())
    assert read_parameters(out.getvalue()) is None


def test_what_cannot_be_written_is_refused() -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (4, 4)).save(jpeg, "JPEG")
    with pytest.raises(MetadataError):
        with_parameters(jpeg.getvalue(), PARAMS)
    with pytest.raises(MetadataError):
        with_parameters(b"garbage", PARAMS)
    with pytest.raises(MetadataError):
        with_parameters(png(), {"seed": object()})


def _foreign_chunk() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("parameters", '{"steps": 20}')  # another tool's record under the same key
    return info
