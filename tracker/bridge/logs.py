"""Where the app's log goes, and how it stays free of the API key.

One rotating file in the log folder (readable by the owner only) plus warnings on stderr.
Every handler masks registered secrets in the whole formatted line, traceback included: an
exception's text can quote a URL or a header. Qt's own warnings and exceptions raised in
slots are routed into the same log, so nothing fails silently.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from tracker.api.redaction import RedactingFilter, redact, register_secret
from tracker.integrations import paths

__all__ = [
    "LOG_FILE",
    "RedactingFormatter",
    "install_excepthook",
    "install_qt_message_handler",
    "log_dir",
    "log_file",
    "recent_lines",
    "setup_logging",
    "shutdown_logging",
]

LOG_FILE = "tracker.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

log = logging.getLogger("tracker")

_installed: list[logging.Handler] = []
_current: Path | None = None

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_dir(home: Path | None = None) -> Path:
    """``home/logs``, else ``$TRACKER_HOME/logs``, else the platform's user log folder."""
    return home / "logs" if home is not None else paths.log_dir()


def log_file() -> Path | None:
    """The file :func:`setup_logging` writes to, or ``None`` before it ran."""
    return _current


class RedactingFormatter(logging.Formatter):
    """Masks secrets in the finished line, so a traceback cannot carry a key either."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file whose every generation is created readable by the owner only."""

    def _open(self) -> Any:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.chmod(self.baseFilename, 0o600)  # an older file may have been created looser
        return os.fdopen(descriptor, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(home: Path | None = None, *, level: int = logging.INFO) -> Path:
    """Log to a private rotating file in :func:`log_dir` and warnings to stderr.

    A key in ``CLOCKIFY_API_KEY`` is registered for redaction at once (a keyring key is
    registered when the API client is built with it). Calling it again replaces the handlers
    it installed before. Returns the log file.
    """
    global _current
    shutdown_logging()
    if env_key := os.environ.get("CLOCKIFY_API_KEY", "").strip():
        register_secret(env_key)  # known before any client is built with it
    folder = log_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        folder.chmod(0o700)
    except OSError:  # a shared folder we do not own: the file itself is still 0600
        log.debug("could not restrict %s", folder)
    path = folder / LOG_FILE
    file_handler = _PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    file_handler.setLevel(level)
    stderr_handler = logging.StreamHandler(sys.stderr)
    stderr_handler.setLevel(logging.WARNING)
    for handler in (file_handler, stderr_handler):
        handler.setFormatter(RedactingFormatter(FORMAT))
        handler.addFilter(RedactingFilter())
        logging.getLogger().addHandler(handler)
        _installed.append(handler)
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    for noisy in ("httpx", "httpcore", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _current = path
    install_qt_message_handler()
    return path


def shutdown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed (tests, shutdown)."""
    global _current
    root = logging.getLogger()
    while _installed:
        handler = _installed.pop()
        root.removeHandler(handler)
        handler.close()
    _current = None


def recent_lines(limit: int = 50, path: Path | None = None) -> list[str]:
    """The last ``limit`` lines of the log, redacted again (the file may predate a secret)."""
    path = path or _current
    if path is None or not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace") as lines:
        tail = deque(lines, maxlen=limit)
    return [redact(line.rstrip("\n")) for line in tail]


def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.file}:{context.line})" if context.file else ""
    logging.getLogger("qt").log(_QT_LEVELS.get(mode, logging.WARNING), "%s%s", message, where)


def install_qt_message_handler() -> None:
    """Send Qt's warnings (bad connections, missing plugins) into the log."""
    qInstallMessageHandler(_qt_message)


def _log_uncaught(
    kind: type[BaseException], value: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, trace)
        return
    log.error("uncaught exception", exc_info=(kind, value, trace))


def _log_thread_uncaught(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    where = args.thread.name if args.thread is not None else "a thread"
    log.error(
        "uncaught exception in %s",
        where,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )


def install_excepthook() -> None:
    """Log (redacted) any exception nobody caught, on the GUI thread or another thread.

    PySide6 hands an exception raised in a slot to :data:`sys.excepthook` and carries on, so
    with this hook such an error lands in the log instead of vanishing into a closed terminal.
    """
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_uncaught
