"""The tray app: one process, one tray icon, one sync worker, one window of each kind.

``run`` claims the single-instance channel (a second start only asks the first to come
forward), shows the tray icon and its menu on the store alone, and hands the event loop to
Qt; the keyring, the sync worker, notifications, hotkeys, idle and reminders load once the
icon is on screen (:meth:`App.start_rest`). Windows are built on first use
(:mod:`tracker.app_windows`); this module wires them. Every named action (the channel's
messages, hotkeys, notification buttons) runs from one table, :attr:`App.actions`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from tracker import __version__
from tracker.app_windows import AppWindows
from tracker.bridge.controller import Controller
from tracker.bridge.instance import InstanceServer, claim
from tracker.bridge.logs import install_excepthook, setup_logging
from tracker.bridge.status import Notice, NoticeKind, SyncPhase, SyncStatus
from tracker.integrations.instance import UnsafeChannelError, address, send
from tracker.integrations.paths import store_path
from tracker.services.changes import Changes, Origin, from_sync
from tracker.services.tracker import Tracker
from tracker.store import Store, StoreError
from tracker.ui.appearance import apply_appearance
from tracker.ui.icons import resource_path
from tracker.ui.tray import Tray

if TYPE_CHECKING:
    from datetime import datetime

    from tracker.bridge.hooks import HookRunner
    from tracker.bridge.idle_watch import IdleWatch
    from tracker.bridge.pending_approvals import PendingApprovals
    from tracker.bridge.reminders import Reminders
    from tracker.bridge.role_watch import RoleWatch
    from tracker.bridge.worker import SyncWorker
    from tracker.domain.model import Entry
    from tracker.integrations.hotkeys import HotkeyBackend
    from tracker.integrations.power import PowerWatch
    from tracker.integrations.secrets import SecretStore
    from tracker.services.reminders import Reminder
    from tracker.sync.engine import SyncReport
    from tracker.ui.idle_prompt import IdlePrompt
    from tracker.ui.notifications import Notifier

__all__ = ["App", "run"]

log = logging.getLogger(__name__)

DESKTOP_ID = "io.github.tracker.Tracker"
"""The id of packaging/linux/*.desktop and the AppStream metainfo."""

KEY_VARIABLE = "CLOCKIFY_API_KEY"
"""The environment variable that holds the API key instead of the keyring (the secrets
module's ``ENV_VAR``, named here so start-up does not import keyring to read it)."""

TELL_WORKER_MS = 50
"""How long after a change here the worker hears of it (it then waits seconds to push)."""

POPUP_HOLD_MS = 60_000
"""While the timer popup is open its edits are saved as they are made but sent once it
closes (one request for the session, not one per pause in typing); this long at most."""

HOOKS_LOOK_MS = 30_000
"""While no hooks run, how often the app looks whether a hooks file with hooks appeared
(written by hand; Settings starts them at once)."""
REST_AFTER = 1500
"""Milliseconds the rest of the app waits at most for the tray host to dock the icon."""
REST_POLL_MS = 10
"""How often the dock is looked at meanwhile (a cheap geometry read)."""

DOCK_TIMEOUT = 10.0
"""Seconds ``--exit-when-ready`` waits for a tray host to dock the icon before giving up."""

_KEEP_ALIVE: list[object] = []
"""Objects that must live as long as the process (the signal wake-up sockets)."""

Reply = Callable[[str], None]
"""Sends the one-line answer to the process that asked (see :mod:`tracker.bridge.instance`)."""

OK = json.dumps({"ok": True})

SYNCED = from_sync(entries=True, catalog=True, account=True)
"""What a sync round that changed the store may have changed (the worker does not say)."""


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The app's own options (``tracker gui --help``)."""
    parser = argparse.ArgumentParser(prog="tracker gui", description="Start the tray app.")
    parser.add_argument(
        "--exit-when-ready",
        action="store_true",
        help="exit 0 as soon as the tray icon and the local state are shown (measures start-up)",
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    return parser.parse_args(list(argv))


class App(QObject):
    """Owns the long-lived parts and wires their signals together.

    Start-up shows the tray icon and its menu first, on the store alone; everything else (the
    keyring, the sync worker and the network stack, notifications, hotkeys, idle, reminders)
    loads once the icon is on screen (:meth:`start_rest`), or at once when something needs
    it first. In local-only mode (no account, no key) the sync worker does not start at all
    until an account or a key appears: there is nothing to send.

    Args:
        store_file: the SQLite store.
        choose_secrets: finds where the API key lives (returning ``None``: nowhere safe,
            local-only mode); asked once, after the icon shows. Default: the OS keyring.
    """

    def __init__(
        self,
        store_file: Path,
        choose_secrets: Callable[[], SecretStore | None] | None = None,
    ) -> None:
        super().__init__()
        self.store_file = store_file
        self.store = Store(store_file)
        self.controller = Controller(Tracker(self.store), self)
        self.tray = Tray(self.controller, self)
        self._choose_secrets = choose_secrets or _choose_secrets
        self._secrets: SecretStore | None = None
        self._secrets_chosen = False
        self._worker: SyncWorker | None = None
        self._notifier: Notifier | None = None
        self._rest_started = False
        self._dressed = False  # the look is applied once something shows (see dress)
        self._closed = False
        self._pending: PendingApprovals | None = None
        self._roles: RoleWatch | None = None
        self._sync_waiters: list[Callable[[str], None]] = []
        self._hotkeys: HotkeyBackend | None = None
        self._hotkey_results: dict[str, str] = {}
        self._hotkeys_taken: tuple[tuple[str, str], ...] = ()
        self._idle_watch: IdleWatch | None = None
        self._idle_prompt: IdlePrompt | None = None
        self._reminders: Reminders | None = None
        self._reminders_shown: list[str] = []
        self._hooks: HookRunner | None = None
        self._hooks_look: QTimer | None = None
        self._hooks_problem: str | None = None
        self._sync_failing = False
        """Whether the latest sync round failed: ``sync.failed`` is journalled once a streak."""
        self.windows = AppWindows(self, self)
        """Every window, built on first use."""

        self.actions: dict[str, Callable[[Reply], None]] = {
            "toggle": self._done(self.toggle),
            "show": self._done(self.windows.show_popup),
            "popup": self._done(self.windows.show_popup),
            "start": self._done(self.windows.show_popup),
            "today": self._done(self.windows.show_today),
            "reports": self._done(self.windows.show_reports),
            "week": self._done(self.windows.show_week),
            "approvals": self._done(self.windows.show_approvals),
            "timeoff": self._done(self.windows.show_time_off),
            "workspace": self._done(self.windows.show_workspace),
            "settings": self._done(self.windows.show_settings),
            "connect": self._done(self.windows.show_connect),
            "welcome": self._done(self.windows.show_welcome),
            "continue": self._done(self.continue_latest),
            "stop": self._done(self.stop),
            "refresh": self._done(self.controller.refresh),
            "sync": self._sync_then_reply,
            "probe": lambda reply: reply(json.dumps(self.probe())),
            "quit": self._quit_after_reply,
        }
        """Every action by name: the single-instance channel's messages, the global hotkeys
        and the reminders' buttons all run from here. Each takes the reply to the asking
        process (a no-op for hotkeys and buttons)."""

        self._tell_worker = QTimer(self)
        """Tells the worker about local changes once the click's own work is painted: waking
        the worker thread takes the interpreter lock from the GUI thread for a while, and
        the push waits seconds for more changes anyway."""
        self._tell_worker.setSingleShot(True)
        self._tell_worker.setInterval(TELL_WORKER_MS)
        self._tell_worker.timeout.connect(self._local_change)

        self._wire()

    def _wire(self) -> None:
        """Connect the controller's and the tray's signals to what they ask for."""
        controller = self.controller
        controller.changed.connect(self._on_changes)
        controller.sync_requested.connect(self._on_sync_requested)
        controller.noted.connect(self._on_noted)
        self.windows.popup_closed.connect(self._popup_closed)
        self.windows.settings_made.connect(self._settings_made)
        self.tray.open_popup.connect(self.windows.show_popup)
        self.tray.open_today.connect(self.windows.show_today)
        self.tray.open_reports.connect(self.windows.show_reports)
        self.tray.open_week.connect(self.windows.show_week)
        self.tray.open_approvals.connect(self.windows.show_approvals)
        self.tray.menu_opened.connect(self._menu_opened)
        self.tray.open_time_off.connect(self.windows.show_time_off)
        self.tray.open_workspace.connect(self.windows.show_workspace)
        self.tray.open_settings.connect(self.windows.show_settings)
        self.tray.open_connect.connect(self.windows.show_connect)
        self.tray.open_welcome.connect(self.windows.show_welcome)
        self.tray.quit_requested.connect(self.quit)

    # --- what loads after the icon ------------------------------------------------------------

    @property
    def secrets(self) -> SecretStore | None:
        """Where the API key lives (chosen on first use: importing keyring costs time)."""
        if not self._secrets_chosen:
            self._secrets_chosen = True
            self._secrets = self._choose_secrets()
        return self._secrets

    @property
    def worker(self) -> SyncWorker:
        """The sync worker, started on first use."""
        if self._worker is None:
            from tracker.bridge.worker import SyncWorker  # noqa: PLC0415 - after the icon

            worker = SyncWorker(self.store_file, self.secrets, parent=self)
            self._worker = worker
            worker.data_changed.connect(self._on_synced)
            worker.status_changed.connect(self._on_status)
            worker.notice.connect(self._on_notice)
            worker.round_finished.connect(self._on_round)
            worker.start()
        return self._worker

    @property
    def worker_started(self) -> bool:
        """Whether the sync worker runs (never in local-only mode, until an account comes)."""
        return self._worker is not None

    @property
    def notifier(self) -> Notifier:
        """Desktop notifications (made on first use)."""
        if self._notifier is None:
            from tracker.ui.notifications import Notifier  # noqa: PLC0415 - after the icon

            self._notifier = Notifier(self.tray, self.controller)
            self._notifier.open_today.connect(self.windows.show_today)
            self._notifier.open_settings.connect(self.windows.show_settings)
        return self._notifier

    def sync_wanted(self) -> bool:
        """Whether there is anything to sync with: an account, or a key in the environment
        to connect one. A key is put in the keyring only with an account (login, Settings),
        so local-only mode never loads the keyring (~14 MiB) just to find nothing there."""
        return self.store.meta.account() is not None or bool(
            os.environ.get(KEY_VARIABLE, "").strip()
        )

    def dress(self) -> None:
        """Apply the person's look (style, palette) once. Not before the tray icon shows: the
        icon needs none of it, and it costs Qt's style and palette types (~40 ms)."""
        if not self._dressed:
            self._dressed = True
            apply_appearance(_qapp(), self.controller.preferences().appearance)

    def start_rest(self) -> None:
        """Load what the icon did not wait for; once."""
        if self._rest_started:
            return
        self._rest_started = True
        began = time.perf_counter()
        self.controller.warm_up()
        self.dress()
        if self.sync_wanted():
            _ = self.worker
        self._start_hotkeys()
        self._start_idle()
        self._start_reminders()
        self.start_hooks()
        log.info("the rest of the app started in %.0f ms", (time.perf_counter() - began) * 1000)

    # --- life cycle ---------------------------------------------------------------------------

    def start(self, *, rest: bool = True) -> None:
        """Show the tray; the rest follows once the icon is on screen (``rest`` false: it
        loads only when something needs it, as when start-up is measured)."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            self.dress()  # the timer window stands in for the icon: it shows now
        self.tray.show()
        if rest:
            _when(self.ready, self.start_rest, REST_AFTER)

    def quit(self) -> None:
        """Leave the event loop; :meth:`close` then finishes the writes in flight.

        ``exit`` rather than ``quit``: Qt 6's ``quit`` first asks every window to close, and
        the timer window (standing in for a missing tray) refuses, as it must for the person.
        """
        _qapp().exit(0)

    def close(self) -> None:
        """Stop the worker (letting a write in flight finish) and close the store; no timer
        of the app (reminders, idle watch, tray tick) fires on the closed store after."""
        self.windows.close()
        if self._worker is not None and not self._worker.shutdown():
            log.warning("the sync worker did not stop in time; its round resumes next start")
        if self._hotkeys is not None:
            self._hotkeys.unregister_all()
        if self._hooks is not None:
            self._hooks.stop()  # a hook still running is killed
        self.tray.hide()
        for timer in self.findChildren(QTimer):
            timer.stop()
        self._closed = True  # what the worker said before it stopped may still arrive
        self.store.close()

    def ready(self) -> bool:
        """Whether the tray icon is docked (or the timer window standing in for it is shown).

        A tray icon is "visible" as soon as it is asked to be; it is on screen only once the
        tray host has docked it and given it a place.
        """
        if not self.tray.is_shown():
            return False
        return not self.tray.has_tray or not self.tray.geometry().isEmpty()

    # --- the tray menu ------------------------------------------------------------------------

    def _menu_opened(self) -> None:
        """The menu opens: learn the role when it is not known (it decides "Workspace…"),
        and count what waits for approval."""
        if self.store.meta.account() is None:
            return
        if self._roles is None:
            from tracker.bridge.role_watch import RoleWatch  # noqa: PLC0415

            self._roles = RoleWatch(self.store, self.controller.now, lambda: self.worker.channel)
        self._roles.learn_if_unknown(self._role_learnt)
        self._count_approvals()

    def _role_learnt(self) -> None:
        if not self._closed:
            self.tray.offer_again()

    def _count_approvals(self) -> None:
        """Show the kept count of periods to decide on, and ask the worker for a fresh one
        when it is due (:mod:`tracker.bridge.pending_approvals`)."""
        if self._pending is None:
            from tracker.bridge.pending_approvals import PendingApprovals  # noqa: PLC0415

            self._pending = PendingApprovals(
                self.store, self.controller.now, lambda: self.worker.channel
            )
        self.tray.set_to_approve(self._pending.count())
        self._pending.refresh_if_due(self._counted)

    def _counted(self, count: int | None) -> None:
        if not self._closed:
            self.tray.set_to_approve(count)

    # --- actions by name ---------------------------------------------------------------------

    def run_action(self, name: str, reply: Reply | None = None) -> None:
        """Run the action ``name`` (see :attr:`actions`); ``reply`` gets its answer."""
        action = self.actions.get(name)
        answer = reply or _no_reply
        if action is None:
            log.warning("unknown action %r", name)
            answer(json.dumps({"ok": False, "error": f"unknown message {name!r}"}))
            return
        action(answer)

    def on_message(self, message: str, reply: Reply) -> None:
        """A line from another ``tracker`` process (see :mod:`tracker.bridge.instance`)."""
        self.run_action(message.strip(), reply)

    def toggle(self) -> None:
        """Stop the running timer, else continue the latest entry."""
        from tracker.services.requests import Toggle  # noqa: PLC0415 - see start_rest

        self.controller.act(Toggle())

    def continue_latest(self) -> None:
        """Start again what the latest entry was about."""
        from tracker.services.requests import Continue  # noqa: PLC0415 - see start_rest

        self.controller.act(Continue(1))

    def stop(self) -> None:
        """Stop the running timer, if one runs."""
        from tracker.services.requests import Stop  # noqa: PLC0415 - see start_rest

        if self.controller.running() is not None:
            self.controller.act(Stop())

    def _done(self, action: Callable[[], object]) -> Callable[[Reply], None]:
        """``action`` as a table entry that answers ``ok`` once it ran."""

        def run(reply: Reply) -> None:
            action()
            reply(OK)

        return run

    def _sync_then_reply(self, reply: Reply) -> None:
        self._sync_waiters.append(reply)
        self.worker.request_sync(True)

    def _quit_after_reply(self, reply: Reply) -> None:
        reply(OK)
        self.quit()

    def probe(self) -> dict[str, object]:
        """What is on screen, for desktop tests and diagnostics: no data beyond the state."""
        rect = self.tray.geometry()
        running = self.controller.running()
        return {
            "tray": [rect.x(), rect.y(), rect.width(), rect.height()],
            "has_tray": self.tray.has_tray,
            "menu": self.tray.menu().isVisible(),
            **self.windows.probe(),
            "account": self.tray.account_view().state.value,
            "confirmation": self.tray.confirmation(),
            "menu_items": [
                a.objectName()
                for a in self.tray.menu().actions()
                if a.isVisible() and a.objectName()
            ],
            "running": running is not None,
            "sync": (self._worker.status.state if self._worker else SyncPhase.LOCAL).value,
            "icon": self.tray.icon_kind(),
            "hotkeys": dict(self._hotkey_results),
            "idle": self._idle_watch.backend.name if self._idle_watch is not None else None,
            "idle_prompt": self._idle_prompt is not None and self._idle_prompt.isVisible(),
            **self._reminders_probe(),
        }

    # --- global hotkeys -----------------------------------------------------------------------

    def _start_hotkeys(self) -> None:
        """Take the keys in the preferences, and take them again whenever they change."""
        self.controller.changed.connect(self._hotkeys_follow_preferences)
        self._register_hotkeys()

    def _hotkey_backend(self) -> HotkeyBackend:
        """The backend, made when first needed: a key to take, or the settings asking why
        none can be. None are bound by default, and X11's opens a connection of its own to
        the X server (about 0.5 MiB) that a person without hotkeys never needs."""
        if self._hotkeys is None:
            from tracker.integrations.hotkeys.choose import choose_backend  # noqa: PLC0415

            self._hotkeys = choose_backend(self._on_hotkey)
            log.info("hotkeys: %s", self._hotkeys.name)
        return self._hotkeys

    def _hotkeys_follow_preferences(self, changes: Changes) -> None:
        """Take the keys again when the chosen ones changed (not on every saved setting, nor
        on every CLI call: grabbing keys talks to the display server)."""
        if changes.preferences and self.controller.preferences().hotkeys != self._hotkeys_taken:
            self._register_hotkeys()

    def _register_hotkeys(self) -> None:
        chosen = self.controller.preferences().hotkeys
        self._hotkeys_taken = chosen
        if self._hotkeys is None and not chosen:
            self._hotkey_results = {}
            self._show_hotkey_status()
            return
        backend = self._hotkey_backend()
        backend.unregister_all()
        results: dict[str, str] = {}
        for action, sequence in chosen:
            reason = backend.register(action, sequence)
            results[action] = reason or "ok"
            if reason:
                log.warning("hotkey %s for %s: %s", sequence, action, reason)
        self._hotkey_results = results
        self._show_hotkey_status()

    def _show_hotkey_status(self) -> None:
        settings = self.windows.settings_window
        if settings is not None:
            unavailable = self._hotkey_backend().unavailable
            settings.set_hotkey_status(self._hotkey_results, unavailable)

    def _settings_made(self) -> None:
        """The settings were just built: hooks saved there start at once, and they show
        which hotkeys were taken."""
        settings = self.windows.settings_window
        assert settings is not None
        settings.hooks_saved.connect(self.start_hooks)
        self._show_hotkey_status()

    def _on_hotkey(self, action: str) -> None:
        self.run_action(action)

    # --- idle detection -----------------------------------------------------------------------

    def _start_idle(self) -> None:
        """Watch for time away while a timer runs, and ask about it on the person's return."""
        from tracker.bridge.idle_watch import IdleWatch  # noqa: PLC0415 - after the first paint
        from tracker.integrations.idle.choose import choose_backend  # noqa: PLC0415

        controller = self.controller
        watch = IdleWatch(choose_backend(), controller.now, parent=self)
        self._idle_watch = watch
        watch.returned.connect(self._on_idle_returned)
        controller.changed.connect(self._idle_follow_changes)
        self._idle_follow_preferences()
        try:
            from tracker.integrations.power import PowerWatch  # noqa: PLC0415

            power = PowerWatch(self)
        except ImportError as problem:  # a Qt build without QtDBus
            log.info("sleep and lock go unnoticed: %s", problem)
            self._sync_follows_presence(watch, None)
            return
        if power.unavailable:
            log.info("sleep and lock: %s", power.unavailable)
        power.sleeping.connect(watch.on_sleeping)
        power.locked.connect(watch.on_locked)
        self._sync_follows_presence(watch, power)

    def _sync_follows_presence(self, watch: IdleWatch, power: PowerWatch | None) -> None:
        """Sync pulls when the person comes back, and polls not at all while they are away
        (asleep, locked, idle); see :mod:`tracker.sync.schedule`."""
        watch.away_changed.connect(self._on_away)
        if power is not None:
            power.sleeping.connect(self._on_sleeping)
            power.locked.connect(self._on_locked)

    # Presence goes to a running worker only (local-only: none runs, nothing to pull).

    def _on_away(self, away: bool) -> None:
        if self._worker is not None:
            self._worker.on_idle(away)

    def _on_sleeping(self, asleep: bool) -> None:
        if self._worker is not None:
            self._worker.on_sleeping(asleep)

    def _on_locked(self, locked: bool) -> None:
        if self._worker is not None:
            self._worker.on_locked(locked)

    def _idle_follow_changes(self, changes: Changes) -> None:
        if changes.preferences:
            self._idle_follow_preferences()
        elif changes.running or changes.account:
            self._idle_follow_timer()

    def _idle_follow_timer(self) -> None:
        if self._idle_watch is not None:
            self._idle_watch.set_running(self.controller.running() is not None)

    def _idle_follow_preferences(self) -> None:
        if self._idle_watch is not None:
            minutes = self.controller.preferences().idle_threshold_minutes
            self._idle_watch.set_threshold(minutes * 60)
            self._idle_follow_timer()

    def _on_idle_returned(self, start: datetime, end: datetime) -> None:
        running = self.controller.running()
        if running is None:
            return
        self.journal_idle(start, end, running)
        if self._idle_prompt is None:
            from tracker.ui.idle_prompt import IdlePrompt  # noqa: PLC0415 - built on first use

            self._idle_prompt = IdlePrompt()
            self._idle_prompt.chosen.connect(self._on_idle_chosen)
        elif self._idle_prompt.isVisible() and self._idle_prompt.start is not None:
            start = self._idle_prompt.start  # away again before answering: one longer absence
        zone = self.controller.zone()
        self._idle_prompt.ask(start, end, running.description, running.id, zone)

    def _on_idle_chosen(self, choice: str) -> None:
        prompt = self._idle_prompt
        if prompt is None or prompt.start is None or prompt.end is None:
            return
        from tracker.services.requests import ResolveIdle  # noqa: PLC0415 - see start_rest

        self.controller.act(ResolveIdle(choice, prompt.start, prompt.end, prompt.entry_id))

    # --- hooks and the app's own events -------------------------------------------------------

    @property
    def hooks(self) -> HookRunner | None:
        """The hook runner, once a hooks file with hooks was found."""
        return self._hooks

    def start_hooks(self) -> None:
        """Run the person's hooks on new events (off the GUI thread), once the hooks file has
        any: at start, after Settings saved hooks, and every :data:`HOOKS_LOOK_MS` while none
        run. Without hooks, no thread runs."""
        if self._closed or (self._hooks is not None and self._hooks.alive):
            return
        from tracker.integrations.hooks import HookError, load  # noqa: PLC0415 - after the icon

        if self._hooks_look is None:
            self._hooks_look = QTimer(self)
            self._hooks_look.setInterval(HOOKS_LOOK_MS)
            self._hooks_look.timeout.connect(self.start_hooks)
            self._hooks_look.start()
        try:
            found = load()
        except HookError as exc:
            if str(exc) != self._hooks_problem:  # said once, not every look
                self._hooks_problem = str(exc)
                log.warning("%s", exc)
            return
        if not found:
            return
        from tracker.bridge.hooks import HookRunner  # noqa: PLC0415 - only with hooks

        self._hooks_look.stop()
        self._hooks = HookRunner(self.store_file)
        try:
            self._hooks.start()
        except StoreError as exc:
            log.warning("hooks cannot follow the store: %s", exc)

    def _journal(self, kind: str, data: dict[str, object]) -> None:
        """Journal an event of the app's own (hooks and ``tracker events`` see it)."""
        from tracker.services.events import Kind, record  # noqa: PLC0415 - on the event only

        try:
            record(self.store, Kind(kind), data)
        except StoreError as exc:
            log.warning("the %s event could not be journalled: %s", kind, exc)

    def journal_round(self, report: SyncReport) -> None:
        """``sync.failed`` when a round fails after one that did not (not at every retry)."""
        reason = report.error or report.offline
        if report.auth_required:
            reason = "Clockify refused the API key."
        failing = reason is not None
        if failing and not self._sync_failing and not self._closed:
            self._journal(
                "sync.failed",
                {
                    "reason": reason,
                    "offline": report.offline is not None,
                    "auth_required": report.auth_required,
                    "pending": report.pending,
                },
            )
        self._sync_failing = failing

    def journal_idle(self, start: datetime, end: datetime, running: Entry) -> None:
        """``idle.detected``: the person came back after ``start``-``end`` away from
        ``running``."""
        from tracker.services.events import snapshot  # noqa: PLC0415 - on the event only

        self._journal(
            "idle.detected",
            {
                "idle_from": start.isoformat(),
                "idle_to": end.isoformat(),
                "idle_seconds": int((end - start).total_seconds()),
                "entry": snapshot(running),
            },
        )

    # --- reminders and notifications with buttons ---------------------------------------------

    def _start_reminders(self) -> None:
        """Reminders on their own timer; their notifications carry buttons where the desktop
        shows them (the tray balloon elsewhere)."""
        from tracker.bridge.reminders import Reminders  # noqa: PLC0415 - after the first paint
        from tracker.integrations.notify.choose import choose_backend  # noqa: PLC0415

        self.notifier.desktop = choose_backend()
        if self.notifier.desktop.unavailable:
            log.info("notifications: %s", self.notifier.desktop.unavailable)
        self._reminders = Reminders(self.controller, parent=self)
        self._reminders.remind.connect(self._on_reminder)
        self._reminders.plan()

    def _on_reminder(self, reminder: Reminder) -> None:
        from tracker.ui.reminder_messages import message  # noqa: PLC0415

        controller = self.controller
        title, body, actions = message(reminder, controller.preferences(), controller.zone())
        self.notifier.show_actions(title, body, actions, self._on_reminder_action)
        self._reminders_shown.append(reminder.kind)

    def _on_reminder_action(self, key: str) -> None:
        self.run_action(key)

    def _reminders_probe(self) -> dict[str, object]:
        reminders = self._reminders
        desktop = self._notifier.desktop if self._notifier is not None else None
        next_at = reminders.next_at if reminders is not None else None
        return {
            "reminders_next": next_at.isoformat() if next_at is not None else None,
            "reminders_shown": list(self._reminders_shown),
            "notifications": desktop.name if desktop is not None else None,
        }

    # --- worker events ------------------------------------------------------------------------

    def _on_status(self, status: SyncStatus) -> None:
        if self._closed:
            return
        self.tray.set_sync_status(status)
        self.windows.set_sync_status(status)

    def _on_synced(self) -> None:
        if not self._closed:
            self.controller.refresh(SYNCED)

    def _on_notice(self, notice: Notice) -> None:
        self.notifier.show(notice)

    def _on_noted(self, text: str) -> None:
        self.notifier.show(Notice(NoticeKind.CLOCK, "Check your computer's clock", text))

    def _on_round(self, report: SyncReport) -> None:
        self.journal_round(report)
        waiters, self._sync_waiters = self._sync_waiters, []
        if not waiters:
            return
        from tracker.sync.runner import report_json  # noqa: PLC0415 - loaded with the worker

        line = json.dumps(report_json(report))
        for reply in waiters:
            reply(line)

    def _popup_closed(self) -> None:
        """The popup's edits are all saved: send them now if any wait."""
        if self._tell_worker.isActive():
            self._tell_worker.start(TELL_WORKER_MS)

    def _local_change(self) -> None:
        if self._worker is not None:
            self._worker.local_change()

    def _on_sync_requested(self, pull: bool) -> None:
        self.worker.request_sync(pull)  # asked by the person: start the worker if need be

    def look(self) -> None:
        """The person looks (the popup or the today window opened): the worker pulls when
        what it knows is old (:mod:`tracker.sync.schedule`); local-only: nothing to do."""
        if self._worker is not None or self.sync_wanted():
            self.worker.look()

    def ask_sync(self, *, pull: bool) -> None:
        """A round soon, where there is anything to sync with (local-only: nothing to do)."""
        if self._worker is not None or self.sync_wanted():
            self.worker.request_sync(pull)

    def _on_changes(self, changes: Changes) -> None:
        """What the app itself follows: sends what was written here, applies saved
        preferences (the server may have changed, so the worker re-reads the account), and
        starts the worker once an account appears (a login from the command line)."""
        preferences = changes.preferences and changes.origin is Origin.ACTION
        if preferences:
            apply_appearance(_qapp(), self.controller.preferences().appearance)
            self._dressed = True
        if self._worker is None:
            if (changes.to_send or changes.account) and self.sync_wanted():
                _ = self.worker  # its first round sends what waits
            return
        if changes.to_send:
            if self.windows.popup_shown():
                self._tell_worker.start(POPUP_HOLD_MS)  # editing there: send when it closes
            elif not self._tell_worker.isActive():
                self._tell_worker.start(TELL_WORKER_MS)
        if preferences:
            self._worker.account_changed()


def _choose_secrets() -> SecretStore | None:
    """The safest place for the API key here (``None``: local-only, with the reason logged)."""
    from tracker.integrations.secrets_helper import choose_app_secret_store  # noqa: PLC0415

    choice = choose_app_secret_store()
    if choice.store is None:
        log.warning("local-only: %s", choice.reason)
    return choice.store


def _when(condition: Callable[[], bool], then: Callable[[], object], limit_ms: int) -> None:
    """Call ``then`` once ``condition`` holds (polled on the event loop), or after
    ``limit_ms`` whatever it says."""
    began = time.perf_counter()

    def check() -> None:
        if condition() or (time.perf_counter() - began) * 1000 >= limit_ms:
            then()
        else:
            QTimer.singleShot(REST_POLL_MS, check)

    QTimer.singleShot(0, check)


def _no_reply(_answer: str) -> None:
    """Where the answer of an action run by a hotkey or a button goes: nowhere."""


def _qapp() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def run(argv: Sequence[str]) -> int:
    """Start the tray app; returns the exit code."""
    began = time.perf_counter()
    args = parse_args(argv)
    store_file = store_path()
    store_file.parent.mkdir(parents=True, exist_ok=True)
    setup_logging(store_file.parent if os.environ.get("TRACKER_HOME") else None)
    problem = _display_problem()
    if problem is not None:  # Qt would abort with a core dump: say what is missing instead
        log.info("not started: %s", problem)
        print(f"tracker: {problem}", file=sys.stderr, flush=True)
        return 1

    qapp = _make_qapp()

    try:
        channel = address(store_file)
        server: InstanceServer | None = claim(channel)
    except UnsafeChannelError as exc:
        # Not "another instance runs": another user holds our channel. Say so (the log's
        # errors go to stderr too) and stop.
        log.error("Tracker cannot start: %s", exc)
        return 1
    if server is None:
        if args.exit_when_ready:
            return 0
        answered = send(channel, "show")
        log.info("another tracker runs here; asked it to come forward (%s)", answered)
        return 0

    try:
        app = App(store_file)
    except StoreError as exc:
        # A damaged, foreign or unreadable store: say what and the way out, never crash.
        log.error("Tracker cannot start: %s", exc)
        if not args.exit_when_ready:
            from PySide6.QtCore import Qt  # noqa: PLC0415 - only on this error
            from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

            box = QMessageBox(QMessageBox.Icon.Critical, "Tracker cannot start", str(exc))
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.exec()
        server.close()
        return 1
    server.message_received.connect(app.on_message)
    qapp.aboutToQuit.connect(app.close)
    app.start(rest=not args.exit_when_ready)

    if args.exit_when_ready:
        _exit_when_ready(app, began)
    else:
        _when(app.ready, app.windows.welcome_if_new, REST_AFTER)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            log.info("no system tray here; the timer window stands in for it")
    code = qapp.exec()
    server.close()
    return code


def _make_qapp() -> QApplication:
    """The QApplication with the app's names and icon, Ctrl+C and SIGTERM handled."""
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("tracker")
    qapp.setApplicationDisplayName("Tracker")
    qapp.setApplicationVersion(__version__)
    # Links the windows to the installed .desktop file (its icon and name on Wayland/GNOME).
    qapp.setDesktopFileName(DESKTOP_ID)
    qapp.setQuitOnLastWindowClosed(False)
    qapp.setWindowIcon(QIcon(str(resource_path("tracker.svg"))))
    install_excepthook()
    _quit_on_signals(qapp)
    return qapp


def _display_problem() -> str | None:
    """What keeps Qt from showing anything here (no display, a missing library), asked
    before a QApplication exists; ``None`` when it can (or one already exists)."""
    if QApplication.instance() is not None:
        return None
    from PySide6.QtCore import QLibraryInfo  # noqa: PLC0415 - only here

    from tracker.integrations.display import display_problem  # noqa: PLC0415

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    return display_problem(os.environ, plugins)


def _quit_on_signals(qapp: QApplication) -> None:
    """Leave the event loop cleanly on SIGTERM, SIGINT and SIGHUP (logout, Ctrl+C).

    Python handles signals only while it runs bytecode, and Qt's loop sleeps in C; the
    wake-up fd turns a signal into a readable socket Qt watches, so no polling timer is
    needed (idle wake-ups matter on a laptop).
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, qapp)

    def drain() -> None:
        with contextlib.suppress(OSError):
            reader.recv(256)
        log.info("signal received; quitting")
        qapp.exit(0)

    notifier.activated.connect(drain)
    _KEEP_ALIVE.extend((reader, writer, notifier))
    names = ("SIGTERM", "SIGINT", "SIGHUP")
    for sig in (getattr(signal, name) for name in names if hasattr(signal, name)):
        signal.signal(sig, lambda *_: None)


def _exit_when_ready(app: App, began: float) -> None:
    """Poll (cheaply, on the event loop) until the tray is on screen, then leave with 0."""

    def check() -> None:
        elapsed = time.perf_counter() - began
        if app.ready() or elapsed > DOCK_TIMEOUT:
            if not app.ready():
                log.warning("the tray host did not dock the icon within %.0f s", DOCK_TIMEOUT)
            print(f"ready in {elapsed * 1000:.0f} ms", flush=True)
            _qapp().exit(0)
        else:
            QTimer.singleShot(5, check)

    QTimer.singleShot(0, check)
