"""Child process of ``bench/startup.py``: start a window, report when it is first painted.

``probe.py baseline`` shows a bare PySide6 QMainWindow with five tabs; ``probe.py sfdesk`` runs
the app's real bootstrap (``sfdesk.app.run``: logging, settings, translations, theme, qasync loop,
client, main window, background balance fetch). An application-wide event filter notices the first
paint of a main window and prints one line: ``FIRST_PAINT <rss kB>``; one second later it prints
``IDLE <rss kB>`` and closes the window, which ends either program.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class FirstPaintProbe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.window: QMainWindow | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.window is None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QMainWindow)
        ):
            self.window = watched
            print(f"FIRST_PAINT {rss_kb()}", flush=True)
            QTimer.singleShot(1000, self._idle)
        return False

    def _idle(self) -> None:
        print(f"IDLE {rss_kb()}", flush=True)
        assert self.window is not None
        self.window.close()


def baseline() -> int:
    app = QApplication(sys.argv[:1])
    probe = FirstPaintProbe()
    app.installEventFilter(probe)
    window = QMainWindow()
    tabs = QTabWidget()
    for name in ("Chat", "Embeddings", "Rerank", "Images", "Transcription"):
        tabs.addTab(QLabel(name), name)
    window.setCentralWidget(tabs)
    window.resize(1100, 720)
    window.show()
    return app.exec()


def sfdesk() -> int:
    from sfdesk.app import Options, create_application, run

    app = create_application()  # run() reuses this instance, so the probe sees its windows
    probe = FirstPaintProbe()
    app.installEventFilter(probe)
    return run(Options(language="en"))


if __name__ == "__main__":
    raise SystemExit(baseline() if sys.argv[1] == "baseline" else sfdesk())
