"""Playing a recording back through the default output device (PortAudio, via sounddevice).

One sound at a time: :func:`play` replaces whatever is playing, :func:`stop` silences it. Like
capture, failures reach callers as :class:`~sfdesk.audio.capture.AudioUnavailable` (no PortAudio,
no output device), so the panel can say why nothing is heard.
"""

from __future__ import annotations

import contextlib

import numpy as np
import numpy.typing as npt

from .capture import AudioUnavailable, _sounddevice


def play(pcm: npt.NDArray[np.int16], samplerate: int) -> None:
    """Start playing ``pcm`` (mono int16) and return at once."""
    sd = _sounddevice()
    try:
        sd.play(pcm, samplerate)
    except (sd.PortAudioError, ValueError) as exc:
        raise AudioUnavailable(
            "no-device" if "device" in str(exc).lower() else "device-error", str(exc)
        ) from exc


def stop() -> None:
    """Stop playing (nothing happens when nothing plays or PortAudio is missing)."""
    try:
        sd = _sounddevice()
    except AudioUnavailable:
        return
    with contextlib.suppress(sd.PortAudioError):
        sd.stop()
