"""The API key: where it comes from (env → OS keyring → session memory) and how it stays secret.

This module owns the key's whole life: cleaning what the user pasted, storing one key per API host
(a siliconflow.cn key is rejected by siliconflow.com), and scrubbing anything key-like out of text
bound for logs. We never write the key to a file or a log ourselves. Where no usable OS keyring
exists (a headless Linux session), the key lives in memory for the session and
:attr:`KeyStore.persistent` is False, so the UI can say so.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from typing import TYPE_CHECKING, Literal

from sfdesk.config import host_of

if TYPE_CHECKING:
    # keyring itself is imported only when a key store is first consulted: importing it costs
    # ~70 ms and detecting its backend ~100 ms, neither of which app start should pay.
    import keyring.backend

log = logging.getLogger(__name__)

API_KEY_ENV = "SILICONFLOW_API_KEY"
DEFAULT_SERVICE = "sfdesk"

KeySource = Literal["env", "keyring", "memory"]

# --- cleaning -------------------------------------------------------------------------------

# ASCII and typographic quotes: keys get copied out of docs and chat apps in any of them.
_QUOTES = "'\"`‘’“”「」"
# "Bearer" is only a prefix when something separates it from the key (or nothing follows it).
_AUTH_PREFIX = re.compile(r"^(?:authorization\s*:\s*)?bearer(?:\s+|\s*:\s*|$)", re.IGNORECASE)


def _clean_once(text: str) -> str:
    text = text.strip().strip(_QUOTES).strip()
    text = _AUTH_PREFIX.sub("", text)
    # Zero-width spaces and BOMs (category Cf) ride along with text copied from web pages.
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def clean_api_key(raw: str) -> str:
    """The key inside what the user pasted: no quotes, no "Bearer ", no whitespace at all.

    Repeated until nothing changes, so cleaning is idempotent whatever the nesting
    (``Bearer "sk-…"``, ``'Bearer sk-…'``).
    """
    text = raw
    while True:
        cleaned = _clean_once(text)
        if cleaned == text:
            return cleaned
        text = cleaned


def looks_like_api_key(key: str) -> bool:
    """Plausible as a key: non-empty printable ASCII without spaces.

    SiliconFlow keys start with ``sk-``, but other OpenAI-compatible servers use other shapes,
    so the prefix is not required.
    """
    return bool(key) and all("!" <= ch <= "~" for ch in key)


# --- redaction ------------------------------------------------------------------------------

_BEARER = re.compile(r"\b(Bearer)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
# No word boundary on purpose: a key glued to the text before it must still be caught, and
# over-redacting a word like "risk-assessment" in a log line is the cheaper mistake.
_SK_KEY = re.compile(r"sk-[A-Za-z0-9_-]{8,}")
REDACTED_KEY = "sk-…redacted"
REDACTED_BEARER = "Bearer [redacted]"

# Keys seen by a KeyStore, so redaction also catches keys of servers that don't use "sk-".
_known_secrets: set[str] = set()
_known_lock = threading.Lock()
_MIN_REGISTERED_LEN = 8  # shorter strings would redact ordinary words


def register_secret(secret: str) -> None:
    """Have :func:`redact` scrub ``secret`` verbatim from now on (for keys without ``sk-``)."""
    if len(secret) >= _MIN_REGISTERED_LEN:
        with _known_lock:
            _known_secrets.add(secret)


def redact(text: str) -> str:
    """``text`` with every key-like token replaced: ``sk-…redacted`` / ``Bearer [redacted]``."""
    text = _BEARER.sub(REDACTED_BEARER, text)
    text = _SK_KEY.sub(REDACTED_KEY, text)
    with _known_lock:
        known = sorted(_known_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, REDACTED_KEY)
    return text


# --- backends -------------------------------------------------------------------------------


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    try:
        return str(type(backend).name)
    except Exception:  # a broken backend must not break a repr
        return type(backend).__name__


def is_usable(backend: keyring.backend.KeyringBackend) -> bool:
    """Whether ``backend`` can store a key, judged without writing anything into it.

    A probe write would leave junk in the user's real keyring (or pop up an unlock prompt), so
    this goes by class and priority: the "fail" backend, an empty chainer and anything with a
    priority ≤ 0 (e.g. the null backend) cannot store keys.
    """
    import keyring.backends.chainer
    import keyring.backends.fail

    from sfdesk.memory_keyring import MemoryKeyring

    if isinstance(backend, MemoryKeyring):
        return True
    if isinstance(backend, keyring.backends.fail.Keyring):
        return False
    try:
        if isinstance(backend, keyring.backends.chainer.ChainerBackend):
            return len(backend.backends) > 0
        return float(type(backend).priority) > 0
    except Exception:  # keyring signals "not viable here" by raising from priority
        return False


def _is_persistent(backend: keyring.backend.KeyringBackend) -> bool:
    from sfdesk.memory_keyring import MemoryKeyring

    # Every real backend outlives the process; only ours may not.
    return backend.persistent if isinstance(backend, MemoryKeyring) else True


# --- the store ------------------------------------------------------------------------------


def account_for(base_url: str) -> str:
    """The keyring account for a base URL: its lower-case ``host[:port]``.

    Keys belong to a site, not to a path, so ``…/v1`` and ``…/v1/`` share one key.
    """
    account = host_of(base_url)
    if not account:
        # Not the URL itself in the message: a URL can carry credentials in its user-info part.
        raise ValueError("the base URL has no host")
    return account


class KeyStore:
    """One API key per API host, looked up in ``$SILICONFLOW_API_KEY``, the keyring, or memory.

    Keyring failures (a locked or absent Secret Service, a D-Bus error) switch the store to
    session memory instead of crashing; :attr:`persistent` then turns False for the UI to report.
    """

    def __init__(
        self,
        service: str = DEFAULT_SERVICE,
        backend: keyring.backend.KeyringBackend | None = None,
    ) -> None:
        self.service = service
        self._requested = backend
        self._chosen: keyring.backend.KeyringBackend | None = None

    @property
    def _backend(self) -> keyring.backend.KeyringBackend:
        """The backend in use, detected on first need.

        keyring's detection scans every installed package's entry points (~100 ms), so it is
        left out of app start: a key from the environment never needs it at all.
        """
        if self._chosen is None:
            import keyring

            from sfdesk.memory_keyring import MemoryKeyring

            chosen = keyring.get_keyring() if self._requested is None else self._requested
            if is_usable(chosen):
                self._chosen = chosen
            else:
                log.info(
                    "no usable keyring (%s); API keys are kept for this session only",
                    _backend_name(chosen),
                )
                self._chosen = MemoryKeyring()
        return self._chosen

    @_backend.setter
    def _backend(self, backend: keyring.backend.KeyringBackend) -> None:
        self._chosen = backend

    @property
    def resolved(self) -> bool:
        """Whether the backend has been detected yet (detection happens on first use)."""
        return self._chosen is not None

    # -- state --

    @property
    def persistent(self) -> bool:
        """True when keys survive a restart (a real OS keyring is in use)."""
        return _is_persistent(self._backend)

    @property
    def backend_name(self) -> str:
        """Human-readable backend name, for an "about"/diagnostics line."""
        return _backend_name(self._backend)

    def __repr__(self) -> str:
        return (
            f"KeyStore(service={self.service!r}, backend={self.backend_name!r}, "
            f"persistent={self.persistent})"
        )

    def _fall_back(self, action: str, exc: Exception) -> None:
        # Only the exception type: backend messages are not ours to vouch for.
        log.warning(
            "keyring %s failed (%s); keeping API keys in memory for this session",
            action,
            type(exc).__name__,
        )
        from sfdesk.memory_keyring import MemoryKeyring

        self._backend = MemoryKeyring()

    # -- lookups --

    @staticmethod
    def env_key() -> str | None:
        """The cleaned ``$SILICONFLOW_API_KEY``, or None when unset or blank."""
        key = clean_api_key(os.environ.get(API_KEY_ENV, ""))
        if not key:
            return None
        register_secret(key)
        return key

    def _stored(self, base_url: str) -> str | None:
        account = account_for(base_url)
        try:
            key = self._backend.get_password(self.service, account)
        except Exception as exc:  # keyring errors, and D-Bus errors that escape them
            self._fall_back("lookup", exc)
            key = self._backend.get_password(self.service, account)
        if key:
            register_secret(key)
        return key or None

    def get(self, base_url: str) -> str | None:
        """The key to use for ``base_url``: the environment's, else the stored one, else None."""
        return self.env_key() or self._stored(base_url)

    def source(self, base_url: str) -> KeySource | None:
        """Where :meth:`get` finds the key: "env", "keyring", "memory", or None (no key)."""
        if self.env_key():
            return "env"
        if self._stored(base_url) is None:
            return None
        return "keyring" if self.persistent else "memory"

    # -- changes --

    def set(self, base_url: str, key: str) -> None:
        """Store the (cleaned) key for ``base_url``'s host. Raises ValueError for an empty key."""
        cleaned = clean_api_key(key)
        if not cleaned:
            raise ValueError("the API key is empty")
        account = account_for(base_url)
        register_secret(cleaned)
        try:
            self._backend.set_password(self.service, account, cleaned)
        except Exception as exc:
            self._fall_back("store", exc)
            self._backend.set_password(self.service, account, cleaned)

    def delete(self, base_url: str) -> None:
        """Forget the stored key for ``base_url``'s host; nothing happens if there is none."""
        import keyring.errors

        account = account_for(base_url)
        try:
            self._backend.delete_password(self.service, account)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: already in the state the caller wants
        except Exception as exc:
            self._fall_back("delete", exc)
