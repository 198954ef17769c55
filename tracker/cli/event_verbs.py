"""``tracker events``: the journal of local changes, once or followed as it grows.

Following reads nothing from Clockify: it asks the store whether anyone committed since the
last look (``PRAGMA data_version``, no file read), a few times a second, and reads the new
events by id only then. Ctrl+C ends it (exit 0: that is how following is stopped); a reader
that leaves the pipe ends it too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tracker.cli.runtime import Runtime
from tracker.cli.safe_output import one_line
from tracker.services.events import event_json
from tracker.store import Event

__all__ = ["FOLLOW_POLL", "cmd_events", "event_line"]

FOLLOW_POLL = 0.25
"""Seconds between two looks at the store while following."""


def cmd_events(rt: Runtime) -> int:
    """Print the journal after ``--since`` (all of it; with ``--follow``, only new events),
    then, with ``--follow``, each new event as it is committed, until Ctrl+C."""
    store = rt.store
    since: int | None = rt.args.since
    try:
        if since is None:
            since = store.events.last_id() if rt.args.follow else 0
        since = _print(rt, store.events.all_after(since), since)
        if not rt.args.follow:
            return 0
        version = _data_version(rt)
        while True:
            time.sleep(FOLLOW_POLL)
            now = _data_version(rt)
            if now != version:
                version = now
                since = _print(rt, store.events.all_after(since), since)
    except KeyboardInterrupt:
        return 0


def _data_version(rt: Runtime) -> int:
    """What moves whenever another connection commits to the store."""
    return int(rt.store.conn.execute("PRAGMA data_version").fetchone()[0])


def _print(rt: Runtime, events: Iterable[Event], since: int) -> int:
    """Print ``events`` (a line each, flushed), returning the newest id printed."""
    out = rt.out
    for event in events:
        shown = event_json(rt.context, event)
        if rt.as_json:
            out.write(json.dumps(shown, ensure_ascii=False) + "\n")
        else:
            out.write(event_line(rt, event, shown) + "\n")
        out.flush()
        since = event.id
    return since


def event_line(rt: Runtime, event: Event, shown: dict[str, Any]) -> str:
    """One event for a person: its id, local time, kind, and what it was about."""
    at = datetime.fromisoformat(shown["at"]).astimezone(rt.zone())
    entry = shown.get("entry")
    if isinstance(entry, dict):
        about = entry.get("description") or "(no description)"
        if entry.get("project"):
            about += f"  ({entry['project']})"
    else:
        about = "  ".join(f"{k}: {v}" for k, v in shown.items() if k not in ("id", "kind", "at"))
    return f"{event.id:>6}  {at:%Y-%m-%d %H:%M:%S}  {event.kind:<16} {one_line(about)}"
