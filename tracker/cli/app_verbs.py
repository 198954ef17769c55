"""Verbs that ask the running tray app to show something: what a desktop shortcut runs
where the app cannot take global keys itself (Wayland without the shortcuts portal)."""

from __future__ import annotations

from tracker.cli.runtime import Runtime, UserError

__all__ = ["cmd_open_today", "cmd_popup", "cmd_quit"]

NOT_RUNNING = "the tray app is not running; start it with `tracker`"


def cmd_popup(rt: Runtime) -> int:
    """Open the timer popup of the running app."""
    return _ask(rt, "popup", "Opened the timer popup.")


def cmd_open_today(rt: Runtime) -> int:
    """Open the today window of the running app."""
    return _ask(rt, "today", "Opened today.")


def cmd_quit(rt: Runtime) -> int:
    """Ask the running app to quit (it finishes a write in flight first); an installer or
    an upgrade script uses it. Not an error when no app runs."""
    reply = rt.tell_app("quit", timeout=2.0)
    message = "Asked the tray app to quit." if reply is not None else "The tray app is not running."
    rt.emit({"ok": True, "was_running": reply is not None}, [message])
    return 0


def _ask(rt: Runtime, message: str, done: str) -> int:
    reply = rt.tell_app(message, timeout=2.0)
    if reply is None:
        raise UserError(NOT_RUNNING)
    rt.emit({"ok": True, "message": message}, [done])
    return 0
