"""Entry script of the frozen bundle: run ``sfdesk.__main__.main()`` and exit with its status.

PyInstaller freezes this file as the program's ``__main__``; the real command line lives in
:mod:`sfdesk.__main__`, so the bundle and ``uv run sfdesk`` parse the same options.
"""

from __future__ import annotations

import os
import sys


def _attach_windows_console() -> None:
    """Give a windowed Windows build somewhere to print ``--version`` and ``--self-test``.

    A windowed (non-console) executable starts with ``sys.stdout``/``stderr`` set to ``None``:
    argparse's ``--version`` and any ``print`` would raise. Started from a terminal, borrow the
    parent's console; started from Explorer there is none, so output goes nowhere instead of
    crashing. When the parent hands us pipes (CI), the streams already exist and are kept.
    """
    if sys.stdout is not None and sys.stderr is not None:
        return
    import ctypes

    attach_parent_process = -1
    attached = bool(ctypes.windll.kernel32.AttachConsole(attach_parent_process))  # type: ignore[attr-defined]
    target = "CONOUT$" if attached else os.devnull
    if sys.stdout is None:
        sys.stdout = open(target, "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(target, "w", encoding="utf-8", errors="replace")  # noqa: SIM115


if __name__ == "__main__":
    if sys.platform == "win32":
        _attach_windows_console()

    from sfdesk.__main__ import main

    sys.exit(main())
