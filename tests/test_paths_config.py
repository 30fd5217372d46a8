"""Data locations and settings: env overrides, forgiving loads, field validation, atomic saves."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path
from typing import Any

import platformdirs
import pytest

from sfdesk import paths
from sfdesk.config import (
    SITES,
    Settings,
    base_url_from_env,
    host_of,
    load_settings,
    save_settings,
    site_label,
)


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- paths ----------------------------------------------------------------------------------


def test_one_variable_moves_every_directory_and_creates_it(isolated_data_dir: Path) -> None:
    assert not isolated_data_dir.exists()
    assert paths.data_dir() == isolated_data_dir
    assert paths.config_dir() == isolated_data_dir / "config"
    assert paths.log_dir() == isolated_data_dir / "logs"
    assert paths.cache_dir() == isolated_data_dir / "cache"
    for directory in ("config", "logs", "cache"):
        assert (isolated_data_dir / directory).is_dir()


def test_without_the_variable_platformdirs_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SFDESK_DATA_DIR")
    calls: list[tuple[str, str, object]] = []

    def fake(kind: str) -> Any:
        def locate(appname: str, appauthor: object = None) -> str:
            calls.append((kind, appname, appauthor))
            return str(tmp_path / kind)

        return locate

    for kind in ("user_data_dir", "user_config_dir", "user_cache_dir"):
        monkeypatch.setattr(platformdirs, kind, fake(kind))

    assert paths.data_dir() == tmp_path / "user_data_dir"
    assert paths.config_dir() == tmp_path / "user_config_dir"
    assert paths.cache_dir() == tmp_path / "user_cache_dir"
    assert paths.log_dir() == tmp_path / "user_data_dir" / "logs"
    # appauthor=False: no "sfdesk/sfdesk" nesting on Windows.
    assert {(name, author) for _, name, author in calls} == {("sfdesk", False)}


def test_blank_data_dir_variable_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SFDESK_DATA_DIR", "   ")
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "p"))
    assert paths.data_dir() == tmp_path / "p"


# --- base URL -------------------------------------------------------------------------------


def test_base_url_follows_the_site() -> None:
    assert Settings().base_url == SITES["cn"] == "https://api.siliconflow.cn/v1"
    assert Settings(site="com").base_url == "https://api.siliconflow.com/v1"
    custom = Settings(site="custom", custom_base_url="http://127.0.0.1:8123/v1")
    assert custom.base_url == "http://127.0.0.1:8123/v1"
    assert not base_url_from_env()


def test_custom_site_without_url_falls_back_to_default_site() -> None:
    assert Settings(site="custom", custom_base_url="").base_url == SITES["cn"]


def test_env_base_url_beats_every_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SFDESK_BASE_URL", "  http://localhost:9000/v1/ ")
    assert base_url_from_env()
    for settings in (
        Settings(),
        Settings(site="com"),
        Settings(site="custom", custom_base_url="https://other.example/v1"),
    ):
        assert settings.base_url == "http://localhost:9000/v1"


def test_blank_env_base_url_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SFDESK_BASE_URL", "  ")
    assert not base_url_from_env()
    assert Settings(site="com").base_url == SITES["com"]


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://api.siliconflow.cn/v1", "siliconflow.cn"),
        ("https://api.siliconflow.com/v1/", "siliconflow.com"),
        ("https://API.SiliconFlow.CN/v1", "siliconflow.cn"),
        ("http://127.0.0.1:8123/v1", "127.0.0.1:8123"),
        ("https://llm.example.org/openai/v1", "llm.example.org"),
        ("https://llm.example.org:443/v1", "llm.example.org"),
        ("http://[::1]:8000/v1", "[::1]:8000"),
        # Look-alike domains are *not* SiliconFlow.
        ("https://siliconflow.cn.evil.example/v1", "siliconflow.cn.evil.example"),
        ("https://notsiliconflow.com/v1", "notsiliconflow.com"),
    ],
)
def test_site_label(url: str, label: str) -> None:
    assert site_label(url) == label


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://user:pw@Example.COM:8443/v1", "example.com:8443"),
        ("http://example.com:80/v1", "example.com"),
        ("example.com/v1", "example.com"),
        ("", ""),
        ("https://example.com:notaport/v1", ""),
    ],
)
def test_host_of(url: str, host: str) -> None:
    assert host_of(url) == host


# --- load -----------------------------------------------------------------------------------


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.json") == Settings()


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[1, 2]", b'"a string"', b"\xff\xfe\x00garbage", b"null"],
    ids=["broken", "empty", "list", "string", "not-utf8", "null"],
)
def test_corrupt_file_gives_defaults_and_a_warning(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="sfdesk.config"):
        assert load_settings(path) == Settings()
    assert any(r.levelno == logging.WARNING for r in caplog.records)


def test_unreadable_path_gives_defaults(tmp_path: Path) -> None:
    directory = tmp_path / "settings.json"
    directory.mkdir()  # reading a directory raises IsADirectoryError / PermissionError
    assert load_settings(directory) == Settings()


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("site", "mars"),
        ("site", 1),
        ("language", "fr"),
        ("theme", "blue"),
        ("theme", None),
        ("read_timeout", "60"),
        ("read_timeout", -5),
        ("read_timeout", True),
        ("connect_timeout", 0),
        ("stream_idle_timeout", [300]),
        ("max_retries", 2.5),
        ("max_retries", True),
        ("max_retries", -1),
        ("max_retries", 10_000),
        ("onboarded", 1),
        ("onboarded", "yes"),
        ("custom_base_url", 42),
        ("custom_base_url", "ftp://files.example/v1"),
        ("custom_base_url", "not a url"),
    ],
)
def test_bad_value_resets_only_its_own_field(tmp_path: Path, name: str, bad: Any) -> None:
    good = {
        "site": "com",
        "custom_base_url": "https://x.example/v1",
        "language": "zh_CN",
        "theme": "dark",
        "connect_timeout": 3.0,
        "read_timeout": 30.0,
        "stream_idle_timeout": 100.0,
        "long_timeout": 900.0,
        "max_retries": 4,
        "onboarded": True,
    }
    path = _write(tmp_path / "settings.json", {**good, name: bad})
    loaded = dataclasses.asdict(load_settings(path))
    default = getattr(Settings(), name)
    assert loaded == {**good, name: default}


def test_non_finite_float_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"read_timeout": NaN, "long_timeout": Infinity}', encoding="utf-8")
    settings = load_settings(path)
    assert settings.read_timeout == 60.0
    assert settings.long_timeout == 600.0


def test_integer_is_accepted_for_a_float_field(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path / "s.json", {"read_timeout": 90}))
    assert settings.read_timeout == 90.0
    assert type(settings.read_timeout) is float


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.json", {"theme": "light", "api_key": "sk-x", "future": {"a": 1}})
    settings = load_settings(path)
    assert settings == Settings(theme="light")
    assert not hasattr(settings, "api_key")


def test_custom_base_url_is_normalised(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "s.json", {"site": "custom", "custom_base_url": "  https://x.example/v1/  "}
    )
    settings = load_settings(path)
    assert settings.custom_base_url == "https://x.example/v1"
    assert settings.base_url == "https://x.example/v1"


# --- save -----------------------------------------------------------------------------------


def test_save_then_load_round_trips_at_the_default_location(isolated_data_dir: Path) -> None:
    settings = Settings(
        site="custom",
        custom_base_url="http://127.0.0.1:8123/v1",
        language="zh_CN",
        theme="dark",
        read_timeout=12.5,
        max_retries=0,
        onboarded=True,
    )
    save_settings(settings)
    path = isolated_data_dir / "config" / "settings.json"
    assert path.is_file()
    assert load_settings() == settings
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and '\n  "site": "custom"' in text  # pretty, diffable JSON
    assert os.listdir(path.parent) == ["settings.json"]  # no temp file left behind


def test_save_never_leaves_a_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(theme="light"), path)
    before = path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save_settings(Settings(theme="dark"), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["settings.json"]


def test_settings_hold_no_secrets() -> None:
    names = {f.name for f in dataclasses.fields(Settings)}
    assert not {n for n in names if "key" in n or "token" in n or "secret" in n}
