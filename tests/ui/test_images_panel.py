"""The Images panel driven by its object names against the sandbox: the form per model family and
the body it sends, generate → download → PNG metadata, the gallery after a restart, reuse,
save/copy/delete, reference images, a grid run, expired links and partial downloads, bad input,
cancel and view code."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sfdesk import paths
from sfdesk.core.png_metadata import read_parameters
from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer
from sfdesk.sandbox.images import render
from sfdesk.ui.images.controller import Generation, GridResult
from sfdesk.ui.images.grid import GAP, HEADER_HEIGHT, LABEL_WIDTH, TITLE_HEIGHT
from sfdesk.ui.images.grid_picture import CELL, cell_picture
from sfdesk.ui.images.models import (
    KOLORS,
    QWEN_IMAGE,
    ImageRequest,
    family_of,
)
from sfdesk.ui.images.panel import ImagesPanel

KOLORS_ID = "Kwai-Kolors/Kolors"
QWEN_ID = "Qwen/Qwen-Image"
EDIT_ID = "Qwen/Qwen-Image-Edit"
EDIT_2509 = "Qwen/Qwen-Image-Edit-2509"
Z_IMAGE = "Tongyi-MAI/Z-Image-Turbo"


@pytest.fixture
def make_panel(make_sandbox_panel: Callable[..., Any]) -> Callable[..., ImagesPanel]:
    return functools.partial(make_sandbox_panel, ImagesPanel, (1300, 850))


def w(panel: QWidget, kind: type, name: str) -> Any:
    widget = panel.findChild(kind, name)
    assert widget is not None, name
    return widget


def gallery_root() -> Path:
    return paths.data_dir() / "sandbox-gallery"


def image_bodies(sandbox: SandboxServer) -> list[dict[str, Any]]:
    return [
        e["body"] for e in sandbox.requests() if e["path"] == "/v1/images/generations" and e["body"]
    ]


def wait_gallery(qtbot: QtBot, panel: ImagesPanel, count: int) -> None:
    qtbot.waitUntil(
        lambda: panel.gallery_entries is not None and len(panel.gallery_entries) == count,
        timeout=10_000,
    )


def set_form(
    panel: ImagesPanel,
    *,
    model: str = KOLORS_ID,
    prompt: str = "a red fox in snow",
    seed: int | None = 1234,
    size: str | None = "768x1024",
) -> None:
    w(panel, QComboBox, "img.model").setCurrentText(model)
    w(panel, QPlainTextEdit, "img.prompt").setPlainText(prompt)
    if size is not None and family_of(model).takes_size:
        w(panel, QComboBox, "img.size").setCurrentText(size)
    if seed is not None:
        w(panel, QLineEdit, "img.seed").setText(str(seed))
        w(panel, QCheckBox, "img.seed_lock").setChecked(True)


def generate(qtbot: QtBot, panel: ImagesPanel, timeout: int = 20_000) -> Generation:
    with qtbot.waitSignal(panel.controller.sig_generated, timeout=timeout) as done:
        w(panel, QPushButton, "img.generate").click()
    result: Generation = done.args[0]
    return result


def visible_rows(panel: ImagesPanel) -> dict[str, bool]:
    params = w(panel, QWidget, "img.params")
    return {
        name: w(params, QWidget, f"img.{name}").isVisibleTo(panel)
        for name in ("size", "batch", "steps", "guidance", "cfg")
    }


# -- the form per family --------------------------------------------------------------------------


def test_the_form_shows_what_each_family_takes_and_sends_only_that(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    size = w(panel, QComboBox, "img.size")
    references = w(panel, QWidget, "img.references")

    set_form(panel, model=KOLORS_ID)
    assert visible_rows(panel) == {
        "size": True,
        "batch": True,
        "steps": True,
        "guidance": True,
        "cfg": False,
    }
    assert [size.itemText(i) for i in range(size.count())] == list(KOLORS.sizes)
    assert w(panel, QPushButton, "img.add_reference").isVisibleTo(panel)
    assert references.max_images == 1

    set_form(panel, model=QWEN_ID, size=None)
    assert visible_rows(panel) == {
        "size": True,
        "batch": False,
        "steps": True,
        "guidance": False,
        "cfg": True,
    }
    assert [size.itemText(i) for i in range(size.count())] == list(QWEN_IMAGE.sizes)
    assert size.currentText() == QWEN_IMAGE.sizes[0]  # Kolors' 768x1024 is not a Qwen size
    assert w(panel, QSpinBox, "img.steps").value() == 50
    assert w(panel, QDoubleSpinBox, "img.cfg").value() == 4.0
    assert not w(panel, QPushButton, "img.add_reference").isVisibleTo(panel)

    set_form(panel, model=EDIT_2509)
    assert visible_rows(panel) == {
        "size": False,
        "batch": False,
        "steps": True,
        "guidance": False,
        "cfg": True,
    }
    assert w(panel, QLabel, "img.size_note").isVisibleTo(panel)
    assert references.max_images == 3

    set_form(panel, model=Z_IMAGE, size="1376x768")
    assert visible_rows(panel) == {
        "size": True,
        "batch": False,
        "steps": False,
        "guidance": False,
        "cfg": False,
    }

    # What goes over the wire: each family's own parameters and nothing else.
    set_form(panel, model=KOLORS_ID)
    w(panel, QSpinBox, "img.batch").setValue(2)
    w(panel, QSpinBox, "img.steps").setValue(25)
    w(panel, QDoubleSpinBox, "img.guidance").setValue(5.0)
    w(panel, QPlainTextEdit, "img.negative").setPlainText("blurry")
    generate(qtbot, panel)
    set_form(panel, model=QWEN_ID, size="1664x928")
    w(panel, QSpinBox, "img.steps").setValue(30)
    generate(qtbot, panel)
    set_form(panel, model=Z_IMAGE, size="1376x768")
    generate(qtbot, panel)
    kolors, qwen, z_image = image_bodies(sandbox)
    assert kolors == {
        "model": KOLORS_ID,
        "prompt": "a red fox in snow",
        "negative_prompt": "blurry",
        "image_size": "768x1024",
        "batch_size": 2,
        "seed": 1234,
        "num_inference_steps": 25,
        "guidance_scale": 5.0,
    }
    assert qwen == {
        "model": QWEN_ID,
        "prompt": "a red fox in snow",
        "negative_prompt": "blurry",
        "image_size": "1664x928",
        "seed": 1234,
        "num_inference_steps": 30,
        "cfg": 4.0,
    }
    assert z_image == {
        "model": Z_IMAGE,
        "prompt": "a red fox in snow",
        "negative_prompt": "blurry",
        "image_size": "1376x768",
        "seed": 1234,
    }


def test_an_unlocked_seed_is_new_for_every_generation_and_shown(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_form(panel, size="768x1024", seed=None)
    w(panel, QCheckBox, "img.seed_lock").setChecked(False)
    first = generate(qtbot, panel)
    shown = int(w(panel, QLineEdit, "img.seed").text())
    second = generate(qtbot, panel)
    seeds = [body["seed"] for body in image_bodies(sandbox)]
    assert seeds[0] == first.seed and seeds[1] == second.seed == int(
        w(panel, QLineEdit, "img.seed").text()
    )
    assert seeds[0] == shown and seeds[0] != seeds[1]
    # Locked: the same seed again, and the dice changes it.
    w(panel, QCheckBox, "img.seed_lock").setChecked(True)
    generate(qtbot, panel)
    assert image_bodies(sandbox)[-1]["seed"] == seeds[1]
    w(panel, QToolButton, "img.seed_dice").click()
    assert int(w(panel, QLineEdit, "img.seed").text()) != seeds[1]


# -- generate, download, metadata, gallery ---------------------------------------------------------


def test_generated_images_are_saved_with_their_parameters_and_listed(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    prompt = "雪地里的红狐狸，水彩"
    set_form(panel, prompt=prompt, size="768x1024", seed=4242)
    w(panel, QSpinBox, "img.batch").setValue(2)
    w(panel, QPlainTextEdit, "img.negative").setPlainText("模糊")
    result = generate(qtbot, panel)

    assert len(result.images) == 2 and result.seed == 4242 and result.error is None
    downloads = [e for e in sandbox.requests() if e["path"].startswith("/files/")]
    assert len(downloads) == 2 and all(e["auth"] == "missing" for e in downloads)
    for index, image in enumerate(result.images):
        entry = image.entry
        assert entry is not None and entry.path is not None and entry.path.is_file()
        assert entry.path.is_relative_to(gallery_root())
        record = read_parameters(entry.path)
        assert record == {
            "model": KOLORS_ID,
            "prompt": prompt,
            "negative_prompt": "模糊",
            "image_size": "768x1024",
            "batch_size": 2,
            "batch_index": index,
            "seed": 4242,
            "num_inference_steps": 20,
            "guidance_scale": 7.5,
        }
        # The pixels are the sandbox's image for this prompt, seed and batch index, unchanged.
        with Image.open(entry.path) as saved:
            drawn = render(prompt, 4242, 768, 1024, index=index, steps=20, guidance=7.5)
            expected = Image.open(io.BytesIO(drawn))
            assert saved.size == (768, 1024)
            assert saved.convert("RGB").tobytes() == expected.convert("RGB").tobytes()
        assert image.png == entry.path.read_bytes()
    # Shown at once in the result strip and the gallery, whose thumbnails load lazily.
    assert len(w(panel, QWidget, "img.result").images()) == 2
    wait_gallery(qtbot, panel, 2)
    gallery = panel.gallery
    ids = [entry.id for entry in gallery.entries()]
    assert ids == sorted(ids, reverse=True)  # newest first
    qtbot.waitUntil(lambda: all(gallery.model.has_thumbnail(i) for i in ids), timeout=10_000)
    status = w(panel, QLabel, "img.status").text()
    assert "2 image(s)" in status and "seed 4242" in status


def test_the_gallery_comes_back_after_a_restart_without_the_links(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer, run_async: Any
) -> None:
    first = make_panel()
    set_form(first, prompt="a lighthouse at dusk", seed=7)
    generate(qtbot, first)
    set_form(first, model=QWEN_ID, prompt="a bowl of ramen", seed=8)
    generate(qtbot, first)
    wait_gallery(qtbot, first, 2)
    for controller in (first.controller, first.models_controller):
        run_async(controller.shutdown())
    first.close()
    # The links expire in an hour; the gallery never needs them again.
    sandbox.configure(image_ttl_seconds=0)
    before = len(sandbox.requests())

    second = make_panel()
    wait_gallery(qtbot, second, 2)
    prompts = [entry.prompt for entry in second.gallery.entries()]
    assert prompts == ["a bowl of ramen", "a lighthouse at dusk"]
    ids = [entry.id for entry in second.gallery.entries()]
    qtbot.waitUntil(lambda: all(second.gallery.model.has_thumbnail(i) for i in ids))
    assert not [e for e in sandbox.requests()[before:] if e["path"].startswith("/files/")]
    # Filter by prompt and by model.
    w(second, QLineEdit, "img.gallery_filter").setText("RAMEN")
    assert [e.prompt for e in second.gallery.entries()] == ["a bowl of ramen"]
    w(second, QLineEdit, "img.gallery_filter").clear()
    models = w(second, QComboBox, "img.gallery_model")
    models.setCurrentIndex(models.findData(KOLORS_ID))
    assert [e.model for e in second.gallery.entries()] == [KOLORS_ID]


def test_reuse_save_as_copy_open_and_delete(
    qtbot: QtBot,
    make_panel: Callable[..., ImagesPanel],
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    panel = make_panel()
    set_form(panel, model=QWEN_ID, prompt="a neon sign that says 你好", size="1140x1472", seed=99)
    w(panel, QSpinBox, "img.steps").setValue(35)
    w(panel, QDoubleSpinBox, "img.cfg").setValue(6.5)
    generate(qtbot, panel)
    wait_gallery(qtbot, panel, 1)
    # Another state in the form, then reuse the image's parameters.
    set_form(panel, model=KOLORS_ID, prompt="something else", seed=1)
    w(panel, QCheckBox, "img.seed_lock").setChecked(False)
    panel.gallery.select(panel.gallery.entries()[0].id)
    w(panel, QPushButton, "img.reuse").click()
    assert panel.model_name() == QWEN_ID and panel.prompt_text() == "a neon sign that says 你好"
    assert w(panel, QComboBox, "img.size").currentText() == "1140x1472"
    assert w(panel, QSpinBox, "img.steps").value() == 35
    assert w(panel, QDoubleSpinBox, "img.cfg").value() == 6.5
    assert w(panel, QLineEdit, "img.seed").text() == "99"
    assert w(panel, QCheckBox, "img.seed_lock").isChecked()
    # Generating again sends exactly the first body: same image.
    again = generate(qtbot, panel)
    first_body, second_body = image_bodies(sandbox)
    assert first_body == second_body
    entry = panel.gallery.entries()[0]
    assert entry.path is not None and again.images[0].png
    wait_gallery(qtbot, panel, 2)

    # Save as: a copy with the parameters inside.
    target = tmp_path / "saved.png"
    with qtbot.waitSignal(panel.controller.sig_file_saved):
        panel.controller.save_copy(entry.path, target)
    assert target.read_bytes() == entry.path.read_bytes()
    assert read_parameters(target) == entry.params
    # Copy: the image on the clipboard.
    panel.gallery.select(entry.id)
    w(panel, QPushButton, "img.copy").click()
    copied = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (1140, 1472)
    # Open full size.
    viewer = panel.open_entry(entry)
    assert viewer is not None and viewer.objectName() == "img.viewer"
    viewer.close()

    # Delete asks first; Cancel keeps, Yes removes the row and the file.
    panel.gallery.select(entry.id)
    w(panel, QPushButton, "img.delete").click()
    box = w(panel, QMessageBox, "img.confirm")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert entry.path.exists()
    w(panel, QPushButton, "img.delete").click()
    box = w(panel, QMessageBox, "img.confirm")
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_gallery(qtbot, panel, 1)
    assert not entry.path.exists()
    assert entry.id not in [e.id for e in panel.gallery.entries()]


# -- reference images ----------------------------------------------------------------------------


def picture(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", size, colour).save(path)
    return path


def test_edit_models_need_a_reference_which_is_downscaled_and_sent(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer, tmp_path: Path
) -> None:
    panel = make_panel()
    set_form(panel, model=EDIT_ID, prompt="make it snow")
    w(panel, QPushButton, "img.generate").click()
    assert not image_bodies(sandbox)
    assert "add a reference image" in w(panel, QLabel, "img.status").text()

    references = w(panel, QWidget, "img.references")
    references.add_files([picture(tmp_path / "street.png", (3000, 1500), (40, 90, 160))])
    qtbot.waitUntil(lambda: len(references.attachments()) == 1)
    result = generate(qtbot, panel)
    body = image_bodies(sandbox)[-1]
    assert body["image"].startswith("data:image/") and "image_size" not in body
    with Image.open(io.BytesIO(_data_url_bytes(body["image"]))) as sent:
        assert sent.size == (2048, 1024)  # downscaled before sending
    # The output follows the reference's aspect; the record names the reference, no data.
    entry = result.images[0].entry
    assert entry is not None and abs(entry.width / entry.height - 2) < 0.05
    record = read_parameters(entry.path) if entry.path else None
    assert record is not None and record["references"] == [
        {"name": "street.png", "width": 2048, "height": 1024}
    ]
    assert "image" not in record

    # 2509 takes three; a fourth is refused with a message.
    w(panel, QComboBox, "img.model").setCurrentText(EDIT_2509)
    references.add_files(
        [picture(tmp_path / f"{n}.png", (64, 64), (n * 40, 0, 0)) for n in range(3)]
    )
    qtbot.waitUntil(lambda: not references.loading)
    assert len(references.attachments()) == 3
    assert "at most 3 reference image(s)" in w(panel, QLabel, "img.status").text()
    generate(qtbot, panel)
    body = image_bodies(sandbox)[-1]
    assert {"image", "image2", "image3"} <= body.keys()
    # Back to a model without references: they are not sent.
    set_form(panel, model=QWEN_ID, size="1328x1328")
    generate(qtbot, panel)
    assert not {"image", "image2", "image3"} & image_bodies(sandbox)[-1].keys()


def _data_url_bytes(url: str) -> bytes:
    import base64

    return base64.b64decode(url.partition(",")[2])


# -- grid run --------------------------------------------------------------------------------------


def test_a_grid_run_states_its_size_uses_one_seed_and_is_saved_as_one_image(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_form(panel, prompt="unused main prompt", size="1024x1024", seed=2024)
    w(panel, QSpinBox, "img.batch").setValue(3)  # a grid makes one image per cell
    w(panel, QPlainTextEdit, "img.grid_prompts").setPlainText("a red fox\n一只蓝色的猫")
    axis = w(panel, QComboBox, "img.grid_axis")
    assert [axis.itemData(i) for i in range(axis.count())] == [
        "num_inference_steps",
        "guidance_scale",
    ]
    axis.setCurrentIndex(0)
    w(panel, QLineEdit, "img.grid_values").setText("10, 30")
    assert (
        w(panel, QLabel, "img.grid_count").text().startswith("4 images: 2 prompt(s) × 2 value(s)")
    )

    with qtbot.waitSignal(panel.controller.sig_grid_finished, timeout=30_000) as done:
        w(panel, QPushButton, "img.grid_run").click()
    result: GridResult = done.args[0]
    assert result.failed == 0 and len(result.cells) == 4
    bodies = image_bodies(sandbox)
    assert sorted((b["prompt"], b["num_inference_steps"]) for b in bodies) == [
        ("a red fox", 10),
        ("a red fox", 30),
        ("一只蓝色的猫", 10),
        ("一只蓝色的猫", 30),
    ]
    assert {b["seed"] for b in bodies} == {2024} and all("batch_size" not in b for b in bodies)

    # The picture: title, headers, prompt labels, and each cell's image at its place.
    grid_image: QImage = panel.grid.image()
    assert (grid_image.width(), grid_image.height()) == (
        LABEL_WIDTH + 2 * (CELL + GAP) + GAP,
        TITLE_HEIGHT + HEADER_HEIGHT + 2 * (CELL + GAP) + GAP,
    )
    for cell in result.cells:
        assert cell.image is not None
        expected = cell_picture(cell.image.png)
        x = LABEL_WIDTH + GAP + cell.column * (CELL + GAP)
        y = TITLE_HEIGHT + HEADER_HEIGHT + cell.row * (CELL + GAP)
        assert grid_image.copy(x, y, CELL, CELL) == expected.convertToFormat(grid_image.format())

    # Saved in the gallery as one image (plus its four cells), recording what varied.
    with qtbot.waitSignal(panel.controller.sig_grid_saved, timeout=10_000) as saved:
        pass
    grid_entry = saved.args[0]
    assert grid_entry.kind == "grid"
    assert (grid_entry.width, grid_entry.height) == (grid_image.width(), grid_image.height())
    record = read_parameters(grid_entry.path)
    assert record is not None and record["grid"] == {
        "prompts": ["a red fox", "一只蓝色的猫"],
        "axis": "num_inference_steps",
        "values": [10.0, 30.0],
    }
    assert record["seed"] == 2024 and "num_inference_steps" not in record
    wait_gallery(qtbot, panel, 5)


def test_grid_input_is_checked_before_anything_is_sent(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_form(panel, prompt="a fox")
    values = w(panel, QLineEdit, "img.grid_values")
    status = w(panel, QLabel, "img.status")
    for text, message in (
        ("10, x", "numbers separated by commas"),
        ("0, 30", "from 1 to 100"),
        ("10.5, 20", "whole numbers"),
        ("10, 20, 30, 40, 50", "one to 4 values"),
        ("20", "at least two images"),
    ):
        values.setText(text)
        panel.run_grid()
        assert message in status.text(), text
    assert not image_bodies(sandbox)
    # With the prompt field empty, the main prompt is the one row: 1 × 3 images.
    values.setText("10，20，30")  # Chinese commas
    assert w(panel, QLabel, "img.grid_count").text().startswith("3 images: 1 prompt(s)")
    # A model with nothing to vary says so.
    set_form(panel, model=Z_IMAGE, size="1024x1024")
    assert not w(panel, QPushButton, "img.grid_run").isEnabled()


# -- expired links and partial downloads --------------------------------------------------------


def test_expired_links_keep_the_parameters_and_can_be_generated_again(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    sandbox.configure(image_ttl_seconds=0)  # every link is dead on arrival
    set_form(panel, prompt="a paper boat", seed=31)
    result = generate(qtbot, panel)
    assert not result.images and len(result.failed) == 1 and result.error is not None
    status = w(panel, QLabel, "img.status").text()
    assert "could not be downloaded" in status and "parameters are kept" in status
    wait_gallery(qtbot, panel, 1)
    (entry,) = panel.gallery.entries()
    assert entry.status == "download_failed" and entry.path is None
    assert entry.params["seed"] == 31 and entry.params["prompt"] == "a paper boat"
    assert entry.urls and entry.urls[0].startswith(sandbox.root_url)

    # Download again: still expired, explained; the entry stays.
    panel.gallery.select(entry.id)
    retry = w(panel, QPushButton, "img.retry")
    assert retry.isEnabled() and not w(panel, QPushButton, "img.open").isEnabled()
    with qtbot.waitSignal(panel.controller.sig_retry_failed):
        retry.click()
    assert "Reuse parameters" in w(panel, QLabel, "img.status").text()
    # Reuse parameters + Generate makes the same image again, now that links live.
    sandbox.configure(image_ttl_seconds=3600)
    w(panel, QPushButton, "img.reuse").click()
    again = generate(qtbot, panel)
    assert again.images and image_bodies(sandbox)[-1]["seed"] == 31


def test_one_failed_download_keeps_the_others_and_downloads_again(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_form(panel, prompt="two paper boats", seed=5)
    w(panel, QSpinBox, "img.batch").setValue(2)
    sandbox.queue_fault("/files/outputs", "500")
    result = generate(qtbot, panel)
    assert len(result.images) == 1 and len(result.failed) == 1
    wait_gallery(qtbot, panel, 2)
    failed = next(e for e in panel.gallery.entries() if not e.saved)
    panel.gallery.select(failed.id)
    with qtbot.waitSignal(panel.controller.sig_entry_downloaded, timeout=10_000) as done:
        w(panel, QPushButton, "img.retry").click()
    entry = done.args[0]
    assert entry.id == failed.id and entry.saved and entry.path is not None
    assert read_parameters(entry.path)["seed"] == 5
    qtbot.waitUntil(lambda: all(e.saved for e in panel.gallery.entries()))


# -- bad input, cancel, code ---------------------------------------------------------------------


def test_bad_input_is_explained_and_nothing_is_sent(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    status = w(panel, QLabel, "img.status")
    set_form(panel, prompt="   ")
    w(panel, QPushButton, "img.generate").click()
    assert "prompt is empty" in status.text()
    set_form(panel, prompt="a fox", size="big")
    w(panel, QPushButton, "img.generate").click()
    assert "“big” is not an image size" in status.text()
    set_form(panel, prompt="a fox", size="4096x4096")
    w(panel, QPushButton, "img.generate").click()
    assert "between 64 and 2048" in status.text()
    assert not image_bodies(sandbox)
    # A typed size that is valid is sent as typed (normalised).
    set_form(panel, prompt="a fox", size=" 640 × 480 ")
    generate(qtbot, panel)
    assert image_bodies(sandbox)[-1]["image_size"] == "640x480"


def test_a_filtered_prompt_and_server_errors_are_explained(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    status = w(panel, QLabel, "img.status")
    set_form(panel, prompt="something nsfw")
    with qtbot.waitSignal(panel.controller.sig_task_failed):
        w(panel, QPushButton, "img.generate").click()
    assert status.text().startswith("Content refused")
    sandbox.queue_fault("/v1/images/generations", "403")
    set_form(panel, prompt="a fox")
    with qtbot.waitSignal(panel.controller.sig_task_failed):
        w(panel, QPushButton, "img.generate").click()
    assert "Trace ID" in status.text()
    # Nothing half-made reached the gallery, and the form kept everything.
    assert panel.prompt_text() == "a fox" and not panel.gallery.entries()


def test_cancel_stops_waiting_and_keeps_nothing_half_made(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_form(panel, prompt="a slow fox")
    sandbox.queue_fault("/v1/images/generations", "slow-first-byte:10")
    w(panel, QPushButton, "img.generate").click()
    cancel = w(panel, QPushButton, "img.cancel")
    assert cancel.isEnabled()
    qtbot.waitUntil(lambda: "Generating 1 image(s)" in w(panel, QLabel, "img.status").text())
    with qtbot.waitSignal(panel.controller.sig_task_cancelled):
        cancel.click()
    assert "Cancelled" in w(panel, QLabel, "img.status").text() and not cancel.isEnabled()
    assert not panel.gallery.entries()


def test_view_code_is_the_body_generate_sends_without_the_key(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], sandbox: SandboxServer, tmp_path: Path
) -> None:
    panel = make_panel()
    set_form(panel, model=EDIT_ID, prompt="add a hat", seed=77)
    references = w(panel, QWidget, "img.references")
    references.add_files([picture(tmp_path / "cat.png", (600, 600), (200, 120, 60))])
    qtbot.waitUntil(lambda: len(references.attachments()) == 1)
    dialog = panel.show_code()
    curl = dialog.sources["curl"]
    assert list(dialog.sources) == ["curl", "httpx"]
    assert "$SILICONFLOW_API_KEY" in curl and SANDBOX_API_KEY not in curl
    assert "/images/generations" in curl and '"seed": 77' in curl
    assert "data:image/png;base64,<…" in curl  # the reference, shortened
    generate(qtbot, panel)
    body = image_bodies(sandbox)[-1]
    shown = panel.request_body()
    assert body == json.loads(json.dumps(shown))
    dialog.close()


def test_request_record_round_trip_drops_reference_data() -> None:
    reference = {"name": "a.png", "url": "data:image/png;base64,AAAA", "width": 8, "height": 8}
    request = ImageRequest(
        model=EDIT_2509,
        prompt="p",
        seed=3,
        num_inference_steps=40,
        cfg=2.5,
        image_size="1024x1024",  # ignored by edit models: not sent, not recorded
        references=(reference, reference),
    )
    options = request.options()
    assert options["image"] == options["image2"] == reference["url"]
    assert "image_size" not in options and "image3" not in options
    record = request.record()
    assert "image" not in record and record["references"][0] == {
        "name": "a.png",
        "width": 8,
        "height": 8,
    }
    back = ImageRequest.from_record(record)
    assert back.options() == {k: v for k, v in options.items() if not k.startswith("image")}


def test_thumbnails_are_loaded_only_for_the_rows_on_screen(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel]
) -> None:
    from sfdesk.store.image_gallery import ImageGallery

    tiny = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 120, 200)).save(tiny, "PNG")
    with ImageGallery(gallery_root()) as gallery:
        for n in range(300):
            gallery.add(tiny.getvalue(), record={"model": KOLORS_ID, "prompt": f"picture {n}"})
    panel = make_panel()
    wait_gallery(qtbot, panel, 300)
    model = panel.gallery.model
    newest = panel.gallery.entries()[0].id
    qtbot.waitUntil(lambda: model.has_thumbnail(newest), timeout=10_000)
    loaded = sum(model.has_thumbnail(entry.id) for entry in panel.gallery.entries())
    assert 0 < loaded < 60  # what fits on screen, not the 300
    # Scrolling to the end loads the oldest.
    panel.gallery.list.scrollToBottom()
    oldest = panel.gallery.entries()[-1].id
    qtbot.waitUntil(lambda: model.has_thumbnail(oldest), timeout=10_000)


def test_no_thumbnail_work_starts_after_shutdown(
    qtbot: QtBot, make_panel: Callable[..., ImagesPanel], run_async: Any
) -> None:
    panel = make_panel()
    set_form(panel, prompt="a fox")
    generate(qtbot, panel)
    wait_gallery(qtbot, panel, 1)
    run_async(panel.controller.shutdown())
    # The view's thumbnail asks are queued for the next event-loop turn; they may land late.
    panel.controller.request_thumbnails([panel.gallery.entries()[0].id])
    assert not panel.controller.alive_tasks()
