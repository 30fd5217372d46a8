"""The image gallery: files that carry their parameters, rows that survive a restart, search,
failed downloads and their retry, deleting, thumbnails, and calls from several threads."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, features

from sfdesk import paths
from sfdesk.core.png_metadata import read_parameters
from sfdesk.store.image_gallery import (
    SLUG_MAX_CHARS,
    GalleryEntry,
    GalleryError,
    ImageGallery,
    slug,
)

from .conftest import FakeClock

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RECORD: dict[str, Any] = {
    "model": "Kwai-Kolors/Kolors",
    "prompt": "一只在雪地里的红狐狸, watercolor",
    "negative_prompt": "模糊, blurry",
    "image_size": "1024x1024",
    "seed": 4242,
    "num_inference_steps": 20,
    "guidance_scale": 7.5,
}


def image_bytes(
    width: int = 64, height: int = 48, fmt: str = "PNG", mode: str = "RGB", color: Any = "red"
) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), color).save(out, fmt)
    return out.getvalue()


def record(**changes: Any) -> dict[str, Any]:
    return {**RECORD, **changes}


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "gallery"


@pytest.fixture
def gallery(root: Path) -> Iterator[ImageGallery]:
    with ImageGallery(root, clock=FakeClock()) as g:
        yield g


# --- adding -----------------------------------------------------------------------------------


def test_an_added_image_is_a_png_carrying_its_record(gallery: ImageGallery, root: Path) -> None:
    entry = gallery.add(image_bytes(640, 480), record=RECORD, trace_id="trace-1")

    assert entry.saved and entry.status == "saved" and entry.kind == "image"
    assert (entry.width, entry.height) == (640, 480)
    assert (entry.model, entry.prompt, entry.seed) == ("Kwai-Kolors/Kolors", RECORD["prompt"], 4242)
    assert entry.negative_prompt == "模糊, blurry"
    assert entry.params == RECORD
    assert entry.trace_id == "trace-1"
    assert entry.urls == () and entry.error is None
    assert entry.path is not None and entry.path.is_absolute()
    assert entry.path.is_relative_to(root / "images")
    data = entry.path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert read_parameters(entry.path) == RECORD  # the Chinese prompt intact
    with Image.open(entry.path) as image:
        assert image.size == (640, 480)
    assert gallery.get(entry.id) == entry


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [
        ("JPEG", "RGB"),
        ("JPEG", "CMYK"),  # PNG cannot hold CMYK: must be converted, not refused
        pytest.param(
            "WEBP",
            "RGBA",
            marks=pytest.mark.skipif(not features.check("webp"), reason="no WebP in Pillow"),
        ),
    ],
)
def test_jpeg_and_webp_are_stored_as_png_with_metadata(
    gallery: ImageGallery, fmt: str, mode: str
) -> None:
    source = image_bytes(300, 200, fmt=fmt, mode=mode, color=None)
    assert not source.startswith(PNG_SIGNATURE)

    entry = gallery.add(source, record=RECORD)

    assert entry.path is not None and entry.path.suffix == ".png"
    assert entry.path.read_bytes().startswith(PNG_SIGNATURE)
    assert read_parameters(entry.path) == RECORD
    with Image.open(entry.path) as image:
        assert image.format == "PNG"
        assert image.size == (300, 200) == (entry.width, entry.height)


def test_file_names_hold_the_id_a_safe_slug_and_the_month(
    gallery: ImageGallery, root: Path
) -> None:
    hostile = gallery.add(image_bytes(), record=record(prompt="../../etc/passwd a\\b: Café?*"))
    chinese = gallery.add(image_bytes(), record=record(prompt="一只红色的狐狸"))
    long = gallery.add(image_bytes(), record=record(prompt="word " * 30))

    assert hostile.path is not None and chinese.path is not None and long.path is not None
    month = time.strftime("%Y-%m", time.localtime(hostile.created_at))
    assert hostile.path.parent == root / "images" / month
    assert hostile.path.name == f"{hostile.id}-etc-passwd-a-b-cafe.png"
    assert chinese.path.name == f"{chinese.id}.png"
    long_slug = long.path.stem.split("-", 1)[1]
    assert 0 < len(long_slug) <= SLUG_MAX_CHARS
    assert not long_slug.endswith("-") and "word-word" in long_slug
    assert long_slug.replace("-", "") == "word" * (long_slug.count("-") + 1)  # whole words


def test_slug_keeps_only_ascii_letters_digits_and_dashes() -> None:
    assert slug("A Red Fox, 4K!") == "a-red-fox-4k"
    assert slug("ＦＵＬＬ　ｗｉｄｔｈ") == "full-width"
    assert slug("狐狸") == ""
    assert slug('/\\:*?"<>|') == ""
    assert slug("x" * 100) == "x" * SLUG_MAX_CHARS


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", image_bytes(200, 200)[:120]],  # the last one: truncated PNG
    ids=["empty", "text", "truncated-png"],
)
def test_bytes_that_are_not_an_image_leave_nothing(
    gallery: ImageGallery, root: Path, data: bytes
) -> None:
    with pytest.raises(GalleryError):
        gallery.add(data, record=RECORD)
    assert gallery.count() == 0
    assert files_under(root / "images") == []


@pytest.mark.parametrize(
    "bad",
    [
        {"prompt": "no model"},
        {"model": "m"},
        {"model": "m", "prompt": 3},
        {"model": "m", "prompt": "p", "guidance_scale": float("nan")},
        {"model": "m", "prompt": "p", "callback": object()},
    ],
    ids=["no-model", "no-prompt", "prompt-not-text", "nan", "not-json"],
)
def test_a_record_the_gallery_cannot_keep_is_refused(
    gallery: ImageGallery, root: Path, bad: dict[str, Any]
) -> None:
    with pytest.raises(GalleryError):
        gallery.add(image_bytes(), record=bad)
    with pytest.raises(GalleryError):
        gallery.add_failed(record=bad, urls=["https://x"], error=None)
    assert gallery.count() == 0
    assert files_under(root / "images") == []


def test_a_failed_commit_removes_the_file_it_wrote(gallery: ImageGallery, root: Path) -> None:
    kept = gallery.add(image_bytes(), record=RECORD)
    # Any write that records a file name now fails inside SQLite, whichever statement does it.
    other = sqlite3.connect(root / "gallery.sqlite3")
    for event in ("INSERT", "UPDATE"):
        other.execute(
            f"CREATE TRIGGER refuse_{event.lower()} BEFORE {event} ON images "
            "WHEN NEW.path IS NOT NULL BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
        )
    other.commit()
    other.close()

    with pytest.raises(sqlite3.Error, match="disk says no"):
        gallery.add(image_bytes(), record=record(prompt="second"))

    assert [e.id for e in gallery.entries()] == [kept.id]
    assert files_under(root / "images") == [kept.path]  # no orphan, no temporary file


# --- reading back -----------------------------------------------------------------------------


def test_entries_survive_a_restart(root: Path) -> None:
    with ImageGallery(root, clock=FakeClock()) as gallery:
        saved = gallery.add(image_bytes(32, 16), record=RECORD, kind="grid", trace_id="t")
        failed = gallery.add_failed(
            record=record(seed=None),
            urls=["https://sc-maas.oss-cn-shanghai.aliyuncs.com/a.png?Expires=1"],
            error={"reason": "download_failed", "status": 403, "message": "expired"},
            trace_id="t2",
        )
        before = gallery.entries()

    with ImageGallery(root) as gallery:
        after = gallery.entries()
        assert after == before == [failed, saved]
        assert gallery.get(saved.id) == saved
        assert after[1].kind == "grid"
        assert after[0].seed is None


def test_the_default_root_is_under_the_data_dir(isolated_data_dir: Path) -> None:
    with ImageGallery() as gallery:
        entry = gallery.add(image_bytes(), record=RECORD)
        assert gallery.root == paths.data_dir() / "gallery"
        assert gallery.root.is_relative_to(isolated_data_dir)
        assert (gallery.root / "gallery.sqlite3").is_file()
        assert entry.path is not None and entry.path.is_relative_to(gallery.root / "images")


def test_newest_first_with_ties_broken_by_id(root: Path) -> None:
    clock = FakeClock()
    with ImageGallery(root, clock=clock) as gallery:
        ids = [
            gallery.add_failed(record=record(prompt=f"p{i}"), urls=[], error=None).id
            for i in range(3)
        ]
        clock.now -= 10  # the clock stepped back (NTP): order still follows created_at
        older = gallery.add_failed(record=record(prompt="older"), urls=[], error=None)
        frozen = clock.now + 100
        with ImageGallery(root, clock=lambda: frozen) as same_time:
            twins = [
                same_time.add_failed(record=record(prompt=f"t{i}"), urls=[], error=None).id
                for i in range(2)
            ]

        assert [e.id for e in gallery.entries()] == [*twins[::-1], *ids[::-1], older.id]
        assert [e.id for e in gallery.entries(limit=2, offset=1)] == [twins[0], ids[2]]
        assert gallery.entries(limit=0) == []
        assert gallery.count() == 6


def test_filtering_by_text_and_model(gallery: ImageGallery) -> None:
    def add(prompt: str, model: str = "Kwai-Kolors/Kolors", negative: str = "") -> int:
        rec = record(prompt=prompt, model=model, negative_prompt=negative)
        return gallery.add_failed(record=rec, urls=[], error=None).id

    fox = add("A Red Fox in snow")
    chinese = add("一只红色的狐狸", model="Qwen/Qwen-Image")
    percent = add("100% cotton_shirt")
    lookalike = add("1000 cottonXshirt")  # what unescaped % and _ would also match
    negative = add("a cat", negative="BLURRY, low quality")
    accented = add("Émile's CAFÉ")

    def ids(**filters: Any) -> set[int]:
        found = {e.id for e in gallery.entries(**filters)}
        assert gallery.count(**filters) == len(found)
        return found

    assert ids(text="red FOX") == {fox}
    assert ids(text="红色") == {chinese}
    assert ids(text="100%") == {percent}
    assert ids(text="n_s") == {percent}
    assert ids(text="%") == {percent}
    assert ids(text="blurry") == {negative}  # the negative prompt is searched too
    assert ids(text="émile's café") == {accented}  # not only ASCII folds
    assert ids(text="nothing like this") == set()
    assert ids(model="Qwen/Qwen-Image") == {chinese}
    assert ids(model="Kolors") == set()  # exact, not a substring
    assert ids(text="a", model="Kwai-Kolors/Kolors") == {fox, negative, accented}
    assert ids(text="") == ids() == {fox, chinese, percent, lookalike, negative, accented}


def test_models_are_distinct_and_sorted(gallery: ImageGallery) -> None:
    for model in ["Qwen/Qwen-Image", "Kwai-Kolors/Kolors", "Qwen/Qwen-Image"]:
        gallery.add(image_bytes(), record=record(model=model))
    gallery.add_failed(record=record(model="black-forest-labs/FLUX.1-dev"), urls=[], error=None)
    assert gallery.models() == [
        "Kwai-Kolors/Kolors",
        "Qwen/Qwen-Image",
        "black-forest-labs/FLUX.1-dev",
    ]


def test_get_of_an_unknown_id_is_none(gallery: ImageGallery) -> None:
    assert gallery.get(12345) is None


# --- failed downloads -------------------------------------------------------------------------


def test_a_failed_download_keeps_record_and_urls_and_attach_saves_it(
    root: Path, gallery: ImageGallery
) -> None:
    urls = ["https://oss.example/a.png?Expires=1&Signature=x", "https://oss.example/b.png"]
    error = {"reason": "download_failed", "status": 403, "message": "AccessDenied", "trace_id": "t"}
    failed = gallery.add_failed(record=RECORD, urls=urls, error=error, trace_id="t")

    assert failed.status == "download_failed" and not failed.saved
    assert failed.path is None and (failed.width, failed.height) == (0, 0)
    assert failed.urls == tuple(urls)
    assert failed.error == error
    assert failed.params == RECORD
    assert gallery.get(failed.id) == failed
    assert gallery.thumbnail(failed.id) is None

    attached = gallery.attach(failed.id, image_bytes(120, 90, fmt="JPEG"))

    assert attached.id == failed.id and attached.created_at == failed.created_at
    assert attached.saved and attached.status == "saved"
    assert attached.urls == () and attached.error is None
    assert (attached.width, attached.height) == (120, 90)
    assert attached.path is not None and attached.path.is_relative_to(root / "images")
    assert read_parameters(attached.path) == RECORD
    assert attached.trace_id == "t"
    assert gallery.get(failed.id) == attached
    assert gallery.count() == 1


def test_attach_to_an_unknown_id_is_a_key_error(gallery: ImageGallery) -> None:
    with pytest.raises(KeyError):
        gallery.attach(99, image_bytes())


def test_attaching_bytes_that_are_not_an_image_leaves_the_entry_as_it_was(
    gallery: ImageGallery, root: Path
) -> None:
    failed = gallery.add_failed(record=RECORD, urls=["https://x/a.png"], error={"status": 403})
    with pytest.raises(GalleryError):
        gallery.attach(failed.id, b"<html>AccessDenied</html>")
    assert gallery.get(failed.id) == failed
    assert files_under(root / "images") == []


def test_attaching_again_replaces_the_image_and_its_thumbnail(gallery: ImageGallery) -> None:
    entry = gallery.add(image_bytes(200, 100, color="red"), record=RECORD)
    first = gallery.thumbnail(entry.id, 50)
    assert first is not None

    replaced = gallery.attach(entry.id, image_bytes(100, 200, color="blue"))

    assert replaced.path == entry.path and (replaced.width, replaced.height) == (100, 200)
    second = gallery.thumbnail(entry.id, 50)
    assert second is not None
    with Image.open(io.BytesIO(second)) as thumb:
        assert thumb.size == (25, 50)  # from the new image, not the cached old one
        assert thumb.convert("RGB").getpixel((12, 25)) == (0, 0, 255)


# --- deleting ---------------------------------------------------------------------------------


def test_delete_removes_rows_files_and_thumbnails(gallery: ImageGallery, root: Path) -> None:
    keep = gallery.add(image_bytes(), record=RECORD)
    doomed = gallery.add(image_bytes(), record=record(prompt="doomed"))
    gone_already = gallery.add(image_bytes(), record=record(prompt="gone already"))
    failed = gallery.add_failed(record=RECORD, urls=["https://x"], error=None)
    for entry in (keep, doomed):
        assert gallery.thumbnail(entry.id, 32) is not None
        assert gallery.thumbnail(entry.id, 64) is not None
    assert gone_already.path is not None
    gone_already.path.unlink()

    deleted = gallery.delete([doomed.id, gone_already.id, failed.id, doomed.id, 777])

    assert deleted == 3
    assert [e.id for e in gallery.entries()] == [keep.id]
    assert files_under(root / "images") == [keep.path]
    assert sorted(p.name for p in files_under(root / "thumbs")) == [
        f"{keep.id}-32.png",
        f"{keep.id}-64.png",
    ]
    assert gallery.delete([]) == 0


def test_ids_are_never_reused_after_deleting_the_newest(gallery: ImageGallery) -> None:
    # Files and thumbnails are named by id: a reused id could pick up a stale thumbnail.
    first = gallery.add(image_bytes(), record=RECORD)
    gallery.delete([first.id])
    assert gallery.add(image_bytes(), record=RECORD).id != first.id


# --- thumbnails -------------------------------------------------------------------------------


def test_a_thumbnail_fits_the_size_keeps_the_aspect_and_never_enlarges(
    gallery: ImageGallery,
) -> None:
    wide = gallery.add(image_bytes(1024, 512), record=RECORD)
    small = gallery.add(image_bytes(100, 50), record=RECORD)

    for entry_id, size, expected in [
        (wide.id, 256, (256, 128)),
        (wide.id, 64, (64, 32)),
        (small.id, 256, (100, 50)),
    ]:
        data = gallery.thumbnail(entry_id, size)
        assert data is not None and data.startswith(PNG_SIGNATURE)
        with Image.open(io.BytesIO(data)) as thumb:
            assert thumb.size == expected


def test_a_thumbnail_is_cached_and_reused(gallery: ImageGallery, root: Path) -> None:
    entry = gallery.add(image_bytes(512, 512), record=RECORD)
    first = gallery.thumbnail(entry.id, 128)
    cache = root / "thumbs" / f"{entry.id}-128.png"
    assert first is not None and cache.read_bytes() == first

    # A different (valid) picture in the cache file: a re-render would not return it.
    marker = image_bytes(7, 7, color="green")
    cache.write_bytes(marker)
    assert gallery.thumbnail(entry.id, 128) == marker


def test_an_unreadable_cached_thumbnail_is_rendered_again(
    gallery: ImageGallery, root: Path
) -> None:
    entry = gallery.add(image_bytes(512, 256), record=RECORD)
    first = gallery.thumbnail(entry.id, 128)
    assert first is not None
    cache = root / "thumbs" / f"{entry.id}-128.png"
    for broken in (b"garbage", first[: len(first) // 2]):
        cache.write_bytes(broken)
        again = gallery.thumbnail(entry.id, 128)
        assert again is not None
        with Image.open(io.BytesIO(again)) as thumb:
            assert thumb.size == (128, 64)
        assert cache.read_bytes() == again


def test_no_thumbnail_without_a_readable_image(gallery: ImageGallery, root: Path) -> None:
    missing = gallery.add(image_bytes(), record=RECORD)
    corrupt = gallery.add(image_bytes(), record=RECORD)
    failed = gallery.add_failed(record=RECORD, urls=["https://x"], error=None)
    assert missing.path is not None and corrupt.path is not None
    missing.path.unlink()
    corrupt.path.write_bytes(b"\x89PNG\r\n\x1a\n this is not the rest of a PNG")

    assert gallery.thumbnail(missing.id) is None
    assert gallery.thumbnail(corrupt.id) is None
    assert gallery.thumbnail(failed.id) is None
    assert gallery.thumbnail(4321) is None
    assert files_under(root / "thumbs") == []


def test_a_thumbnail_size_must_be_positive(gallery: ImageGallery) -> None:
    entry = gallery.add(image_bytes(), record=RECORD)
    with pytest.raises(ValueError):
        gallery.thumbnail(entry.id, 0)


def test_importing_the_module_does_not_import_pillow() -> None:
    # The UI imports the gallery on its start-up path; Pillow costs start-up time.
    code = (
        "import sys, sfdesk.store.image_gallery; "
        "assert not [m for m in sys.modules if m == 'PIL' or m.startswith('PIL.')], 'PIL imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- robustness -------------------------------------------------------------------------------


def test_a_path_in_the_database_never_leads_out_of_the_gallery(
    gallery: ImageGallery, root: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.png"
    victim.write_bytes(image_bytes())
    entry = gallery.add(image_bytes(), record=RECORD)
    other = sqlite3.connect(root / "gallery.sqlite3")
    other.execute("UPDATE images SET path = ? WHERE id = ?", ("../victim.png", entry.id))
    other.commit()
    other.close()

    loaded = gallery.get(entry.id)
    assert loaded is not None and loaded.path is None and not loaded.saved
    assert gallery.delete([entry.id]) == 1
    assert victim.exists()


def test_several_threads_adding_at_once(gallery: ImageGallery, root: Path) -> None:
    threads_count, per_thread = 6, 5
    errors: list[BaseException] = []
    added: list[GalleryEntry] = []
    start = threading.Barrier(threads_count)
    data = image_bytes(40, 30)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                prompt = f"thread {n} image {i}"
                entry = gallery.add(data, record=record(prompt=prompt))
                added.append(entry)
                gallery.entries(text="thread", limit=5)  # readers interleave with writers
                assert gallery.get(entry.id) == entry
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    total = threads_count * per_thread
    assert gallery.count() == total
    assert len({e.id for e in added}) == total
    assert {e.prompt for e in gallery.entries()} == {
        f"thread {n} image {i}" for n in range(threads_count) for i in range(per_thread)
    }
    paths_on_disk = files_under(root / "images")
    assert sorted(e.path for e in added if e.path is not None) == paths_on_disk
    assert all(os.path.getsize(p) > 0 for p in paths_on_disk)
