"""Runtime hook (runs before sfdesk): make sounddevice load the PortAudio bundled on Linux.

sounddevice finds PortAudio with ``ctypes.util.find_library("portaudio")``, which on Linux asks
the system's linker cache: the copy in the bundle would never be used, and a machine without the
distribution's package would have no microphone. Answer with the bundled copy instead; every
other lookup goes through unchanged. (Windows and macOS bundle ``_sounddevice_data``, which
sounddevice finds by itself.)
"""

import os
import sys

if sys.platform.startswith("linux"):
    _bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "libportaudio.so.2")
    if os.path.isfile(_bundled):
        import ctypes.util

        _system_find_library = ctypes.util.find_library

        def _find_library(name: str) -> str | None:
            if name == "portaudio":
                return _bundled
            return _system_find_library(name)

        ctypes.util.find_library = _find_library
