"""Application logging: a rotating UTF-8 file plus warnings on stderr, with secrets scrubbed.

This module owns the log handlers sfdesk installs on the root logger (so asyncio's "exception was
never retrieved" and library warnings land in the file too). Every record passes through
:class:`RedactingFilter` before it is written, so an API key cannot reach the file or the console,
not even inside a traceback or an exception message.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from sfdesk.paths import log_dir
from sfdesk.secrets import redact

LOG_FILENAME = "sfdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# Chatty at INFO/DEBUG (one line per request or chunk) and not what a user's bug report needs.
NOISY_LOGGERS = (
    "httpx",
    "httpcore",
    "hpack",
    "PIL",
    "multipart",
    "python_multipart",
    "uvicorn.access",
)

# Marks handlers we installed, so a second setup replaces them instead of adding duplicates.
_OWNED = "_sfdesk_owned"


class RedactingFilter(logging.Filter):
    """Rewrites each record so its message, arguments and traceback text carry no secrets.

    The message is formatted here (args merged in) and then redacted, because a key passed as an
    argument only becomes visible once formatted. The exception text is rendered and redacted
    too; formatters reuse ``exc_text`` when it is set, so the raw traceback is never printed.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(_message_of(record))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _message_of(record: logging.LogRecord) -> str:
    # A filter that raises would propagate into the caller's log call, so never let it.
    try:
        return record.getMessage()
    except Exception:
        return f"{record.msg!s} (unformattable args: {record.args!r})"


def _owned_handlers(logger: logging.Logger) -> list[logging.Handler]:
    return [h for h in logger.handlers if getattr(h, _OWNED, False)]


def _own(handler: logging.Handler, level: int) -> logging.Handler:
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    setattr(handler, _OWNED, True)
    return handler


def teardown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed (flushing the file)."""
    root = logging.getLogger()
    for handler in _owned_handlers(root):
        root.removeHandler(handler)
        handler.close()


def setup_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Log to ``<directory or log_dir()>/sfdesk.log`` and warnings to stderr; returns the file.

    Calling it again replaces the earlier handlers (e.g. to change level or folder).
    """
    directory = log_dir() if directory is None else directory
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILENAME

    teardown_logging()
    root = logging.getLogger()
    root.setLevel(level)
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    root.addHandler(_own(file_handler, level))
    # A windowed app (pythonw, a frozen bundle on Windows) has no stderr at all.
    if sys.stderr is not None:
        root.addHandler(_own(logging.StreamHandler(sys.stderr), logging.WARNING))

    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return path
