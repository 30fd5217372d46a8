"""The transcription history: entries with their audio files, edits, deleting (files too),
file names, reopening, and use from several threads."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from sfdesk import paths
from sfdesk.core.transcript import TranscriptSegment
from sfdesk.core.wav import decode_wav, encode_wav
from sfdesk.store.transcripts import PREVIEW_CHARS, TranscriptStore

from .conftest import FakeClock

SEGMENTS = (
    TranscriptSegment(0.0, 4.32, "你好，这是第一段。"),
    TranscriptSegment(4.32, 9.0, ""),  # a chunk the model found no words in
    TranscriptSegment(9.0, 12.5, "And a second one."),
)
WAV = encode_wav(np.arange(-800, 800, dtype=np.int16) * 40)


@pytest.fixture
def history(tmp_path: Path) -> Iterator[TranscriptStore]:
    with TranscriptStore(
        tmp_path / "transcripts.sqlite3", recordings_dir=tmp_path / "rec", clock=FakeClock()
    ) as store:
        yield store


def test_a_recording_is_kept_whole_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "transcripts.sqlite3"
    recordings = tmp_path / "rec"
    with TranscriptStore(path, recordings_dir=recordings, clock=FakeClock()) as store:
        entry = store.add(
            model="FunAudioLLM/SenseVoiceSmall",
            source="microphone",
            source_name="Microphone (USB)",
            duration_seconds=12.5,
            segments=SEGMENTS,
            audio=WAV,
        )
    assert entry.text == "你好，这是第一段。\nAnd a second one."
    assert entry.original_text == entry.text and not entry.edited
    assert entry.audio_path is not None and entry.audio_path.parent == recordings
    assert entry.audio_path.suffix == ".wav"
    assert entry.audio_path.read_bytes() == WAV
    with TranscriptStore(path, recordings_dir=recordings) as store:
        (summary,) = store.entries()
        assert (summary.id, summary.model, summary.source) == (
            entry.id,
            "FunAudioLLM/SenseVoiceSmall",
            "microphone",
        )
        assert summary.duration_seconds == 12.5
        assert summary.audio_path == entry.audio_path
        assert summary.preview == "你好，这是第一段。 And a second one."
        assert store.get(entry.id) == entry
        assert store.get(entry.id + 1) is None


def test_the_default_locations_are_under_the_data_dir() -> None:
    with TranscriptStore() as store:
        entry = store.add(
            model="m", source="microphone", source_name="mic", duration_seconds=0.1, audio=WAV
        )
        assert store.path == paths.data_dir() / "transcripts.sqlite3"
    assert entry.audio_path is not None
    assert entry.audio_path.parent == paths.data_dir() / "recordings"


def test_entries_are_newest_first_and_limited(history: TranscriptStore) -> None:
    ids = [
        history.add(model="m", source="file", source_name=f"{n}.mp3", duration_seconds=n).id
        for n in range(5)
    ]
    assert [e.id for e in history.entries()] == ids[::-1]
    assert [e.id for e in history.entries(limit=2)] == ids[:-3:-1]
    assert history.entries(limit=0) == []
    assert history.count() == 5


def test_an_imported_file_is_copied_with_its_extension(
    history: TranscriptStore, tmp_path: Path
) -> None:
    original = tmp_path / "会议 记录.MP3"
    original.write_bytes(b"ID3 fake mp3")
    entry = history.add(
        model="m", source="file", source_name=original.name, duration_seconds=60, audio=original
    )
    assert original.exists(), "an import is copied, the user's file stays"
    assert entry.audio_path is not None
    assert entry.audio_path.read_bytes() == b"ID3 fake mp3"
    assert entry.audio_path.suffix == ".mp3"
    assert "会议 记录" in entry.audio_path.name
    assert entry.source == "file"


def test_a_recording_file_can_be_moved_in(history: TranscriptStore, tmp_path: Path) -> None:
    temporary = tmp_path / "partial-recording.wav"
    temporary.write_bytes(WAV)
    entry = history.add(
        model="m",
        source="microphone",
        source_name="mic",
        duration_seconds=0.1,
        audio=temporary,
        move_audio=True,
    )
    assert not temporary.exists()
    assert entry.audio_path is not None
    samples, rate = decode_wav(entry.audio_path)
    assert rate == 16000 and samples.size == 1600


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "a/b\\c:d*?.wav", "CON", "\u202egnp.exe", " ", "名字" * 200, "x\x00y"],
)
def test_audio_file_names_are_sanitised(history: TranscriptStore, name: str) -> None:
    entry = history.add(
        model="m", source="microphone", source_name=name, duration_seconds=1, audio=WAV
    )
    assert entry.audio_path is not None
    assert entry.audio_path.parent == history.recordings_dir
    assert entry.audio_path.exists()
    assert len(entry.audio_path.name.encode()) < 128
    assert "\u202e" not in entry.audio_path.name


def test_two_entries_in_the_same_second_get_different_files(tmp_path: Path) -> None:
    with TranscriptStore(
        tmp_path / "t.sqlite3", recordings_dir=tmp_path / "rec", clock=lambda: 1_700_000_000.0
    ) as store:
        first = store.add(
            model="m", source="microphone", source_name="mic", duration_seconds=1, audio=WAV
        )
        second = store.add(
            model="m", source="microphone", source_name="mic", duration_seconds=1, audio=b"2"
        )
    assert first.audio_path != second.audio_path
    assert first.audio_path is not None and first.audio_path.read_bytes() == WAV


def test_editing_the_text_keeps_the_pieces(history: TranscriptStore) -> None:
    entry = history.add(
        model="m", source="microphone", source_name="mic", duration_seconds=12.5, segments=SEGMENTS
    )
    assert history.update_text(entry.id, "Edited.\n" + "长" * 500)
    edited = history.get(entry.id)
    assert edited is not None
    assert edited.edited and edited.text.startswith("Edited.")
    assert edited.segments == SEGMENTS
    assert edited.original_text == entry.text
    assert edited.updated_at > entry.updated_at
    (summary,) = history.entries()
    assert summary.edited and len(summary.preview) == PREVIEW_CHARS
    assert not history.update_text(entry.id + 100, "nobody")


def test_new_pieces_replace_the_text_unless_it_was_edited(history: TranscriptStore) -> None:
    entry = history.add(model="m", source="microphone", source_name="mic", duration_seconds=3)
    assert entry.text == "" and entry.segments == ()
    more = (*SEGMENTS, TranscriptSegment(12.5, 15.0, "Late chunk."))
    assert history.update_segments(entry.id, more, duration_seconds=15.0)
    updated = history.get(entry.id)
    assert updated is not None
    assert updated.text.endswith("Late chunk.") and updated.duration_seconds == 15.0
    history.update_text(entry.id, "mine")
    assert history.update_segments(entry.id, SEGMENTS)
    kept = history.get(entry.id)
    assert kept is not None
    assert (kept.text, kept.segments, kept.duration_seconds) == ("mine", SEGMENTS, 15.0)
    assert not history.update_segments(entry.id + 1, SEGMENTS)


def test_deleting_removes_the_audio_files(history: TranscriptStore) -> None:
    entries = [
        history.add(
            model="m", source="microphone", source_name="mic", duration_seconds=1, audio=WAV
        )
        for _ in range(3)
    ]
    without_audio = history.add(model="m", source="file", source_name="x", duration_seconds=1)
    files = [e.audio_path for e in entries]
    assert all(f is not None and f.exists() for f in files)
    assert history.delete([entries[0].id, without_audio.id, 999, entries[0].id]) == 2
    assert files[0] is not None and not files[0].exists()
    assert all(f is not None and f.exists() for f in files[1:])
    assert [e.id for e in history.entries()] == [entries[2].id, entries[1].id]
    # A file the user already removed is not an error.
    assert files[1] is not None
    files[1].unlink()
    assert history.delete([entries[1].id]) == 1
    assert history.delete([]) == 0


def test_invalid_entries_are_refused_and_leave_no_file(history: TranscriptStore) -> None:
    with pytest.raises(ValueError):
        history.add(model="m", source="phone", source_name="x", duration_seconds=1, audio=WAV)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        history.add(
            model="m",
            source="file",
            source_name="x",
            duration_seconds=1,
            segments=[TranscriptSegment(math.nan, 1.0, "x")],
            audio=WAV,
        )
    with pytest.raises(ValueError):
        history.add(model="m", source="file", source_name="x", duration_seconds=-1, audio=WAV)
    assert history.count() == 0
    assert not history.recordings_dir.exists() or not any(history.recordings_dir.iterdir())


def test_a_failed_insert_removes_the_copied_file(
    history: TranscriptStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("sfdesk.store.transcripts.db.transaction", broken)
    with pytest.raises(OSError, match="disk full"):
        history.add(model="m", source="microphone", source_name="x", duration_seconds=1, audio=WAV)
    assert not any(history.recordings_dir.iterdir())


def test_the_store_can_be_used_from_several_threads(history: TranscriptStore) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                entry = history.add(
                    model="m",
                    source="microphone",
                    source_name=f"t{n}",
                    duration_seconds=i,
                    segments=SEGMENTS,
                    audio=WAV,
                )
                history.update_text(entry.id, f"{n}-{i}")
                history.entries(limit=5)
                if i % 3 == 0:
                    history.delete([entry.id])
        except BaseException as exc:  # collected and re-raised on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert history.count() == 4 * 6
    assert len(list(history.recordings_dir.iterdir())) == 4 * 6
