"""The Settings dialog: connection, language, theme, timeouts and retries.

Language and theme apply live while the dialog is open (so the user sees the effect) and are
rolled back on Cancel. OK saves everything to ``settings.json`` and emits ``sig_settings_saved``;
the window then pushes the new timeouts and retry count into the client. The site and key are
changed in the key dialog, which this dialog opens through ``sig_key_dialog_requested``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sfdesk.config import Settings, site_label
from sfdesk.ui.context import AppContext
from sfdesk.ui.i18n import LANGUAGE_CHOICES
from sfdesk.ui.theme import THEME_CHOICES

# Languages are listed by their own name (endonyms), not translated: someone who cannot read the
# current UI language must still be able to find theirs.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}

# (settings field, object name, minimum, maximum) of the whole-second timeouts.
_TIMEOUT_FIELDS: tuple[tuple[str, str, int, int], ...] = (
    ("connect_timeout", "settings.connect_timeout", 1, 600),
    ("read_timeout", "settings.read_timeout", 1, 3600),
    ("stream_idle_timeout", "settings.stream_idle_timeout", 1, 3600),
    ("long_timeout", "settings.long_timeout", 1, 7200),
)


class SettingsDialog(QDialog):
    """Edits a copy of the settings; the app's settings change only on OK."""

    sig_settings_saved = Signal()
    sig_key_dialog_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.settings")
        self._ctx = ctx
        # What to restore on Cancel: language and theme are applied while the dialog is open.
        self._original_language = ctx.settings.language
        self._original_theme = ctx.settings.theme
        self._original_shown_language = ctx.translations.language
        self._build()
        self._load(ctx.settings)
        self._retranslate()

    # -- construction -----------------------------------------------------------------------

    def _build(self) -> None:
        self.connection_group = QGroupBox(self)
        self.provider_label = QLabel(self.connection_group)
        self.provider_label.setObjectName("settings.provider")
        self.provider_label.setWordWrap(True)
        self.connection_button = QPushButton(self.connection_group)
        self.connection_button.setObjectName("settings.connection")
        self.connection_button.setAutoDefault(False)
        self.connection_button.setEnabled(not self._ctx.sandbox)
        connection = QVBoxLayout(self.connection_group)
        connection.addWidget(self.provider_label)
        connection.addWidget(self.connection_button)

        self.appearance_group = QGroupBox(self)
        self.language_combo = QComboBox(self.appearance_group)
        self.language_combo.setObjectName("settings.language")
        for choice in LANGUAGE_CHOICES:
            self.language_combo.addItem(LANGUAGE_NAMES.get(choice, ""), choice)
        self.language_label = QLabel(self.appearance_group)
        self.language_label.setBuddy(self.language_combo)
        self.theme_combo = QComboBox(self.appearance_group)
        self.theme_combo.setObjectName("settings.theme")
        for choice in THEME_CHOICES:
            self.theme_combo.addItem("", choice)
        self.theme_label = QLabel(self.appearance_group)
        self.theme_label.setBuddy(self.theme_combo)
        appearance = QFormLayout(self.appearance_group)
        appearance.addRow(self.language_label, self.language_combo)
        appearance.addRow(self.theme_label, self.theme_combo)

        self.network_group = QGroupBox(self)
        network = QFormLayout(self.network_group)
        self.timeout_spins: dict[str, QSpinBox] = {}
        self.timeout_labels: dict[str, QLabel] = {}
        for field, name, low, high in _TIMEOUT_FIELDS:
            spin = QSpinBox(self.network_group)
            spin.setObjectName(name)
            spin.setRange(low, high)
            label = QLabel(self.network_group)
            label.setBuddy(spin)
            network.addRow(label, spin)
            self.timeout_spins[field] = spin
            self.timeout_labels[field] = label
        self.retries_spin = QSpinBox(self.network_group)
        self.retries_spin.setObjectName("settings.max_retries")
        self.retries_spin.setRange(0, 10)
        self.retries_label = QLabel(self.network_group)
        self.retries_label.setBuddy(self.retries_spin)
        network.addRow(self.retries_label, self.retries_spin)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("settings.ok")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("settings.cancel")
        self.defaults_button = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.setObjectName("settings.defaults")

        layout = QVBoxLayout(self)
        layout.addWidget(self.connection_group)
        layout.addWidget(self.appearance_group)
        layout.addWidget(self.network_group)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

        self.connection_button.clicked.connect(self._on_connection_button_clicked)
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.theme_combo.currentIndexChanged.connect(self._on_theme_combo_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.defaults_button.clicked.connect(self._on_defaults_button_clicked)

    def _load(self, settings: Settings) -> None:
        self._select(self.language_combo, settings.language)
        self._select(self.theme_combo, settings.theme)
        for field, spin in self.timeout_spins.items():
            spin.setValue(round(float(getattr(settings, field))))
        self.retries_spin.setValue(settings.max_retries)

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else 0)

    # -- queries ----------------------------------------------------------------------------

    def language_choice(self) -> str:
        return str(self.language_combo.currentData())

    def theme_choice(self) -> str:
        return str(self.theme_combo.currentData())

    # -- slots ------------------------------------------------------------------------------

    def _on_connection_button_clicked(self) -> None:
        self.sig_key_dialog_requested.emit()

    def _on_language_combo_changed(self, _index: int) -> None:
        self._ctx.translations.apply(self.language_choice())

    def _on_theme_combo_changed(self, _index: int) -> None:
        self._ctx.theme.apply(self.theme_choice())

    def _on_defaults_button_clicked(self) -> None:
        self._load(Settings())

    def _on_buttons_accepted(self) -> None:
        settings = self._ctx.settings
        settings.language = self.language_choice()
        settings.theme = self.theme_choice()
        for field, spin in self.timeout_spins.items():
            setattr(settings, field, float(spin.value()))
        settings.max_retries = self.retries_spin.value()
        self._ctx.save_settings()
        self._original_language = settings.language
        self._original_theme = settings.theme
        self.sig_settings_saved.emit()
        self.accept()

    def reject(self) -> None:
        # Undo the live previews. The shown language is restored as it was even when it came
        # from --lang rather than the settings.
        self._ctx.translations.apply(self._original_shown_language)
        self._ctx.theme.apply(self._original_theme)
        super().reject()

    # -- language ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.connection_group.setTitle(self.tr("Connection"))
        base_url = self._ctx.base_url
        self.provider_label.setText(
            self.tr("Connected to %1 (%2)")
            .replace("%1", site_label(base_url))
            .replace("%2", base_url)
        )
        self.connection_button.setText(self.tr("Change site or API key…"))
        self.connection_button.setAccessibleName(self.tr("Change site or API key"))
        if self._ctx.sandbox:
            self.connection_button.setToolTip(
                self.tr("The sandbox uses its own key; restart without --sandbox to change it.")
            )
        self.appearance_group.setTitle(self.tr("Appearance"))
        self.language_label.setText(self.tr("&Language:"))
        self.language_combo.setItemText(0, self.tr("System default"))
        self.language_combo.setAccessibleName(self.tr("Language"))
        self.theme_label.setText(self.tr("&Theme:"))
        names = {
            "system": self.tr("System default"),
            "light": self.tr("Light"),
            "dark": self.tr("Dark"),
        }
        for index, choice in enumerate(THEME_CHOICES):
            self.theme_combo.setItemText(index, names[choice])
        self.theme_combo.setAccessibleName(self.tr("Theme"))
        self.network_group.setTitle(self.tr("Network"))
        labels = {
            "connect_timeout": (self.tr("C&onnect timeout:"), self.tr("Connect timeout")),
            "read_timeout": (self.tr("&Request timeout:"), self.tr("Request timeout")),
            "stream_idle_timeout": (
                self.tr("&Pause allowed in a stream:"),
                self.tr("Longest pause allowed in a streamed answer"),
            ),
            "long_timeout": (
                self.tr("Images and &audio timeout:"),
                self.tr("Timeout for image generation and transcription"),
            ),
        }
        seconds = self.tr(" s", "unit suffix of a duration in seconds")
        for field, spin in self.timeout_spins.items():
            label, accessible = labels[field]
            self.timeout_labels[field].setText(label)
            spin.setAccessibleName(accessible)
            spin.setSuffix(seconds)
        self.retries_label.setText(self.tr("Retr&ies:"))
        self.retries_spin.setAccessibleName(self.tr("Retries after a failed request"))
        self.retries_spin.setToolTip(
            self.tr(
                "How many times to retry when the server is busy, rate-limits or cannot be "
                "reached. Rejected requests (wrong key, bad parameters) are never retried."
            )
        )
        self.ok_button.setAccessibleName(self.tr("OK"))
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.defaults_button.setAccessibleName(self.tr("Restore defaults"))
