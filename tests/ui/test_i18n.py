"""Translations: the zh_CN catalogue is complete, up to date with the sources, and compiled."""

from __future__ import annotations

import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QTranslator

from sfdesk.ui.i18n import catalogue_path, resolve_language, run_lupdate
from sfdesk.ui.resources import translations_dir

TS_FILE = translations_dir() / "sfdesk_zh_CN.ts"


def _messages(ts_file: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts_file).getroot()
    found = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.append((name, message.findtext("source") or "", message))
    return found


def test_every_message_is_translated() -> None:
    messages = _messages(TS_FILE)
    assert messages
    untranslated = [
        (context, source)
        for context, source, message in messages
        if (translation := message.find("translation")) is None
        or translation.get("type") in ("unfinished", "vanished", "obsolete")
        or not (translation.text or "").strip()
    ]
    assert untranslated == []


def test_placeholders_and_accelerators_survive_translation() -> None:
    for context, source, message in _messages(TS_FILE):
        translation = message.findtext("translation") or ""
        where = f"{context}: {source!r}"
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", translation)), where
        if re.search(r"&\w", source):
            assert re.search(r"&\w", translation), f"accelerator lost in {where}"


def test_catalogue_is_up_to_date_with_the_sources(tmp_path: Path) -> None:
    if not Path(sys.executable).with_name("pyside6-lupdate").exists() and not shutil.which(
        "pyside6-lupdate"
    ):
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    run_lupdate(fresh)
    in_sources = {(context, source) for context, source, _ in _messages(fresh)}
    in_catalogue = {(context, source) for context, source, _ in _messages(TS_FILE)}
    assert in_sources - in_catalogue == set(), "new strings: run python -m sfdesk.ui.i18n --update"
    assert in_catalogue - in_sources == set(), (
        "stale strings: run python -m sfdesk.ui.i18n --update"
    )


def test_compiled_catalogue_matches_the_source_catalogue() -> None:
    qm = catalogue_path("zh_CN")
    translator = QTranslator()
    assert translator.load(str(qm)), f"{qm} is missing: run python -m sfdesk.ui.i18n --update"
    assert translator.translate("MainWindow", "&File") == "文件(&F)"
    stale = [
        (context, source)
        for context, source, message in _messages(TS_FILE)
        if translator.translate(context, source, message.findtext("comment"))
        != (message.findtext("translation") or "")
    ]
    assert stale == [], "the .qm is older than the .ts: run python -m sfdesk.ui.i18n --update"


@pytest.mark.parametrize(
    ("choice", "system", "expected"),
    [
        ("en", "zh_CN", "en"),
        ("zh_CN", "en_US", "zh_CN"),
        ("system", "zh_CN", "zh_CN"),
        ("system", "zh_TW", "zh_CN"),
        ("system", "de_DE", "en"),
        ("system", "en_US", "en"),
    ],
)
def test_language_follows_the_system_unless_set(choice: str, system: str, expected: str) -> None:
    assert resolve_language(choice, QLocale(system)) == expected
