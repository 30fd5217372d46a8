"""Take a screenshot of an X display with Qt and report how many colours it has.

Run as a separate process (``python grab_screen.py OUT.png``) with ``DISPLAY`` set: the e2e tests
use it to see what a user would see, without depending on ImageMagick or xwd. Prints the number
of distinct colours in a downsampled copy (an empty Xvfb screen has one).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication


def main(path: str) -> int:
    app = QGuiApplication([*sys.argv[:1], "-platform", "xcb"])
    screen = app.primaryScreen()
    shot = screen.grabWindow(0)
    if not shot.save(path, "PNG"):
        return 2
    image = shot.toImage().scaled(160, 100, Qt.AspectRatioMode.IgnoreAspectRatio)
    colours = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    print(len(colours))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
