"""A bound on the source lines Python keeps in memory, which PySide6 would fill.

PySide6 checks every module imported after it for ``__feature__`` switches by reading the
module's whole source with :func:`inspect.getsource` (PYSIDE-2029), and :mod:`linecache`
keeps every file read that way for the life of the process: about 14 MiB of text for the
connected app's ~640 modules, more than its network stack costs. The app needs none of it (a
traceback reads the lines it shows again), so the cache keeps only the files read last. A
bundled build has no sources to read and is unaffected.
"""

from __future__ import annotations

import linecache
from collections import OrderedDict
from typing import Any

__all__ = ["KEPT_FILES", "bound_source_lines"]

KEPT_FILES = 32
"""Files whose lines stay cached: enough for the frames of any traceback being written."""


class _RecentFiles(OrderedDict[str, Any]):
    """linecache's table, forgetting the files read longest ago beyond :data:`KEPT_FILES`."""

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > KEPT_FILES:
            self.popitem(last=False)


def bound_source_lines() -> None:
    """Keep at most :data:`KEPT_FILES` files in :mod:`linecache` from now on (idempotent)."""
    if not isinstance(linecache.cache, _RecentFiles):
        linecache.cache = _RecentFiles(linecache.cache)
