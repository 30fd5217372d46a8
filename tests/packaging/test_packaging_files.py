"""The packaging inputs that no Linux build exercises: the desktop entry, the macOS plist and
entitlements, the Windows version resource and icons, and the bundle's include/exclude rules.

Fast (no build): these run in every test run, the bundle itself in ``test_bundle.py``.
"""

from __future__ import annotations

import configparser
import importlib.util
import plistlib
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

import sfdesk

ROOT = Path(__file__).resolve().parents[2]


def _load_support() -> ModuleType:
    # packaging/ is not a package (it would shadow the `packaging` library): load it by path.
    spec = importlib.util.spec_from_file_location(
        "sfdesk_spec_support", ROOT / "packaging" / "spec_support.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


support = _load_support()


def test_desktop_entry_has_what_launchers_need() -> None:
    path = ROOT / "resources" / "sfdesk.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(path, encoding="utf-8")
    main = entry["Desktop Entry"]
    assert main["Type"] == "Application"
    assert main["Exec"] == "sfdesk"
    assert main["Icon"] == "sfdesk"
    assert main["Terminal"] == "false"
    # Qt's setDesktopFileName("sfdesk") and the X11 WM_CLASS match this entry.
    assert main["StartupWMClass"] == "sfdesk"
    assert main["Categories"].split(";")[:2] == ["Development", "Utility"]
    for key in ("Name", "Comment"):
        assert main[key] and main[f"{key}[zh_CN]"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in main["Comment[zh_CN]"])


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_entry_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(ROOT / "resources" / "sfdesk.desktop")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_macos_plist_asks_for_the_microphone() -> None:
    info = support.macos_info_plist(sfdesk.__version__)
    assert info["CFBundleShortVersionString"] == sfdesk.__version__
    assert "microphone" in info["NSMicrophoneUsageDescription"]
    plistlib.dumps(info)  # every value is one a plist can hold


def test_entitlements_allow_audio_input() -> None:
    with (ROOT / "packaging" / "entitlements.plist").open("rb") as f:
        entitlements = plistlib.load(f)
    assert entitlements["com.apple.security.device.audio-input"] is True


def test_windows_version_resource_carries_the_version() -> None:
    text = support.windows_version_text("1.2.3")
    # PyInstaller eval()s this text with its versioninfo classes; stand-ins record the calls.
    names = [
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    ]
    namespace = {name: (lambda *a, _n=name, **k: (_n, a, k)) for name in names}
    kind, _args, fields = eval(text, namespace)
    assert kind == "VSVersionInfo"
    assert fields["ffi"][2]["filevers"] == (1, 2, 3, 0)
    assert "StringStruct('ProductVersion', '1.2.3')" in text
    # A pre-release must not number above its release: only major.minor.patch count.
    assert support.version_tuple("0.1.0rc2+local") == (0, 1, 0, 0)


def test_icons_are_generated_for_windows_and_macos(tmp_path: Path) -> None:
    ico, icns = support.write_icons(tmp_path)
    with Image.open(ico) as image:
        assert (256, 256) in image.info["sizes"] and (16, 16) in image.info["sizes"]
    with Image.open(icns) as image:
        assert image.format == "ICNS"


def test_app_resources_are_collected() -> None:
    bundled = {(Path(src).name, folder) for src, folder in support.app_datas()}
    assert ("sfdesk_zh_CN.qm", "resources/translations") in bundled
    assert ("sfdesk.svg", "resources/icons") in bundled
    assert not any(name.endswith(".ts") for name, _ in bundled)
    assert all(Path(src).is_file() for src, _ in support.app_datas())
    assert support.translation_languages() == ["zh_CN"]


@pytest.mark.parametrize(
    ("dest", "excluded"),
    [
        ("PySide6/Qt/lib/libQt6Gui.so.6", False),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", False),
        ("PySide6/Qt/lib/libQt6OpenGL.so.6", False),  # pyqtgraph imports QtOpenGL
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", True),
        ("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick", True),
        ("PySide6/Qt6WebEngineCore.dll", True),
        ("PySide6/QtNetwork.abi3.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", True),
        ("PySide6/opengl32sw.dll", True),
    ],
)
def test_qt_exclusion_rules(dest: str, excluded: bool) -> None:
    assert support.is_excluded_qt_file(dest) is excluded


def test_only_the_ui_languages_of_qt_translations_are_kept() -> None:
    languages = ["zh_CN"]
    assert not support.is_unused_qt_translation(
        "PySide6/Qt/translations/qtbase_zh_CN.qm", languages
    )
    assert support.is_unused_qt_translation("PySide6/Qt/translations/qtbase_de.qm", languages)
    assert not support.is_unused_qt_translation("resources/translations/sfdesk_zh_CN.qm", languages)


def test_qt_bindings_left_out_are_the_unused_ones() -> None:
    excluded = set(support.excluded_qt_python_modules())
    assert {"PySide6.QtQml", "PySide6.QtNetwork", "PySide6.QtWebEngineCore"} <= excluded
    assert not {f"PySide6.{name}" for name in support.QT_MODULES_USED} & excluded
