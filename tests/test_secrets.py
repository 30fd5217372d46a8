"""The API key: cleaning, per-site storage, env precedence, keyring fallbacks, redaction."""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.core
import keyring.errors
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfdesk.memory_keyring import MemoryKeyring
from sfdesk.secrets import (
    KeyStore,
    account_for,
    clean_api_key,
    is_usable,
    looks_like_api_key,
    redact,
    register_secret,
)

CN = "https://api.siliconflow.cn/v1"
COM = "https://api.siliconflow.com/v1"
KEY = "sk-abcdefghijklmnopqrstuvwxyz012345"


@pytest.fixture(autouse=True)
def _no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    # Environment isolation comes from tests/conftest.py. Never touch the developer's real
    # keyring, even from a test that forgets to pass a backend.
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.backends.fail.Keyring())


class FakeOsKeyring(MemoryKeyring):
    """Stands in for a working OS keyring (persistent, positive priority)."""

    priority = 5

    def __init__(self) -> None:
        super().__init__(persistent=True)


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A keyring that looked fine at start-up but fails when used (locked Secret Service)."""

    priority = 5

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


# --- cleaning -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("sk-abc", "sk-abc"),
        ("Bearer sk-abc", "sk-abc"),
        ("bearer    sk-abc", "sk-abc"),
        ("BEARER\tsk-abc", "sk-abc"),
        ("Authorization: Bearer sk-abc", "sk-abc"),
        ("  sk-abc\n", "sk-abc"),
        ("'sk-abc'", "sk-abc"),
        ('"sk-abc"', "sk-abc"),
        ("“sk-abc”", "sk-abc"),
        ("Bearer 'sk-abc'", "sk-abc"),
        ("' Bearer sk-abc '", "sk-abc"),
        ("sk-ab c", "sk-abc"),
        ("sk-ab\ncd\r\nef", "sk-abcdef"),
        ("\ufeffsk-abc\u200b", "sk-abc"),
        ("", ""),
        ("   \n\t", ""),
        ("''", ""),
        ("Bearer ", ""),
        # Only a leading "Bearer" is a prefix; inside a key it is part of the key.
        ("sk-Bearer1", "sk-Bearer1"),
    ],
)
def test_clean_api_key(raw: str, clean: str) -> None:
    assert clean_api_key(raw) == clean


@given(st.text())
def test_clean_api_key_is_idempotent_and_whitespace_free(raw: str) -> None:
    once = clean_api_key(raw)
    assert clean_api_key(once) == once
    assert not any(ch.isspace() for ch in once)


@given(st.from_regex(r"sk-[A-Za-z0-9]{8,48}", fullmatch=True), st.sampled_from(["", "Bearer "]))
def test_clean_api_key_recovers_a_pasted_key(key: str, prefix: str) -> None:
    pasted = f"  {prefix}{key[:5]}\n{key[5:]}  \n"
    assert clean_api_key(pasted) == key


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("sk-abc", True),
        ("custom-server-token_1.2", True),  # not every OpenAI-compatible server uses "sk-"
        ("", False),
        ("sk ab", False),
        ("sk-ab\n", False),
        ("sk-密钥", False),
        ("sk-\x00", False),
    ],
)
def test_looks_like_api_key(key: str, ok: bool) -> None:
    assert looks_like_api_key(key) is ok


# --- redaction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"key={KEY}!", "key=sk-…redacted!"),
        (f"Authorization: Bearer {KEY}", "Authorization: Bearer [redacted]"),
        ("authorization: bearer abc.def-ghi", "authorization: Bearer [redacted]"),
        ("sk-short is fine", "sk-short is fine"),  # below 8 characters: not a key
        ("sk_not-a-key-at-all", "sk_not-a-key-at-all"),
        # Deliberately greedy: a key glued to a word is still caught, at the price of this.
        ("risk-assessment", "ri" + "sk-…redacted"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


@given(
    st.text(),
    st.from_regex(r"sk-[A-Za-z0-9_-]{8,40}", fullmatch=True),
    st.text(),
)
def test_redact_removes_any_embedded_key_and_is_idempotent(
    before: str, key: str, after: str
) -> None:
    text = redact(before + key + after)
    assert key not in text
    assert redact(text) == text


def test_registered_secret_without_sk_prefix_is_redacted() -> None:
    token = "customtoken-0123456789"
    assert token in redact(f"got {token}")
    register_secret(token)
    assert token not in redact(f"got {token}")


# --- backends -------------------------------------------------------------------------------


def test_memory_keyring_roundtrip_and_is_never_auto_selected() -> None:
    ring = MemoryKeyring()
    ring.set_password("svc", "host", "v")
    assert ring.get_password("svc", "host") == "v"
    ring.delete_password("svc", "host")
    assert ring.get_password("svc", "host") is None
    with pytest.raises(keyring.errors.PasswordDeleteError):
        ring.delete_password("svc", "host")
    # keyring registers every backend subclass; a priority below the "fail" backend's keeps
    # keyring's auto-detection from ever picking the memory keyring as the user's real one.
    assert MemoryKeyring.priority < keyring.backends.fail.Keyring.priority


@pytest.mark.parametrize(
    ("backend", "usable"),
    [
        (keyring.backends.fail.Keyring(), False),
        (keyring.backends.null.Keyring(), False),
        (MemoryKeyring(), True),
        (FakeOsKeyring(), True),
    ],
)
def test_is_usable(backend: keyring.backend.KeyringBackend, usable: bool) -> None:
    assert is_usable(backend) is usable


# --- KeyStore -------------------------------------------------------------------------------


def test_without_a_keyring_keys_live_in_memory() -> None:
    store = KeyStore()  # keyring.get_keyring() is the "fail" backend here, as on headless Linux
    assert store.persistent is False
    assert store.get(CN) is None and store.source(CN) is None
    store.set(CN, KEY)
    assert store.get(CN) == KEY
    assert store.source(CN) == "memory"


def test_explicit_fail_backend_also_falls_back() -> None:
    store = KeyStore(backend=keyring.backends.fail.Keyring())
    store.set(CN, KEY)
    assert store.persistent is False
    assert store.get(CN) == KEY


def test_working_keyring_is_persistent_and_stores_under_the_host() -> None:
    ring = FakeOsKeyring()
    store = KeyStore(service="sfdesk-test", backend=ring)
    store.set(CN, f"  Bearer {KEY}\n")
    assert store.persistent is True
    assert store.source(CN) == "keyring"
    assert ring.get_password("sfdesk-test", "api.siliconflow.cn") == KEY  # cleaned before storing


def test_keys_are_per_site() -> None:
    store = KeyStore(backend=FakeOsKeyring())
    store.set(CN, "sk-cn-key-12345678")
    store.set(COM, "sk-com-key-12345678")
    assert store.get(CN) == "sk-cn-key-12345678"
    assert store.get(COM) == "sk-com-key-12345678"
    assert store.get("http://127.0.0.1:8123/v1") is None
    # Same host, different path spelling: same key.
    assert store.get("https://API.siliconflow.cn/v1/") == "sk-cn-key-12345678"
    store.delete(CN)
    assert store.get(CN) is None
    assert store.get(COM) == "sk-com-key-12345678"


@pytest.mark.parametrize(
    ("url", "account"),
    [
        (CN, "api.siliconflow.cn"),
        (COM, "api.siliconflow.com"),
        ("https://api.siliconflow.cn:443/v1", "api.siliconflow.cn"),
        ("http://127.0.0.1:8123/v1", "127.0.0.1:8123"),
        ("http://127.0.0.1:8124/v1", "127.0.0.1:8124"),
    ],
)
def test_account_for(url: str, account: str) -> None:
    assert account_for(url) == account


def test_account_for_rejects_a_url_without_host_and_does_not_echo_it() -> None:
    with pytest.raises(ValueError) as info:
        account_for(f"https://user:{KEY}@")
    assert KEY not in str(info.value)


def test_environment_key_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    store = KeyStore(backend=FakeOsKeyring())
    store.set(CN, "sk-stored-12345678")
    monkeypatch.setenv("SILICONFLOW_API_KEY", "  'sk-from-env-123456'\n")
    assert store.get(CN) == "sk-from-env-123456"
    assert store.get(COM) == "sk-from-env-123456"
    assert store.source(CN) == "env"
    monkeypatch.setenv("SILICONFLOW_API_KEY", "   ")  # blank: as if unset
    assert store.get(CN) == "sk-stored-12345678"
    assert store.source(CN) == "keyring"


@pytest.mark.parametrize("empty", ["", "   ", "Bearer  ", "''"])
def test_setting_an_empty_key_is_refused(empty: str) -> None:
    store = KeyStore(backend=FakeOsKeyring())
    with pytest.raises(ValueError):
        store.set(CN, empty)
    assert store.get(CN) is None


def test_deleting_a_missing_key_is_quiet() -> None:
    KeyStore(backend=FakeOsKeyring()).delete(CN)


def test_repr_never_shows_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    store = KeyStore(backend=FakeOsKeyring())
    store.set(CN, KEY)
    monkeypatch.setenv("SILICONFLOW_API_KEY", KEY + "env")
    store.get(CN)
    text = repr(store)
    assert KEY not in text
    assert "persistent=True" in text and "sfdesk" in text
    assert KEY not in repr(store._backend)


def test_keyring_error_on_set_falls_back_to_memory(caplog: pytest.LogCaptureFixture) -> None:
    store = KeyStore(backend=BrokenKeyring())
    assert store.persistent is True  # nothing known to be wrong yet
    with caplog.at_level(logging.DEBUG):
        store.set(CN, KEY)
    assert store.persistent is False
    assert store.get(CN) == KEY
    assert store.source(CN) == "memory"
    assert "memory" in caplog.text
    assert KEY not in caplog.text


def test_keyring_error_on_get_falls_back_to_memory(caplog: pytest.LogCaptureFixture) -> None:
    store = KeyStore(backend=BrokenKeyring())
    with caplog.at_level(logging.DEBUG):
        assert store.get(CN) is None
    assert store.persistent is False
    store.set(CN, KEY)
    assert store.get(CN) == KEY
    assert KEY not in caplog.text


def test_keyring_error_on_delete_does_not_crash() -> None:
    store = KeyStore(backend=BrokenKeyring())
    store.delete(CN)
    assert store.persistent is False
