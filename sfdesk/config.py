"""User settings: one dataclass with typed defaults, loaded forgivingly and saved atomically.

This module owns ``settings.json`` (in :func:`sfdesk.paths.config_dir`), the list of known API
sites and the ``SFDESK_BASE_URL`` override. Loading never fails: a missing or corrupt file gives
the defaults and a bad value resets only its own field, so a hand-edited file cannot stop the app
from starting. Secrets are never part of the settings (see :mod:`sfdesk.secrets`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints
from urllib.parse import urlsplit

from sfdesk.paths import config_dir

log = logging.getLogger(__name__)

SITES: dict[str, str] = {
    "cn": "https://api.siliconflow.cn/v1",
    "com": "https://api.siliconflow.com/v1",
}
SITE_IDS: tuple[str, ...] = (*SITES, "custom")
DEFAULT_SITE = "cn"
BASE_URL_ENV = "SFDESK_BASE_URL"
SETTINGS_FILENAME = "settings.json"


def normalise_base_url(raw: str) -> str | None:
    """``raw`` without surrounding spaces and trailing slashes; None if it is not an http(s) URL.

    An empty string stays empty (it means "not set"), so the settings dialog can clear it.
    """
    url = raw.strip().rstrip("/")
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def host_of(url: str) -> str:
    """Lower-case ``host[:port]`` of ``url`` (no user info, no default port); "" if there is none.

    A scheme-less URL ("api.example.com/v1") is read as a host, since people paste them that way.
    """
    text = url.strip()
    parts = urlsplit(text if "//" in text else f"//{text}")
    try:
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # e.g. a non-numeric port: not a URL we can name
        return ""
    if ":" in host:  # IPv6 literal: keep the brackets so a port stays unambiguous
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}.get(parts.scheme.lower())
    if port is not None and port != default_port:
        return f"{host}:{port}"
    return host


def site_label(base_url: str) -> str:
    """Short provider name for the status bar: "siliconflow.cn", "siliconflow.com" or the host."""
    host = host_of(base_url)
    bare = host.split(":")[0] if not host.startswith("[") else host
    for domain in ("siliconflow.cn", "siliconflow.com"):
        if bare == domain or bare.endswith(f".{domain}"):
            return domain
    return host


def base_url_from_env() -> bool:
    """True when ``$SFDESK_BASE_URL`` decides the base URL (the UI then says so)."""
    return bool(_env_base_url())


def _env_base_url() -> str:
    # Used as given (only trimmed): the variable exists to point the app anywhere, and a bad URL
    # then shows up as a connection error rather than being silently replaced.
    return os.environ.get(BASE_URL_ENV, "").strip().rstrip("/")


# --- field metadata -------------------------------------------------------------------------
# Validation is driven by these, so adding a setting never means adding another hand-written if.


def _choices(*allowed: str) -> dict[str, Any]:
    return {"choices": allowed}


def _range(low: float, high: float) -> dict[str, Any]:
    return {"min": low, "max": high}


def _normalised_by(func: Callable[[str], str | None]) -> dict[str, Any]:
    return {"normalise": func}


@dataclass
class Settings:
    """Everything the user can change, with the default used when a value is missing or bad."""

    site: str = field(default=DEFAULT_SITE, metadata=_choices(*SITE_IDS))
    custom_base_url: str = field(default="", metadata=_normalised_by(normalise_base_url))
    language: str = field(default="system", metadata=_choices("system", "en", "zh_CN"))
    theme: str = field(default="system", metadata=_choices("system", "light", "dark"))
    connect_timeout: float = field(default=10.0, metadata=_range(0.1, 600.0))
    # Ordinary (non-streaming) requests.
    read_timeout: float = field(default=60.0, metadata=_range(1.0, 3600.0))
    # Longest pause allowed between two stream chunks: thinking models go quiet for minutes.
    stream_idle_timeout: float = field(default=300.0, metadata=_range(1.0, 3600.0))
    # Image generation and transcription take minutes, not seconds.
    long_timeout: float = field(default=600.0, metadata=_range(1.0, 7200.0))
    max_retries: int = field(default=2, metadata=_range(0, 10))
    # The first-run key dialog has been shown (whether or not a key was entered).
    onboarded: bool = False

    @property
    def base_url(self) -> str:
        """The API base URL: ``$SFDESK_BASE_URL``, else the custom URL, else the site's URL.

        "custom" with no URL yet falls back to the default site rather than an empty URL, so a
        half-filled settings dialog cannot produce requests to nowhere.
        """
        env = _env_base_url()
        if env:
            return env
        if self.site == "custom":
            return self.custom_base_url or SITES[DEFAULT_SITE]
        return SITES.get(self.site, SITES[DEFAULT_SITE])


# --- validation -----------------------------------------------------------------------------


def _typed(value: Any, expected: Any) -> Any | None:
    """``value`` as ``expected`` (bool, int, float or str), or None if it is not one."""
    # bool is an int subclass in Python, but `true` is never a valid retry count or timeout.
    if expected is bool:
        return value if isinstance(value, bool) else None
    if isinstance(value, bool):
        return None
    if expected is int:
        return value if isinstance(value, int) else None
    if expected is float:
        is_number = isinstance(value, int | float) and math.isfinite(value)
        return float(value) if is_number else None
    if expected is str:
        return value if isinstance(value, str) else None
    return None


def _within(value: Any, meta: Mapping[str, Any]) -> bool:
    if "choices" in meta and value not in meta["choices"]:
        return False
    if "min" in meta and value < meta["min"]:
        return False
    return not ("max" in meta and value > meta["max"])


def _validated(f: dataclasses.Field[Any], expected: Any, raw: Any) -> Any | None:
    """The stored value for field ``f`` if ``raw`` is acceptable, else None."""
    value = _typed(raw, expected)
    if value is None:
        return None
    normalise = f.metadata.get("normalise")
    if normalise is not None:
        value = normalise(value)
        if value is None:
            return None
    return value if _within(value, f.metadata) else None


def settings_from_dict(data: Mapping[str, Any]) -> Settings:
    """Settings from a decoded JSON object: unknown keys ignored, bad values reset to defaults."""
    hints = get_type_hints(Settings)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        if f.name not in data:
            continue
        value = _validated(f, hints[f.name], data[f.name])
        if value is None:
            # The name only: values come from a file the user may have pasted anything into.
            log.warning("settings: invalid value for %r, using the default", f.name)
            continue
        values[f.name] = value
    return Settings(**values)


# --- file I/O -------------------------------------------------------------------------------


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILENAME


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; never raises: problems are logged and the defaults used."""
    path = settings_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("settings: cannot read %s (%s), using defaults", path, type(exc).__name__)
        return Settings()
    try:
        data = json.loads(text)
    except ValueError as exc:
        log.warning("settings: %s is not valid JSON (%s), using defaults", path, exc)
        return Settings()
    if not isinstance(data, dict):
        log.warning("settings: %s does not hold a JSON object, using defaults", path)
        return Settings()
    return settings_from_dict(data)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically: a crash mid-write leaves the old file, never half a file."""
    path = settings_path() if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dataclasses.asdict(settings), indent=2, ensure_ascii=False) + "\n"
    # The temporary file must be in the same directory for os.replace to be an atomic rename.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as tmp:
            tmp.write(text)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
