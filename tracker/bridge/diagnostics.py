"""The text behind "Copy diagnostics": enough to answer a support question, and never the key.

It says what ``tracker doctor`` says (the same :func:`tracker.services.health.health`), plus
the versions, the sync worker's latest status and the end of the log. Every line passes
through :func:`tracker.api.redaction.redact` after the ``CLOCKIFY_API_KEY`` value, if any, has
been registered: a key can reach a log line or an error message, and people paste this text
into public issue trackers.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import PySide6
from PySide6.QtCore import qVersion

from tracker import __version__
from tracker.api.redaction import redact, register_secret
from tracker.bridge.logs import log_file, recent_lines
from tracker.bridge.status import SyncStatus
from tracker.integrations.secrets import ENV_VAR
from tracker.services.context import Context, system_clock
from tracker.services.health import health
from tracker.store import Store

__all__ = ["LOG_LINES", "collect"]

LOG_LINES = 50
"""How much of the log's end the report carries."""


def collect(
    store: Store,
    *,
    secrets_backend: str | None,
    status: SyncStatus | None,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = system_clock,
    log_lines: int = LOG_LINES,
) -> str:
    """The diagnostics report as plain text, every line redacted.

    Args:
        store: the app's store (read only).
        secrets_backend: where the key is kept (``SecretStore.backend_name()``), or ``None``
            when there is no safe store (then the report says local-only).
        status: the sync worker's latest status, if it sent one.
        environ: where ``CLOCKIFY_API_KEY`` may be set (the process environment by default).
    """
    env = os.environ if environ is None else environ
    if env_key := env.get(ENV_VAR, "").strip():
        register_secret(env_key)
    context = Context(store, clock)
    found = health(context, store.path, secrets_backend or "none (no safe key store here)")
    schema = store.conn.execute("PRAGMA user_version").fetchone()[0]
    lines = [
        f"tracker {__version__} diagnostics, {clock().astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
        "",
        f"Version      tracker {__version__}",
        f"Python       {platform.python_version()} ({sys.implementation.name})",
        f"Qt           {qVersion()}, PySide6 {PySide6.__version__}",
        f"Platform     {platform.platform()}",
        f"Schema       {schema}",
        f"Mode         {'connected' if found.account else 'local only'}",
        f"Env key      {ENV_VAR} {'is set' if env_key else 'is not set'}",
        *found.lines(),
        f"Workspace id {found.workspace_id}",
        *_status_lines(status),
        f"Log file     {log_file() or 'not set up'}",
        "",
        f"--- last {log_lines} log lines ---",
        *recent_lines(log_lines),
    ]
    return "\n".join(redact(line) for line in lines) + "\n"


def _status_lines(status: SyncStatus | None) -> list[str]:
    if status is None:
        return ["Sync         no status from the sync worker yet"]
    lines = [f"Sync         {status.state.value}, {status.pending} pending, {status.parked} parked"]
    if status.message:
        lines.append(f"Sync says    {status.message}")
    if status.last_sync is not None:
        lines.append(f"Last round   {status.last_sync.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC")
    if status.next_sync is not None:
        lines.append(f"Next round   {status.next_sync.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC")
    return lines
