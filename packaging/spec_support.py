"""What goes into the frozen bundle and what stays out: the decisions ``sfdesk.spec`` applies.

Kept apart from the spec so the tests (``tests/packaging``) and ``bench/bundle.py`` check the same
lists the build uses, and so the platform-specific pieces (Windows version resource, icons, the
macOS Info.plist) can be exercised on any OS. Standard library and PyInstaller/Pillow only: it
runs inside PyInstaller's process and must not import sfdesk (or Qt).

This file is loaded by path (``packaging/`` is not a package: the name would shadow the
``packaging`` library that PyInstaller and pytest import).
"""

from __future__ import annotations

import ctypes.util
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
ICON_PNG = RESOURCES / "icons" / "sfdesk-256.png"
APP_NAME = "sfdesk"
BUNDLE_IDENTIFIER = "org.sfdesk.sfdesk"
SIZE_LIMIT_MB = 150  # design.md §5 — not met on Linux: see docs/performance.md
#: What the test holds the bundle to meanwhile: today's size (206 MB with CPython 3.11 on Linux)
#: and a little room, so that growth is caught. Of the 206 MB, ICU data (31), OpenBLAS (24),
#: cryptography (14, the Linux keyring) and numpy (14) cannot go without losing features.
SIZE_GUARD_MB = 215
MB = 1024 * 1024  # as `du -m` counts

#: The Qt modules sfdesk (and pyqtgraph, for what sfdesk draws with it) actually import.
#: QtSvg stays: the window icon is ``resources/icons/sfdesk.svg`` (the svg icon engine needs it).
#: QtOpenGL and QtOpenGLWidgets stay: pyqtgraph 0.14 imports both by name (``importlib``) as it is
#: imported, for its GL drawing paths, even though sfdesk never turns OpenGL on.
QT_MODULES_USED = frozenset(
    {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtOpenGL", "QtOpenGLWidgets"}
)

#: Qt library families that must never reach the bundle. PySide6's hooks and pyqtgraph's
#: optional imports (QtTest) would drag some in; none is used: no QML/Quick, no web view, no
#: PDF, no Qt networking (httpx does it), no QtMultimedia (PortAudio records), no printing.
#: Matched against every path component of every file.
EXCLUDED_QT_FAMILIES = (
    "Qml",
    "Quick",
    "WebEngine",
    "WebChannel",
    "WebSockets",
    "WebView",
    "Pdf",
    "3D",
    "Multimedia",
    "SpatialAudio",
    "Network",
    "Designer",
    "UiTools",
    "Help",
    "Test",
    "Sql",
    "Charts",
    "DataVisualization",
    "Graphs",
    "Location",
    "Positioning",
    "Bluetooth",
    "Nfc",
    "Sensors",
    "SerialPort",
    "SerialBus",
    "RemoteObjects",
    "Scxml",
    "StateMachine",
    "TextToSpeech",
    "HttpServer",
    "VirtualKeyboard",
    "Concurrent",
    "PrintSupport",
    "Xml",
    "WaylandCompositor",
    "LabsStyleKit",
    "CanvasPainter",
    "EglFS",  # embedded-device platform support (EGLFS/KMS), not desktop windows
)

# A file belongs to an excluded family when a path component names it as a Qt module:
# libQt6Quick.so.6, Qt6Quick.dll, QtQuick.framework, PySide6/QtQuick.abi3.so, qml/QtQuick/...
# The leading `lib` and `Qt6?` anchor it, so QtGui/QtWidgets and xcb's `libQt6XcbQpa` survive.
_EXCLUDED_QT_RE = re.compile(
    r"^(lib)?Qt6?(" + "|".join(EXCLUDED_QT_FAMILIES) + r")[A-Za-z0-9]*([._]|$)",
    re.IGNORECASE,
)

#: Qt plugin folders sfdesk never loads: QML tooling, SQL, TLS/network backends (httpx does
#: the networking), printing, and the embedded-device platforms (EGLFS, framebuffer, VNC).
EXCLUDED_QT_PLUGIN_DIRS = frozenset(
    {
        "qmltooling",
        "qmllint",
        "sqldrivers",
        "tls",
        "networkinformation",
        "printsupport",
        "designer",
        "egldeviceintegrations",
        "wayland-graphics-integration-server",
        "position",
        "sceneparsers",
        "renderers",
        "multimedia",
    }
)

#: Single plugins left out. The GTK 3 platform theme links the whole GTK stack (~25 MB: GTK,
#: GDK, Pango, Cairo, ATK…), and a bundled GTK clashes with the host's themes and modules;
#: without it Qt uses its built-in GNOME/xdg-desktop-portal theme (native file dialogs through
#: the portal, and the system's light/dark setting), which needs nothing bundled.
EXCLUDED_QT_PLUGINS = frozenset({"libqgtk3.so"})
#: Platform plugins for embedded devices without a window system (framebuffer, VNC, EGLFS,
#: Vulkan display); sfdesk runs on xcb, wayland, cocoa, windows, or offscreen for its self-test.
_EXCLUDED_PLATFORM_PLUGIN_RE = re.compile(r"q(eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl)\b", re.I)

#: Windows: Mesa's software OpenGL (~20 MB) is only needed by Qt Quick / OpenGL widgets.
EXCLUDED_FILE_NAMES = frozenset({"opengl32sw.dll"})

#: Linux system libraries left to the host. PortAudio's ALSA backend must use the host's own
#: libasound: it loads its plugins (PulseAudio, PipeWire) from a distribution-specific folder
#: and reads the host's configuration, so a copy built for Debian finds no `default` device on
#: Fedora or Arch. Every desktop with sound has it; without it PortAudio fails to load and the
#: Microphone panel says so, the rest of the app runs.
EXCLUDED_SYSTEM_LIBS = re.compile(r"^libasound\.so(\..*)?$")

#: Python packages that are development tools or optional extras the app never imports.
EXCLUDED_PYTHON_MODULES = [
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "pluggy",
    "hypothesis",
    "mypy",
    "mypyc",
    "ruff",
    "IPython",
    "matplotlib",
    "scipy",
    "pandas",
    "h5py",
    "PyInstaller",
    "setuptools",
    "pkg_resources",
    "distutils",
    "lib2to3",
    "pydoc_data",
    # pyqtgraph extras sfdesk does not use (3-D needs PyOpenGL; the console and Jupyter widgets,
    # the examples and the cross-process plotting are not part of the app).
    "pyqtgraph.opengl",
    "pyqtgraph.examples",
    "pyqtgraph.jupyter",
    "pyqtgraph.canvas",
    "OpenGL",
    "cupy",
    "numba",
    # Pillow: AVIF (its codec library alone is ~5 MB) and Tk; the API returns PNG/JPEG/WebP.
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._imagingtk",
    "PIL.ImageTk",
    # Other Qt bindings pyqtgraph and qasync would try.
    "PyQt5",
    "PyQt6",
    "PySide2",
]


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of regular files under ``folder`` (a symlink is not counted again)."""
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def project_version(root: Path = ROOT) -> str:
    """``sfdesk.__version__``, read from the source (importing sfdesk here would import Qt)."""
    text = (root / "sfdesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise RuntimeError("sfdesk/__init__.py has no __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The four 16-bit numbers of a Windows file version: ``0.1.0rc1`` → ``(0, 1, 0, 0)``."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def excluded_qt_python_modules() -> list[str]:
    """Every ``PySide6.Qt*`` binding except the ones sfdesk uses, for Analysis(excludes=...)."""
    try:
        import PySide6
    except ImportError:
        return []
    folder = Path(PySide6.__file__).parent
    # QtFoo.abi3.so / QtFoo.pyd / QtFoo.pyi; not the Qt/ folder of libraries and plugins.
    names = {p.name.split(".")[0] for p in folder.iterdir() if p.is_file()}
    modules = {name for name in names if name.startswith("Qt") and name.isidentifier()}
    return sorted(f"PySide6.{name}" for name in modules - QT_MODULES_USED)


def is_excluded_qt_file(dest: str) -> bool:
    """Whether a bundled file (its destination path) belongs to Qt that sfdesk does not use."""
    parts = Path(dest).parts
    if any(_EXCLUDED_QT_RE.match(part) for part in parts):
        return True
    if Path(dest).name.lower() in EXCLUDED_FILE_NAMES:
        return True
    if "plugins" in parts:
        after = parts[parts.index("plugins") + 1 :]
        if after and after[0] in EXCLUDED_QT_PLUGIN_DIRS:
            return True
        if after and after[-1] in EXCLUDED_QT_PLUGINS:
            return True
        if after[:1] == ("platforms",) and _EXCLUDED_PLATFORM_PLUGIN_RE.search(after[-1]):
            return True
    return False


def is_qt_plugin(dest: str) -> bool:
    parts = Path(dest).parts
    return "PySide6" in parts and "plugins" in parts


def needs_excluded_qt(src: str) -> bool:
    """Whether a Qt plugin links a Qt library we leave out (it would fail to load, noisily).

    PyInstaller keeps a plugin when its Qt dependencies are *installed*, then collects them:
    the PDF image-format plugin would bring QtPdf, the VNC platform QtNetwork.
    """
    return any(_EXCLUDED_QT_RE.match(name) for name in _imports(src))


def translation_languages(root: Path = ROOT) -> list[str]:
    """The UI languages with a compiled catalogue: ``sfdesk_zh_CN.qm`` → ``zh_CN``."""
    folder = root / "resources" / "translations"
    return sorted(p.stem.removeprefix("sfdesk_") for p in folder.glob("sfdesk_*.qm"))


def is_unused_qt_translation(dest: str, languages: list[str]) -> bool:
    """Qt's own catalogues for languages the UI does not speak (PySide6 ships ~14 MB of them)."""
    path = Path(dest)
    if path.suffix != ".qm" or "translations" not in path.parts or "resources" in path.parts:
        return False
    return not any(path.stem.endswith(f"_{language}") for language in languages)


def keep(entry: tuple[Any, ...], languages: list[str]) -> bool:
    """Whether a bundle entry (dest, src, kind) of the analysis stays in the bundle."""
    dest, src = entry[0], entry[1]
    if is_excluded_qt_file(dest):
        return False
    if is_qt_plugin(dest) and src and needs_excluded_qt(src):
        return False
    if is_unused_qt_translation(dest, languages):
        return False
    return not (os.name == "posix" and EXCLUDED_SYSTEM_LIBS.match(Path(dest).name))


def _imports(src: str) -> set[str]:
    """The file names of the shared libraries a binary links (lower case)."""
    from PyInstaller.depend import bindepend

    try:
        return {Path(name).name.lower() for name, _path in bindepend.get_imports(src)}
    except Exception:  # not a binary PyInstaller can read: it links nothing we track
        return set()


def prune_binaries(binaries: list[Any], languages: list[str]) -> list[Any]:
    """``binaries`` without what :func:`keep` rejects, nor the libraries only those needed.

    The analysis has already followed every collected plugin into its shared libraries, so
    dropping a plugin leaves its dependencies behind (the GTK theme's GTK, say). A library is
    dropped with it when it is reachable from the dropped entries and from no kept one.
    """
    verdicts = [keep(entry, languages) for entry in binaries]
    kept = [entry for entry, ok in zip(binaries, verdicts, strict=True) if ok]
    removed = [entry for entry, ok in zip(binaries, verdicts, strict=True) if not ok]
    if not removed:
        return kept
    by_name = {Path(entry[0]).name.lower(): entry for entry in binaries}
    edges: dict[str, set[str]] = {}

    def deps(name: str) -> set[str]:
        if name not in edges:
            edges[name] = {d for d in _imports(by_name[name][1]) if d in by_name}
        return edges[name]

    def closure(start: set[str]) -> set[str]:
        seen, stack = set(start), list(start)
        while stack:
            for dep in deps(stack.pop()):
                if dep not in seen:
                    seen.add(dep)
                    stack.append(dep)
        return seen

    removed_names = {Path(entry[0]).name.lower() for entry in removed}
    candidates = closure(removed_names) - removed_names
    roots = {Path(e[0]).name.lower() for e in kept} - candidates
    still_needed = closure(roots)
    return [
        entry
        for entry in kept
        if Path(entry[0]).name.lower() not in candidates
        or Path(entry[0]).name.lower() in still_needed
    ]


def _has_debug_info(path: str) -> bool:
    """Whether an ELF file carries ``.debug_*`` sections (read from its section headers)."""
    import struct

    try:
        with open(path, "rb") as f:
            ident = f.read(64)
            if ident[:4] != b"\x7fELF" or ident[4] != 2:  # 64-bit ELF only
                return False
            order = "<" if ident[5] == 1 else ">"
            (shoff,) = struct.unpack_from(order + "Q", ident, 0x28)
            shentsize, shnum, shstrndx = struct.unpack_from(order + "HHH", ident, 0x3A)
            if not shoff or not shnum:
                return False
            f.seek(shoff)
            headers = f.read(shentsize * shnum)
            name_offset, size = struct.unpack_from(
                order + "QQ", headers, shstrndx * shentsize + 0x18
            )
            f.seek(name_offset)
            names = f.read(size)
    except (OSError, struct.error):
        return False
    return b".debug_info\x00" in names


def strip_debug_info(binaries: list[Any], work: Path) -> list[Any]:
    """Linux: copies of the binaries that ship debug information, with it removed.

    Interpreters built from source (pyenv, the default ``./configure``) carry it: libpython
    and the stdlib's extension modules lose ~25 MB. Only ``--strip-debug`` (symbols stay), and
    only on files that have debug sections: PyInstaller's blanket ``strip=True`` also rewrites
    wheel-repaired libraries such as numpy's OpenBLAS, which then fail to load ("ELF load
    command address/offset not page-aligned"). Without binutils' ``strip`` nothing changes.
    """
    import shutil
    import subprocess

    strip = shutil.which("strip")
    if not strip:
        return binaries
    result = []
    for entry in binaries:
        dest, src = entry[0], entry[1]
        if src and _has_debug_info(src):
            copy = work / "stripped" / dest
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, copy)
            copy.chmod(0o755)
            if subprocess.run([strip, "--strip-debug", str(copy)], check=False).returncode == 0:
                entry = (dest, str(copy), *entry[2:])
        result.append(entry)
    return result


def app_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """The resources the app opens at run time, as (source, folder in the bundle) pairs.

    ``sfdesk/ui/resources.py`` looks for ``<sys._MEIPASS>/resources``; the sandbox's image
    captions look for ``resources/fonts`` next to the package. Translation sources (``.ts``)
    and maintenance scripts stay out.
    """
    resources = root / "resources"
    datas = [(str(p), "resources/translations") for p in resources.glob("translations/*.qm")]
    datas += [(str(p), "resources/icons") for p in sorted((resources / "icons").iterdir())]
    if sys.platform.startswith("linux"):
        # Not read by the app: shipped so an install can put it in ~/.local/share/applications.
        datas.append((str(resources / "sfdesk.desktop"), "resources"))
    fonts = resources / "fonts"
    if fonts.is_dir():
        datas += [(str(p), "resources/fonts") for p in sorted(fonts.iterdir()) if p.is_file()]
    return datas


def system_portaudio() -> str | None:
    """The host's PortAudio (Linux), to bundle so the app records without the distro package."""
    name = ctypes.util.find_library("portaudio")
    if not name:
        return None
    if os.path.isabs(name):
        return name
    for folder in (
        "/lib/x86_64-linux-gnu",
        "/usr/lib/x86_64-linux-gnu",
        "/lib/aarch64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/usr/lib64",
        "/usr/lib",
        "/lib64",
        "/lib",
    ):
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate.resolve())
    return None


def write_icons(out_dir: Path, png: Path = ICON_PNG) -> tuple[Path, Path]:
    """Render the Windows ``.ico`` and macOS ``.icns`` from the 256 px PNG into ``out_dir``."""
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    ico, icns = out_dir / "sfdesk.ico", out_dir / "sfdesk.icns"
    with Image.open(png) as image:
        rgba = image.convert("RGBA")
        rgba.save(ico, format="ICO", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
        rgba.save(icns, format="ICNS")
    return ico, icns


def windows_version_text(version: str) -> str:
    """The VERSIONINFO resource of ``sfdesk.exe`` (Explorer's Details tab, installers).

    Written in the text form PyInstaller reads from a ``version=`` file (``pyi-grab_version``
    prints the same), so it is made and checked on any OS: PyInstaller's own classes import
    ``pefile``, which only Windows installs have.
    """
    numbers = version_tuple(version)
    strings = {
        "CompanyName": "sfdesk",
        "FileDescription": "sfdesk — SiliconFlow desktop playground",
        "FileVersion": version,
        "InternalName": APP_NAME,
        "LegalCopyright": "MIT License",
        "OriginalFilename": f"{APP_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    # 0409 = US English, 04B0 = 1200 = Unicode (UTF-16): the language/codepage Windows reads.
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0),
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '040904B0',
        [
{table},
        ],
      ),
    ]),
    VarFileInfo([VarStruct('Translation', [0x0409, 1200])]),
  ],
)
"""


def write_windows_version_file(version: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "version_info.txt"
    path.write_text(windows_version_text(version), encoding="utf-8")
    return path


def macos_info_plist(version: str) -> dict[str, Any]:
    """Info.plist keys of ``sfdesk.app``.

    The microphone text is English because it is the bundle's development region: macOS shows
    it unless a ``<lang>.lproj/InfoPlist.strings`` overrides it, and the app ships none yet.
    Without the key, macOS terminates the app the moment PortAudio opens the microphone.
    """
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundleDevelopmentRegion": "en",
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,  # follow the system's dark mode
        "NSMicrophoneUsageDescription": (
            "sfdesk records from the microphone only while you press Record in the Microphone "
            "panel, and sends the recording to the speech-to-text model you choose."
        ),
    }
