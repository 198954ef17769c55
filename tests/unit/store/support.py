"""Helpers for the store tests: entries at fixed instants, and child processes on one file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tracker.domain.model import Entry

REPO = Path(__file__).resolve().parents[3]
WS = "ws1"
T0 = datetime(2024, 3, 10, 9, 0, tzinfo=UTC)

Spawn = Callable[..., subprocess.Popen[str]]
"""The ``spawn`` fixture: starts ``python -c CODE ARGS...`` children."""


def entry(
    entry_id: str, start_minutes: float = 0, minutes: float | None = 30, **fields: Any
) -> Entry:
    """An entry in :data:`WS` starting ``start_minutes`` after :data:`T0` (running if
    ``minutes`` is ``None``)."""
    start = T0 + timedelta(minutes=start_minutes)
    end = None if minutes is None else start + timedelta(minutes=minutes)
    fields.setdefault("workspace_id", WS)
    return Entry(entry_id, start=start, end=end, **fields)


def python(code: str, *args: str) -> subprocess.Popen[str]:
    """Start ``python -c code args...`` in the repository, with pipes on all three streams."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_together(children: list[subprocess.Popen[str]]) -> None:
    """Wait until every child printed ``ready`` (imports done, store open), then release all."""
    for child in children:
        assert child.stdout is not None
        line = child.stdout.readline()
        if line.strip() != "ready":
            _, err = child.communicate(timeout=30)
            raise AssertionError(f"child failed to start: {line!r}\n{err}")
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()


def damage_pages(path: Path) -> None:
    """Overwrite the header of every page after the first, as a failing disk might: SQLite
    then finds every table and index but the schema damaged as soon as it reads them."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the main file
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    for page in range(page_size, len(data), page_size):
        data[page : page + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
