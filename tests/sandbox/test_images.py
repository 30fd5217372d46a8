"""Image generation: parameters, deterministic PNGs, the unauthenticated file host, URL expiry."""

from __future__ import annotations

import base64
import io
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PIL import Image, ImageStat

from sfdesk.sandbox import SandboxServer

from .helpers import log_for, wait_until

INVALID = {"code": 20015, "message": "The parameter is invalid. Please check again.", "data": None}


def generate(client: httpx.Client, **body: Any) -> httpx.Response:
    body.setdefault("model", "Kwai-Kolors/Kolors")
    body.setdefault("prompt", "a red fox in snow")
    return client.post("/images/generations", json=body)


def urls(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["url"] for item in response.json()["images"]]


def download(url: str) -> httpx.Response:
    return httpx.get(url)  # deliberately without the API key, like a correct client


def png(url: str) -> bytes:
    response = download(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    return response.content


def data_url(width: int, height: int) -> str:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_response_shape_and_signed_url(client: httpx.Client, srv: SandboxServer) -> None:
    response = generate(client, image_size="512x512", seed=42)
    body = response.json()
    assert body["images"] == body["data"] and len(body["images"]) == 1
    assert (body["seed"], body["shared_id"]) == (42, "0")
    assert isinstance(body["timings"]["inference"], float) and body["timings"]["inference"] >= 0
    assert abs(body["created"] - time.time()) < 5
    url = body["images"][0]["url"]
    pattern = re.escape(srv.root_url) + r"/files/outputs/[0-9a-f]{10}\.png\?Expires=(\d+)"
    match = re.match(pattern + r"&OSSAccessKeyId=sandbox&Signature=[\w-]+$", url)
    assert match is not None, url
    assert int(match.group(1)) == body["created"] + 3600


def test_images_are_pngs_of_the_requested_size_served_without_auth(
    client: httpx.Client, srv: SandboxServer
) -> None:
    (url,) = urls(generate(client, image_size="640x384", seed=1))
    image = Image.open(io.BytesIO(png(url)))
    assert (image.format, image.size, image.mode) == ("PNG", (640, 384), "RGB")
    # A picture, not a flat fill.
    assert max(ImageStat.Stat(image).stddev) > 10
    (entry,) = [e for e in srv.requests() if e["path"].startswith("/files/")]
    assert (entry["auth"], entry["status"]) == ("missing", 200)


def test_default_size_is_1024_square(client: httpx.Client) -> None:
    (url,) = urls(generate(client, model="Qwen/Qwen-Image", seed=3))
    assert Image.open(io.BytesIO(png(url))).size == (1024, 1024)


def test_same_prompt_and_seed_give_the_same_bytes(client: httpx.Client) -> None:
    first = png(urls(generate(client, image_size="256x256", seed=7))[0])
    again = png(urls(generate(client, image_size="256x256", seed=7))[0])
    other_seed = png(urls(generate(client, image_size="256x256", seed=8))[0])
    other_prompt = png(urls(generate(client, image_size="256x256", seed=7, prompt="a boat"))[0])
    assert first == again
    assert len({first, other_seed, other_prompt}) == 3


def test_a_missing_seed_is_chosen_and_returned(client: httpx.Client) -> None:
    body = generate(client, image_size="128x128").json()
    seed = body["seed"]
    assert isinstance(seed, int) and 0 <= seed <= 9_999_999_999
    replay = generate(client, image_size="128x128", seed=seed).json()
    assert png(body["images"][0]["url"]) == png(replay["images"][0]["url"])


def test_batch_size_is_kolors_only(client: httpx.Client) -> None:
    pair = urls(generate(client, image_size="128x128", batch_size=3, seed=5))
    assert len(pair) == 3 and len({png(u) for u in pair}) == 3  # different pictures
    assert len(urls(generate(client, model="Qwen/Qwen-Image", batch_size=3))) == 1
    for bad in (0, 5, "2"):
        assert generate(client, batch_size=bad).json() == INVALID


@pytest.mark.parametrize("size", ["1024", "axb", "63x512", "512x2049", "0x0", 512])
def test_bad_image_size_is_20025(client: httpx.Client, size: object) -> None:
    response = generate(client, image_size=size)
    assert response.status_code == 400 and response.json()["code"] == 20025


def test_edit_models_need_an_image_and_follow_its_aspect(client: httpx.Client) -> None:
    model = "Qwen/Qwen-Image-Edit-2509"
    assert generate(client, model=model).json() == INVALID
    assert generate(client, model=model, image="not an image").json() == INVALID
    assert generate(client, model=model, image="data:image/png;base64,@@@").json() == INVALID
    (wide,) = urls(generate(client, model=model, image=data_url(512, 256), image_size="64x64"))
    width, height = Image.open(io.BytesIO(png(wide))).size
    assert width % 16 == height % 16 == 0
    assert width / height == pytest.approx(2, rel=0.02)
    assert width * height == pytest.approx(1024 * 1024, rel=0.03)
    (square,) = urls(generate(client, model=model, image=data_url(512, 512)))
    assert Image.open(io.BytesIO(png(square))).size == (1024, 1024)
    (remote,) = urls(generate(client, model=model, image="https://example.com/cat.png"))
    assert Image.open(io.BytesIO(png(remote))).size == (1024, 1024)


@pytest.mark.parametrize("prompt", ["something NSFW here", "违禁内容"])
def test_filtered_prompts_get_empty_urls(client: httpx.Client, prompt: str) -> None:
    body = generate(client, prompt=prompt, batch_size=2).json()
    assert body["images"] == [{"url": ""}, {"url": ""}] == body["data"]


def test_prompt_and_model_validation(client: httpx.Client) -> None:
    assert generate(client, prompt="").json() == INVALID
    assert generate(client, prompt="   ").json() == INVALID
    assert generate(client, seed=-1).json() == INVALID
    for model in ("no/model", "Qwen/Qwen3-8B"):
        assert generate(client, model=model).json()["code"] == 20012


@pytest.mark.parametrize(
    "bad",
    [
        {"num_inference_steps": 0},
        {"num_inference_steps": 101},
        {"num_inference_steps": 2.5},
        {"guidance_scale": 20.5},
        {"guidance_scale": "7"},
        {"cfg": 0.05},
        {"negative_prompt": 3},
    ],
)
def test_out_of_range_parameters_are_20015(client: httpx.Client, bad: dict[str, Any]) -> None:
    assert generate(client, image_size="64x64", **bad).json() == INVALID


def test_in_range_parameters_are_accepted(client: httpx.Client) -> None:
    response = generate(
        client, image_size="64x64", num_inference_steps=100, guidance_scale=0, cfg=20
    )
    assert response.status_code == 200


def test_steps_and_guidance_show_in_the_picture_for_grid_demos(client: httpx.Client) -> None:
    def pixels(**params: Any) -> bytes:
        (url,) = urls(generate(client, image_size="128x128", seed=3, **params))
        return png(url)

    plain = pixels()
    assert pixels(num_inference_steps=40) != pixels(num_inference_steps=10) != plain
    assert pixels(num_inference_steps=40) == pixels(num_inference_steps=40)
    assert pixels(guidance_scale=2) != pixels(guidance_scale=15)
    assert pixels(cfg=2) == pixels(guidance_scale=2)  # one strength, whichever name it has
    # Fewer than four steps add no detail: the composition is the plain one.
    assert pixels(num_inference_steps=3) == plain


def test_faults_queued_for_the_file_host_fail_one_download(
    client: httpx.Client, srv: SandboxServer
) -> None:
    srv.queue_fault("*", "429")  # meant for the API: the file host must not take it
    assert generate(client, image_size="64x64").status_code == 429
    srv.queue_fault("/files/outputs", "500")
    first, second = urls(generate(client, image_size="64x64", batch_size=2))
    failed = download(first)
    assert failed.status_code == 500 and "<Code>InternalError</Code>" in failed.text
    assert download(second).status_code == 200 and download(first).status_code == 200


def test_urls_stop_working_after_their_expiry(client: httpx.Client, srv: SandboxServer) -> None:
    srv.configure(image_ttl_seconds=0.3)
    (url,) = urls(generate(client, image_size="64x64", seed=1))
    assert download(url).status_code == 200
    expired = wait_until(lambda: (r := download(url)).status_code == 403 and r, within=2.0)
    assert expired.headers["content-type"].startswith("application/xml")
    assert "<Code>AccessDenied</Code>" in expired.text
    assert "<Message>Request has expired.</Message>" in expired.text
    entries = [e for e in srv.requests() if e["path"].startswith("/files/")]
    assert entries[0]["status"] == 200 and entries[-1]["status"] == 403


def test_zero_ttl_urls_are_dead_on_arrival(client: httpx.Client, srv: SandboxServer) -> None:
    srv.configure(image_ttl_seconds=0)
    (url,) = urls(generate(client, image_size="64x64"))
    assert download(url).status_code == 403


def test_tampered_urls_are_refused(client: httpx.Client, srv: SandboxServer) -> None:
    (url,) = urls(generate(client, image_size="64x64", seed=1))
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    base = f"{srv.root_url}{parts.path}"
    longer = {**query, "Expires": str(int(query["Expires"]) + 3600)}
    unsigned = {k: v for k, v in query.items() if k != "Signature"}
    for params in (longer, unsigned, {**query, "Signature": "forged"}):
        response = httpx.get(base, params=params)
        assert response.status_code == 403
        assert "<Code>SignatureDoesNotMatch</Code>" in response.text
    name = "0000000000.png"
    signature = srv.state.images.signature(name, query["Expires"])
    missing = httpx.get(
        f"{srv.root_url}/files/outputs/{name}",
        params={**query, "Signature": signature},
    )
    assert missing.status_code == 404 and "<Code>NoSuchKey</Code>" in missing.text
    assert log_for(srv, "/v1/images/generations")[0]["auth"] == "bearer"
