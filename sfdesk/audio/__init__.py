"""Qt-free microphone capture (design.md §1): input devices, a recorder whose PortAudio callback
only queues frames, and the level helpers the meter uses.

Importing this package is cheap and works without PortAudio: sounddevice is imported only when a
device is listed or a recording starts (see :mod:`sfdesk.audio.capture`). It does import numpy,
so the app imports it when the Microphone panel is first shown, not at start.
"""

from __future__ import annotations

from sfdesk.core.audio_levels import FLOOR_DBFS, Level, level

from .capture import (
    SAMPLERATE,
    AudioUnavailable,
    InputDevice,
    Recorder,
    list_input_devices,
    rescan_devices,
)

__all__ = [
    "FLOOR_DBFS",
    "SAMPLERATE",
    "AudioUnavailable",
    "InputDevice",
    "Level",
    "Recorder",
    "level",
    "list_input_devices",
    "rescan_devices",
]
