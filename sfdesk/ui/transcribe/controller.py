"""The Microphone panel's controller: recording, chunked transcription, imports, history, playback.

A recording is one task in the ``record`` slot. It opens the device (in a worker thread: PortAudio
can take a moment), then reads what the capture callback queued — each read waits in a worker
thread for up to a tenth of a second, which paces the loop without timers — and for every block:
reports the level and the waveform, appends it to the recording's WAV file, and feeds the
:class:`~sfdesk.core.vad.Segmenter`. Each chunk it cuts at a pause is queued for upload; one
uploader, inside the same task, transcribes the chunks in order while recording goes on, so text
appears as the user speaks. :meth:`TranscribeController.stop_recording` ends the reading, not the
task: the tail is read, the segmenter flushed, and every queued chunk transcribed before the
recording is saved to the history (no lost tail). Cancelling (shutdown) stops the device at once.

An imported file goes through the same uploader: a WAV is decoded and cut at its pauses; any
other format the API takes (mp3, m4a, …) is uploaded whole when it is under the 50 MB limit.

The history (:class:`~sfdesk.store.transcripts.TranscriptStore`) is opened on first use in a worker
thread, like every call on it; a history that cannot be opened only means transcripts are not
kept. numpy, sounddevice and the audio modules are imported inside the coroutines, so building
the panel costs nothing until a device is listed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from sfdesk import paths
from sfdesk.api import ApiError, SiliconFlowClient
from sfdesk.core.transcript import TranscriptSegment
from sfdesk.ui.panel_stores import BackgroundStore, HistoryList
from sfdesk.ui.tasks import Controller

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from sfdesk.core.vad import Segment, Segmenter
    from sfdesk.store.transcripts import TranscriptEntry, TranscriptStore

log = logging.getLogger(__name__)

RECORD = "record"
IMPORT = "import"
DEVICES = "devices"
HISTORY = "history"
OPEN = "open"
SAVE_TEXT = "save-text"
EXPORT = "export"
PLAY = "play"

#: A recording stops by itself after an hour (the API's limit for one file).
MAX_RECORDING_SECONDS = 60 * 60
#: Files other than WAV are uploaded whole: the API refuses more than this.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: How long one read waits for audio: the loop's pace, and the meter's refresh (≈ 10 Hz).
READ_WAIT = 0.1
#: Waveform buckets per second (what :class:`~sfdesk.ui.transcribe.meters.WaveformView` shows).
BUCKETS_PER_SECOND = 50
AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".m4a", ".flac", ".ogg", ".opus", ".webm", ".pcm"})


@dataclass(frozen=True, eq=False)
class ChunkResult:
    """One chunk's transcript (or the failure that stopped it)."""

    index: int
    start: float
    end: float
    text: str | None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.text is not None

    def segment(self) -> TranscriptSegment:
        return TranscriptSegment(self.start, self.end, self.text or "")


@dataclass(frozen=True, eq=False)
class SessionResult:
    """A finished recording or import."""

    source: str  # "microphone" or "file"
    source_name: str
    model: str
    duration: float
    chunks: tuple[ChunkResult, ...]
    #: Its history entry; None when the history could not keep it.
    entry: TranscriptEntry | None = None
    #: The recording reached :data:`MAX_RECORDING_SECONDS` and stopped by itself.
    hit_limit: bool = False
    #: The device stopped delivering audio (unplugged) before Stop was pressed.
    device_lost: bool = False

    @property
    def segments(self) -> tuple[TranscriptSegment, ...]:
        return tuple(chunk.segment() for chunk in self.chunks if chunk.ok and chunk.text)

    @property
    def failed(self) -> tuple[ChunkResult, ...]:
        return tuple(chunk for chunk in self.chunks if not chunk.ok)


@dataclass(eq=False)
class _Session:
    model: str
    source: str
    source_name: str
    queue: asyncio.Queue[Segment | None] = field(default_factory=asyncio.Queue)
    chunks: list[ChunkResult] = field(default_factory=list)
    pending: int = 0


class AudioImportError(ValueError):
    """A file that cannot be transcribed; ``reason``: "not-audio", "too-large", "unreadable"."""

    def __init__(self, reason: str, name: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.reason = reason
        self.name = name


class TranscribeController(Controller):
    """Owns the panel's tasks, the recording and the history; reports through signals."""

    #: The input devices (list[InputDevice]); or AudioUnavailable when there can be none.
    sig_devices_listed = Signal(object)
    sig_recording_started = Signal()
    sig_recording_failed = Signal(object)  # AudioUnavailable
    sig_level_measured = Signal(float, float)  # rms dBFS, peak dBFS
    sig_waveform_extended = Signal(object, object)  # bucket minima, maxima (numpy arrays)
    sig_recording_progressed = Signal(float)  # seconds recorded
    #: Reading has ended (Stop, the limit, a lost device): the queue is being finished.
    sig_recording_stopped = Signal()
    sig_chunks_pending = Signal(int)  # chunks waiting for their transcript
    sig_chunk_transcribed = Signal(object)  # ChunkResult, in order
    sig_session_finished = Signal(object)  # SessionResult
    sig_import_failed = Signal(object)  # AudioImportError
    #: The history, newest first (list[TranscriptSummary]); None when it cannot be opened.
    sig_history_listed = Signal(object)
    sig_history_opened = Signal(object)  # TranscriptEntry
    sig_export_written = Signal(str)
    sig_export_failed = Signal(str, object)
    sig_playback_failed = Signal(object)  # AudioUnavailable or WavError

    def __init__(
        self,
        client: SiliconFlowClient,
        parent: QObject | None = None,
        *,
        history_path: Path | None = None,
        recordings_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._recordings_dir = recordings_dir
        self._history: BackgroundStore[TranscriptStore] = BackgroundStore(
            lambda: _open_history(history_path, recordings_dir),
            "transcription history (transcripts are not kept)",
        )
        self._history_list = HistoryList(
            self, HISTORY, self._history, self.sig_history_listed.emit, listing="entries"
        )
        self._stop_requested = False

    # -- devices ------------------------------------------------------------------------------

    def list_devices(self, *, rescan: bool = False) -> asyncio.Task[None]:
        return self.start(DEVICES, self._list_devices(rescan))

    async def _list_devices(self, rescan: bool) -> None:
        from sfdesk.audio import AudioUnavailable, list_input_devices, rescan_devices

        def listing() -> Any:
            if rescan and not self.recording():
                rescan_devices()
            devices = list_input_devices()
            if not devices:
                raise AudioUnavailable("no-device")
            return devices

        try:
            devices = await asyncio.to_thread(listing)
        except AudioUnavailable as exc:
            self.sig_devices_listed.emit(exc)
            return
        self.sig_devices_listed.emit(devices)

    # -- recording ----------------------------------------------------------------------------

    def start_recording(self, device: int | str | None, model: str) -> asyncio.Task[None]:
        """Record from ``device`` and transcribe as it goes; replaces an import under way."""
        self.cancel(IMPORT)
        self._stop_requested = False
        return self.start(RECORD, self._record(device, model))

    def stop_recording(self) -> None:
        """Stop reading the device; the tail and every queued chunk are still transcribed."""
        self._stop_requested = True

    def recording(self) -> bool:
        return self.is_running(RECORD)

    def busy_transcribing(self) -> bool:
        return self.is_running(RECORD) or self.is_running(IMPORT)

    async def _record(self, device: int | str | None, model: str) -> None:
        from sfdesk.audio import AudioUnavailable, Recorder
        from sfdesk.core.audio_levels import EnvelopeStream, level
        from sfdesk.core.vad import Segmenter

        recorder = Recorder(device)
        try:
            await asyncio.to_thread(recorder.start)
        except AudioUnavailable as exc:
            self.sig_recording_failed.emit(exc)
            return
        session = _Session(model, "microphone", _recording_name())
        segmenter = Segmenter(recorder.samplerate)
        envelope = EnvelopeStream(recorder.samplerate // BUCKETS_PER_SECOND)
        recording_path = self._new_recording_path()
        writer = _open_wav(recording_path, recorder.samplerate)
        uploader = asyncio.ensure_future(self._upload_all(session))
        samples = 0
        hit_limit = device_lost = False
        self.sig_recording_started.emit()
        try:
            while not self._stop_requested:
                pcm = await asyncio.to_thread(recorder.read, READ_WAIT)
                samples += self._take(session, segmenter, envelope, writer, pcm, level)
                seconds = samples / recorder.samplerate
                self.sig_recording_progressed.emit(seconds)
                if seconds >= MAX_RECORDING_SECONDS:
                    hit_limit = True
                    break
                if not recorder.is_recording:
                    device_lost = True
                    break
        except BaseException:
            # Cancelled (shutdown) or a bug: release the device and the file, keep nothing half
            # transcribed running.
            recorder.stop()
            writer.close()
            uploader.cancel()
            raise
        await asyncio.to_thread(recorder.stop)
        tail = recorder.read()
        samples += self._take(session, segmenter, envelope, writer, tail, level)
        writer.close()
        self.sig_recording_stopped.emit()
        for segment in segmenter.flush():
            self._enqueue(session, segment)
        await session.queue.put(None)
        await uploader
        duration = samples / recorder.samplerate
        entry = await self._save(session, duration, recording_path, move=True)
        self.sig_session_finished.emit(
            SessionResult(
                source="microphone",
                source_name=session.source_name,
                model=model,
                duration=duration,
                chunks=tuple(session.chunks),
                entry=entry,
                hit_limit=hit_limit,
                device_lost=device_lost,
            )
        )
        if entry is not None:
            self._history_list.sync()

    def _take(
        self,
        session: _Session,
        segmenter: Segmenter,
        envelope: Any,
        writer: wave.Wave_write,
        pcm: npt.NDArray[np.int16],
        level: Callable[[Any], Any],
    ) -> int:
        """One block: meter, waveform, file, segmenter; returns its sample count."""
        if not len(pcm):
            return 0
        measured = level(pcm)
        self.sig_level_measured.emit(measured.rms_dbfs, measured.peak_dbfs)
        mins, maxs = envelope.feed(pcm)
        if len(mins):
            self.sig_waveform_extended.emit(mins, maxs)
        writer.writeframes(pcm.astype("<i2").tobytes())
        for segment in segmenter.feed(pcm):
            self._enqueue(session, segment)
        return len(pcm)

    def _enqueue(self, session: _Session, segment: Segment) -> None:
        if segment.is_silent:
            return  # nothing said: not worth an upload (the audio stays in the recording)
        session.pending += 1
        session.queue.put_nowait(segment)
        self.sig_chunks_pending.emit(session.pending)

    async def _upload_all(self, session: _Session) -> None:
        """Transcribe the queued chunks one after another, in order, until the ``None`` mark."""
        while True:
            segment = await session.queue.get()
            if segment is None:
                return
            wav = await asyncio.to_thread(segment.wav)
            try:
                reply = await self._client.audio.transcribe(
                    model=session.model,
                    file=wav,
                    filename=f"{session.source_name}-{segment.index + 1}.wav",
                )
                chunk = ChunkResult(
                    segment.index, segment.start_seconds, segment.end_seconds, reply.text.strip()
                )
            except ApiError as exc:
                log.warning("chunk %d not transcribed: %s", segment.index, exc)
                chunk = ChunkResult(
                    segment.index, segment.start_seconds, segment.end_seconds, None, exc
                )
            session.chunks.append(chunk)
            session.pending -= 1
            self.sig_chunk_transcribed.emit(chunk)
            self.sig_chunks_pending.emit(session.pending)

    def _new_recording_path(self) -> Path:
        folder = self._recordings_dir or paths.data_dir() / "recordings"
        folder.mkdir(parents=True, exist_ok=True)
        # A unique name now; the file is written by _open_wav and moved into the history.
        descriptor, name = tempfile.mkstemp(dir=folder, prefix="recording-", suffix=".partial.wav")
        os.close(descriptor)
        return Path(name)

    # -- imports ------------------------------------------------------------------------------

    def import_file(self, path: Path, model: str) -> asyncio.Task[None]:
        """Transcribe an audio file with the same pipeline as a recording."""
        return self.start(IMPORT, self._import(Path(path), model))

    async def _import(self, path: Path, model: str) -> None:
        from sfdesk.core.vad import Segmenter
        from sfdesk.core.wav import WavError, decode_wav

        session = _Session(model, "file", path.name)
        try:
            size = await asyncio.to_thread(lambda: path.stat().st_size)
        except OSError:
            self.sig_import_failed.emit(AudioImportError("unreadable", path.name))
            return
        if path.suffix.lower() not in AUDIO_SUFFIXES:
            self.sig_import_failed.emit(AudioImportError("not-audio", path.name))
            return
        uploader = asyncio.ensure_future(self._upload_all(session))
        duration = 0.0
        try:
            if path.suffix.lower() == ".wav":
                try:
                    pcm, rate = await asyncio.to_thread(decode_wav, path)
                except WavError:
                    pcm, rate = None, 0
                if pcm is not None:
                    duration = len(pcm) / rate if rate else 0.0

                    def cut() -> list[Segment]:
                        segmenter = Segmenter(rate)
                        return [*segmenter.feed(pcm), *segmenter.flush()]

                    for segment in await asyncio.to_thread(cut):
                        self._enqueue(session, segment)
                elif size <= MAX_UPLOAD_BYTES:
                    await self._enqueue_whole(session, path)  # a WAV kind we cannot read
                else:
                    raise AudioImportError("too-large", path.name)
            elif size <= MAX_UPLOAD_BYTES:
                await self._enqueue_whole(session, path)
            else:
                raise AudioImportError("too-large", path.name)
        except AudioImportError as exc:
            uploader.cancel()
            self.sig_import_failed.emit(exc)
            return
        except BaseException:
            uploader.cancel()
            raise
        await session.queue.put(None)
        await uploader
        entry = await self._save(session, duration, path, move=False)
        self.sig_session_finished.emit(
            SessionResult(
                source="file",
                source_name=path.name,
                model=model,
                duration=duration,
                chunks=tuple(session.chunks),
                entry=entry,
            )
        )
        if entry is not None:
            self._history_list.sync()

    async def _enqueue_whole(self, session: _Session, path: Path) -> None:
        """A file the panel cannot cut: one upload of the file as it is."""
        data = await asyncio.to_thread(path.read_bytes)
        session.pending += 1
        self.sig_chunks_pending.emit(session.pending)
        try:
            reply = await self._client.audio.transcribe(
                model=session.model, file=data, filename=path.name
            )
            chunk = ChunkResult(0, 0.0, 0.0, reply.text.strip())
        except ApiError as exc:
            chunk = ChunkResult(0, 0.0, 0.0, None, exc)
        session.pending -= 1
        session.chunks.append(chunk)
        self.sig_chunk_transcribed.emit(chunk)
        self.sig_chunks_pending.emit(session.pending)

    # -- the history --------------------------------------------------------------------------

    async def _save(
        self, session: _Session, duration: float, audio: Path, *, move: bool
    ) -> TranscriptEntry | None:
        store = await self._history.get()
        if store is None:
            return None
        segments = [chunk.segment() for chunk in session.chunks if chunk.ok and chunk.text]
        entry: TranscriptEntry | None = await self._history.call(
            store.add,
            model=session.model,
            source=session.source,
            source_name=session.source_name,
            duration_seconds=duration,
            segments=segments,
            audio=audio,
            audio_suffix=audio.suffix if session.source == "file" else ".wav",
            move_audio=move,
        )
        return entry

    def load_history(self) -> asyncio.Task[Any]:
        return self._history_list.sync()

    def delete_entries(self, entry_ids: Sequence[int]) -> asyncio.Task[Any]:
        return self._history_list.delete(entry_ids)

    def open_entry(self, entry_id: int) -> asyncio.Task[None]:
        return self.start(OPEN, self._open(entry_id))

    async def _open(self, entry_id: int) -> None:
        store = await self._history.get()
        entry = None if store is None else await self._history.call(store.get, entry_id)
        if entry is None:
            self._history_list.sync()
            return
        self.sig_history_opened.emit(entry)

    def save_text(self, entry_id: int, text: str) -> asyncio.Task[None]:
        """Keep the user's edit of a transcript (the pieces as transcribed stay too)."""
        return self.start(f"{SAVE_TEXT}-{entry_id}", self._save_text(entry_id, text))

    async def _save_text(self, entry_id: int, text: str) -> None:
        store = await self._history.get()
        if store is not None:
            await self._history.call(store.update_text, entry_id, text)
            self._history_list.sync()

    def export(self, path: Path, make: Callable[[], bytes]) -> asyncio.Task[None]:
        return self.start(EXPORT, self._export(path, make))

    async def _export(self, path: Path, make: Callable[[], bytes]) -> None:
        from sfdesk.core.embedding_export import write_file

        try:
            await asyncio.to_thread(lambda: write_file(path, make()))
        except (OSError, ValueError) as exc:
            self.sig_export_failed.emit(str(path), exc)
            return
        self.sig_export_written.emit(str(path))

    # -- playback -----------------------------------------------------------------------------

    def play(self, path: Path) -> asyncio.Task[None]:
        return self.start(PLAY, self._play(path))

    async def _play(self, path: Path) -> None:
        from sfdesk.audio import AudioUnavailable
        from sfdesk.audio.playback import play
        from sfdesk.core.wav import WavError, decode_wav

        try:
            pcm, rate = await asyncio.to_thread(decode_wav, path)
            await asyncio.to_thread(play, pcm, rate)
        except (AudioUnavailable, WavError, OSError) as exc:
            self.sig_playback_failed.emit(exc)

    def stop_playback(self) -> None:
        from sfdesk.audio.playback import stop

        self.cancel(PLAY)
        stop()

    async def shutdown(self, grace: float = 5.0) -> None:
        await super().shutdown(grace)
        await self._history.close()


def _recording_name() -> str:
    return time.strftime("recording-%Y%m%d-%H%M%S")


def _open_wav(path: Path, samplerate: int) -> wave.Wave_write:
    """The recording's file, written block by block while recording (closed by the caller)."""
    writer = wave.open(str(path), "wb")  # noqa: SIM115 - open for the whole recording
    writer.setnchannels(1)
    writer.setsampwidth(2)
    writer.setframerate(samplerate)
    return writer


def _open_history(path: Path | None, recordings_dir: Path | None) -> TranscriptStore:
    from sfdesk.store.transcripts import TranscriptStore

    return TranscriptStore(path, recordings_dir=recordings_dir)
