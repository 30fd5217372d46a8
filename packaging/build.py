"""Build the one-folder app with PyInstaller and say how big it is.

    uv run python packaging/build.py [--dist DIR] [--work DIR]

Runs ``pyinstaller --noconfirm --clean`` on ``packaging/sfdesk.spec`` with the interpreter that
runs this script (so ``uv run`` builds from the project's locked environment), then prints the
folder's size against the 150 MB target of design.md §5. The app lands in ``<dist>/sfdesk/``
(``sfdesk.app`` beside it on macOS). Python, not shell, so it works the same on Windows.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "sfdesk.spec"


def load_support() -> ModuleType:
    """``packaging/spec_support.py``, loaded by path (``packaging/`` is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "sfdesk_spec_support", ROOT / "packaging" / "spec_support.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(dist: Path, work: Path, *, quiet: bool = False) -> Path:
    """Run PyInstaller; return the app folder. Raises CalledProcessError if the build fails."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=quiet, text=True)
    if result.returncode != 0:
        if quiet:  # the reason is at the end of PyInstaller's output
            print("\n".join(result.stderr.splitlines()[-40:]), file=sys.stderr)
        raise subprocess.CalledProcessError(result.returncode, command)
    return dist / "sfdesk"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: ./dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="default: ./build")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        app = build(args.dist.resolve(), args.work.resolve())
    except subprocess.CalledProcessError as exc:
        print(f"PyInstaller failed (exit {exc.returncode})", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    support = load_support()
    size, files = support.folder_size(app)
    limit = support.SIZE_LIMIT_MB
    verdict = "within" if size <= limit * support.MB else "OVER"
    print(f"built {app} in {seconds:.0f} s")
    print(f"{size / support.MB:.1f} MB in {files} files ({verdict} the {limit} MB target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
