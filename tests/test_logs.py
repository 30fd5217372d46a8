"""Logging: the file lands in the data dir, handlers don't pile up, and keys never reach output."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest

from sfdesk.logs import RedactingFilter, setup_logging, teardown_logging
from sfdesk.secrets import register_secret

KEY = "sk-live0123456789abcdefghijklmnopqrstuv"
log = logging.getLogger("sfdesk.test")


@pytest.fixture(autouse=True)
def _restore_logging(isolated_data_dir: Path) -> Iterator[Path]:
    root = logging.getLogger()
    level = root.level
    yield isolated_data_dir
    teardown_logging()
    root.setLevel(level)


def _owned() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, "_sfdesk_owned", False)]


def _read(path: Path) -> str:
    teardown_logging()  # closes, so everything is flushed to disk
    return path.read_text(encoding="utf-8")


def test_default_file_is_in_the_data_dir(isolated_data_dir: Path) -> None:
    path = setup_logging()
    assert path == isolated_data_dir / "logs" / "sfdesk.log"
    log.info("hello 你好")
    assert "hello 你好" in _read(path)


def test_setup_is_idempotent(tmp_path: Path) -> None:
    setup_logging(directory=tmp_path / "a")
    path = setup_logging(directory=tmp_path / "b")
    kinds = sorted(type(h).__name__ for h in _owned())
    assert kinds == ["RotatingFileHandler", "StreamHandler"]
    log.warning("once")
    assert _read(path).count("once") == 1
    assert "once" not in (tmp_path / "a" / "sfdesk.log").read_text(encoding="utf-8")


def test_file_rotates_at_about_a_megabyte(tmp_path: Path) -> None:
    setup_logging(directory=tmp_path)
    (handler,) = [h for h in _owned() if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert 500_000 <= handler.maxBytes <= 2_000_000
    assert handler.backupCount >= 2
    assert handler.encoding == "utf-8"


def test_key_in_message_args_and_traceback_never_reaches_the_file(tmp_path: Path) -> None:
    path = setup_logging(directory=tmp_path)
    log.info("using key %s for %s", KEY, "api.siliconflow.cn")
    log.info(f"inline key {KEY}")
    log.info("headers: %r", {"Authorization": f"Bearer {KEY}"})
    try:
        raise ValueError(f"server rejected {KEY}")
    except ValueError:
        log.exception("request failed")
    log.error("stack of %s", KEY, stack_info=True)

    text = _read(path)
    assert KEY not in text
    assert KEY[3:20] not in text  # not even a fragment after the prefix
    assert "sk-…redacted" in text and "Bearer [redacted]" in text
    # Scrubbing must keep the rest of the record useful.
    assert "api.siliconflow.cn" in text
    assert "Traceback (most recent call last)" in text and "ValueError: server rejected" in text


def test_key_on_stderr_is_redacted_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(directory=tmp_path)
    log.info("quiet on the console")
    log.warning("bad key %s", KEY)
    err = capsys.readouterr().err
    assert KEY not in err
    assert "bad key sk-…redacted" in err
    assert "quiet on the console" not in err  # stderr only carries warnings and worse


def test_registered_key_without_sk_prefix_is_redacted(tmp_path: Path) -> None:
    token = "opaque-token-for-a-custom-server-42"
    register_secret(token)
    path = setup_logging(directory=tmp_path)
    log.warning("token=%s", token)
    assert token not in _read(path)


def test_filter_survives_an_unformattable_record() -> None:
    # A filter that raised would propagate into the code that called log.info().
    # (Tested on the filter itself: pytest's own capture handler re-raises such errors.)
    record = logging.LogRecord(
        "sfdesk.test", logging.INFO, __file__, 1, "two placeholders %s %s", (KEY,), None
    )
    assert RedactingFilter().filter(record) is True
    assert "two placeholders" in record.getMessage()
    assert KEY not in record.getMessage()


def test_noisy_libraries_are_quieted(tmp_path: Path) -> None:
    setup_logging(level=logging.DEBUG, directory=tmp_path)
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("sfdesk").getEffectiveLevel() == logging.DEBUG
