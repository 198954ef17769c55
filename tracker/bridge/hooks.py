"""The app's hook runner: follows the event journal and runs the person's hooks on it.

It runs on a thread of its own with its own store connection, never on the GUI thread: a
hook may take seconds (up to its timeout), and the clicks go on meanwhile. It follows the
journal by id, so events from the tray, a hotkey, a reminder's button or a CLI call in a
terminal are all seen once, in order; it looks for new ones only when the store changed
(``PRAGMA data_version``, a few times a second), and starts from the journal's end (events
from before the app started are not run). Each run is logged with its exit code and output.
The hooks file is read again whenever it changes.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from tracker.integrations import hooks as hooks_file
from tracker.integrations.hooks import Hook, HookError
from tracker.services.context import Context
from tracker.services.events import event_json
from tracker.store import Event, Store

__all__ = ["POLL", "HookRunner"]

log = logging.getLogger("tracker.hooks")

POLL = 0.25
"""Seconds between two looks at the store for new events."""


class HookRunner:
    """Runs the hooks of :mod:`tracker.integrations.hooks` for each new journal event.

    Args:
        store_path: the store (the runner opens its own connection on its thread).
        hooks_path: the hooks file (default: :func:`~tracker.integrations.hooks.hooks_path`).
        ran: called on the runner's thread after each run (tests wait on it).
    """

    def __init__(
        self,
        store_path: Path,
        hooks_path: Path | None = None,
        ran: Callable[[Event, Hook, hooks_file.Outcome], None] | None = None,
    ) -> None:
        self.store_path = store_path
        self.hooks_path = hooks_path or hooks_file.hooks_path()
        self._ran = ran
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._running: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._hooks: list[Hook] = []
        self._stamp: tuple[float, int] | None = None

    @property
    def alive(self) -> bool:
        """Whether the runner's thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start following the journal from its current end (once)."""
        if self._thread is not None:
            return
        store = Store(self.store_path)  # opened here, so a store error shows at once
        since = store.events.last_id()
        store.close()
        self._thread = threading.Thread(
            target=self._main, args=(since,), name="hook-runner", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop following, killing a hook that still runs, and wait for the thread."""
        self._stop.set()
        with self._lock:
            if self._running is not None:
                log.info("the app is quitting: the running hook is killed")
                hooks_file.kill(self._running)
        if self._thread is not None:
            self._thread.join(timeout)

    # --- the runner's thread ------------------------------------------------------------------

    def _main(self, since: int) -> None:
        try:
            with Store(self.store_path) as store:
                self._follow(store, since)
        except Exception:  # the runner must never take the app down with it
            log.exception("the hook runner stopped")

    def _follow(self, store: Store, since: int) -> None:
        context = Context(store)
        version = None
        while not self._stop.wait(POLL):
            now = int(store.conn.execute("PRAGMA data_version").fetchone()[0])
            if now == version:
                continue
            version = now
            for event in store.events.all_after(since):
                since = event.id
                if self._stop.is_set():
                    return
                self._on_event(context, event)

    def _on_event(self, context: Context, event: Event) -> None:
        hooks = [hook for hook in self._current_hooks() if hook.matches(event.kind)]
        if not hooks:
            return
        payload = json.dumps(event_json(context, event), ensure_ascii=False)
        environ = {"TRACKER_EVENT": event.kind, "TRACKER_EVENT_ID": str(event.id)}
        for hook in hooks:
            if self._stop.is_set():
                return
            outcome = hooks_file.run(hook, payload + "\n", environ, self._track)
            if self._stop.is_set():
                log.info("hook %r for event %d was stopped with the app", hook.text(), event.id)
            else:
                _log(event, hook, outcome)
            if self._ran is not None:
                self._ran(event, hook, outcome)

    def _track(self, process: subprocess.Popen[bytes] | None) -> None:
        with self._lock:
            self._running = process
            if process is not None and self._stop.is_set():
                hooks_file.kill(process)

    def _current_hooks(self) -> list[Hook]:
        """The hooks file's hooks, read again when it changed (its time and size)."""
        try:
            info = os.stat(self.hooks_path)
            stamp = (info.st_mtime, info.st_size)
        except OSError:
            stamp = None
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self._hooks = hooks_file.load(self.hooks_path)
            except HookError as exc:
                log.warning("%s", exc)
                self._hooks = []
        return self._hooks


def _log(event: Event, hook: Hook, outcome: hooks_file.Outcome) -> None:
    """One log line per run: which hook, for which event, how it ended, what it printed."""
    what = f"hook {hook.text()!r} for event {event.id} ({event.kind})"
    output = ""
    if outcome.out.strip():
        output += f"; output: {hooks_file.trimmed(outcome.out)!r}"
    if outcome.err.strip():
        output += f"; errors: {hooks_file.trimmed(outcome.err)!r}"
    if outcome.problem is None:
        log.info("%s exited with 0 in %.1f s%s", what, outcome.seconds, output)
    else:
        log.warning("%s %s%s", what, outcome.problem, output)
