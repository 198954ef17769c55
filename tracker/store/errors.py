"""What can go wrong with the store file, in words a person can act on.

SQLite failures are sorted by their result code (``sqlite_errorcode``; the low byte is the
primary code of an extended one), never by message text, which differs between SQLite
versions. Every message names the file and says what to do next.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = [
    "StoreBusyError",
    "StoreDamagedError",
    "StoreError",
    "StoreFullError",
    "classify",
    "damaged",
    "way_out",
]


class StoreError(Exception):
    """The store cannot do what was asked; the message says what the person can do."""


class StoreFullError(StoreError):
    """The disk is full: nothing was written, and nothing already stored is lost."""


class StoreBusyError(StoreError):
    """Another process holds the store longer than the busy timeout."""


class StoreDamagedError(StoreError):
    """The file, or a row in it, cannot be read as a tracker store: it is not ours, or it
    is damaged. Nothing was written to it."""


def way_out(path: Path | str) -> str:
    """What a person can do about a damaged store at ``path``."""
    return (
        f"Move {path} (with its -wal and -shm files, if any) aside and start again: entries "
        "Clockify already has come back with `tracker sync`. Or restore a backup of it."
    )


def damaged(path: Path | str, what: str) -> StoreDamagedError:
    """A damaged-store error: ``what`` is wrong, then the way out."""
    return StoreDamagedError(f"The store {path} is damaged: {what}. {way_out(path)}")


def classify(exc: sqlite3.Error, path: Path | str | None) -> StoreError:
    """Turn a SQLite failure into something a person can act on."""
    where = f" {path}" if path else ""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    detail = str(exc)
    if primary == sqlite3.SQLITE_FULL:
        return StoreFullError(
            f"The disk is full (store{where}): the change was not saved. Free some space and "
            "try again; everything saved before is intact."
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError(
            f"The store{where} is busy in another tracker process; try again in a moment."
        )
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreDamagedError(
            f"The store file{where} is damaged or not a tracker store ({detail}); nothing was "
            f"changed. {way_out(path or 'the store file')}"
        )
    if primary == sqlite3.SQLITE_READONLY:
        return StoreError(
            f"The store{where} is read-only ({detail}): check that you own it and may write "
            "to it and its folder, then try again."
        )
    if primary in (sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return StoreError(
            f"The store{where} cannot be opened ({detail}): check that its folder exists and "
            "that you may read and write both."
        )
    if primary == sqlite3.SQLITE_IOERR:
        return StoreError(
            f"The store{where} could not be read or written ({detail}): the disk or its "
            "connection may be failing. Check it and try again; if this repeats, run "
            "`tracker doctor`."
        )
    return StoreError(f"The store{where} failed ({detail}); if this repeats, run `tracker doctor`.")
