"""Fail a test on a log record at WARNING or above that it did not declare.

A warning in the log is the product telling a person something went wrong; a test that
provokes one without saying so hides a bug (or hides that the warning is noise). The handler
sits on the root logger for one test and keeps what it sees; the ``conftest`` fixture fails
the test at teardown, naming each record and where it was logged.

A test declares a record as expected the way qutebrowser's suite does: inside
``caplog.at_level(LEVEL, logger="name")`` (or after ``caplog.set_level``) a record of at least
``LEVEL`` from that logger or one below it is expected. Only a level changed since the test
began counts, so the root logger's default (WARNING) or a level the product set earlier never
silences the check; declare on the logger by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

__all__ = ["LogFailHandler"]


class LogFailHandler(logging.Handler):
    """Keeps the unexpected records at ``min_level`` or above, for the test to fail on.

    Args:
        capture: gives the test's current ``caplog`` handler (pytest makes one per phase),
            whose level ``caplog.at_level`` sets.
        min_level: the lowest level that counts as a surprise.
    """

    def __init__(
        self, capture: Callable[[], logging.Handler | None], min_level: int = logging.WARNING
    ) -> None:
        super().__init__(logging.NOTSET)
        self._capture = capture
        self._min_level = min_level
        self.unexpected: list[logging.LogRecord] = []
        manager = logging.Logger.manager
        self._levels_before = {
            name: logger.level
            for name, logger in manager.loggerDict.items()
            if isinstance(logger, logging.Logger)
        }
        self._levels_before["root"] = logging.getLogger().level

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < self._min_level or self._declared(record):
            return
        self.unexpected.append(record)

    def _declared(self, record: logging.LogRecord) -> bool:
        """Whether the test is inside ``caplog.at_level`` for this record's logger."""
        capture = self._capture()
        declared = capture.level if capture is not None else logging.NOTSET
        if declared == logging.NOTSET or declared > record.levelno:
            return False
        # at_level sets the same level on the caplog handler and on the named logger.
        logger: logging.Logger | None = logging.getLogger(record.name)
        while logger is not None:
            before = self._levels_before.get(logger.name, logging.NOTSET)
            if logger.level == declared != before:
                return True
            logger = logger.parent
        return False

    def report(self) -> str:
        """One line per unexpected record: level, logger, message and where it came from."""
        lines = [
            f"{record.levelname} on logger {record.name!r}: {record.getMessage()} "
            f"({record.pathname}:{record.lineno})"
            for record in self.unexpected
        ]
        return (
            "unexpected log records at WARNING or above (declare an expected one with "
            "caplog.at_level(LEVEL, logger=NAME)):\n  " + "\n  ".join(lines)
        )
