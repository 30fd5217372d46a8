"""Translations: which language the UI speaks, live switching, and regenerating the catalogues.

English is the source language (strings in ``tr()`` / ``QCoreApplication.translate``); Simplified
Chinese ships as ``resources/translations/sfdesk_zh_CN.ts`` (source) and ``.qm`` (compiled).
The language follows the system locale unless set in the settings or with ``--lang``.

Installing or removing a QTranslator makes Qt send ``QEvent.LanguageChange`` to every widget;
each widget's ``changeEvent`` then calls its ``_retranslate()``, so a switch applies live.

``python -m sfdesk.ui.i18n --update`` re-runs lupdate and lrelease after strings change.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from sfdesk.ui.resources import translations_dir

log = logging.getLogger(__name__)

#: Settings values for the language, in the order the settings dialog lists them.
LANGUAGE_CHOICES: tuple[str, ...] = ("system", "en", "zh_CN")
#: Languages with a catalogue (English needs none: it is the source language).
TRANSLATED_LANGUAGES: tuple[str, ...] = ("zh_CN",)
CATALOGUE_PREFIX = "sfdesk_"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for extraction into ``context`` without translating it yet.

    Qt's own binding is typed as returning ``object``; this typed twin keeps tables of marked
    strings ``str``. lupdate recognises the call by its name, wherever it is defined.
    """
    del context
    return source


def resolve_language(choice: str, system: QLocale | None = None) -> str:
    """The language to show for a settings value: "en" or "zh_CN".

    Every Chinese locale gets Simplified Chinese (the only Chinese catalogue): for zh_TW/zh_HK
    readers it is still far closer than English.
    """
    if choice in ("en", "zh_CN"):
        return choice
    locale = system if system is not None else QLocale.system()
    if locale.language() == QLocale.Language.Chinese:
        return "zh_CN"
    return "en"


def catalogue_path(language: str) -> Path:
    return translations_dir() / f"{CATALOGUE_PREFIX}{language}.qm"


class Translations:
    """Owns the translators installed on the application and swaps them on a language change."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self._language = "en"

    @property
    def language(self) -> str:
        """The language currently shown: "en" or "zh_CN"."""
        return self._language

    def apply(self, choice: str) -> str:
        """Show the UI in ``choice`` ("system", "en" or "zh_CN"); return the resolved language."""
        language = resolve_language(choice)
        if language == self._language and (self._installed or language == "en"):
            return language
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []
        if language != "en":
            self._install(catalogue_path(language), required=True)
            # Qt's own strings: the OK/Cancel of standard buttons, line-edit context menus…
            qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
            self._install(qt_dir / f"qtbase_{language}.qm", required=False)
        self._language = language
        # Numbers, dates and the direction of text follow the UI language too.
        QLocale.setDefault(QLocale(language))
        # Qt *posts* LanguageChange to each window; deliver it now, so the whole UI speaks the
        # new language when apply() returns (callers and tests can rely on that).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        log.info("UI language: %s (setting %r)", language, choice)
        return language

    def _install(self, path: Path, *, required: bool) -> None:
        translator = QTranslator(self._app)
        if translator.load(str(path)):
            self._app.installTranslator(translator)
            self._installed.append(translator)
        elif required:
            log.warning("translation catalogue %s is missing; showing English", path)


# --- catalogue maintenance ------------------------------------------------------------------


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def lupdate_sources(root: Path | None = None) -> list[Path]:
    """The Python files whose strings belong in the catalogue (the UI and the bootstrap)."""
    root = _repo_root() if root is None else root
    files = sorted((root / "sfdesk" / "ui").rglob("*.py"))
    return [*files, root / "sfdesk" / "app.py"]


def _tool(name: str) -> str:
    # Beside the running interpreter first: `uv run` puts the venv's bin there.
    candidate = Path(sys.executable).with_name(name)
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found (install PySide6 in this environment)")
    return found


def run_lupdate(ts_file: Path, root: Path | None = None, *, language: str = "zh_CN") -> None:
    """Extract the source strings into ``ts_file`` (existing translations are kept)."""
    root = _repo_root() if root is None else root
    sources = [str(path.relative_to(root)) for path in lupdate_sources(root)]
    command = [
        _tool("pyside6-lupdate"),
        *sources,
        "-no-obsolete",
        "-locations",
        "relative",
        "-target-language",
        language,
        "-ts",
        str(ts_file.resolve()),
    ]
    subprocess.run(command, cwd=root, check=True, capture_output=True)


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run(
        [_tool("pyside6-lrelease"), str(ts_file), "-qm", str(qm_file)],
        check=True,
        capture_output=True,
    )


def update_catalogues() -> None:
    """Refresh every ``.ts`` from the sources, then compile each to ``.qm``."""
    for language in TRANSLATED_LANGUAGES:
        ts_file = translations_dir() / f"{CATALOGUE_PREFIX}{language}.ts"
        run_lupdate(ts_file, language=language)
        run_lrelease(ts_file, ts_file.with_suffix(".qm"))
        print(f"updated {ts_file.name} and {ts_file.with_suffix('.qm').name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sfdesk.ui.i18n", description=__doc__)
    parser.add_argument(
        "--update", action="store_true", help="re-run lupdate and lrelease over the sources"
    )
    args = parser.parse_args(argv)
    if not args.update:
        parser.print_help()
        return 2
    update_catalogues()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
