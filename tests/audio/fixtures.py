"""Fixtures for the capture tests: a fake sounddevice module, and a real virtual microphone.

``fake_sounddevice`` replaces the ``sounddevice`` module for one test with a scriptable stand-in
(devices, supported rates, a stream whose callback the test drives), so the recorder's logic is
tested without PortAudio or a device.

``virtual_mic`` is real: a PulseAudio daemon of our own (user mode, in a temporary directory,
touching nothing of the user's sound setup) with one source, ``module-pipe-source`` reading
16 kHz mono s16le from a FIFO, made the default source. A writer thread keeps that FIFO fed in
real time — silence, or what the test queued with :meth:`VirtualMic.play` (a phrase spoken by
espeak-ng and converted by sox is ready in :attr:`VirtualMic.speech`) — because the pipe source
only produces what is written to it: without a writer, a recording would block. sounddevice
then records from PortAudio's ALSA ``pulse`` device, which is what a Linux user's sfdesk does.

It needs ``pulseaudio`` (with ``pactl``), ``espeak-ng`` and ``sox``. Without them the tests that
use it are skipped, except when ``CI`` is set: there a missing tool is a failure, so CI cannot
silently stop testing real capture (``.ci/run`` installs them). The daemon is stopped at the end
of the session, and is started so that it also dies if pytest is killed (``setpriv
--pdeathsig``, where available).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from sfdesk.audio import capture

# --- a fake sounddevice -------------------------------------------------------------------------


class FakePortAudioError(Exception):
    pass


@dataclass
class FakeDevice:
    name: str
    inputs: int = 1
    outputs: int = 0
    default_samplerate: float = 16000.0
    #: Rates the device opens at; empty means any.
    rates: tuple[int, ...] = ()
    hostapi: int = 0


class FakeFlags:
    def __init__(self, overflow: bool = False) -> None:
        self.input_overflow = overflow

    def __bool__(self) -> bool:
        return self.input_overflow


class FakeInputStream:
    def __init__(self, fake: FakeSoundDevice, **kwargs: Any) -> None:
        if fake.open_error is not None:
            raise FakePortAudioError(fake.open_error)
        self.fake = fake
        self.kwargs = kwargs
        self.callback: Callable[..., None] = kwargs["callback"]
        self.finished: Callable[[], None] | None = kwargs.get("finished_callback")
        self.active = False
        self.closed = False
        #: Blocks PortAudio still has in flight when stop() is called: delivered before it returns.
        self.in_flight: list[np.ndarray] = []
        fake.streams.append(self)

    def start(self) -> None:
        if self.fake.start_error is not None:
            raise FakePortAudioError(self.fake.start_error)
        self.active = True

    def push(self, block: np.ndarray, *, overflow: bool = False) -> None:
        """What PortAudio's thread does: one callback with one block."""
        assert self.active, "PortAudio calls back only while the stream runs"
        self.callback(block, len(block), None, FakeFlags(overflow))

    def stop(self) -> None:
        for block in self.in_flight:
            self.callback(block, len(block), None, FakeFlags())
        self.in_flight = []
        self.active = False
        if self.finished is not None:
            self.finished()

    def close(self, ignore_errors: bool = True) -> None:
        self.closed = True


class FakeSoundDevice(ModuleType):
    """Enough of sounddevice's API for :mod:`sfdesk.audio.capture`."""

    def __init__(self) -> None:
        super().__init__("sounddevice")
        self.PortAudioError = FakePortAudioError
        self.devices: list[FakeDevice] = [
            FakeDevice("Speakers", inputs=0, outputs=2, default_samplerate=48000),
            FakeDevice("USB Microphone", inputs=1, default_samplerate=16000),
        ]
        self.default_input: int = 1
        self.host_apis = [{"name": "ALSA"}]
        self.open_error: str | None = None
        self.start_error: str | None = None
        self.streams: list[FakeInputStream] = []
        self.rescans = 0
        #: What was played back (samples, rate), and how often playback was stopped.
        self.played: list[tuple[np.ndarray, int]] = []
        self.stops = 0

    @property
    def stream(self) -> FakeInputStream:
        return self.streams[-1]

    def _info(self, index: int) -> dict[str, Any]:
        if not 0 <= index < len(self.devices):
            raise FakePortAudioError(f"Error querying device {index}")
        device = self.devices[index]
        return {
            "name": device.name,
            "index": index,
            "hostapi": device.hostapi,
            "max_input_channels": device.inputs,
            "max_output_channels": device.outputs,
            "default_samplerate": device.default_samplerate,
        }

    def query_devices(self, device: int | str | None = None, kind: str | None = None) -> Any:
        if device is None and kind is None:
            return [self._info(i) for i in range(len(self.devices))]
        if device is None:
            return self._info(self.default_input)
        if isinstance(device, int):
            return self._info(device)
        matches = [
            i for i, d in enumerate(self.devices) if device.lower() in d.name.lower() and d.inputs
        ]
        if not matches:
            raise ValueError(f"No input device matching {device!r}")
        return self._info(matches[0])

    def query_hostapis(self) -> list[dict[str, Any]]:
        return self.host_apis

    def check_input_settings(
        self, device: int, channels: int, dtype: str, samplerate: float
    ) -> None:
        fake = self.devices[device]
        if channels > fake.inputs:
            raise FakePortAudioError("Invalid number of channels [PaErrorCode -9998]")
        if fake.rates and samplerate not in fake.rates:
            raise FakePortAudioError("Invalid sample rate [PaErrorCode -9997]")

    def InputStream(self, **kwargs: Any) -> FakeInputStream:  # sounddevice's name
        return FakeInputStream(self, **kwargs)

    def play(self, data: np.ndarray, samplerate: int) -> None:
        if not any(device.outputs for device in self.devices):
            raise FakePortAudioError("Error querying device -1")
        self.played.append((np.asarray(data), samplerate))

    def stop(self) -> None:
        self.stops += 1

    def _terminate(self) -> None:
        self.rescans += 1

    def _initialize(self) -> None:
        pass


@pytest.fixture
def fake_sounddevice(monkeypatch: pytest.MonkeyPatch) -> FakeSoundDevice:
    fake = FakeSoundDevice()
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    return fake


# --- a real virtual microphone ------------------------------------------------------------------

RATE = 16000
PHRASE = "Hello microphone"
SOURCE_NAME = "sfdesk_mic"
#: The writer's block: 20 ms, so queued speech starts almost at once.
_WRITE_FRAMES = 320
#: Each program the virtual microphone runs, and the Debian package that has it.
_TOOLS = {
    "pulseaudio": "pulseaudio",
    "pactl": "pulseaudio-utils",
    "espeak-ng": "espeak-ng",
    "sox": "sox",
}


@dataclass
class VirtualMic:
    """What a test gets: the phrase to play, and a way to play it into the microphone."""

    samplerate: int
    speech: np.ndarray  # int16 mono at ``samplerate``, leading and trailing silence trimmed
    source_name: str
    _pending: queue.SimpleQueue[bytes] = field(default_factory=queue.SimpleQueue, repr=False)

    def play(self, pcm: np.ndarray) -> None:
        """Queue int16 mono samples; the microphone "hears" them next, then silence again."""
        self._pending.put(np.asarray(pcm, dtype="<i2").tobytes())


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} — CI is set, so the virtual microphone must work", pytrace=False)
    pytest.skip(reason)


def _speak(text: str, folder: Path) -> np.ndarray:
    wav = folder / "phrase.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), text], check=True, capture_output=True)
    converted = subprocess.run(
        [
            *("sox", str(wav), "-r", str(RATE), "-c", "1"),
            *("-b", "16", "-e", "signed-integer", "-t", "raw", "-"),
        ],
        check=True,
        capture_output=True,
    )
    speech = np.frombuffer(converted.stdout, dtype="<i2").astype(np.int16)
    loud = np.flatnonzero(np.abs(speech.astype(np.int32)) > 300)
    assert loud.size, "espeak-ng produced silence"
    return speech[loud[0] : loud[-1] + 1].copy()


class _Daemon:
    """Our own PulseAudio, in ``root``: a FIFO-fed default source and a null sink."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = root / "run" / "native"
        self.fifo = root / "mic.fifo"
        self.log = root / "pulseaudio.log"
        self.server = f"unix:{self.socket}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        for sub in ("run", "home", "config", "state"):
            (self.root / sub).mkdir()
        script = self.root / "default.pa"
        # module-pipe-source creates the FIFO itself (and refuses one that exists).
        script.write_text(
            f"load-module module-native-protocol-unix auth-anonymous=1 socket={self.socket}\n"
            f"load-module module-pipe-source source_name={SOURCE_NAME} file={self.fifo} "
            f"format=s16le rate={RATE} channels=1\n"
            "load-module module-null-sink sink_name=sfdesk_null\n"
            f"set-default-source {SOURCE_NAME}\n",
            encoding="utf-8",
        )
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root / "home"),
            "XDG_RUNTIME_DIR": str(self.root / "run"),
            "PULSE_RUNTIME_PATH": str(self.root / "run"),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "PULSE_STATE_PATH": str(self.root / "state"),
            "LANG": "C",
        }
        command = [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--system=no",
            "--use-pid-file=no",
            "--disable-shm=yes",
            "--log-target=stderr",
            "-n",
            "-F",
            str(script),
        ]
        if shutil.which("setpriv"):
            # Dies with pytest even when pytest is killed and cannot run its teardown.
            command = ["setpriv", "--pdeathsig", "TERM", "--", *command]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 20.0) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited ({self.process.returncode}):\n{self._log()}")
            if self.socket.exists() and self.fifo.exists():
                answer = subprocess.run(
                    ["pactl", "--server", self.server, "get-default-source"],
                    capture_output=True,
                    text=True,
                    timeout=10,
                )
                if answer.returncode == 0:
                    if answer.stdout.strip() != SOURCE_NAME:
                        raise RuntimeError(f"default source is {answer.stdout!r}:\n{self._log()}")
                    return
            time.sleep(0.05)  # no readiness notification to wait on: poll with a deadline
        raise RuntimeError(f"pulseaudio did not come up in {timeout} s:\n{self._log()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def _log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


class _FifoWriter(threading.Thread):
    """Feeds the pipe source in real time: queued samples first, else silence."""

    def __init__(self, fifo: Path, pending: queue.SimpleQueue[bytes]) -> None:
        super().__init__(name="virtual-mic-writer", daemon=True)
        self.fifo = fifo
        self.pending = pending
        self.halt = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        block_bytes = _WRITE_FRAMES * 2
        silence = bytes(block_bytes)
        buffer = b""
        try:
            with open(self.fifo, "wb", buffering=0) as pipe:
                due = time.monotonic()
                while not self.halt.is_set():
                    while len(buffer) < block_bytes:
                        try:
                            buffer += self.pending.get_nowait()
                        except queue.Empty:
                            buffer += silence[: block_bytes - len(buffer)]
                    pipe.write(buffer[:block_bytes])
                    buffer = buffer[block_bytes:]
                    # Real-time pacing: the pipe source delivers as fast as it is written.
                    due += _WRITE_FRAMES / RATE
                    self.halt.wait(max(0.0, due - time.monotonic()))
        except BaseException as exc:  # reported by the fixture's teardown
            self.error = exc

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=10)


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def virtual_mic() -> Iterator[VirtualMic]:
    missing = [
        f"{tool} (apt: {package})" for tool, package in _TOOLS.items() if not shutil.which(tool)
    ]
    if missing:
        _unavailable(f"the virtual microphone needs {', '.join(missing)}")
    try:
        capture.list_input_devices()
    except capture.AudioUnavailable as exc:
        if exc.reason == "no-portaudio":
            _unavailable(f"the virtual microphone needs PortAudio (apt: libportaudio2): {exc}")
    # A short path: a unix socket's path is limited to ~107 bytes.
    root = Path(tempfile.mkdtemp(prefix="sfdesk-pulse-"))
    daemon = _Daemon(root)
    writer: _FifoWriter | None = None
    client_config = root / "client.conf"
    # The client side (libpulse in this process, via ALSA's pulse plugin) must find our daemon,
    # and never start a daemon of its own once ours is gone.
    client_config.write_text("autospawn = no\n", encoding="utf-8")
    try:
        speech = _speak(PHRASE, root)
        daemon.start()
        with _environment(PULSE_SERVER=daemon.server, PULSE_CLIENTCONFIG=str(client_config)):
            mic = VirtualMic(samplerate=RATE, speech=speech, source_name=SOURCE_NAME)
            writer = _FifoWriter(daemon.fifo, mic._pending)
            writer.start()
            # PortAudio lists devices when it starts; the pulse device exists only now.
            capture.rescan_devices()
            try:
                yield mic
            finally:
                writer.stop()
                daemon.stop()
                # Forget the pulse device again, while autospawn is still off.
                with contextlib.suppress(capture.AudioUnavailable):
                    capture.rescan_devices()
        assert writer.error is None or isinstance(writer.error, BrokenPipeError), writer.error
    finally:
        if writer is not None and writer.is_alive():
            writer.stop()
        daemon.stop()
        shutil.rmtree(root, ignore_errors=True)
