"""Where the app's bundled files (translations, icons) live, frozen or from a source checkout."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


@cache
def resources_dir() -> Path:
    """The ``resources`` folder: inside a PyInstaller bundle first, else beside the package."""
    candidates = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    # sfdesk/ui/resources.py -> <repo>/resources
    candidates.append(Path(__file__).resolve().parents[2] / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def translations_dir() -> Path:
    return resources_dir() / "translations"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def app_icon() -> QIcon:
    """The window icon; an empty icon (not an error) if the file is missing."""
    icon = QIcon()
    for name in ("sfdesk.svg", "sfdesk-256.png", "sfdesk-64.png", "sfdesk-32.png"):
        path = icons_dir() / name
        if path.is_file():
            icon.addFile(str(path))
    return icon
