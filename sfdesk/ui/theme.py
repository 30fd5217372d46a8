"""Light and dark appearance: Fusion style with an explicit palette for each.

The theme follows the system colour scheme (``QStyleHints.colorScheme`` and its change signal)
unless the user picks Light or Dark in the settings. The palettes are built here rather than left
to the platform theme because on many Linux desktops (and under Xvfb) Qt cannot tell the scheme or
paint Fusion dark by itself; an explicit palette looks the same everywhere.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

log = logging.getLogger(__name__)

THEME_CHOICES: tuple[str, ...] = ("system", "light", "dark")

# (role, active/inactive colour, disabled colour or None to reuse it)
_DARK: tuple[tuple[QPalette.ColorRole, str, str | None], ...] = (
    (QPalette.ColorRole.Window, "#2b2b2e", None),
    (QPalette.ColorRole.WindowText, "#e8e8ea", "#7f7f85"),
    (QPalette.ColorRole.Base, "#1e1e21", "#26262a"),
    (QPalette.ColorRole.AlternateBase, "#303034", None),
    (QPalette.ColorRole.ToolTipBase, "#3a3a3f", None),
    (QPalette.ColorRole.ToolTipText, "#f0f0f2", None),
    (QPalette.ColorRole.PlaceholderText, "#8a8a90", None),
    (QPalette.ColorRole.Text, "#e8e8ea", "#7f7f85"),
    (QPalette.ColorRole.Button, "#36363a", "#2f2f33"),
    (QPalette.ColorRole.ButtonText, "#e8e8ea", "#7f7f85"),
    (QPalette.ColorRole.BrightText, "#ff6b6b", None),
    (QPalette.ColorRole.Light, "#4a4a50", None),
    (QPalette.ColorRole.Midlight, "#404046", None),
    (QPalette.ColorRole.Mid, "#303034", None),
    (QPalette.ColorRole.Dark, "#19191b", None),
    (QPalette.ColorRole.Shadow, "#000000", None),
    (QPalette.ColorRole.Highlight, "#3d7bd9", "#4a4a50"),
    (QPalette.ColorRole.HighlightedText, "#ffffff", "#9a9aa0"),
    (QPalette.ColorRole.Link, "#6ea8fe", None),
    (QPalette.ColorRole.LinkVisited, "#b08cf0", None),
)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour, disabled in _DARK:
        palette.setColor(QPalette.ColorGroup.All, role, QColor(colour))
        if disabled is not None:
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return palette


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


class ThemeManager(QObject):
    """Applies the chosen theme to the application and follows the system while on "system"."""

    sig_theme_changed = Signal(bool)  # is dark

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._choice = "system"
        self._dark: bool | None = None
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            app.setStyle(fusion)
        self._light = app.style().standardPalette()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_hints_color_scheme_changed)

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def is_dark(self) -> bool:
        return bool(self._dark)

    def apply(self, choice: str) -> None:
        """Use ``choice``: "system" (follow the OS), "light" or "dark"."""
        self._choice = choice if choice in THEME_CHOICES else "system"
        self._refresh()

    def _refresh(self) -> None:
        dark = system_is_dark() if self._choice == "system" else self._choice == "dark"
        if dark == self._dark:
            return
        self._dark = dark
        self._app.setPalette(dark_palette() if dark else self._light)
        log.debug("theme: %s (setting %r)", "dark" if dark else "light", self._choice)
        self.sig_theme_changed.emit(dark)

    def _on_hints_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._choice == "system":
            self._refresh()
