"""What the settings need about accounts, without importing the sync layer themselves.

Connecting runs on the sync worker (:meth:`tracker.bridge.worker.SyncWorker.connect_account`,
which calls :func:`tracker.sync.connect.connect_key`), so the settings dialog never waits on
the network; it gets a :class:`Connected` back. :func:`servers_for` is the Qt-free server
choice the CLI makes too (:mod:`tracker.sync.servers`).
"""

from __future__ import annotations

from tracker.sync.connect import Connected, WorkspaceRef
from tracker.sync.servers import servers_for

__all__ = ["Connected", "WorkspaceRef", "servers_for"]
