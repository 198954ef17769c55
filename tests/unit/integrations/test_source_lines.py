"""The source-line cache stays small although PySide6 reads every imported module's source."""

from __future__ import annotations

import json
import subprocess
import sys

from tracker.integrations.source_lines import KEPT_FILES

_PROBE = """
import json, linecache, sys, traceback
if sys.argv[1] == "bound":
    from tracker.integrations.source_lines import bound_source_lines
    bound_source_lines()
import PySide6.QtCore
import asyncio, email.message, http.client, json.decoder, zipfile, tarfile, argparse, csv
import sqlite3, logging.handlers, unittest, xml.dom.minidom, difflib, pydoc, calendar
try:
    json.loads("{")
except ValueError:
    shown = "obj, end = self.scan_once(s, idx)" in traceback.format_exc()
print(json.dumps({"files": len(linecache.cache), "line_shown": shown}))
"""


def _cached_files(mode: str) -> tuple[int, bool]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, timeout=60, check=True
    )
    found = json.loads(done.stdout)
    return int(found["files"]), bool(found["line_shown"])


def test_modules_imported_after_qt_leave_at_most_the_bound_in_the_cache() -> None:
    unbounded, _ = _cached_files("plain")
    assert unbounded > KEPT_FILES  # Qt's import hook read (and linecache kept) every module
    bounded, line_shown = _cached_files("bound")
    assert bounded <= KEPT_FILES
    assert line_shown  # a traceback still shows its source lines
