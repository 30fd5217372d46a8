"""The Microphone panel driven by its object names against the sandbox, with a scripted PortAudio
(the fake sounddevice: the test plays the device's callback) and, at the end, a real PulseAudio
virtual microphone: recording with chunks transcribed as they are cut and nothing lost at Stop,
push-to-talk, a failing chunk, no PortAudio and no device, imports, exports, editing and the
history, send to chat."""

from __future__ import annotations

import functools
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from audio.fixtures import FakeSoundDevice, VirtualMic
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from sfdesk.audio import AudioUnavailable
from sfdesk.core.transcript import TranscriptSegment, to_srt
from sfdesk.core.wav import decode_wav, encode_wav
from sfdesk.sandbox import SandboxServer
from sfdesk.ui.transcribe.controller import SessionResult
from sfdesk.ui.transcribe.panel import SRT, TXT, TranscribePanel

RATE = 16000
PATH = "/v1/audio/transcriptions"


@pytest.fixture
def make_panel(make_sandbox_panel: Callable[..., Any]) -> Callable[..., TranscribePanel]:
    return functools.partial(make_sandbox_panel, TranscribePanel, (1200, 760))


def w(panel: QWidget, kind: type, name: str) -> Any:
    widget = panel.findChild(kind, name)
    assert widget is not None, name
    return widget


def speech(seconds: float, frequency: float = 220.0, amplitude: float = 0.3) -> np.ndarray:
    """A voiced sound: loud enough for the segmenter to call it speech."""
    t = np.arange(int(seconds * RATE)) / RATE
    wave_ = np.sin(2 * np.pi * frequency * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
    return (wave_ * amplitude * 32767).astype(np.int16)


def silence(seconds: float) -> np.ndarray:
    rng = np.random.default_rng(1)
    return (rng.normal(0, 20, int(seconds * RATE))).astype(np.int16)  # a quiet room


def uploads(sandbox: SandboxServer) -> list[dict[str, Any]]:
    return [e["file"] for e in sandbox.requests() if e["path"] == PATH and e.get("file")]


def wait_devices(qtbot: QtBot, panel: TranscribePanel) -> None:
    qtbot.waitUntil(lambda: bool(panel.devices) or panel.unavailable is not None, timeout=10_000)


def record_blocks(
    qtbot: QtBot, panel: TranscribePanel, fake: FakeSoundDevice, pcm: np.ndarray
) -> SessionResult:
    """Record ``pcm`` as the device would deliver it (100 ms blocks), then Stop."""
    with qtbot.waitSignal(panel.controller.sig_recording_started, timeout=10_000):
        w(panel, QPushButton, "asr.record").click()
    for start in range(0, len(pcm), 1600):
        fake.stream.push(pcm[start : start + 1600].reshape(-1, 1))
    total = len(pcm) / RATE
    qtbot.waitUntil(lambda: panel._seconds >= total - 1e-9, timeout=10_000)
    with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=20_000) as done:
        w(panel, QPushButton, "asr.stop").click()
    result: SessionResult = done.args[0]
    return result


# -- recording with a scripted device --------------------------------------------------------------


def test_a_recording_is_cut_at_pauses_transcribed_in_order_and_kept_whole(
    qtbot: QtBot,
    make_panel: Callable[..., TranscribePanel],
    sandbox: SandboxServer,
    fake_sounddevice: FakeSoundDevice,
) -> None:
    panel = make_panel()
    wait_devices(qtbot, panel)
    devices = w(panel, QComboBox, "asr.device")
    assert [devices.itemText(i) for i in range(devices.count())] == [
        "System default",
        "USB Microphone (ALSA)",
    ]
    pcm = np.concatenate([speech(3.5), silence(1.0), speech(3.2, 330), silence(0.4)])
    result = record_blocks(qtbot, panel, fake_sounddevice, pcm)

    # Two chunks, cut in the pause; each a 16 kHz mono WAV with speech in it.
    sent = uploads(sandbox)
    assert len(sent) == 2 == len(result.chunks) and not result.failed
    for upload in sent:
        assert upload["wav"]["rate"] == RATE and upload["wav"]["channels"] == 1
        assert upload["wav"]["rms_dbfs"] > -30
    durations = [upload["wav"]["duration"] for upload in sent]
    assert 3.5 <= durations[0] <= 4.5  # the first burst and part of the pause
    assert abs(sum(durations) - len(pcm) / RATE) < 0.05  # nothing lost, nothing twice
    # The transcript shows both, in order, with their start times.
    transcript = w(panel, QPlainTextEdit, "asr.transcript")
    segments = transcript.segments()
    assert [s.text for s in segments] == [c.text for c in result.chunks]
    assert segments[0].start == 0.0 and 3.5 <= segments[1].start <= 4.5
    assert transcript.toPlainText().startswith("[00:00] [sandbox]")
    # The whole recording is kept in the history, as recorded.
    assert result.entry is not None and result.entry.audio_path is not None
    kept, rate = decode_wav(result.entry.audio_path)
    assert rate == RATE and np.array_equal(kept, pcm)
    assert abs(result.duration - len(pcm) / RATE) < 1e-6
    qtbot.waitUntil(lambda: bool(panel.history) and panel.history[0].id == result.entry.id)
    # The meter and the waveform followed the audio.
    assert panel.waveform.bucket_count() > 0
    assert w(panel, QLabel, "asr.elapsed").text() == "00:08"
    status = w(panel, QLabel, "asr.status").text()
    assert status.startswith("Transcribed 00:08 of audio in 2 chunk(s).")


def test_push_to_talk_records_while_f9_is_held(
    qtbot: QtBot,
    make_panel: Callable[..., TranscribePanel],
    sandbox: SandboxServer,
    fake_sounddevice: FakeSoundDevice,
) -> None:
    panel = make_panel()
    wait_devices(qtbot, panel)
    with qtbot.waitSignal(panel.controller.sig_recording_started, timeout=10_000):
        QTest.keyPress(panel, Qt.Key.Key_F9)
    # Auto-repeat while held starts nothing new.
    QTest.keyPress(panel, Qt.Key.Key_F9)
    assert len(fake_sounddevice.streams) == 1
    fake_sounddevice.stream.push(speech(1.0).reshape(-1, 1))
    qtbot.waitUntil(lambda: panel._seconds >= 1.0)
    with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=20_000) as done:
        QTest.keyRelease(panel, Qt.Key.Key_F9)
    result: SessionResult = done.args[0]
    # A short utterance is the flushed tail: transcribed, not lost.
    assert len(result.chunks) == 1 and abs(uploads(sandbox)[0]["wav"]["duration"] - 1.0) < 0.05


def test_a_failed_chunk_stays_failed_the_others_complete_and_it_can_be_sent_again(
    qtbot: QtBot,
    make_panel: Callable[..., TranscribePanel],
    sandbox: SandboxServer,
    fake_sounddevice: FakeSoundDevice,
) -> None:
    panel = make_panel()
    wait_devices(qtbot, panel)
    sandbox.queue_fault(PATH, "503")
    pcm = np.concatenate([speech(3.5), silence(1.0), speech(3.2, 330), silence(0.4)])
    result = record_blocks(qtbot, panel, fake_sounddevice, pcm)
    assert len(result.failed) == 1 and len(result.chunks) == 2
    assert "1 chunk(s) failed (Service busy)" in w(panel, QLabel, "asr.status").text()
    # Transcribe again from the history: the kept audio goes through the pipeline again.
    qtbot.waitUntil(lambda: bool(panel.history))
    panel.history_view.list.setCurrentRow(0)
    again = w(panel, QPushButton, "asr.again")
    assert again.isEnabled()
    with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=20_000) as done:
        again.click()
    second: SessionResult = done.args[0]
    assert len(second.chunks) == 2 and not second.failed


def test_a_kept_recording_plays_back_and_a_dropped_file_is_imported(
    qtbot: QtBot,
    make_panel: Callable[..., TranscribePanel],
    sandbox: SandboxServer,
    fake_sounddevice: FakeSoundDevice,
    tmp_path: Path,
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    panel = make_panel()
    wait_devices(qtbot, panel)
    pcm = np.concatenate([speech(2.0), silence(0.5)])
    path = tmp_path / "dropped.wav"
    path.write_bytes(encode_wav(pcm))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=20_000) as done:
        panel.dropEvent(drop)
    assert done.args[0].source_name == "dropped.wav"
    qtbot.waitUntil(lambda: bool(panel.history))
    panel.history_view.list.setCurrentRow(0)
    play = w(panel, QPushButton, "asr.play")
    assert play.isEnabled()
    play.click()
    qtbot.waitUntil(lambda: bool(fake_sounddevice.played))
    played, rate = fake_sounddevice.played[0]
    assert rate == RATE and np.array_equal(played, pcm)  # the kept copy, exactly
    w(panel, QPushButton, "asr.stop_play").click()
    assert fake_sounddevice.stops >= 1
    # No output device: said plainly.
    fake_sounddevice.devices = [d for d in fake_sounddevice.devices if d.inputs]
    with qtbot.waitSignal(panel.controller.sig_playback_failed):
        play.click()
    assert "cannot be played here" in w(panel, QLabel, "asr.status").text()


# -- without PortAudio or a device -----------------------------------------------------------------


def test_without_portaudio_the_panel_says_what_to_install_and_import_still_works(
    qtbot: QtBot,
    make_panel: Callable[..., TranscribePanel],
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from sfdesk.audio import capture

    def missing() -> None:
        raise AudioUnavailable("no-portaudio", "libportaudio.so.2: cannot open shared object")

    monkeypatch.setattr(capture, "_sounddevice", missing)
    panel = make_panel()
    wait_devices(qtbot, panel)
    status = w(panel, QLabel, "asr.status")
    assert "sudo apt install libportaudio2" in status.text()
    assert not w(panel, QPushButton, "asr.record").isEnabled()
    assert not w(panel, QPushButton, "asr.ptt").isEnabled()
    # Importing a file needs no audio device.
    path = tmp_path / "memo.wav"
    path.write_bytes(encode_wav(np.concatenate([speech(2.0), silence(0.5)])))
    assert w(panel, QPushButton, "asr.import").isEnabled()
    with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=20_000) as done:
        panel.import_file(path)
    assert done.args[0].chunks and "2.50 s of audio" in panel.transcript.plain_text()


def test_without_a_microphone_the_panel_says_so(
    qtbot: QtBot, make_panel: Callable[..., TranscribePanel], fake_sounddevice: FakeSoundDevice
) -> None:
    fake_sounddevice.devices = [fake_sounddevice.devices[0]]  # speakers only
    panel = make_panel()
    wait_devices(qtbot, panel)
    assert "No microphone was found" in w(panel, QLabel, "asr.status").text()
    assert not w(panel, QPushButton, "asr.record").isEnabled()
    # Plugging one in and pressing Refresh brings recording back.
    from audio.fixtures import FakeDevice

    fake_sounddevice.devices.append(FakeDevice("Headset"))
    w(panel, QPushButton, "asr.refresh").click()
    qtbot.waitUntil(lambda: bool(panel.devices))
    assert w(panel, QPushButton, "asr.record").isEnabled()
    assert fake_sounddevice.rescans == 1


def test_a_device_that_fails_to_open_is_explained(
    qtbot: QtBot, make_panel: Callable[..., TranscribePanel], fake_sounddevice: FakeSoundDevice
) -> None:
    panel = make_panel()
    wait_devices(qtbot, panel)
    fake_sounddevice.open_error = "Device unavailable [PaErrorCode -9985]"
    with qtbot.waitSignal(panel.controller.sig_recording_failed, timeout=10_000):
        w(panel, QPushButton, "asr.record").click()
    assert "could not be opened: Device unavailable" in w(panel, QLabel, "asr.status").text()
    assert w(panel, QPushButton, "asr.record").isEnabled()  # try again once it is free


# -- imports ---------------------------------------------------------------------------------------


def test_imports_cut_wavs_send_other_formats_whole_and_refuse_what_cannot_go(
    qtbot: QtBot,
    make_panel: Callable[..., TranscribePanel],
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    panel = make_panel()
    status = w(panel, QLabel, "asr.status")
    # A 44.1 kHz stereo WAV with three utterances: cut, each chunk at the file's own rate.
    mono = np.concatenate(
        [speech(3.2), silence(1.0), speech(3.2, 300), silence(1.0), speech(3.2, 400)]
    )
    stereo = np.repeat(mono[:, None], 2, axis=1)
    path = tmp_path / "meeting.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(stereo.astype("<i2").tobytes())
    with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=30_000) as done:
        panel.import_file(path)
    result: SessionResult = done.args[0]
    assert len(result.chunks) == 3 and result.source == "file"
    assert all(u["wav"]["channels"] == 1 for u in uploads(sandbox))
    # An mp3 goes as it is, in one piece.
    mp3 = tmp_path / "voice.mp3"
    mp3.write_bytes(b"ID3" + bytes(2000))
    with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=20_000) as done:
        panel.import_file(mp3)
    assert uploads(sandbox)[-1]["filename"] == "voice.mp3"
    # Too large for one upload, not audio, unreadable: explained, nothing sent.
    before = len(uploads(sandbox))
    big = tmp_path / "long.mp3"
    with big.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    for name, expected in (
        (big, "larger than the 50 MB"),
        (tmp_path / "notes.txt", "not an audio file"),
        (tmp_path / "gone.wav", "could not be read"),
    ):
        if name.suffix == ".txt":
            name.write_text("hello")
        with qtbot.waitSignal(panel.controller.sig_import_failed, timeout=10_000):
            panel.import_file(name)
        assert expected in status.text(), name
    assert len(uploads(sandbox)) == before


# -- the transcript: exports, editing, the history, chat -------------------------------------------


def test_exports_edits_saved_to_the_history_and_reopened(
    qtbot: QtBot,
    make_panel: Callable[..., TranscribePanel],
    sandbox: SandboxServer,
    tmp_path: Path,
    run_async: Any,
) -> None:
    panel = make_panel()
    path = tmp_path / "two.wav"
    path.write_bytes(encode_wav(np.concatenate([speech(3.3), silence(1.0), speech(3.0, 330)])))
    with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=20_000) as done:
        panel.import_file(path)
    entry = done.args[0].entry
    assert entry is not None
    transcript = panel.transcript
    # The user fixes the first line by hand.
    cursor = transcript.textCursor()
    cursor.movePosition(cursor.MoveOperation.Start)
    cursor.movePosition(cursor.MoveOperation.EndOfBlock, cursor.MoveMode.KeepAnchor)
    transcript.setTextCursor(cursor)
    transcript.insertPlainText("[00:00] 你好，世界")  # typed or pasted: not ASCII for QTest
    segments = transcript.segments()
    assert segments[0] == TranscriptSegment(0.0, segments[0].end, "你好，世界")
    assert segments[0].end > 3.0  # the chunk's own end, kept through the edit

    # Exports are the transcript as edited.
    with qtbot.waitSignal(panel.controller.sig_export_written):
        panel.export_to(SRT, tmp_path / "out.srt")
    assert (tmp_path / "out.srt").read_text(encoding="utf-8") == to_srt(segments)
    with qtbot.waitSignal(panel.controller.sig_export_written):
        panel.export_to(TXT, tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()[0] == "你好，世界"

    # The edit reaches the history a moment later, and comes back on reopening.
    qtbot.waitUntil(lambda: bool(panel.history) and panel.history[0].edited, timeout=10_000)
    panel.clear()
    assert not transcript.toPlainText()
    with qtbot.waitSignal(panel.controller.sig_history_opened):
        panel.controller.open_entry(entry.id)
    assert transcript.segments()[0].text == "你好，世界"
    assert transcript.segments()[1].start == segments[1].start


def test_send_to_chat_puts_the_transcript_in_the_chat_input(
    make_ctx: Callable[..., Any], store: Any, sandbox: SandboxServer, run_async: Any
) -> None:
    from sfdesk.ui.main_window import MainWindow
    from sfdesk.ui.transcribe.page import TranscribePage

    ctx = make_ctx(base_url=sandbox.base_url, api_key="sk-sandbox", sandbox=True)
    ctx.store = store
    window = MainWindow(ctx)
    page = window.page("transcribe")
    assert isinstance(page, TranscribePage) and not page.built  # nothing built at start-up
    panel: TranscribePanel = page.panel()
    chat_input = window.findChild(QPlainTextEdit, "chat.input")
    chat_input.setPlainText("Summarise this:")
    panel.transcript.set_segments([TranscriptSegment(0.0, 2.0, "把这段话发到对话里")])
    w(panel, QPushButton, "asr.send_to_chat").click()
    assert chat_input.toPlainText() == "Summarise this:\n把这段话发到对话里"
    assert window.tabs.currentWidget() is window.page("chat")
    window.close()
    run_async(window.shutdown())
    window.deleteLater()


# -- a real virtual microphone ---------------------------------------------------------------------


def test_records_real_speech_from_a_virtual_microphone_into_the_transcript(
    qtbot: QtBot,
    make_panel: Callable[..., TranscribePanel],
    sandbox: SandboxServer,
    virtual_mic: VirtualMic,
) -> None:
    """PulseAudio pipe source ← espeak-ng speech; sounddevice → the panel → the sandbox."""
    panel = make_panel()
    wait_devices(qtbot, panel)
    devices = w(panel, QComboBox, "asr.device")
    pulse = next(i for i in range(devices.count()) if devices.itemText(i).startswith("pulse"))
    devices.setCurrentIndex(pulse)
    with qtbot.waitSignal(panel.controller.sig_recording_started, timeout=15_000):
        w(panel, QPushButton, "asr.record").click()
    # PulseAudio connects the record stream a moment after PortAudio says it started, and the
    # pipe source drops what is written before that: speak once audio is really arriving.
    qtbot.waitUntil(lambda: panel._seconds >= 0.5, timeout=15_000)
    started = panel._seconds
    virtual_mic.play(virtual_mic.speech)
    spoken = len(virtual_mic.speech) / virtual_mic.samplerate
    qtbot.waitUntil(lambda: panel._seconds >= started + spoken + 1.0, timeout=20_000)
    with qtbot.waitSignal(panel.controller.sig_session_finished, timeout=30_000) as done:
        w(panel, QPushButton, "asr.stop").click()
    result: SessionResult = done.args[0]
    sent = uploads(sandbox)
    assert sent, "nothing was uploaded"
    first = sent[0]["wav"]
    assert first["rate"] == RATE and first["channels"] == 1
    assert first["rms_dbfs"] > -40  # the phrase, not silence
    assert sum(u["wav"]["duration"] for u in sent) >= spoken * 0.9
    # The recording kept in the history is as long as what was recorded.
    assert result.entry is not None and result.entry.audio_path is not None
    kept, rate = decode_wav(result.entry.audio_path)
    assert rate == RATE and abs(len(kept) / RATE - result.duration) < 0.01
    shown = panel.transcript.plain_text()
    assert "16000 Hz, mono, level" in shown
