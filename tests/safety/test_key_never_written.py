"""After a full session, the API key is in no file, no log and no generated code.

The session is the real app, built in-process as ``sfdesk`` builds it (``build_session``: the
main window with all five panels, the one client, the real stores under an isolated data dir),
pointed at the sandbox with ``SFDESK_BASE_URL`` and given a distinctive key the way a user does:
typed into the key dialog (stored in a memory keyring standing in for the OS one), or in
``$SILICONFLOW_API_KEY``. A second distinctive key is used wrongly on purpose: it is tested in
the key dialog (401) and, in the keyring run, saved and used for a chat request that fails with
401 before the right key is entered.

Then every panel's main path runs: chat (and its View code), embeddings (run and every export),
rerank (run, exports, View code), images (generate, the gallery, save as, View code),
transcription (import a WAV, both exports). Logging is at DEBUG, httpx and httpcore included, so
a leaking log line would be written. Afterwards every file under the data dir (settings, logs,
cache, databases and their WAL files, images, recordings) and every exported file, the text
chunks of every PNG, the code shown in the View code dialogs and the process's stdout/stderr are
searched for either key — as is, and base64-, URL-, hex- and UTF-16-encoded.
"""

from __future__ import annotations

import base64
import binascii
import logging
import secrets
import urllib.parse
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

import sfdesk.logs
from sfdesk.app import Options, Session, build_session
from sfdesk.logs import NOISY_LOGGERS, setup_logging, teardown_logging
from sfdesk.sandbox import SandboxServer
from sfdesk.secrets import KeyStore
from sfdesk.ui.chat.panel import ChatPanel
from sfdesk.ui.embeddings import export as embedding_exports
from sfdesk.ui.embeddings.panel import EmbeddingsPanel
from sfdesk.ui.images.panel import ImagesPanel
from sfdesk.ui.key_dialog import KeyDialog
from sfdesk.ui.rerank import export as rerank_exports
from sfdesk.ui.rerank.panel import RerankPanel
from sfdesk.ui.transcribe.panel import SRT, TXT, TranscribePanel

TIMEOUT_MS = 20_000


class Key:
    """A distinctive key and every form in which a file could carry it."""

    def __init__(self, label: str) -> None:
        self.token = secrets.token_hex(16)  # the random part: what must never be found
        self.value = f"sk-{label}{self.token}"

    def forms(self) -> dict[str, bytes]:
        forms: dict[str, bytes] = {}
        for name, text in (("key", self.value), ("random part", self.token)):
            raw = text.encode()
            forms[f"{name}"] = raw
            forms[f"{name}, URL-encoded"] = urllib.parse.quote(text, safe="").encode()
            forms[f"{name}, UTF-16"] = text.encode("utf-16-le")
            forms[f"{name}, hex"] = binascii.hexlify(raw)
            # Inside a longer base64 text the key starts at one of three alignments; for each,
            # the groups that encode only the key's own bytes are always the same.
            for shift in range(3):
                part = raw[shift:]
                whole_groups = base64.b64encode(part)[: len(part) // 3 * 4]
                forms[f"{name}, base64+{shift}"] = whole_groups
                forms[f"{name}, urlsafe base64+{shift}"] = whole_groups.translate(
                    bytes.maketrans(b"+/", b"-_")
                )
        return forms


def find_key(data: bytes, keys: list[Key]) -> list[str]:
    return [
        f"{form} of {key.value}"
        for key in keys
        for form, needle in key.forms().items()
        if needle in data
    ]


def png_text(path: Path) -> bytes:
    """The text chunks of a PNG (zTXt and compressed iTXt are not visible in its bytes)."""
    try:
        with Image.open(path) as image:
            image.load()
            chunks = getattr(image, "text", {}) or {}
    except OSError:
        return b""
    return "\n".join(f"{k}={v}" for k, v in chunks.items()).encode()


def leaks_in_files(folders: list[Path], keys: list[Key]) -> tuple[int, dict[str, list[str]]]:
    """How many files were searched, and where a key was found (file -> forms)."""
    found: dict[str, list[str]] = {}
    count = 0
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            count += 1
            data = path.read_bytes()
            if path.suffix.lower() == ".png":
                data += png_text(path)
            hits = find_key(data, keys)
            if hits:
                found[str(path)] = hits
    return count, found


def test_the_search_finds_every_form_of_the_key(tmp_path: Path) -> None:
    key = Key("LEAKCHECK")
    texts = {
        "plain.log": f"Authorization: Bearer {key.value}\n".encode(),
        "b64.txt": base64.b64encode(b"xx" + key.value.encode() + b"y"),
        "url.txt": urllib.parse.quote(f"key={key.value}").encode(),
        "wide.txt": f"<{key.value}>".encode("utf-16-le"),
        "hex.txt": binascii.hexlify(b"!" + key.value.encode()),
    }
    for name, data in texts.items():
        (tmp_path / name).write_bytes(data)
    image = tmp_path / "meta.png"
    Image.new("RGB", (2, 2)).save(image, pnginfo=_compressed_text("key", key.value))
    count, found = leaks_in_files([tmp_path], [key])
    assert count == len(texts) + 1
    assert sorted(Path(name).name for name in found) == sorted([*texts, "meta.png"])
    assert find_key(b"sk-LEAKCHECK" + b"0" * 32, [key]) == []


def _compressed_text(name: str, value: str) -> Any:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt(name, value, zip=True)
    return info


# -- the session -----------------------------------------------------------------------------


@pytest.fixture
def debug_logging(isolated_user: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's own logging (the file under the data dir, with its redaction), at DEBUG for
    everything, the noisy HTTP loggers included."""
    root = logging.getLogger()
    names = [*NOISY_LOGGERS, "sfdesk", "asyncio", "keyring", "uvicorn", "uvicorn.error"]
    levels = {name: logging.getLogger(name).level for name in names}
    root_level = root.level
    # One file for the whole session: rotating at DEBUG would drop its start.
    monkeypatch.setattr(sfdesk.logs, "MAX_BYTES", 1 << 30)
    path = setup_logging(logging.DEBUG)
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        teardown_logging()
        root.setLevel(root_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def leak_keys(sandbox: SandboxServer) -> tuple[Key, Key]:
    """(good, wrong): the sandbox accepts the good key like its own funded one and rejects the
    wrong one with 401."""
    good, wrong = Key("LEAKCHECK"), Key("LEAKCHECKWRONG")
    sandbox.add_key(good.value)
    return good, wrong


def visible_key_dialog(window: Any) -> KeyDialog | None:
    return next((d for d in window.findChildren(KeyDialog) if d.isVisible()), None)


def try_key(qtbot: QtBot, dialog: KeyDialog, key: str, *, fails: bool) -> str:
    dialog.key_edit.setText(key)
    signal = dialog.tester.sig_task_failed if fails else dialog.tester.sig_test_succeeded
    with qtbot.waitSignal(signal, timeout=TIMEOUT_MS):
        dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.tester.alive_tasks(), timeout=5_000)
    return dialog.result_label.text()


def save_key(qtbot: QtBot, dialog: KeyDialog, key: str) -> None:
    dialog.key_edit.setText(key)
    with qtbot.waitSignal(dialog.sig_key_saved, timeout=5_000):
        dialog.save_button.click()


def chat(qtbot: QtBot, panel: ChatPanel, text: str) -> Any:
    panel.input.setPlainText(text)
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=TIMEOUT_MS) as ended:
        panel.send_button.click()
    return ended.args[0]


def shown(qtbot: QtBot, window: Any, key: str) -> Any:
    page = window.pages[key]
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.built, timeout=5_000)
    return page.panel()


def speech_wav(path: Path) -> Path:
    rate = 16000
    t = np.arange(int(2.5 * rate)) / rate
    pcm = np.sin(2 * np.pi * 220 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t)) * 0.3 * 32767
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.astype("<i2").tobytes())
    return path


def run_every_panel(qtbot: QtBot, window: Any, exports: Path, tmp_path: Path) -> list[str]:
    """Each panel's main path, exports included; returns the code the View code dialogs show."""
    code: list[str] = []

    # Chat: a reply, its View code, both exports.
    panel: Any = window.pages["chat"]
    window.tabs.setCurrentWidget(panel)
    answer = chat(qtbot, panel, "What is a vector database?")
    assert answer.status == "complete", answer.error
    panel.input.setPlainText("And in 中文?")
    dialog = panel.show_code()
    code += dialog.sources.values()
    dialog.close()
    conversation_id = panel.controller.conversation_id
    for suffix in (".md", ".json"):
        export = panel.export_conversation(conversation_id)
        export.fileSelected.emit(str(exports / f"chat{suffix}"))
        export.close()

    # Embeddings: a run and every export.
    embeddings: EmbeddingsPanel = shown(qtbot, window, "embeddings")
    embeddings.findChild(QPlainTextEdit, "emb.texts").setPlainText(
        "\n".join(["The cat sat on the mat.", "A cat on a rug.", "股票大跌。", "Stocks fell."])
    )
    with qtbot.waitSignal(embeddings.controller.sig_run_finished, timeout=TIMEOUT_MS):
        embeddings.findChild(QPushButton, "emb.run").click()
    for kind in embedding_exports.KINDS:
        with qtbot.waitSignal(embeddings.controller.sig_export_written, timeout=TIMEOUT_MS):
            embeddings.export_to(kind.key, exports / f"embeddings-{kind.key}.{kind.suffix}")

    # Rerank: a run with the default models and the baseline, the exports, View code.
    rerank: RerankPanel = shown(qtbot, window, "rerank")
    rerank.findChild(QLineEdit, "rerank.query").setText("What is the capital of Australia?")
    rerank.findChild(QPlainTextEdit, "rerank.documents").setPlainText(
        "Canberra is the capital.\nSydney is the largest city.\nMelbourne has trams."
    )
    rerank.findChild(QCheckBox, "rerank.baseline").setChecked(True)
    assert rerank.checked_models()
    with qtbot.waitSignal(rerank.controller.sig_run_finished, timeout=TIMEOUT_MS):
        rerank.findChild(QPushButton, "rerank.run").click()
    for kind in rerank_exports.KINDS:
        with qtbot.waitSignal(rerank.controller.sig_export_written, timeout=TIMEOUT_MS):
            rerank.export_to(kind.key, exports / f"rerank.{kind.suffix}")
    rerank_code = rerank.show_code()
    assert rerank_code is not None
    code += rerank_code.sources.values()
    rerank_code.close()

    # Images: generate, the gallery, save as, View code.
    images: ImagesPanel = shown(qtbot, window, "images")
    images.findChild(QComboBox, "img.model").setCurrentText("Kwai-Kolors/Kolors")
    images.findChild(QPlainTextEdit, "img.prompt").setPlainText("a red fox in snow")
    with qtbot.waitSignal(images.controller.sig_generated, timeout=TIMEOUT_MS) as generated:
        images.findChild(QPushButton, "img.generate").click()
    (image,) = generated.args[0].images
    assert image.entry is not None and image.entry.path is not None
    qtbot.waitUntil(
        lambda: bool(images.gallery_entries) and len(images.gallery_entries) == 1,
        timeout=TIMEOUT_MS,
    )
    save_as = images.save_dialog(image.entry)
    assert save_as is not None
    with qtbot.waitSignal(images.controller.sig_file_saved, timeout=TIMEOUT_MS):
        save_as.fileSelected.emit(str(exports / "fox.png"))
    save_as.close()
    images_code = images.show_code()
    code += images_code.sources.values()
    images_code.close()

    # Transcription: import a WAV, both exports.
    transcribe: TranscribePanel = shown(qtbot, window, "transcribe")
    wav = speech_wav(tmp_path / "speech.wav")
    with qtbot.waitSignal(transcribe.controller.sig_session_finished, timeout=TIMEOUT_MS) as done:
        transcribe.import_file(wav)
    assert done.args[0].entry is not None
    for key, suffix in ((TXT, "txt"), (SRT, "srt")):
        with qtbot.waitSignal(transcribe.controller.sig_export_written, timeout=TIMEOUT_MS):
            transcribe.export_to(key, exports / f"transcript.{suffix}")
    return code


@pytest.mark.parametrize("supplied", ["keyring", "environment"])
def test_a_full_session_writes_the_key_nowhere(
    qtbot: QtBot,
    qapp: QApplication,
    loop: Any,
    keys: KeyStore,
    sandbox: SandboxServer,
    leak_keys: tuple[Key, Key],
    debug_logging: Path,
    fake_sounddevice: Any,
    isolated_user: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    supplied: str,
) -> None:
    good, wrong = leak_keys
    monkeypatch.setenv("SFDESK_BASE_URL", sandbox.base_url)
    if supplied == "environment":
        monkeypatch.setenv("SILICONFLOW_API_KEY", good.value)
    exports = tmp_path / "exports"
    exports.mkdir()

    session: Session = build_session(qapp, Options(language="en"), keys=keys)
    window = session.window
    task = loop.create_task(session.run())
    try:
        qtbot.waitUntil(window.isVisible, timeout=TIMEOUT_MS)
        chat_panel: ChatPanel = window.pages["chat"]
        if supplied == "keyring":
            # First run without a key: the key dialog opens by itself. The user first pastes
            # the wrong key: the test says so, they save it anyway, and a chat request fails.
            qtbot.waitUntil(lambda: visible_key_dialog(window) is not None, timeout=TIMEOUT_MS)
            dialog = visible_key_dialog(window)
            assert dialog is not None
            assert "Invalid API key" in try_key(qtbot, dialog, wrong.value, fails=True)
            save_key(qtbot, dialog, wrong.value)
            failed = chat(qtbot, chat_panel, "Hello?")
            assert failed.status == "error" and failed.error["status"] == 401
            # Then the right key, through File → API key…
            window.open_key_dialog()
            dialog = visible_key_dialog(window)
            assert dialog is not None
            assert "Connected" in try_key(qtbot, dialog, good.value, fails=False)
            save_key(qtbot, dialog, good.value)
            assert keys.get(sandbox.base_url) == good.value
        else:
            qtbot.waitUntil(lambda: window.status.balance_label.text() != "", timeout=TIMEOUT_MS)
            assert visible_key_dialog(window) is None
            # A wrong key tried in the dialog is rejected; the environment's key stays in use.
            window.open_key_dialog()
            dialog = visible_key_dialog(window)
            assert dialog is not None
            assert "Invalid API key" in try_key(qtbot, dialog, wrong.value, fails=True)
            dialog.reject()
        code = run_every_panel(qtbot, window, exports, tmp_path)
    finally:
        window.close()
        qtbot.waitUntil(task.done, timeout=TIMEOUT_MS)
    assert task.result() == 0

    # The keys did reach the server, so the search below is not looking for something unused.
    sent = {entry["auth"] for entry in sandbox.requests()}
    assert "bearer" in sent
    statuses = {entry["status"] for entry in sandbox.requests() if entry["path"] == "/v1/user/info"}
    assert 401 in statuses and 200 in statuses

    log_text = debug_logging.read_text(encoding="utf-8")
    assert "httpcore" in log_text and "DEBUG" in log_text  # the log really was at DEBUG
    count, found = leaks_in_files([isolated_user, exports], [good, wrong])
    assert found == {}, f"the key was written to {found}"
    names = {path.name for path in isolated_user.rglob("*")} | {p.name for p in exports.iterdir()}
    for expected in ("sfdesk.log", "settings.json", "sfdesk.sqlite3", "gallery.sqlite3"):
        assert expected in names, f"{expected} was not written: the session missed a path"
    assert count >= 20
    assert find_key("\n".join(code).encode(), [good, wrong]) == []
    assert all("SILICONFLOW_API_KEY" in source for source in code)
    out, err = capfd.readouterr()
    assert find_key((out + err).encode(), [good, wrong]) == []
