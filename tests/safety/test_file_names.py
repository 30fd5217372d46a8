"""Every file name sfdesk makes from user or model text is safe on Windows, macOS and Linux.

Where names come from text (found with ``grep -rn "safe_filename|slug|selectFile" sfdesk``):

- the Chat export's default name, ``safe_filename(title) + ".md"`` (ChatPanel.export_conversation);
- gallery images, ``images/YYYY-MM/<id>-<slug(prompt)>.png`` (store/image_gallery.py), which is
  also the Images panel's "save as" default name;
- kept recordings and imported audio, ``recordings/<date>-<source name>.<suffix>``
  (store/transcripts.py), named after the imported file;
- the Embeddings, Rerank and Transcription exports, whose default names are fixed per kind
  (ui/export_button.py): checked too, so a change to name them after the content is caught.

Each gets hostile text — traversal, separators of both systems, drive letters, device names,
reserved characters, control and bidi characters, a 500-character Chinese title, blank and
dots-only names — through the real functions and panels, and the result must be a single
non-empty name of at most 255 bytes, inside the folder it was meant for, with no separator,
reserved or control character, no Windows device name and no trailing dot or space.
"""

from __future__ import annotations

import re
import unicodedata
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from sfdesk.store import ConversationStore, safe_filename
from sfdesk.store.image_gallery import ImageGallery
from sfdesk.store.transcripts import TranscriptStore
from sfdesk.ui.chat.panel import ChatPanel
from sfdesk.ui.embeddings import export as embedding_exports
from sfdesk.ui.export_button import ExportButton
from sfdesk.ui.images.panel import ImagesPanel
from sfdesk.ui.rerank import export as rerank_exports
from sfdesk.ui.transcribe import panel as transcribe_panel
from sfdesk.ui.transcribe.panel import TranscribePanel

NAME_MAX_BYTES = 255
#: Windows device names, reserved with any extension and in any case; the superscript digits
#: count as digits there too (learn.microsoft.com: "Naming Files, Paths, and Namespaces").
WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"{port}{digit}" for port in ("COM", "LPT") for digit in "123456789¹²³"}
)
FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

HOSTILE = [
    "../../etc/passwd",
    "..\\..\\Windows\\System32\\drivers\\etc\\hosts",
    "a/b\\c",
    "C:\\x",
    "C:",
    "\\\\server\\share\\file",
    "/absolute/path",
    "CON",
    "con",
    "nul.txt",
    "Aux.tar.gz",
    "COM1",
    "lpt9 .md",
    "PRN.",
    'name with :*?"<>| in it',
    "report.txt:hidden-stream",
    "ctrl\x00\x01\x07\x1b\x7f\tchars\r\n",
    "evil\u202egnp.exe",
    "\u2066isolated\u2069\u200e",
    "中" * 500,
    "长标题：" + "数据分析报告" * 80,
    "😀" * 100,
    "x" * 400,
    "",
    "   ",
    "\t\n",
    ".",
    "..",
    "...",
    ". . .",
    " .hidden. ",
    "trailing dots...",
    "~/.bashrc",
]
#: The device names whose superscript-digit twins Windows also reserves.
SUPERSCRIPT_DEVICES = ["COM¹", "lpt².txt"]


def problems_of(name: str) -> list[str]:
    """Why ``name`` is not a safe file name on every desktop system ([] when it is)."""
    found: list[str] = []
    if not name.strip(" ."):
        found.append("empty or only dots and spaces")
    if FORBIDDEN.search(name):
        found.append("separator or reserved character")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        found.append("control character")
    if BIDI.search(name):
        found.append("bidi control character")
    if len(name.encode("utf-8")) > NAME_MAX_BYTES:
        found.append(f"{len(name.encode('utf-8'))} bytes")
    if name != name.rstrip(" ."):
        found.append("ends in a dot or space (Windows drops them)")
    if name.split(".", 1)[0].rstrip(" ").upper() in WINDOWS_DEVICES:
        found.append("Windows device name")
    return found


def assert_safe_file(path: Path, folder: Path) -> None:
    """``path`` is a file directly inside ``folder``, with a safe name."""
    assert path.is_file(), path
    assert path.resolve().parent == folder.resolve(), f"{path} is not in {folder}"
    assert problems_of(path.name) == [], f"{path.name!r}: {problems_of(path.name)}"


# -- the shared rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("title", HOSTILE)
def test_safe_filename_makes_a_safe_name_with_room_for_an_extension(title: str) -> None:
    name = safe_filename(title)
    assert problems_of(name) == []
    assert problems_of(name + ".json") == []
    assert safe_filename(name) == name  # already safe: kept as it is


@pytest.mark.parametrize("title", SUPERSCRIPT_DEVICES)
def test_superscript_device_names_are_not_kept(title: str) -> None:
    assert problems_of(safe_filename(title)) == []


# -- Chat: the export's default name -----------------------------------------------------------


def test_chat_export_default_names_are_safe_and_stay_in_the_folder(
    make_panel: Callable[[], ChatPanel], store: ConversationStore, tmp_path: Path
) -> None:
    panel = make_panel()
    for number, title in enumerate(HOSTILE):
        folder = tmp_path / "exports" / str(number)
        folder.mkdir(parents=True)
        conversation = store.create_conversation(title)
        store.add_message(conversation.id, "user", "hello")
        dialog = panel.export_conversation(conversation.id)
        dialog.setDirectory(str(folder))  # the folder the user is looking at
        (chosen,) = dialog.selectedFiles()  # what Save writes when the name is left as offered
        dialog.fileSelected.emit(chosen)
        dialog.close()
        assert [p.name for p in folder.iterdir()] == [Path(chosen).name], title
        assert_safe_file(Path(chosen), folder)
        assert Path(chosen).suffix == ".md"


# -- Images: gallery files and "save as" ---------------------------------------------------------


def png_bytes() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


def test_gallery_files_named_after_prompts_are_safe_and_in_the_gallery(tmp_path: Path) -> None:
    data = png_bytes()
    with ImageGallery(tmp_path / "gallery") as gallery:
        for prompt in [*HOSTILE, *SUPERSCRIPT_DEVICES]:
            entry = gallery.add(data, record={"model": "m", "prompt": prompt})
            assert entry.path is not None
            month = entry.path.parent
            assert month.parent == gallery.images_dir and re.fullmatch(r"\d{4}-\d{2}", month.name)
            assert_safe_file(entry.path, month)
            assert entry.path.suffix == ".png" and entry.path.name.startswith(f"{entry.id}")


def test_images_panel_saves_under_safe_names_and_offers_them_for_save_as(
    qtbot: QtBot, make_sandbox_panel: Callable[..., Any], tmp_path: Path
) -> None:
    panel: ImagesPanel = make_sandbox_panel(ImagesPanel, (1300, 850))
    prompts = ["../../etc/passwd", 'CON:*?"<>|', "nul.txt", "中" * 500, ". . ."]
    for number, prompt in enumerate(prompts):
        panel.findChild(QComboBox, "img.model").setCurrentText("Kwai-Kolors/Kolors")
        panel.findChild(QComboBox, "img.size").setCurrentText("768x1024")
        panel.findChild(QPlainTextEdit, "img.prompt").setPlainText(prompt)
        panel.findChild(QLineEdit, "img.seed").setText(str(number + 1))
        panel.findChild(QCheckBox, "img.seed_lock").setChecked(True)
        with qtbot.waitSignal(panel.controller.sig_generated, timeout=20_000) as done:
            panel.findChild(QPushButton, "img.generate").click()
        (image,) = done.args[0].images
        entry = image.entry
        assert entry is not None and entry.path is not None and entry.prompt == prompt
        assert_safe_file(entry.path, entry.path.parent)
        assert entry.path.parent.parent.name == "images"

        folder = tmp_path / "saved" / str(number)
        folder.mkdir(parents=True)
        dialog = panel.save_dialog(entry)
        assert dialog is not None
        dialog.setDirectory(str(folder))
        (chosen,) = dialog.selectedFiles()
        with qtbot.waitSignal(panel.controller.sig_file_saved, timeout=10_000):
            dialog.fileSelected.emit(chosen)
        dialog.close()
        assert [p.name for p in folder.iterdir()] == [Path(chosen).name]
        assert_safe_file(Path(chosen), folder)


# -- Transcription: kept recordings and imported audio -----------------------------------------


def test_recordings_named_after_their_source_are_safe_and_in_the_folder(tmp_path: Path) -> None:
    recordings = tmp_path / "recordings"
    with TranscriptStore(tmp_path / "t.sqlite3", recordings_dir=recordings) as store:
        for name in [*HOSTILE, *SUPERSCRIPT_DEVICES]:
            for source in ("file", "microphone"):
                entry = store.add(
                    model="m",
                    source=source,
                    source_name=name,
                    duration_seconds=1.0,
                    audio=b"RIFF....WAVE",
                    audio_suffix=name[-12:] or None,  # a hostile "extension" as well
                )
                assert entry.audio_path is not None
                assert_safe_file(entry.audio_path, recordings)


def wav(path: Path) -> Path:
    t = np.arange(16000) / 16000
    pcm = (np.sin(2 * np.pi * 220 * t) * 0.3 * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(pcm.tobytes())
    return path


#: Names a file on Linux can really have (no "/" or NUL; ≤ 255 bytes), hostile elsewhere.
IMPORTED_NAMES = [
    "CON.wav",
    'a:*?"<>|b.wav',
    "back\\slash\\..\\x.wav",
    "..wav",
    "ctrl\x01\x1b\x7f.wav",
    "evil\u202evaw.exe.wav",
    "中" * 80 + ".wav",
]


def test_imported_audio_is_kept_under_a_safe_name_in_the_recordings_folder(
    qtbot: QtBot, make_sandbox_panel: Callable[..., Any], tmp_path: Path, isolated_user: Path
) -> None:
    panel: TranscribePanel = make_sandbox_panel(TranscribePanel, (1200, 760))
    sources = tmp_path / "to import"
    sources.mkdir()
    for name in IMPORTED_NAMES:
        path = wav(sources / name)
        with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=20_000) as done:
            panel.import_file(path)
        entry = done.args[0].entry
        assert entry is not None and entry.audio_path is not None, name
        assert entry.source_name == name  # shown as it was…
        assert_safe_file(entry.audio_path, isolated_user / "recordings")  # …stored safely
        assert entry.audio_path.read_bytes() == path.read_bytes()


# -- Exports named per kind --------------------------------------------------------------------

EXPORT_KINDS = [
    *embedding_exports.KINDS,
    *rerank_exports.KINDS,
    *transcribe_panel.KINDS,
]


@pytest.mark.parametrize("kind", EXPORT_KINDS, ids=lambda kind: f"{kind.basename}.{kind.suffix}")
def test_export_default_names_are_fixed_and_safe(qtbot: QtBot, tmp_path: Path, kind: Any) -> None:
    button = ExportButton("safety", [kind])
    qtbot.addWidget(button)
    chosen: list[Path] = []
    dialog = button.save_dialog(kind, "Export", kind.name_filter, chosen.append)
    dialog.setDirectory(str(tmp_path))
    (offered,) = dialog.selectedFiles()
    dialog.fileSelected.emit(offered)
    dialog.close()
    assert chosen == [tmp_path / f"{kind.basename}.{kind.suffix}"]
    assert problems_of(chosen[0].name) == []
