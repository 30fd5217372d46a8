"""The Microphone panel: device and model, Record/Stop/push-to-talk, meter and waveform, the
transcript, and the history of recordings with playback.

It binds the widgets to :class:`~sfdesk.ui.transcribe.controller.TranscribeController`. Record
(``asr.record``, Ctrl+R) starts a recording, Stop (``asr.stop``, Esc) ends it and lets the last
chunks finish; holding F9 or the Hold-to-talk button records while held. Import (``asr.import``)
and files dropped on the panel take the same path. Without PortAudio or without a microphone the
panel says what to install or connect, and importing still works.

The transcript (``asr.transcript``) fills in chunk by chunk and stays editable; once a recording is
in the history, edits are saved to it (a second after typing stops). Copy, "send to chat" and the
TXT/SRT exports use the transcript as edited.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sfdesk.core.transcript import to_srt, to_text
from sfdesk.ui.context import AppContext
from sfdesk.ui.export_button import ExportButton, ExportKind
from sfdesk.ui.first_show import LoadsWhenShown
from sfdesk.ui.i18n import QT_TRANSLATE_NOOP
from sfdesk.ui.run_history_view import RunHistoryView
from sfdesk.ui.transcribe.controller import (
    AUDIO_SUFFIXES,
    IMPORT,
    RECORD,
    ChunkResult,
    SessionResult,
    TranscribeController,
)
from sfdesk.ui.transcribe.meters import LevelMeter, WaveformView
from sfdesk.ui.transcribe.models import DEFAULT_MODEL, KNOWN_MODELS, SpeechModelsController
from sfdesk.ui.transcribe.status import TranscribeStatus, clock
from sfdesk.ui.transcribe.transcript import TranscriptView

if TYPE_CHECKING:
    from sfdesk.audio import AudioUnavailable, InputDevice
    from sfdesk.store.transcripts import TranscriptEntry, TranscriptSummary

TXT, SRT = "txt", "srt"
KINDS: tuple[ExportKind, ...] = (
    ExportKind(
        TXT,
        QT_TRANSLATE_NOOP("TranscribePanel", "Text (.txt)…"),
        QT_TRANSLATE_NOOP("TranscribePanel", "Text (*.txt)"),
        "txt",
        "transcript",
    ),
    ExportKind(
        SRT,
        QT_TRANSLATE_NOOP("TranscribePanel", "Subtitles (.srt)…"),
        QT_TRANSLATE_NOOP("TranscribePanel", "SubRip subtitles (*.srt)"),
        "srt",
        "transcript",
    ),
)
PUSH_TO_TALK_KEY = Qt.Key.Key_F9
#: Edits of a saved transcript are written this long after typing stops.
SAVE_DELAY_MS = 1000
HISTORY_PREVIEW_CHARS = 40
_STAMP = re.compile(r"^\[\d+(?::\d\d){1,2}\]\s*", re.MULTILINE)


class TranscribePanel(LoadsWhenShown):
    sig_send_to_chat_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("asr.panel")
        self.setAcceptDrops(True)
        self._ctx = ctx
        self._seconds = 0.0
        self._pending = 0
        self._push_to_talk = False
        self._importing = ""  # the name of the file being transcribed
        #: The history entry the transcript belongs to (edits are saved to it).
        self.entry_id: int | None = None
        self.result: SessionResult | None = None
        self.history: list[TranscriptSummary] | None = []
        self.devices: list[InputDevice] = []
        #: Why recording is impossible (AudioUnavailable), or None.
        self.unavailable: AudioUnavailable | None = None
        self.controller = TranscribeController(ctx.client, parent=self)
        self.models_controller = SpeechModelsController(ctx.client, parent=self)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._on_save_timer_timeout)
        self._build()
        self._connect()
        self.model.addItems(list(KNOWN_MODELS))
        self.model.setCurrentText(DEFAULT_MODEL)
        self._sync_buttons()
        self._retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        self.device_label = QLabel(self)
        self.device = QComboBox(self)
        self.device.setObjectName("asr.device")
        self.device.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.device.setMinimumContentsLength(18)
        self.device_label.setBuddy(self.device)
        self.refresh = QPushButton(self)
        self.refresh.setObjectName("asr.refresh")
        self.model_label = QLabel(self)
        self.model = QComboBox(self)
        self.model.setObjectName("asr.model")
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_label.setBuddy(self.model)
        self.record_button = QPushButton(self)
        self.record_button.setObjectName("asr.record")
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("asr.stop")
        self.talk_button = QPushButton(self)
        self.talk_button.setObjectName("asr.ptt")
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("asr.import")
        self.elapsed = QLabel(clock(0), self)
        self.elapsed.setObjectName("asr.elapsed")
        self.level = LevelMeter(self)
        self.waveform = WaveformView(self)
        self.status = TranscribeStatus(self)
        self.transcript = TranscriptView(self)
        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("asr.copy")
        self.chat_button = QPushButton(self)
        self.chat_button.setObjectName("asr.send_to_chat")
        self.export_button = ExportButton("asr", KINDS, self)
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("asr.clear")
        self.history_view = RunHistoryView("asr", self)
        self.play_button = QPushButton(self)
        self.play_button.setObjectName("asr.play")
        self.stop_play_button = QPushButton(self)
        self.stop_play_button.setObjectName("asr.stop_play")
        self.again_button = QPushButton(self)
        self.again_button.setObjectName("asr.again")

        top = QHBoxLayout()
        top.addWidget(self.device_label)
        top.addWidget(self.device, 2)
        top.addWidget(self.refresh)
        top.addSpacing(12)
        top.addWidget(self.model_label)
        top.addWidget(self.model, 1)
        controls = QHBoxLayout()
        for button in (self.record_button, self.stop_button, self.talk_button, self.import_button):
            controls.addWidget(button)
        controls.addStretch(1)
        controls.addWidget(self.elapsed)
        actions = QHBoxLayout()
        actions_row: tuple[QWidget, ...] = (
            self.copy_button,
            self.chat_button,
            self.export_button,
            self.clear_button,
        )
        for widget in actions_row:
            actions.addWidget(widget)
        actions.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(top)
        left_layout.addLayout(controls)
        left_layout.addWidget(self.level)
        left_layout.addWidget(self.waveform)
        left_layout.addWidget(self.status)
        left_layout.addWidget(self.transcript, 1)
        left_layout.addLayout(actions)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.history_view, 1)
        playback = QHBoxLayout()
        for button in (self.play_button, self.stop_play_button, self.again_button):
            playback.addWidget(button)
        playback.addStretch(1)
        right_layout.addLayout(playback)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        c = self.controller
        c.sig_task_started.connect(self._sync_buttons)
        c.sig_task_finished.connect(self._sync_buttons)
        c.sig_task_cancelled.connect(self._on_controller_task_cancelled)
        c.sig_task_failed.connect(self._on_controller_task_failed)
        c.sig_devices_listed.connect(self._on_controller_devices_listed)
        c.sig_recording_started.connect(self._on_controller_recording_started)
        c.sig_recording_failed.connect(self._on_controller_recording_failed)
        c.sig_level_measured.connect(self.level.set_level)
        c.sig_waveform_extended.connect(self.waveform.push)
        c.sig_recording_progressed.connect(self._on_controller_recording_progressed)
        c.sig_recording_stopped.connect(self._on_controller_recording_stopped)
        c.sig_chunks_pending.connect(self._on_controller_chunks_pending)
        c.sig_chunk_transcribed.connect(self._on_controller_chunk_transcribed)
        c.sig_session_finished.connect(self._on_controller_session_finished)
        c.sig_import_failed.connect(lambda error: self.status.show_message("import-failed", error))
        c.sig_history_listed.connect(self._on_controller_history_listed)
        c.sig_history_opened.connect(self._on_controller_history_opened)
        c.sig_export_written.connect(lambda path: self.status.show_message("exported", path))
        c.sig_export_failed.connect(
            lambda path, error: self.status.show_message("export-failed", (path, error))
        )
        c.sig_playback_failed.connect(self._on_controller_playback_failed)
        self.models_controller.sig_models_loaded.connect(self._on_models_controller_models_loaded)
        self.refresh.clicked.connect(lambda: self.controller.list_devices(rescan=True))
        self.record_button.clicked.connect(self.record)
        self.stop_button.clicked.connect(self.stop)
        self.talk_button.pressed.connect(self._on_talk_button_pressed)
        self.talk_button.released.connect(self._on_talk_button_released)
        self.import_button.clicked.connect(self.import_dialog)
        self.copy_button.clicked.connect(self.copy_transcript)
        self.chat_button.clicked.connect(self.send_to_chat)
        self.export_button.sig_chosen.connect(self.export_dialog)
        self.clear_button.clicked.connect(self.clear)
        self.transcript.sig_edited.connect(self._on_transcript_edited)
        self.history_view.sig_open_requested.connect(self.controller.open_entry)
        self.history_view.sig_delete_requested.connect(self.controller.delete_entries)
        self.history_view.list.itemSelectionChanged.connect(self._sync_buttons)
        self.play_button.clicked.connect(self.play_selected)
        self.stop_play_button.clicked.connect(self.controller.stop_playback)
        self.again_button.clicked.connect(self.transcribe_again)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+R"), self, self.record, context=context)
        QShortcut(QKeySequence("Esc"), self, self.stop, context=context)

    # -- actions ------------------------------------------------------------------------------

    def model_name(self) -> str:
        return self.model.currentText().strip() or DEFAULT_MODEL

    def device_choice(self) -> int | None:
        data = self.device.currentData()
        return data if isinstance(data, int) else None

    def record(self) -> asyncio.Task[None] | None:
        if self.controller.recording():
            return None
        self._start_transcript()
        self.status.show_message("starting")
        return self.controller.start_recording(self.device_choice(), self.model_name())

    def stop(self) -> None:
        self._push_to_talk = False
        if self.controller.recording():
            self.controller.stop_recording()
        elif self.controller.is_running(IMPORT):
            self.controller.cancel(IMPORT)

    def import_file(self, path: Path | str) -> asyncio.Task[None]:
        self._start_transcript()
        self._importing = Path(path).name
        self.status.show_message("importing", (self._importing, 0))
        return self.controller.import_file(Path(path), self.model_name())

    def import_dialog(self) -> QFileDialog:
        dialog = QFileDialog(self.window(), self.tr("Import audio"))
        dialog.setObjectName("asr.import_dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        patterns = " ".join(f"*{suffix}" for suffix in sorted(AUDIO_SUFFIXES))
        dialog.setNameFilters([self.tr("Audio (%1)").replace("%1", patterns)])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.import_file)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.show()
        return dialog

    def copy_transcript(self) -> None:
        text = self.transcript.plain_text()
        if not text.strip():
            self.status.show_message("empty")
            return
        QGuiApplication.clipboard().setText(text)
        self.status.show_message("copied")

    def send_to_chat(self) -> None:
        text = self.transcript.plain_text().strip()
        if not text:
            self.status.show_message("empty")
            return
        self.sig_send_to_chat_requested.emit(text)
        self.status.show_message("sent")

    def export_dialog(self, key: str) -> QFileDialog | None:
        kind = next(k for k in KINDS if k.key == key)
        segments = self.transcript.segments()
        if not any(segment.text.strip() for segment in segments):
            self.status.show_message("empty")
            return None
        return self.export_button.save_dialog(
            kind,
            self.tr("Export the transcript"),
            self.tr(kind.name_filter),
            lambda path: self.export_to(key, path),
        )

    def export_to(self, key: str, path: Path) -> asyncio.Task[None]:
        segments = tuple(self.transcript.segments())
        if key == SRT:
            return self.controller.export(path, lambda: to_srt(segments).encode("utf-8"))
        return self.controller.export(path, lambda: (to_text(segments) + "\n").encode("utf-8"))

    def clear(self) -> None:
        self._flush_pending_save()
        self.transcript.clear_transcript()
        self.entry_id = None
        self.history_view.list.clearSelection()

    def play_selected(self) -> asyncio.Task[None] | None:
        entry = self._selected_summary()
        if entry is None or entry.audio_path is None:
            return None
        return self.controller.play(entry.audio_path)

    def transcribe_again(self) -> asyncio.Task[None] | None:
        """Send a history entry's audio through the pipeline again (e.g. after a failure, or
        with another model)."""
        entry = self._selected_summary()
        if entry is None or entry.audio_path is None:
            return None
        return self.import_file(entry.audio_path)

    def _selected_summary(self) -> TranscriptSummary | None:
        ids = self.history_view.selected_ids()
        if len(ids) != 1 or not self.history:
            return None
        return next((entry for entry in self.history if entry.id == ids[0]), None)

    def _start_transcript(self) -> None:
        self._flush_pending_save()
        self.transcript.clear_transcript()
        self.entry_id = None
        self.level.reset()
        self.waveform.clear()
        self._seconds = 0.0
        self._pending = 0
        self.elapsed.setText(clock(0))

    # -- push to talk -------------------------------------------------------------------------

    def _on_talk_button_pressed(self) -> None:
        if not self.controller.recording():
            self._push_to_talk = True
            self.record()

    def _on_talk_button_released(self) -> None:
        if self._push_to_talk:
            self.stop()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == PUSH_TO_TALK_KEY:
            if not event.isAutoRepeat():
                self._on_talk_button_pressed()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == PUSH_TO_TALK_KEY:
            if not event.isAutoRepeat():
                self._on_talk_button_released()
            event.accept()
            return
        super().keyReleaseEvent(event)

    # -- controller events --------------------------------------------------------------------

    def _on_controller_devices_listed(self, listed: object) -> None:
        current = self.device.currentData()
        self.device.clear()
        if isinstance(listed, list):
            self.unavailable = None
            self.devices = listed
            self.device.addItem(self.tr("System default"), None)
            for device in listed:
                self.device.addItem(device.label, device.index)
            index = self.device.findData(current)
            self.device.setCurrentIndex(max(index, 0))
            if self.status.kind in ("no-portaudio", "no-device"):
                self.status.show_message("intro")
        else:
            self.devices = []
            self.unavailable = listed  # type: ignore[assignment]
            reason = getattr(listed, "reason", "device-error")
            if reason == "device-error":
                self.status.show_message("device-error", getattr(listed, "detail", ""))
            else:
                self.status.show_message(reason)
        self._sync_buttons()

    def _on_controller_recording_started(self) -> None:
        self.status.show_message("recording", (0.0, 0))
        self._sync_buttons()

    def _on_controller_recording_failed(self, error: AudioUnavailable) -> None:
        self._push_to_talk = False
        if error.reason == "device-error":
            self.status.show_message("device-error", error.detail or str(error))
        else:
            self.status.show_message(error.reason)
        self._sync_buttons()

    def _on_controller_recording_progressed(self, seconds: float) -> None:
        self._seconds = seconds
        self.elapsed.setText(clock(seconds))
        self.status.show_message("recording", (seconds, self._pending))

    def _on_controller_recording_stopped(self) -> None:
        self.level.reset()
        self.status.show_message("finishing", self._pending)
        self._sync_buttons()

    def _on_controller_chunks_pending(self, pending: int) -> None:
        self._pending = pending
        if self.controller.is_running(IMPORT):
            self.status.show_message("importing", (self._importing, pending))
        elif self.status.kind == "finishing":
            self.status.show_message("finishing", pending)

    def _on_controller_chunk_transcribed(self, chunk: ChunkResult) -> None:
        if chunk.ok and chunk.text:
            self.transcript.append_segment(chunk.segment())
        elif not chunk.ok and chunk.error is not None:
            self.status.show_message("failed", chunk.error)

    def _on_controller_session_finished(self, result: SessionResult) -> None:
        self.result = result
        self.entry_id = None if result.entry is None else result.entry.id
        self.status.show_message("finished", result)
        self._sync_buttons()

    def _on_controller_task_cancelled(self, slot: str) -> None:
        if slot in (RECORD, IMPORT):
            self.level.reset()
            self.status.show_message("cancelled")
        self._sync_buttons()

    def _on_controller_task_failed(self, _slot: str, error: object) -> None:
        if isinstance(error, BaseException):
            self.status.show_message("failed", error)
        self._sync_buttons()

    def _on_controller_history_listed(self, entries: list[TranscriptSummary] | None) -> None:
        self.history = entries
        rows = None
        if entries is not None:
            rows = [
                (entry.id, self._history_text(entry), self._history_tooltip(entry))
                for entry in entries
            ]
        self.history_view.set_runs(
            rows,
            self.tr(
                "Every recording and imported file, newest first, with its audio. Double-click "
                "one to show its transcript."
            ),
        )
        self._sync_buttons()

    def _history_text(self, entry: TranscriptSummary) -> str:
        from datetime import datetime

        when = datetime.fromtimestamp(entry.created_at).strftime("%m-%d %H:%M")
        preview = _STAMP.sub("", entry.preview).replace("\n", " ").strip()
        if len(preview) > HISTORY_PREVIEW_CHARS:
            preview = preview[: HISTORY_PREVIEW_CHARS - 1] + "…"
        return f"{when} · {clock(entry.duration_seconds)} · {preview or entry.source_name}"

    def _history_tooltip(self, entry: TranscriptSummary) -> str:
        source = self.tr("Microphone") if entry.source == "microphone" else entry.source_name
        lines = [
            self.tr("Source: %1").replace("%1", source),
            self.tr("Model: %1").replace("%1", entry.model),
        ]
        if entry.edited:
            lines.append(self.tr("Edited by hand"))
        if entry.audio_path is None:
            lines.append(self.tr("No audio kept"))
        return "\n".join(lines)

    def _on_controller_history_opened(self, entry: TranscriptEntry) -> None:
        self._flush_pending_save()
        self.entry_id = entry.id
        if entry.edited:
            self.transcript.set_edited_text(entry.text, entry.segments)
        else:
            self.transcript.set_segments(list(entry.segments))

    def _on_controller_playback_failed(self, error: object) -> None:
        self.status.show_message("playback-failed", getattr(error, "detail", None) or error)

    def _on_models_controller_models_loaded(self, models: list[str]) -> None:
        current = self.model_name()
        self.model.clear()
        self.model.addItems(models)
        self.model.setCurrentText(current if current in models else models[0])

    # -- editing ------------------------------------------------------------------------------

    def _on_transcript_edited(self) -> None:
        if self.entry_id is not None:
            self._save_timer.start()

    def _on_save_timer_timeout(self) -> None:
        if self.entry_id is not None:
            # As shown, stamps included: reopened, every edited line keeps its time.
            self.controller.save_text(self.entry_id, self.transcript.toPlainText())

    def _flush_pending_save(self) -> None:
        if self._save_timer.isActive():
            self._save_timer.stop()
            self._on_save_timer_timeout()

    # -- keeping the controls in step --------------------------------------------------------

    def _sync_buttons(self, *_args: object) -> None:
        recording = self.controller.recording()
        importing = self.controller.is_running(IMPORT)
        can_record = self.unavailable is None and not recording and not importing
        self.record_button.setEnabled(can_record)
        self.talk_button.setEnabled(can_record or (recording and self._push_to_talk))
        self.stop_button.setEnabled(recording or importing)
        self.import_button.setEnabled(not recording and not importing)
        self.device.setEnabled(not recording and bool(self.devices))
        self.refresh.setEnabled(not recording)
        selected = self._selected_summary()
        has_audio = selected is not None and selected.audio_path is not None
        self.play_button.setEnabled(has_audio)
        self.stop_play_button.setEnabled(has_audio)
        self.again_button.setEnabled(has_audio and not recording and not importing)
        self.level.setEnabled(recording)

    # -- drag and drop ------------------------------------------------------------------------

    @staticmethod
    def _audio_paths(mime: QMimeData) -> list[Path]:
        if not mime.hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        return [path for path in paths if path.suffix.lower() in AUDIO_SUFFIXES]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._audio_paths(event.mimeData()) and not self.controller.busy_transcribing():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._audio_paths(event.mimeData())
        if paths and not self.controller.busy_transcribing():
            self.import_file(paths[0])
            event.acceptProposedAction()
        else:
            super().dropEvent(event)

    # -- events -------------------------------------------------------------------------------

    def first_shown(self) -> None:
        self.controller.list_devices()
        self.models_controller.load()
        self.controller.load_history()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.device_label.setText(self.tr("Microphone"))
        self.device.setAccessibleName(self.tr("Microphone"))
        if self.device.count() and self.device.itemData(0) is None:
            self.device.setItemText(0, self.tr("System default"))
        self.refresh.setText(self.tr("Refresh"))
        self.refresh.setToolTip(self.tr("Look for microphones again"))
        self.model_label.setText(self.tr("Model"))
        self.model.setAccessibleName(self.tr("Speech-to-text model"))
        self.record_button.setText(self.tr("Record"))
        self.record_button.setToolTip(self.tr("Start recording (Ctrl+R)"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop; what was said is still transcribed (Esc)"))
        self.talk_button.setText(self.tr("Hold to talk"))
        self.talk_button.setToolTip(self.tr("Records while held (or hold F9)"))
        self.import_button.setText(self.tr("Import…"))
        self.import_button.setToolTip(self.tr("Transcribe an audio file (or drop it here)"))
        self.elapsed.setAccessibleName(self.tr("Recording time"))
        self.copy_button.setText(self.tr("Copy"))
        self.chat_button.setText(self.tr("Send to chat"))
        self.chat_button.setToolTip(self.tr("Put the transcript in the Chat tab's input"))
        self.clear_button.setText(self.tr("Clear"))
        self.play_button.setText(self.tr("Play"))
        self.play_button.setToolTip(self.tr("Play the chosen recording"))
        self.stop_play_button.setText(self.tr("Stop playing"))
        self.again_button.setText(self.tr("Transcribe again"))
        self.again_button.setToolTip(
            self.tr("Send the chosen recording's audio again, with the model chosen above")
        )
        self.export_button.retranslate(self.tr)
        self._on_controller_history_listed(self.history)
