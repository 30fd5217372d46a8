"""The frozen one-folder bundle: its size, what fills it, and how fast it passes its self-test
(design.md §5: ≤ 150 MB; starts and passes ``--self-test`` on a machine with no Python).

Builds the bundle with ``packaging/build.py`` into a temporary folder (or measures an existing
one with ``--dist``), then reports the folder's size and file count, its largest components (a
folder over ``--split-mb`` is broken into its parts, so PySide6 shows as ICU, QtGui, … and not
as one lump) and the compressed download size (tar.gz). Timing: each round starts the frozen
``sfdesk --self-test`` (PATH emptied, no Python variables, as test_bundle.py runs it) and the
same from source, ``python -m sfdesk --self-test`` and ``uv run sfdesk --self-test``, in
alternating order, from spawn to exit, each in a fresh data folder; medians, and the ratio to
the source run measured in the same rounds. Bytecode caching stays on for the source runs, as
in bench/startup.py (the bundle ships compiled bytecode too); a warm-up run of each comes first.

    uv run python bench/bundle.py [--dist dist/sfdesk] [--rounds 5] [--split-mb 20]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load(name: str) -> ModuleType:
    # packaging/ is not a package (it would shadow the `packaging` library): load it by path.
    spec = importlib.util.spec_from_file_location(f"sfdesk_{name}", ROOT / "packaging" / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


support = load("spec_support.py")
builder = load("build.py")


def tree_size(path: Path) -> int:
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return support.folder_size(path)[0]


def components(app: Path, split_bytes: int) -> list[tuple[int, str]]:
    """(size, path) of each component: files and folders, folders over the limit split."""
    result: list[tuple[int, str]] = []
    pending = [app]
    while pending:
        folder = pending.pop()
        for child in folder.iterdir():
            size = tree_size(child)
            if child.is_dir() and not child.is_symlink() and size > split_bytes:
                pending.append(child)
            elif size:
                result.append((size, child.relative_to(app).as_posix()))
    return sorted(result, reverse=True)


def compressed_size(app: Path) -> int:
    """Bytes of a tar.gz of the folder: roughly what a user downloads."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as archive:
        archive.add(app, arcname=app.name)
    return buffer.tell()


def no_python_env(empty: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTHON") and key not in ("VIRTUAL_ENV", "LD_LIBRARY_PATH")
    }
    env["PATH"] = str(empty)
    return env


def self_test(command: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds from spawn to the exit of a passing ``--self-test``."""
    with tempfile.TemporaryDirectory() as data:
        run_env = {**env, "QT_QPA_PLATFORM": "offscreen", "SFDESK_DATA_DIR": data}
        started = time.perf_counter()
        result = subprocess.run(
            command, env=run_env, cwd=cwd, capture_output=True, text=True, timeout=300
        )
        elapsed = time.perf_counter() - started
    if result.returncode != 0 or "self-test: PASS" not in result.stdout.splitlines():
        raise SystemExit(
            f"{' '.join(command)}: self-test failed (exit {result.returncode})\n"
            f"{result.stdout}\n{result.stderr[-2000:]}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, help="an existing app folder (skips the build)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--split-mb", type=float, default=20.0)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        build_seconds = None
        if args.dist:
            app = args.dist.resolve()
        else:
            started = time.perf_counter()
            app = builder.build(scratch / "dist", scratch / "build", quiet=True)
            build_seconds = time.perf_counter() - started
        exe = app / ("sfdesk.exe" if sys.platform == "win32" else "sfdesk")
        size, files = support.folder_size(app)
        packed = compressed_size(app)
        parts = components(app, int(args.split_mb * support.MB))

        empty, cwd = scratch / "empty-path", scratch / "cwd"
        empty.mkdir()
        cwd.mkdir()
        source_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        runs: dict[str, tuple[list[str], dict[str, str]]] = {
            "frozen bundle": ([str(exe), "--self-test"], no_python_env(empty)),
            "python -m sfdesk": ([sys.executable, "-m", "sfdesk", "--self-test"], source_env),
        }
        uv = shutil.which("uv")
        if uv:
            runs["uv run sfdesk"] = ([uv, "run", "sfdesk", "--self-test"], source_env)
        for command, env in runs.values():  # warm-up: OS file cache, bytecode cache
            self_test(command, env, ROOT if command[0] == uv else cwd)
        times: dict[str, list[float]] = {label: [] for label in runs}
        labels = list(runs)
        for round_ in range(args.rounds):
            order = labels if round_ % 2 == 0 else labels[::-1]
            for label in order:
                command, env = runs[label]
                # `uv run` finds the project from its working directory.
                times[label].append(self_test(command, env, ROOT if command[0] == uv else cwd))

    mb = support.MB
    verdict = "within" if size <= support.SIZE_LIMIT_MB * mb else "OVER"
    print(f"## Frozen bundle ({sys.platform}, {app})\n")
    if build_seconds is not None:
        print(f"built in {build_seconds:.0f} s\n")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| folder size | {size / mb:.1f} MB ({verdict} the {support.SIZE_LIMIT_MB} MB target) |")
    print(f"| files | {files} |")
    print(f"| tar.gz | {packed / mb:.1f} MB |")
    print(f"\n### Largest {args.top} components (folders over {args.split_mb:g} MB split)\n")
    print("| component | MB | share |")
    print("|---|---:|---:|")
    for part_size, name in parts[: args.top]:
        print(f"| `{name}` | {part_size / mb:.1f} | {part_size / size:.0%} |")
    base = statistics.median(times["python -m sfdesk"])
    print(f"\n### Start to `self-test: PASS` ({args.rounds} rounds, medians, offscreen)\n")
    print("| run | seconds | ratio to `python -m sfdesk` |")
    print("|---|---:|---:|")
    for label in labels:
        median = statistics.median(times[label])
        print(f"| {label} | {median:.2f} | {median / base:.2f} |")


if __name__ == "__main__":
    main()
