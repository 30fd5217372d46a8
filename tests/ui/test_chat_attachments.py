"""Attaching images to the next message: file, paste and drop, decoded off the GUI thread, with
problems explained and the limit of four kept."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from sfdesk.ui.chat.attachments import MAX_IMAGES, AttachmentBar, ChatInput


@pytest.fixture
def bar(qtbot: QtBot, loop: asyncio.AbstractEventLoop, run_async: Any) -> Any:
    widget = AttachmentBar()
    qtbot.addWidget(widget)
    yield widget
    run_async(widget.shutdown())


def picture(tmp_path: Path, name: str, size: tuple[int, int] = (300, 150)) -> Path:
    path = tmp_path / name
    Image.new("RGB", size, (250, 200, 0)).save(path)
    return path


def wait_ready(qtbot: QtBot, bar: AttachmentBar) -> None:
    qtbot.waitUntil(lambda: not bar.loading, timeout=10_000)


def test_files_become_data_url_attachments_with_thumbnails(
    qtbot: QtBot, bar: AttachmentBar, tmp_path: Path
) -> None:
    bar.add_files([picture(tmp_path, "a.png"), picture(tmp_path, "b.jpg", (5000, 2500))])
    assert bar.loading
    wait_ready(qtbot, bar)
    names = [a["name"] for a in bar.attachments()]
    assert sorted(names) == ["a.png", "b.jpg"]
    big = next(a for a in bar.attachments() if a["name"] == "b.jpg")
    assert (big["width"], big["height"]) == (2048, 1024)  # downscaled before it is sent
    assert all(a["url"].startswith("data:image/") for a in bar.attachments())
    chips = bar.findChildren(QToolButton, "chat.attachment")
    assert len(chips) == 2 and not bar.isHidden()
    chips[0].click()  # a click removes it
    assert len(bar.attachments()) == 1


def test_paste_and_drop_go_to_the_bar_and_text_stays_text(
    qtbot: QtBot, bar: AttachmentBar, tmp_path: Path
) -> None:
    box = ChatInput(bar)
    qtbot.addWidget(box)
    pasted = QMimeData()
    image = QImage(64, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    pasted.setImageData(image)
    assert box.canInsertFromMimeData(pasted)
    box.insertFromMimeData(pasted)
    dropped = QMimeData()
    dropped.setUrls([QUrl.fromLocalFile(str(picture(tmp_path, "dropped.webp")))])
    box.insertFromMimeData(dropped)
    wait_ready(qtbot, bar)
    names = sorted(a["name"] for a in bar.attachments())
    assert names == ["dropped.webp", "pasted-1.png"]
    assert box.toPlainText() == ""
    text = QMimeData()
    text.setText("just words")
    box.insertFromMimeData(text)
    assert box.toPlainText() == "just words" and len(bar.attachments()) == 2


def test_problems_are_explained_and_nothing_else_is_lost(
    qtbot: QtBot, bar: AttachmentBar, tmp_path: Path
) -> None:
    problems: list[str] = []
    bar.sig_problem.connect(problems.append)
    bar.add_files([picture(tmp_path, "good.png")])
    wait_ready(qtbot, bar)
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"this is not a picture")
    bar.add_files([fake, tmp_path / "missing.png"])
    wait_ready(qtbot, bar)
    assert sorted(problems) == [  # decoded in parallel: either order
        "fake.png is not an image that can be attached.",
        "missing.png could not be read.",
    ]
    assert [a["name"] for a in bar.attachments()] == ["good.png"]


def test_at_most_four_images(qtbot: QtBot, bar: AttachmentBar, tmp_path: Path) -> None:
    problems: list[str] = []
    bar.sig_problem.connect(problems.append)
    bar.add_files(picture(tmp_path, f"{n}.png") for n in range(MAX_IMAGES + 1))
    wait_ready(qtbot, bar)
    assert len(bar.attachments()) == MAX_IMAGES
    assert problems == [f"At most {MAX_IMAGES} images can be attached to one message."]
    bar.clear()
    assert bar.attachments() == [] and bar.isHidden()
