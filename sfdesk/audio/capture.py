"""Microphone capture over sounddevice (PortAudio): input devices and a 16 kHz mono recorder.

This module owns talking to PortAudio. It is Qt-free; the Microphone panel drives it from the
GUI thread and drains it from the event loop (design.md §3).

- sounddevice is imported inside the functions that need it, never at module import: importing
  it loads PortAudio and scans the devices (tens of milliseconds, more with Bluetooth or JACK),
  and it raises OSError on a machine without libportaudio, where the app must still start and
  the panel must say why it cannot record. Every failure reaches callers as
  :class:`AudioUnavailable` with a stable ``reason``.
- PortAudio's callback runs on its own real-time thread. :class:`Recorder`'s callback only copies
  the block into a :class:`queue.SimpleQueue` (lock-free for a single put) and counts overflows;
  concatenating, mixing down and resampling happen in :meth:`Recorder.read`, on the caller's
  thread, so the audio thread never waits and no block is dropped.
- Speech models want 16 kHz mono. Most devices open at 16 kHz directly (PulseAudio, PipeWire,
  CoreAudio and WASAPI's shared-mode converter resample for us); a device that refuses (raw ALSA
  ``hw:`` devices, some USB microphones fixed at 44.1 or 48 kHz) is opened at its own default rate
  and :meth:`Recorder.read` resamples by linear interpolation. Linear interpolation has no
  anti-alias filter, so some energy above 8 kHz folds into the band; for speech that is a little
  fricative hiss, which recognisers ignore, and it avoids depending on scipy for a fallback path.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import Any, Final, Literal, Self

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

SAMPLERATE: Final = 16000
Int16Array = npt.NDArray[np.int16]
Reason = Literal["no-portaudio", "no-device", "device-error"]

_MESSAGES: Final[dict[str, str]] = {
    "no-portaudio": "the PortAudio library is not installed",
    "no-device": "no audio input device",
    "device-error": "the audio device could not record",
}


class AudioUnavailable(Exception):
    """Recording is impossible; ``reason`` says why in a stable slug the UI translates:

    - ``"no-portaudio"``: the PortAudio library (or sounddevice) is missing;
    - ``"no-device"``: there is no input device, or not the one asked for;
    - ``"device-error"``: PortAudio failed to open or run the device; ``detail`` has its message.
    """

    def __init__(self, reason: Reason, detail: str = "") -> None:
        self.reason: Reason = reason
        self.detail = detail
        message = _MESSAGES[reason]
        super().__init__(f"{message}: {detail}" if detail else message)


@dataclass(frozen=True, slots=True)
class InputDevice:
    """An input device as PortAudio lists it."""

    index: int
    name: str
    host_api: str
    default_samplerate: float
    max_input_channels: int
    is_default: bool

    @property
    def label(self) -> str:
        """``name (host API)``: names repeat across host APIs on Windows (MME, WASAPI, …)."""
        return f"{self.name} ({self.host_api})" if self.host_api else self.name


def _sounddevice() -> ModuleType:
    """sounddevice, imported on first use; AudioUnavailable("no-portaudio") without PortAudio."""
    try:
        import sounddevice
    except OSError as exc:  # sounddevice raises OSError when libportaudio cannot be loaded
        raise AudioUnavailable("no-portaudio", str(exc)) from exc
    except ImportError as exc:  # a bundle built without it: the same for the user
        raise AudioUnavailable("no-portaudio", str(exc)) from exc
    module: ModuleType = sounddevice
    return module


def list_input_devices() -> list[InputDevice]:
    """Every device with at least one input channel, in PortAudio's order (possibly empty).

    AudioUnavailable("no-portaudio") when PortAudio is missing, ("device-error") if it fails.
    """
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        host_apis = sd.query_hostapis()
        default_index = _default_input_index(sd)
    except sd.PortAudioError as exc:
        raise AudioUnavailable("device-error", str(exc)) from exc
    found: list[InputDevice] = []
    for info in devices:
        channels = int(info.get("max_input_channels", 0))
        if channels < 1:
            continue
        host = int(info.get("hostapi", -1))
        found.append(
            InputDevice(
                index=int(info["index"]),
                name=str(info["name"]),
                host_api=str(host_apis[host]["name"]) if 0 <= host < len(host_apis) else "",
                default_samplerate=float(info.get("default_samplerate", 0.0)),
                max_input_channels=channels,
                is_default=int(info["index"]) == default_index,
            )
        )
    return found


def rescan_devices() -> None:
    """Make PortAudio list devices again (one plugged in after start, a sound server started
    later). PortAudio scans only when it is initialised, so this re-initialises it: never call it
    while a :class:`Recorder` is recording."""
    sd = _sounddevice()
    try:
        sd._terminate()
        sd._initialize()
    except sd.PortAudioError as exc:
        raise AudioUnavailable("device-error", str(exc)) from exc


def _default_input_index(sd: Any) -> int | None:
    try:
        info = sd.query_devices(kind="input")
    except (ValueError, sd.PortAudioError):
        return None
    return int(info["index"])


class Recorder:
    """Records int16 mono at :data:`SAMPLERATE` from one input device.

    ``device`` is a PortAudio index, a name (substring match, as sounddevice does) or None for
    the default input. ``blocksize`` is in frames at 16 kHz (1600 = 100 ms per callback); the
    stream uses the same duration at the device's rate. ``channels`` are opened on the device
    and averaged into mono by :meth:`read`.

    Use :meth:`start` and :meth:`stop`, or ``with Recorder(...) as rec:`` which does both, and call
    :meth:`read` regularly (from one thread) to take what was captured.
    """

    def __init__(
        self,
        device: int | str | None = None,
        *,
        samplerate: int = SAMPLERATE,
        channels: int = 1,
        blocksize: int = 1600,
    ) -> None:
        if samplerate < 1 or channels < 1 or blocksize < 0:
            raise ValueError("samplerate and channels must be positive, blocksize not negative")
        self.device = device
        self.samplerate = samplerate
        self.channels = channels
        self.blocksize = blocksize
        #: The rate the stream really runs at (set by :meth:`start`; differs from
        #: :attr:`samplerate` when the device could not do it and :meth:`read` resamples).
        self.device_samplerate: int | None = None
        #: The PortAudio device index actually opened (set by :meth:`start`).
        self.device_index: int | None = None
        self._queue: queue.SimpleQueue[npt.NDArray[Any]] = queue.SimpleQueue()
        self._stream: Any = None
        self._resampler: _LinearResampler | None = None
        self._frames = 0
        self._overflows = 0
        self._ended = threading.Event()

    # --- state ------------------------------------------------------------------------------

    @property
    def is_recording(self) -> bool:
        """Started, not stopped, and the stream has not ended by itself (device unplugged)."""
        return self._stream is not None and not self._ended.is_set()

    @property
    def frames_captured(self) -> int:
        """Frames the device has delivered since :meth:`start`, at :attr:`device_samplerate`."""
        return self._frames

    @property
    def seconds_captured(self) -> float:
        rate = self.device_samplerate or self.samplerate
        return self._frames / rate

    @property
    def overflows(self) -> int:
        """Callbacks that reported lost input (the system could not keep up)."""
        return self._overflows

    # --- control ----------------------------------------------------------------------------

    def start(self) -> None:
        """Open the device and start a new recording (read the previous one's tail first).

        AudioUnavailable: ``no-portaudio``, ``no-device`` (none, or not ``device``), or
        ``device-error`` (PortAudio refused to open or start it).
        """
        if self._stream is not None:
            raise RuntimeError("the recorder is already recording")
        sd = _sounddevice()
        index, info = _input_device(sd, self.device)
        if int(info.get("max_input_channels", 0)) < self.channels:
            raise AudioUnavailable(
                "no-device", f"{info.get('name', index)} has fewer than {self.channels} inputs"
            )
        rate = self._choose_rate(sd, index, info)
        blocksize = round(self.blocksize * rate / self.samplerate)
        self._ended.clear()
        # A new recording: a tail the caller never read belongs to the previous one.
        self._queue = queue.SimpleQueue()
        self._frames = 0
        self._overflows = 0
        try:
            stream = sd.InputStream(
                device=index,
                samplerate=rate,
                channels=self.channels,
                dtype="int16",
                blocksize=blocksize,
                callback=self._callback,
                finished_callback=self._ended.set,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioUnavailable("device-error", str(exc)) from exc
        try:
            stream.start()
        except sd.PortAudioError as exc:
            stream.close(ignore_errors=True)
            raise AudioUnavailable("device-error", str(exc)) from exc
        self._stream = stream
        self.device_index = index
        self.device_samplerate = rate
        self._resampler = (
            None if rate == self.samplerate else _LinearResampler(rate, self.samplerate)
        )
        log.info(
            "recording from device %s (%s) at %d Hz%s",
            index,
            info.get("name", ""),
            rate,
            "" if rate == self.samplerate else f", resampled to {self.samplerate} Hz",
        )

    def stop(self) -> None:
        """Stop recording and close the device. Blocks already captured stay queued: the next
        :meth:`read` returns them. Does nothing if not recording."""
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            # stop() returns once the last callback has run, so its block is in the queue.
            stream.stop()
        except Exception as exc:  # a vanished device: closing is all that is left to do
            log.warning("stopping the input stream failed: %s", exc)
        finally:
            stream.close(ignore_errors=True)
        self._ended.set()
        if self._overflows:
            log.warning("input overflowed %d times while recording", self._overflows)

    def read(self, timeout: float = 0.0) -> Int16Array:
        """All samples captured since the last read, as 1-D int16 mono at :attr:`samplerate`
        (empty if none). With ``timeout`` > 0, waits up to that many seconds for a first block."""
        blocks: list[npt.NDArray[Any]] = []
        if timeout > 0:
            try:
                blocks.append(self._queue.get(timeout=timeout))
            except queue.Empty:
                return np.zeros(0, dtype=np.int16)
        while True:
            try:
                blocks.append(self._queue.get_nowait())
            except queue.Empty:
                break
        if not blocks:
            return np.zeros(0, dtype=np.int16)
        frames = np.concatenate(blocks) if len(blocks) > 1 else blocks[0]
        mono = _mix_down(frames)
        if self._resampler is not None:
            mono = self._resampler(mono)
        return mono

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- PortAudio's thread -----------------------------------------------------------------

    def _callback(self, indata: npt.NDArray[Any], frames: int, time: Any, status: Any) -> None:
        # Runs on PortAudio's real-time thread: copy and go. indata is PortAudio's buffer,
        # reused for the next block, hence the copy.
        if status and status.input_overflow:
            self._overflows += 1
        self._queue.put(indata.copy())
        self._frames += frames

    def _choose_rate(self, sd: Any, index: int, info: dict[str, Any]) -> int:
        try:
            sd.check_input_settings(
                device=index, channels=self.channels, dtype="int16", samplerate=self.samplerate
            )
            return self.samplerate
        except (sd.PortAudioError, ValueError) as exc:
            first_error = str(exc)
        native = round(float(info.get("default_samplerate") or 0))
        if native > 0 and native != self.samplerate:
            try:
                sd.check_input_settings(
                    device=index, channels=self.channels, dtype="int16", samplerate=native
                )
                return native
            except (sd.PortAudioError, ValueError) as exc:
                raise AudioUnavailable("device-error", str(exc)) from exc
        raise AudioUnavailable("device-error", first_error)


def _input_device(sd: Any, device: int | str | None) -> tuple[int, dict[str, Any]]:
    """The index and info of the input device meant by ``device``; AudioUnavailable otherwise."""
    try:
        info = sd.query_devices(device, kind="input")
    except (ValueError, sd.PortAudioError) as exc:
        # ValueError: no device matches the name; PortAudioError: no default input (index -1).
        raise AudioUnavailable("no-device", str(exc)) from exc
    return int(info["index"]), dict(info)


def _mix_down(frames: npt.NDArray[Any]) -> Int16Array:
    if frames.ndim == 1:
        mono: Int16Array = frames.astype(np.int16, copy=False)
    elif frames.shape[1] == 1:
        mono = np.ascontiguousarray(frames[:, 0], dtype=np.int16)
    else:
        mono = np.round(frames.astype(np.float32).mean(axis=1)).astype(np.int16)
    return mono


class _LinearResampler:
    """Streaming linear interpolation from ``source`` to ``target`` Hz.

    Output sample k lies at input position ``k · source / target``, computed from integers for
    every k, so the result does not depend on how the input was split into reads (a running
    float position would drift and differ by a rounding step here and there). Each call keeps
    the last input sample to interpolate across the boundary with the next.
    """

    def __init__(self, source: int, target: int) -> None:
        self._source = source
        self._target = target
        self._seen = 0  # input samples consumed so far
        self._next = 0  # index of the next output sample
        self._tail = np.zeros(0, dtype=np.float64)  # input sample self._seen - 1

    def __call__(self, pcm: Int16Array) -> Int16Array:
        if pcm.size == 0:
            return np.zeros(0, dtype=np.int16)
        data = np.concatenate([self._tail, pcm.astype(np.float64)])
        base = self._seen - self._tail.size  # input index of data[0]
        last = base + data.size - 1
        # The last output sample whose position k·source/target is ≤ last.
        stop = last * self._target // self._source + 1
        ks = np.arange(self._next, stop, dtype=np.int64)
        positions = (ks * self._source - base * self._target) / self._target
        out = np.interp(positions, np.arange(data.size, dtype=np.float64), data)
        self._seen += pcm.size
        self._next = max(self._next, stop)
        self._tail = data[-1:]
        resampled: Int16Array = np.clip(np.round(out), -32768, 32767).astype(np.int16)
        return resampled
