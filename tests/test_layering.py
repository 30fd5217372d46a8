"""The layering rule (design.md §1): only ``sfdesk/ui/`` and ``sfdesk/app.py`` may import Qt.

Checked two ways. Statically, every ``import`` in the source (including ones inside functions and
``importlib.import_module("PySide6…")`` calls) is inspected, so the failure names file and line.
Dynamically, a fresh interpreter imports every Qt-free part of the package and checks that no Qt
module got loaded, which also catches Qt pulled in indirectly through a third-party library.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sfdesk

PACKAGE_DIR = Path(sfdesk.__file__).resolve().parent
QT_MODULES = frozenset({"PySide6", "qasync", "shiboken6", "pyqtgraph"})
# Relative to PACKAGE_DIR: the only places allowed to import Qt.
QT_ALLOWED = ("ui/", "app.py")
# The Qt-free parts named by the design; more are discovered from the source tree.
QT_FREE_MODULES = (
    "sfdesk",
    "sfdesk.api",
    "sfdesk.core",
    "sfdesk.store",
    "sfdesk.audio",
    "sfdesk.sandbox",
    "sfdesk.config",
    "sfdesk.secrets",
    "sfdesk.memory_keyring",
    "sfdesk.paths",
    "sfdesk.logs",
)
# Never imported by the dynamic check: __main__ runs the app, ui/app are allowed to use Qt.
NOT_IMPORTED = frozenset({"sfdesk.ui", "sfdesk.app", "sfdesk.__main__"})


def _is_allowed(relative: str) -> bool:
    return any(relative == p or (p.endswith("/") and relative.startswith(p)) for p in QT_ALLOWED)


def _qt_free_sources() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE_DIR.rglob("*.py")
        if not _is_allowed(p.relative_to(PACKAGE_DIR).as_posix())
    )


def _imported_names(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, dotted module name) for every absolute import in ``tree``, at any depth."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value


def _is_dynamic_import(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__")


def _qt_imports_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    relative = path.relative_to(PACKAGE_DIR.parent).as_posix()
    return [
        f"{relative}:{line}: imports {name}"
        for line, name in _imported_names(tree)
        if name.split(".")[0] in QT_MODULES
    ]


def test_the_static_check_sees_nested_and_dynamic_imports() -> None:
    source = (
        "def f():\n    from PySide6.QtCore import QObject\n"
        "import importlib\nimportlib.import_module('qasync')\n"
        "from . import PySide6\n"  # a relative module that merely shares the name is fine
    )
    names = {name for _, name in _imported_names(ast.parse(source))}
    assert {"PySide6.QtCore", "qasync"} <= names
    assert "PySide6" not in names


def test_no_qt_import_outside_ui_and_app() -> None:
    sources = _qt_free_sources()
    assert any(p.name == "config.py" for p in sources), "the walk found no sources"
    offenders = [hit for path in sources for hit in _qt_imports_in(path)]
    assert not offenders, (
        "Qt may only be imported in sfdesk/ui/ and sfdesk/app.py (design.md §1):\n  "
        + "\n  ".join(offenders)
    )


def _top_level_modules() -> list[str]:
    """The design's Qt-free modules plus every other top-level module/package in the tree."""
    found = {
        f"sfdesk.{p.stem}"
        for p in PACKAGE_DIR.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    candidates = (set(QT_FREE_MODULES) | found) - NOT_IMPORTED
    # Other parts are still being written: check the ones that exist.
    return sorted(m for m in candidates if importlib.util.find_spec(m) is not None)


_PROBE = """
import importlib, json, sys
qt = set(json.loads(sys.argv[1]))
report = {}
for name in json.loads(sys.argv[2]):
    before = {m.split(".")[0] for m in sys.modules if m.split(".")[0] in qt}
    try:
        importlib.import_module(name)
    except Exception as exc:
        report[name] = {"error": f"{type(exc).__name__}: {exc}"}
        continue
    loaded = sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in qt} - before)
    report[name] = {"qt": loaded}
print(json.dumps(report))
"""


def test_qt_free_modules_load_no_qt_at_runtime(tmp_path: Path) -> None:
    modules = _top_level_modules()
    assert "sfdesk.config" in modules
    env = {**os.environ, "SFDESK_DATA_DIR": str(tmp_path / "data")}
    env.pop("SILICONFLOW_API_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(sorted(QT_MODULES)), json.dumps(modules)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=PACKAGE_DIR.parent,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, dict[str, Any]] = json.loads(result.stdout.strip().splitlines()[-1])
    broken = [f"{name}: {r['error']}" for name, r in report.items() if "error" in r]
    if broken:
        pytest.fail(
            "cannot check the layering of modules that fail to import:\n  " + "\n  ".join(broken)
        )
    offenders = [
        f"importing {name} loaded {', '.join(r['qt'])}" for name, r in report.items() if r["qt"]
    ]
    assert not offenders, (
        "Qt-free modules pulled in Qt (design.md §1); run `python -X importtime -c 'import "
        "<module>'` to see the chain:\n  " + "\n  ".join(offenders)
    )
