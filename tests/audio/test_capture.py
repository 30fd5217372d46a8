"""Microphone capture: the callback-to-queue path, start/stop without losing the tail,
resampling, every way recording can be unavailable, and recording real speech from a virtual
PulseAudio microphone."""

from __future__ import annotations

import importlib.abc
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from sfdesk.audio import AudioUnavailable, InputDevice, Recorder, list_input_devices
from sfdesk.audio.capture import _LinearResampler, rescan_devices
from sfdesk.core.audio_levels import FLOOR_DBFS, rms_dbfs
from sfdesk.core.vad import Segmenter

from .fixtures import FakeDevice, FakeSoundDevice, VirtualMic

RATE = 16000


def tone(
    seconds: float, rate: int, frequency: float = 440.0, amplitude: float = 8000
) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return np.round(amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.int16)


def blocks(samples: np.ndarray, size: int, channels: int = 1) -> list[np.ndarray]:
    column = samples.reshape(-1, 1) if channels == 1 else samples.reshape(-1, channels)
    return [column[i : i + size] for i in range(0, len(column), size)]


# --- without PortAudio --------------------------------------------------------------------------


def test_importing_sfdesk_audio_does_not_load_portaudio() -> None:
    code = (
        "import sys, sfdesk.audio\n"
        "assert 'sounddevice' not in sys.modules, 'sounddevice imported eagerly'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


class _NoPortAudio(importlib.abc.MetaPathFinder):
    """What importing sounddevice does on a machine without libportaudio."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return None


def test_without_the_portaudio_library_recording_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPortAudio(), *sys.meta_path])
    with pytest.raises(AudioUnavailable) as listing:
        list_input_devices()
    assert listing.value.reason == "no-portaudio"
    assert "PortAudio library not found" in listing.value.detail
    recorder = Recorder()
    with pytest.raises(AudioUnavailable) as starting:
        recorder.start()
    assert starting.value.reason == "no-portaudio"
    assert not recorder.is_recording
    recorder.stop()  # harmless
    with pytest.raises(AudioUnavailable) as rescanning:
        rescan_devices()
    assert rescanning.value.reason == "no-portaudio"


def test_without_sounddevice_at_all_it_is_the_same_for_the_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # makes the import raise ImportError
    with pytest.raises(AudioUnavailable) as info:
        list_input_devices()
    assert info.value.reason == "no-portaudio"


def test_the_error_message_names_the_reason_and_keeps_the_detail() -> None:
    error = AudioUnavailable("device-error", "Device unavailable [PaErrorCode -9985]")
    assert error.reason == "device-error"
    assert str(error) == "the audio device could not record: Device unavailable [PaErrorCode -9985]"
    assert str(AudioUnavailable("no-device")) == "no audio input device"


# --- the callback path, no device at all ---------------------------------------------------------


def test_the_callback_only_queues_and_read_returns_everything_in_order() -> None:
    recorder = Recorder()
    samples = tone(0.5, RATE)
    source = [block.copy() for block in blocks(samples, 1600)]
    for block in source:
        recorder._callback(block, len(block), None, None)
    # PortAudio reuses its buffer: the recorder must have copied each block.
    for block in source:
        block[:] = 0
    got = recorder.read()
    assert got.dtype == np.int16 and got.ndim == 1
    np.testing.assert_array_equal(got, samples)
    assert recorder.read().size == 0
    assert recorder.frames_captured == samples.size
    assert recorder.seconds_captured == pytest.approx(0.5)


def test_overflow_flags_are_counted() -> None:
    class Flags:
        def __init__(self, overflow: bool) -> None:
            self.input_overflow = overflow

        def __bool__(self) -> bool:
            return self.input_overflow

    recorder = Recorder()
    block = np.zeros((160, 1), dtype=np.int16)
    for overflow in (False, True, True, False):
        recorder._callback(block, 160, None, Flags(overflow))
    assert recorder.overflows == 2
    assert recorder.read().size == 640  # an overflowed block is still kept


def test_read_can_wait_for_the_next_block() -> None:
    recorder = Recorder()
    assert recorder.read(timeout=0.01).size == 0
    block = np.ones((1600, 1), dtype=np.int16)
    feeder = threading.Thread(target=recorder._callback, args=(block, 1600, None, None))
    feeder.start()
    got = recorder.read(timeout=10)
    feeder.join()
    assert got.size == 1600


def test_callbacks_from_another_thread_lose_nothing() -> None:
    recorder = Recorder()
    samples = (np.arange(RATE * 3) % 30000).astype(np.int16)
    done = threading.Event()

    def portaudio() -> None:
        for block in blocks(samples, 160):
            recorder._callback(block, len(block), None, None)
        done.set()

    thread = threading.Thread(target=portaudio)
    thread.start()
    parts = []
    while not done.is_set():
        parts.append(recorder.read(timeout=0.01))
    thread.join()
    parts.append(recorder.read())
    np.testing.assert_array_equal(np.concatenate(parts), samples)


# --- a scripted device ------------------------------------------------------------------------


def test_start_stop_and_the_tail_captured_before_stop(fake_sounddevice: FakeSoundDevice) -> None:
    samples = tone(1.0, RATE)
    parts = blocks(samples, 1600)
    with Recorder() as recorder:
        stream = fake_sounddevice.stream
        assert stream.kwargs["device"] == 1
        assert stream.kwargs["samplerate"] == RATE
        assert stream.kwargs["channels"] == 1
        assert stream.kwargs["dtype"] == "int16"
        assert stream.kwargs["blocksize"] == 1600
        assert recorder.is_recording
        assert (recorder.device_index, recorder.device_samplerate) == (1, RATE)
        for block in parts[:6]:
            stream.push(block)
        first = recorder.read()
        for block in parts[6:8]:
            stream.push(block)
        stream.in_flight = parts[8:]  # captured, but its callback has not run yet
    assert not recorder.is_recording
    assert stream.closed and not stream.active
    rest = recorder.read()
    np.testing.assert_array_equal(np.concatenate([first, rest]), samples)


def test_a_stream_that_ends_by_itself_is_no_longer_recording(
    fake_sounddevice: FakeSoundDevice,
) -> None:
    recorder = Recorder()
    recorder.start()
    assert recorder.is_recording
    finished = fake_sounddevice.stream.finished
    assert finished is not None
    finished()  # what PortAudio does when the device is unplugged
    assert not recorder.is_recording
    recorder.stop()
    recorder.start()
    with pytest.raises(RuntimeError, match="already"):
        recorder.start()
    recorder.stop()


def test_a_device_that_cannot_do_16_khz_is_resampled(fake_sounddevice: FakeSoundDevice) -> None:
    fake_sounddevice.devices[1] = FakeDevice("Mic 48k", default_samplerate=48000, rates=(48000,))
    source = tone(1.0, 48000, frequency=440.0)
    with Recorder() as recorder:
        stream = fake_sounddevice.stream
        assert stream.kwargs["samplerate"] == 48000
        assert stream.kwargs["blocksize"] == 4800  # still 100 ms per callback
        assert recorder.device_samplerate == 48000 and recorder.samplerate == RATE
        parts = []
        for block in blocks(source, 4800):
            stream.push(block)
            parts.append(recorder.read())
    got = np.concatenate(parts)
    assert abs(got.size - RATE) <= 1
    expected = tone(1.0, RATE, frequency=440.0)[: got.size]
    # Linear interpolation of a 440 Hz tone sampled at 48 kHz is accurate to a fraction of 1%.
    assert np.max(np.abs(got.astype(np.int32) - expected)) < 0.01 * 32768
    assert recorder.seconds_captured == pytest.approx(1.0)


@pytest.mark.parametrize("chunk", [1, 7, 441, 4410, 44100])
def test_resampling_is_continuous_across_reads(chunk: int) -> None:
    source = tone(1.0, 44100, frequency=300.0)
    whole = _LinearResampler(44100, RATE)(source)
    resampler = _LinearResampler(44100, RATE)
    pieces = np.concatenate(
        [resampler(source[i : i + chunk]) for i in range(0, source.size, chunk)]
    )
    np.testing.assert_array_equal(pieces, whole)
    assert abs(whole.size - RATE) <= 1


def test_stereo_input_is_mixed_to_mono(fake_sounddevice: FakeSoundDevice) -> None:
    fake_sounddevice.devices[1] = FakeDevice("Stereo mic", inputs=2)
    left = np.full(1600, 1000, dtype=np.int16)
    right = np.full(1600, 3000, dtype=np.int16)
    with Recorder(channels=2) as recorder:
        fake_sounddevice.stream.push(np.stack([left, right], axis=1))
    np.testing.assert_array_equal(recorder.read(), np.full(1600, 2000))


def test_devices_are_chosen_by_index_or_name(fake_sounddevice: FakeSoundDevice) -> None:
    fake_sounddevice.devices.append(FakeDevice("Webcam Mic", default_samplerate=16000))
    with Recorder("webcam") as recorder:
        assert recorder.device_index == 2
    with Recorder(1) as recorder:
        assert recorder.device_index == 1


def test_listing_input_devices(fake_sounddevice: FakeSoundDevice) -> None:
    fake_sounddevice.devices.append(
        FakeDevice("Line In", inputs=2, default_samplerate=44100, hostapi=1)
    )
    fake_sounddevice.host_apis.append({"name": "JACK Audio Connection Kit"})
    assert list_input_devices() == [
        InputDevice(1, "USB Microphone", "ALSA", 16000.0, 1, is_default=True),
        InputDevice(2, "Line In", "JACK Audio Connection Kit", 44100.0, 2, is_default=False),
    ]
    assert list_input_devices()[1].label == "Line In (JACK Audio Connection Kit)"
    rescan_devices()
    assert fake_sounddevice.rescans == 1


def test_no_input_device(fake_sounddevice: FakeSoundDevice) -> None:
    fake_sounddevice.devices = [FakeDevice("Speakers", inputs=0, outputs=2)]
    fake_sounddevice.default_input = -1
    assert list_input_devices() == []
    with pytest.raises(AudioUnavailable) as default:
        Recorder().start()
    assert default.value.reason == "no-device"
    with pytest.raises(AudioUnavailable) as named:
        Recorder("USB").start()
    assert named.value.reason == "no-device"
    with pytest.raises(AudioUnavailable) as output_only:
        Recorder(0).start()
    assert output_only.value.reason == "no-device"


def test_a_device_that_fails_to_open_keeps_portaudios_message(
    fake_sounddevice: FakeSoundDevice,
) -> None:
    fake_sounddevice.open_error = "Device unavailable [PaErrorCode -9985]"
    recorder = Recorder()
    with pytest.raises(AudioUnavailable) as info:
        recorder.start()
    assert info.value.reason == "device-error"
    assert info.value.detail == "Device unavailable [PaErrorCode -9985]"
    assert not recorder.is_recording
    fake_sounddevice.open_error = None
    fake_sounddevice.start_error = "Unanticipated host error [PaErrorCode -9999]"
    with pytest.raises(AudioUnavailable) as started:
        recorder.start()
    assert started.value.reason == "device-error"
    assert fake_sounddevice.stream.closed


def test_a_device_with_no_usable_rate_is_a_device_error(fake_sounddevice: FakeSoundDevice) -> None:
    fake_sounddevice.devices[1] = FakeDevice("Odd", default_samplerate=16000, rates=(96000,))
    with pytest.raises(AudioUnavailable) as info:
        Recorder().start()
    assert info.value.reason == "device-error"
    assert "sample rate" in info.value.detail


# --- a real (virtual) microphone ----------------------------------------------------------------


@pytest.mark.parametrize(("ci", "outcome"), [("", "1 skipped"), ("true", "1 error")])
def test_without_its_tools_the_virtual_microphone_skips_except_on_ci(
    tmp_path: Path, ci: str, outcome: str
) -> None:
    env = {**os.environ, "PATH": str(tmp_path), "CI": ci}  # an empty PATH: no tools at all
    test = f"{__file__}::test_the_virtual_microphone_is_listed"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", test],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).parents[2],
    )
    assert outcome in result.stdout, result.stdout + result.stderr
    assert "the virtual microphone needs pulseaudio (apt: pulseaudio)" in result.stdout


def test_the_virtual_microphone_is_listed(virtual_mic: VirtualMic) -> None:
    names = [device.name for device in list_input_devices()]
    assert "pulse" in names, names


def test_records_speech_from_virtual_microphone(virtual_mic: VirtualMic) -> None:
    seconds = 2.0
    speech = virtual_mic.speech
    assert speech.size < 0.7 * seconds * RATE, "the phrase must leave silence after it"
    parts = []
    # The stream runs from inside start() to the end of stop() (which lets the last block in).
    started = time.monotonic()
    with Recorder(device="pulse") as recorder:
        # Not resampled by us: PulseAudio delivers 16 kHz.
        assert recorder.device_samplerate == RATE
        # PulseAudio connects the record stream a moment after the stream starts, and the pipe
        # source drops what is written before that: speak once audio is really arriving.
        while sum(part.size for part in parts) < 0.2 * RATE:
            assert time.monotonic() - started < 10, "no audio arrived from the microphone"
            parts.append(recorder.read(timeout=0.1))
        virtual_mic.play(speech)
        # Polling with a deadline: the recording is in real time, there is nothing to await.
        while time.monotonic() - started < seconds:
            parts.append(recorder.read(timeout=0.1))
    stopped = time.monotonic()
    parts.append(recorder.read())
    recorded = np.concatenate(parts)
    elapsed = stopped - started

    assert recorded.dtype == np.int16 and recorded.ndim == 1
    assert recorded.size == pytest.approx(elapsed * RATE, rel=0.10)

    frame = RATE // 100  # 10 ms
    levels = np.array(
        [rms_dbfs(recorded[i : i + frame]) for i in range(0, recorded.size - frame + 1, frame)]
    )
    loud = np.flatnonzero(levels > -50)
    assert loud.size, f"no speech recorded (loudest 10 ms: {levels.max():.1f} dBFS)"
    spoken = recorded[loud[0] * frame : (loud[-1] + 1) * frame]
    assert rms_dbfs(spoken) > -40, "the speech is far above the floor"
    # The whole phrase arrived, at its own speed (a wrong rate would stretch or squeeze it).
    assert spoken.size == pytest.approx(speech.size, abs=0.1 * RATE)
    # It is the phrase that was played (a correlation peak), not any noise.
    correlation = np.correlate(
        spoken.astype(np.float64), speech.astype(np.float64), mode="full"
    ).max() / (np.linalg.norm(spoken) * np.linalg.norm(speech))
    assert correlation > 0.9
    # And what follows it is silence.
    after = recorded[(loud[-1] + 1) * frame :]
    assert after.size >= 0.3 * RATE, "the recording ended before the silence"
    assert rms_dbfs(after) <= FLOOR_DBFS + 10

    # The segmenter finds the phrase and calls the rest silent.
    segmenter = Segmenter(min_segment_s=0.5)
    segments = segmenter.feed(recorded) + segmenter.flush()
    assert not segments[0].is_silent
    assert all(s.is_silent for s in segments[1:])
