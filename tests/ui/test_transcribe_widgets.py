"""The Microphone panel's widgets on their own: the level meter's zones, peak hold and clip light
(read from the rendered pixels), the waveform's ring buffer and drawing, and the transcript
editor appending without disturbing the user and parsing the user's edits back into pieces."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from sfdesk.core.audio_levels import FLOOR_DBFS
from sfdesk.core.transcript import TranscriptSegment as Seg
from sfdesk.ui.transcribe.meters import (
    GREEN,
    LED_GAP,
    LED_WIDTH,
    RED,
    YELLOW,
    LevelMeter,
    WaveformView,
)
from sfdesk.ui.transcribe.transcript import TranscriptView, format_stamp

# -- helpers -------------------------------------------------------------------------------------


def _image(widget: QWidget) -> QImage:
    image = widget.grab().toImage()
    # Sample in logical pixels whatever the device pixel ratio.
    return image.scaled(widget.width(), widget.height())


def _near(actual: QColor, expected: QColor, tolerance: int = 12) -> bool:
    return all(
        abs(a - e) <= tolerance
        for a, e in zip(
            (actual.red(), actual.green(), actual.blue()),
            (expected.red(), expected.green(), expected.blue()),
            strict=True,
        )
    )


def _meter(qtbot: QtBot) -> LevelMeter:
    meter = LevelMeter()
    qtbot.addWidget(meter)
    meter.resize(240 + LED_WIDTH + LED_GAP, 16)
    return meter


def _x_of(meter: LevelMeter, dbfs: float) -> int:
    """The pixel column of ``dbfs`` on a -60…0 scale over the bar (the clip light excluded)."""
    bar_width = meter.width() - LED_WIDTH - LED_GAP
    return int(bar_width * (dbfs + 60.0) / 60.0)


def _meter_colour_at(meter: LevelMeter, dbfs: float) -> QColor:
    return _image(meter).pixelColor(_x_of(meter, dbfs), meter.height() // 2)


def _led_colour(meter: LevelMeter) -> QColor:
    return _image(meter).pixelColor(meter.width() - LED_WIDTH // 2, meter.height() // 2)


# -- level meter ---------------------------------------------------------------------------------


def test_meter_lights_green_yellow_red_zones_up_to_the_level(qtbot: QtBot) -> None:
    meter = _meter(qtbot)
    base = meter.palette().color(QPalette.ColorRole.Base)

    meter.set_level(-20.0, -20.0, now=0.0)
    assert meter.rms_dbfs == -20.0
    assert _near(_meter_colour_at(meter, -50), GREEN)
    assert _near(_meter_colour_at(meter, -25), GREEN)
    assert _near(_meter_colour_at(meter, -15), base)  # above the level: unlit
    assert _near(_meter_colour_at(meter, -8), base)

    meter.set_level(-1.0, -1.0, now=0.1)
    assert _near(_meter_colour_at(meter, -40), GREEN)
    assert _near(_meter_colour_at(meter, -8), YELLOW)
    assert _near(_meter_colour_at(meter, -5), YELLOW)
    assert _near(_meter_colour_at(meter, -2), RED)
    assert not meter.clipped  # loud is not clipped
    assert _near(_led_colour(meter), base)

    meter.set_level(FLOOR_DBFS, FLOOR_DBFS, now=5.0)  # silence, and the hold has fallen away
    assert _near(_meter_colour_at(meter, -58), base)


def test_meter_levels_outside_the_scale_are_clamped(qtbot: QtBot) -> None:
    meter = _meter(qtbot)
    meter.set_level(float("nan"), float("-inf"), now=0.0)
    assert meter.rms_dbfs == FLOOR_DBFS and meter.peak_hold_dbfs == FLOOR_DBFS
    meter.set_level(6.0, float("inf"), now=0.0)
    assert meter.rms_dbfs == 0.0 and meter.peak_hold_dbfs == 0.0
    assert _near(_meter_colour_at(meter, -1), RED)


def test_peak_hold_stays_then_falls_at_twenty_db_a_second(qtbot: QtBot) -> None:
    meter = _meter(qtbot)
    base = meter.palette().color(QPalette.ColorRole.Base)
    meter.set_level(-40.0, -6.0, now=100.0)
    assert meter.peak_hold_dbfs == -6.0
    # The tick is drawn at the held peak, in the colour of its zone, over the unlit track.
    assert _near(_meter_colour_at(meter, -6.0), YELLOW, tolerance=20)
    assert _near(_meter_colour_at(meter, -20.0), base)

    meter.set_level(-40.0, -30.0, now=101.0)  # quieter peaks do not lower the hold at once
    assert meter.peak_hold_dbfs == -6.0
    meter.set_level(-40.0, -30.0, now=101.5)
    assert meter.peak_hold_dbfs == -6.0
    meter.set_level(-40.0, -30.0, now=102.0)  # 0.5 s of falling
    assert meter.peak_hold_dbfs == pytest.approx(-16.0)
    meter.set_level(-40.0, -30.0, now=102.2)  # the fall has reached the current peak
    assert meter.peak_hold_dbfs == pytest.approx(-20.0)
    meter.set_level(-40.0, -35.0, now=102.4)  # still falling from -6 (not from -30)
    assert meter.peak_hold_dbfs == pytest.approx(-24.0)
    meter.set_level(-40.0, -10.0, now=102.5)  # a higher peak takes the hold at once
    assert meter.peak_hold_dbfs == -10.0
    meter.set_level(-40.0, -50.0, now=103.9)
    assert meter.peak_hold_dbfs == -10.0

    meter.set_level(FLOOR_DBFS, FLOOR_DBFS, now=120.0)
    assert meter.peak_hold_dbfs == FLOOR_DBFS
    assert _near(_meter_colour_at(meter, -10.0), base)  # the tick is gone


def test_clip_light_comes_on_at_full_scale_and_goes_out(qtbot: QtBot) -> None:
    meter = _meter(qtbot)
    base = meter.palette().color(QPalette.ColorRole.Base)
    meter.set_level(-6.0, -0.2, now=0.0)
    assert not meter.clipped
    meter.set_level(-6.0, -0.05, now=1.0)
    assert meter.clipped
    assert _near(_led_colour(meter), RED)
    assert "Clipping" in meter.accessibleDescription()

    meter.set_level(-30.0, -20.0, now=2.0)  # still lit for a moment after
    assert meter.clipped
    meter.set_level(-30.0, -20.0, now=3.0)
    assert not meter.clipped
    assert _near(_led_colour(meter), base)

    meter.set_level(-6.0, 0.0, now=4.0)
    meter.reset()
    assert not meter.clipped
    assert meter.rms_dbfs == FLOOR_DBFS and meter.peak_hold_dbfs == FLOOR_DBFS
    assert _near(_led_colour(meter), base)
    assert _near(_meter_colour_at(meter, -30.0), base)


def test_meter_names_and_describes_the_level(qtbot: QtBot) -> None:
    meter = _meter(qtbot)
    assert meter.objectName() == "asr.level"
    assert meter.accessibleName() == "Input level"
    assert meter.accessibleDescription() == "Silent"
    meter.set_level(-20.4, -9.6, now=0.0)
    assert meter.accessibleDescription() == "Level -20 dBFS, peak -10 dBFS"
    assert meter.sizeHint().width() >= 200 and meter.sizeHint().height() <= 24


# -- waveform ------------------------------------------------------------------------------------


def _waveform(qtbot: QtBot, width: int = 500, height: int = 80) -> WaveformView:
    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(width, height)
    return view


def _loud(count: int, amplitude: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    return np.full(count, -amplitude, np.float32), np.full(count, amplitude, np.float32)


def _silent(count: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(count, np.float32), np.zeros(count, np.float32)


def _inked_columns(view: WaveformView, *, below: bool = False) -> np.ndarray:
    """For each pixel column, whether anything other than the background is drawn well away
    from the centre line (a quarter of the height above it, or below it)."""
    image = _image(view)
    base = view.palette().color(QPalette.ColorRole.Base)
    row = view.height() * 3 // 4 if below else view.height() // 4
    return np.array([not _near(image.pixelColor(x, row), base) for x in range(view.width())])


def test_waveform_keeps_only_the_last_window_in_a_fixed_buffer(qtbot: QtBot) -> None:
    view = _waveform(qtbot)
    assert view.objectName() == "asr.waveform"
    assert view.capacity == 500  # 10 s of 20 ms buckets
    buffer = view._mins
    pushed = 0
    for _ in range(60):  # 60 pushes of 0.5 s = 30 s: three windows' worth
        values = np.arange(pushed, pushed + 25, dtype=np.float32) / 10_000
        view.push(-values, values)
        pushed += 25
    assert view.bucket_count() == 500
    assert view._mins is buffer and buffer.size == 500  # never reallocated or grown
    mins, maxs = view.buckets()
    np.testing.assert_allclose(maxs, np.arange(pushed - 500, pushed) / 10_000, rtol=1e-6)
    np.testing.assert_allclose(mins, -maxs)

    view.push(*_loud(1200))  # one push of more than a window
    assert view.bucket_count() == 500
    assert np.all(view.buckets()[1] == np.float32(0.8))

    with pytest.raises(ValueError):
        view.push(np.zeros(3), np.zeros(4))
    view.clear()
    assert view.bucket_count() == 0
    assert not _inked_columns(view).any()


def test_waveform_draws_loud_audio_and_stays_flat_where_silent(qtbot: QtBot) -> None:
    view = _waveform(qtbot)
    view.push(*_loud(100))  # the oldest: scrolls to the left edge
    view.push(*_silent(300))
    view.push(*_loud(100))  # the newest: at the right edge
    for below in (False, True):  # the maxima above the centre line, the minima below it
        inked = _inked_columns(view, below=below)
        assert inked[5:95].all()
        assert not inked[105:395].any()
        assert inked[405:495].all()


def test_waveform_grows_in_from_the_right(qtbot: QtBot) -> None:
    view = _waveform(qtbot)
    view.push(*_loud(50))  # one second of audio
    for below in (False, True):
        inked = _inked_columns(view, below=below)
        assert not inked[:445].any()
        assert inked[455:].all()


def test_narrow_waveform_keeps_a_short_click_visible(qtbot: QtBot) -> None:
    view = _waveform(qtbot, width=100)  # five buckets per pixel column
    mins, maxs = _silent(500)
    maxs[252] = 0.9  # one 20 ms click, in the middle of a column
    mins[377] = -0.9  # and a negative one in another
    view.push(mins, maxs)
    assert np.flatnonzero(_inked_columns(view)).tolist() == [50]
    assert np.flatnonzero(_inked_columns(view, below=True)).tolist() == [75]


def test_waveform_follows_the_palette(qtbot: QtBot) -> None:
    view = _waveform(qtbot)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#101012"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#3d7bd9"))
    view.setPalette(palette)
    view.push(*_silent(250))
    view.push(*_loud(250))
    image = _image(view)
    assert _near(image.pixelColor(100, 10), QColor("#101012"))
    assert _near(image.pixelColor(400, 30), QColor("#3d7bd9"))


# -- transcript: appending -----------------------------------------------------------------------


def _transcript(qtbot: QtBot) -> TranscriptView:
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(320, 200)
    view.show()
    qtbot.waitExposed(view)
    return view


def _pieces(count: int, text: Callable[[int], str] = lambda i: f"piece {i}") -> list[Seg]:
    return [Seg(i * 3.0 + 0.4, i * 3.0 + 2.9, text(i)) for i in range(count)]


def test_stamps_use_minutes_then_hours() -> None:
    assert format_stamp(0.0) == "[00:00]"
    assert format_stamp(65.9) == "[01:05]"
    assert format_stamp(3599.99) == "[59:59]"
    assert format_stamp(3600.0) == "[1:00:00]"
    assert format_stamp(3725.2) == "[1:02:05]"
    assert format_stamp(float("nan")) == format_stamp(-3.0) == "[00:00]"


def test_append_shows_one_stamped_paragraph_per_piece(qtbot: QtBot) -> None:
    view = _transcript(qtbot)
    assert view.objectName() == "asr.transcript"
    assert view.accessibleName() == "Transcript"
    assert view.placeholderText().startswith("The transcript appears here")
    view.append_segment(Seg(0.2, 2.0, "  你好  "))
    view.append_segment(Seg(3725.0, 3727.0, "an hour in"))
    view.append_segment(Seg(3728.0, 3729.0, "   "))  # nothing to show
    assert view.toPlainText() == "[00:00] 你好\n[1:02:05] an hour in"


def test_append_keeps_the_users_cursor_and_selection(qtbot: QtBot) -> None:
    view = _transcript(qtbot)
    view.set_segments(_pieces(3))  # "[00:00] piece 0" / "[00:03] piece 1" / "[00:06] piece 2"
    cursor = view.textCursor()
    cursor.setPosition(24)
    cursor.setPosition(29, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.textCursor().selectedText() == "piece"

    view.append_segment(Seg(9.0, 11.0, "piece 3"))
    after = view.textCursor()
    assert (after.anchor(), after.position(), after.selectedText()) == (24, 29, "piece")

    # A cursor at the very end stays on its line: what the user types next goes there, not into
    # the piece that just arrived.
    view.moveCursor(QTextCursor.MoveOperation.End)
    end = view.textCursor().position()
    view.append_segment(Seg(12.0, 14.0, "piece 4"))
    assert view.textCursor().position() == end
    assert not view.textCursor().hasSelection()
    QTest.keyClicks(view, " fixed")
    texts = [segment.text for segment in view.segments()]
    assert texts[-2:] == ["piece 3 fixed", "piece 4"]


def test_append_follows_only_when_scrolled_to_the_bottom(qtbot: QtBot) -> None:
    view = _transcript(qtbot)
    bar = view.verticalScrollBar()
    for segment in _pieces(60):
        view.append_segment(segment)
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum()  # it followed from the start

    bar.setValue(5)  # the user scrolled up to read
    for segment in _pieces(63)[60:]:
        view.append_segment(segment)
    assert bar.value() == 5
    assert bar.maximum() > 5

    # Scrolled up with the cursor at the very end: putting the cursor back must not scroll.
    view.moveCursor(QTextCursor.MoveOperation.End)
    bar.setValue(5)
    view.append_segment(Seg(190.0, 191.0, "while reading"))
    assert bar.value() == 5

    bar.setValue(bar.maximum())  # back at the bottom: follows again
    before = bar.maximum()
    view.append_segment(Seg(200.0, 201.0, "latest"))
    assert bar.maximum() > before
    assert bar.value() == bar.maximum()


def test_long_session_appends_without_rebuilding_the_text(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _transcript(qtbot)
    rebuilt: list[str] = []

    def spy(name: str) -> Callable[..., None]:
        def called(*args: object) -> None:
            rebuilt.append(name)

        return called

    # Each of these costs the whole text: none belongs in a per-piece append.
    for name in ("setPlainText", "toPlainText", "segments", "plain_text"):
        monkeypatch.setattr(view, name, spy(name))
    for i in range(2000):
        view.append_segment(Seg(float(i), i + 0.9, f"segment {i}"))
    assert rebuilt == []
    document = view.document()
    assert document.blockCount() == 2000
    assert document.lastBlock().text() == "[33:19] segment 1999"
    assert document.firstBlock().text() == "[00:00] segment 0"


# -- transcript: reading the user's edits back ---------------------------------------------------


def _replace_line(view: TranscriptView, number: int, text: str | None) -> None:
    """Replace a whole line the way a user would (through the editor's cursor); ``None``
    deletes the line with its line break."""
    block = view.document().findBlockByNumber(number)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    if text is None:
        cursor.movePosition(
            QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
        )
        cursor.removeSelectedText()
    else:
        cursor.insertText(text)


def _insert_line_after(view: TranscriptView, number: int, text: str) -> None:
    cursor = QTextCursor(view.document().findBlockByNumber(number))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertText("\n" + text)


def test_segments_follow_the_users_edits_and_keep_their_timing(qtbot: QtBot) -> None:
    view = _transcript(qtbot)
    for segment in (
        Seg(0.0, 2.5, "hello world"),
        Seg(3.1, 6.0, "second line"),
        Seg(7.2, 9.5, "third"),
        Seg(65.4, 70.0, "over a minute"),
        Seg(3725.0, 3730.0, "an hour in"),
    ):
        view.append_segment(segment)
    assert view.segments()[1] == Seg(3.1, 6.0, "second line")  # untouched: exact times

    _replace_line(view, 0, "[00:00] hello there")  # edited text keeps its timing
    _replace_line(view, 2, None)  # "[00:07] third" deleted
    _insert_line_after(view, 1, "and more")  # a line without a stamp continues the piece
    _insert_line_after(view, 2, "[00:08] added by hand")
    cursor = QTextCursor(view.document())
    cursor.insertText("Title\n")  # text before the first stamp

    assert view.toPlainText().split("\n") == [
        "Title",
        "[00:00] hello there",
        "[00:03] second line",
        "and more",
        "[00:08] added by hand",
        "[01:05] over a minute",
        "[1:02:05] an hour in",
    ]
    assert view.segments() == [
        Seg(0.0, 2.0, "Title"),  # at 0; the next starts no later, so the default length
        Seg(0.0, 2.5, "hello there"),
        Seg(3.1, 6.0, "second line\nand more"),
        Seg(8.0, 65.4, "added by hand"),  # a hand-made stamp ends where the next begins
        Seg(65.4, 70.0, "over a minute"),
        Seg(3725.0, 3730.0, "an hour in"),
    ]
    assert view.plain_text() == (
        "Title\nhello there\nsecond line\nand more\nadded by hand\nover a minute\nan hour in"
    )

    _replace_line(view, 6, "[1:02:05]   ")  # emptied: the piece is gone
    _insert_line_after(view, 5, "[02:00] typed at the end")
    assert view.segments()[-2:] == [
        Seg(65.4, 70.0, "over a minute"),
        Seg(120.0, 122.0, "typed at the end"),  # the last hand-made piece: default length
    ]


def test_pieces_within_one_second_keep_their_own_times(qtbot: QtBot) -> None:
    view = _transcript(qtbot)
    view.set_segments([Seg(12.1, 12.8, "a"), Seg(12.9, 14.0, "b"), Seg(20.0, 21.0, "c")])
    assert view.toPlainText() == "[00:12] a\n[00:12] b\n[00:20] c"
    assert view.segments() == [Seg(12.1, 12.8, "a"), Seg(12.9, 14.0, "b"), Seg(20.0, 21.0, "c")]
    # Changing a stamp makes it a new time: it no longer takes an original's end.
    _replace_line(view, 1, "[00:15] b")
    assert view.segments()[1] == Seg(15.0, 20.0, "b")


def test_set_segments_replaces_and_clear_forgets_the_timing(qtbot: QtBot) -> None:
    view = _transcript(qtbot)
    for segment in _pieces(5):
        view.append_segment(segment)
    view.set_segments([Seg(1.5, 4.0, "only")])
    assert view.segments() == [Seg(1.5, 4.0, "only")]
    assert view.document().blockCount() == 1

    view.clear_transcript()
    assert view.toPlainText() == "" and view.segments() == []
    view.setPlainText("[00:01] typed")  # a stamp from before the clear has no times to give
    assert view.segments() == [Seg(1.0, 3.0, "typed")]
    assert view.plain_text() == "typed"


# -- transcript: who changed it ------------------------------------------------------------------


def test_edited_signal_fires_for_the_user_only(qtbot: QtBot) -> None:
    view = _transcript(qtbot)
    with qtbot.assertNotEmitted(view.sig_edited):
        view.append_segment(Seg(0.0, 1.0, "one"))
        view.set_segments(_pieces(3))
        view.append_segment(Seg(9.0, 10.0, "three"))
        view.clear_transcript()
        view.append_segment(Seg(0.0, 1.0, "again"))
        view.setFocus()
        QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # moves only

    edits: list[None] = []
    view.sig_edited.connect(lambda: edits.append(None))
    QTest.keyClicks(view, "!?")
    assert len(edits) == 2
    assert view.segments() == [Seg(0.0, 1.0, "again!?")]
    QTest.keyClick(view, Qt.Key.Key_Backspace)
    assert len(edits) == 3
    view.append_segment(Seg(3.0, 4.0, "more"))
    assert len(edits) == 3
