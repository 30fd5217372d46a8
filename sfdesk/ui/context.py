"""The application's shared runtime objects, handed to the window and its dialogs.

One :class:`AppContext` per run, built by ``sfdesk/app.py``. It holds the single
:class:`~sfdesk.api.SiliconFlowClient`, the settings (and where they are saved), the key store, and
the managers for language and theme, and it knows how to re-point the client when the key or the
site changes. Keeping this in one object lets tests build a window exactly as the app does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sfdesk.api import SiliconFlowClient, Timeouts
from sfdesk.config import Settings, save_settings
from sfdesk.secrets import KeyStore
from sfdesk.store import ConversationStore
from sfdesk.ui.i18n import Translations
from sfdesk.ui.theme import ThemeManager


def timeouts_from(settings: Settings) -> Timeouts:
    return Timeouts(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        stream_idle=settings.stream_idle_timeout,
        long=settings.long_timeout,
    )


@dataclass
class AppContext:
    client: SiliconFlowClient
    settings: Settings
    keys: KeyStore
    translations: Translations
    theme: ThemeManager
    #: Where the settings are saved; None means the default file (sfdesk.config.settings_path).
    settings_path: Path | None = None
    #: In sandbox mode the base URL and key are the sandbox's and nothing is stored.
    sandbox: bool = False
    #: The key used in sandbox mode (never stored in the key store).
    sandbox_key: str | None = None
    #: The conversation store; None leaves the Chat tab a placeholder (tests of other parts).
    store: ConversationStore | None = None

    @property
    def base_url(self) -> str:
        return self.client.base_url

    def api_key(self) -> str | None:
        """The key the client should use for the current base URL, if any."""
        if self.sandbox:
            return self.sandbox_key
        return self.keys.get(self.base_url)

    def has_key(self) -> bool:
        return bool(self.api_key())

    def key_in_memory_only(self) -> bool:
        """True when a key entered now would be forgotten at exit (no OS keyring)."""
        if self.sandbox or self.key_from_env() or not self.keys.resolved:
            return False  # nothing is stored, or the store is not consulted yet
        return not self.keys.persistent

    def key_from_env(self) -> bool:
        """True when the key in use comes from $SILICONFLOW_API_KEY (nothing is stored)."""
        return not self.sandbox and self.keys.env_key() is not None

    def save_settings(self) -> None:
        save_settings(self.settings, self.settings_path)

    def point_client_at(self, base_url: str) -> None:
        """Use ``base_url`` and its stored key for every request started from now on."""
        if self.sandbox:
            return
        self.client.reconfigure(base_url=base_url, api_key=self.keys.get(base_url) or "")

    def apply_limits(self) -> None:
        """Push the settings' timeouts and retry count into the client."""
        self.client.reconfigure(
            timeouts=timeouts_from(self.settings), max_retries=self.settings.max_retries
        )
