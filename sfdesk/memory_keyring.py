"""An in-memory keyring backend: the fallback where no OS keyring exists, and a test double.

Its own module so that :mod:`sfdesk.secrets` can leave ``keyring`` unimported until a key store
is first consulted (app start-up, design.md §5).
"""

from __future__ import annotations

import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that forgets everything at exit: the no-keyring fallback, and a test double.

    Its priority is negative so that keyring's own auto-detection never picks it (or chains it)
    in place of a real backend just because this module was imported. ``persistent=True`` lets
    tests stand in for a real OS keyring.
    """

    priority = -10
    name = "session memory"

    def __init__(self, *, persistent: bool = False) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's __init__ is untyped
        self.persistent = persistent
        self._passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")

    def __repr__(self) -> str:  # never the contents
        return f"MemoryKeyring(entries={len(self._passwords)}, persistent={self.persistent})"
