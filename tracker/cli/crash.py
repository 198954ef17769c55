"""When the command line meets a bug: one line for the person, the details in a private file.

Anything but the refusals the verbs raise on purpose is a bug in tracker, not a mistake of
the person's, so it gets its own exit code (:data:`EXIT_INTERNAL`, sysexits' EX_SOFTWARE)
that scripts can tell apart from a refusal. The traceback goes to a crash report in the log
folder, readable by the owner only and with the API key masked; it is printed only when
``TRACKER_DEBUG=1`` asks for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from tracker import __version__
from tracker.integrations.paths import log_dir

__all__ = ["DEBUG_VAR", "EXIT_INTERNAL", "internal_error"]

EXIT_INTERNAL = 70
DEBUG_VAR = "TRACKER_DEBUG"
KEEP_REPORTS = 20
"""Crash reports kept; older ones are removed, so a failing script cannot fill the disk."""


def internal_error(exc: BaseException, argv: Sequence[str]) -> int:
    """Write a crash report, say where it is on stderr, and return :data:`EXIT_INTERNAL`."""
    details = _details(exc, argv)
    try:
        where = f"details are in {_write(details)}"
    except OSError as error:
        where = (
            f"the details could not be saved ({error.strerror or error}); "
            f"run again with {DEBUG_VAR}=1 to see them"
        )
    print(
        f"tracker: internal error, a bug in tracker and not in what you typed "
        f"({type(exc).__name__}); {where}.",
        file=sys.stderr,
    )
    if os.environ.get(DEBUG_VAR, "").strip() not in ("", "0"):
        print(details, file=sys.stderr)
    return EXIT_INTERNAL


def _details(exc: BaseException, argv: Sequence[str]) -> str:
    # Imported here: every call would pay for them, and only a crash needs them.
    import platform  # noqa: PLC0415
    import traceback  # noqa: PLC0415

    from tracker.api.redaction import redact, register_secret  # noqa: PLC0415

    if env_key := os.environ.get("CLOCKIFY_API_KEY", "").strip():
        register_secret(env_key)
    words = " ".join(repr(word[:200]) for word in argv)
    text = "".join(
        [
            f"tracker {__version__} internal error at {datetime.now(UTC).isoformat()}\n",
            f"python {platform.python_version()} on {platform.platform()}\n",
            f"command: tracker {words}\n\n",
            *traceback.format_exception(exc),
        ]
    )
    return redact(text)


def _write(details: str) -> Path:
    folder = log_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"crash-{stamp}-{os.getpid()}.txt"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if hasattr(os, "fchmod"):  # not on Windows, where the profile folder is private anyway
        os.fchmod(descriptor, 0o600)  # a file left from a crash in the same second
    with os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace") as file:
        file.write(details)
    for old in sorted(folder.glob("crash-*.txt"))[:-KEEP_REPORTS]:
        old.unlink(missing_ok=True)
    return path
