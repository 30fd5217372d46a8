"""Where sfdesk keeps the user's files: data, settings, logs and caches.

This module owns the on-disk locations and nothing else. Every directory is created on demand.
Setting ``SFDESK_DATA_DIR`` moves *all* of them (settings included) under one folder, so a test,
a demo or a second profile can be isolated with a single variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "sfdesk"
DATA_DIR_ENV = "SFDESK_DATA_DIR"


def _env_root() -> Path | None:
    """The folder named by ``$SFDESK_DATA_DIR``, or None when unset or blank."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    if not value:
        return None
    # Absolute, so a later chdir cannot move the user's data somewhere else mid-run.
    return Path(value).expanduser().absolute()


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """Conversations, images, audio: ``$SFDESK_DATA_DIR`` or the platform's user data dir."""
    root = _env_root()
    if root is not None:
        return _ensure(root)
    return _ensure(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def config_dir() -> Path:
    """Settings: ``$SFDESK_DATA_DIR/config`` or the platform's user config dir."""
    root = _env_root()
    if root is not None:
        return _ensure(root / "config")
    return _ensure(Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)))


def cache_dir() -> Path:
    """Disposable data (e.g. the model list): ``$SFDESK_DATA_DIR/cache`` or the platform's cache."""
    root = _env_root()
    if root is not None:
        return _ensure(root / "cache")
    return _ensure(Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)))


def log_dir() -> Path:
    """Log files: always ``data_dir()/logs`` so users find them next to their data."""
    return _ensure(data_dir() / "logs")
