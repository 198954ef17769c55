"""X11 hotkeys: an exclusive key grab on the root window, one per Caps/Num Lock state.

``XGrabKey`` fails with BadAccess when another client already grabs the same key and
modifiers; each grab is synced so that error is caught per key and reported as a clash. The
app reads key events from its own connection to the X server through a ``QSocketNotifier`` on
the connection's socket: no polling thread, no wake-ups while nothing is pressed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSocketNotifier
from Xlib import XK, X, display, error

from tracker.integrations.hotkeys import Activated, clash
from tracker.integrations.hotkeys.keys import X11_LOCK_MASK, KeyProblem, parse, x11_key
from tracker.integrations.x11 import open_display

__all__ = ["X11Backend"]

log = logging.getLogger(__name__)


class X11Backend(QObject):
    """Grabs keys on the root window of ``display_name`` (``None``: ``$DISPLAY``).

    Raises:
        Xlib.error.DisplayError: the X server cannot be reached.
    """

    name = "x11"
    unavailable: str | None = None

    def __init__(self, on_activated: Activated, display_name: str | None = None) -> None:
        super().__init__()
        self._on_activated = on_activated
        self._display = open_display(display_name)
        self._root = self._display.screen().root
        self._grabs: dict[tuple[int, int], str] = {}
        self._locks = _lock_variants(self._display)
        self._notifier = QSocketNotifier(self._display.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)

    def register(self, action: str, sequence: str) -> str | None:
        """Grab ``sequence`` for ``action``; the reason when the key cannot be taken."""
        try:
            chord = parse(sequence)
            keysym_name, mask = x11_key(chord)
        except KeyProblem as problem:
            return str(problem)
        keysym = XK.string_to_keysym(keysym_name)
        keycode = self._display.keysym_to_keycode(keysym) if keysym else 0
        if not keycode:
            return f"{chord.text}: this keyboard layout has no such key"
        taken = self._grabs.get((keycode, mask))
        if taken is not None:
            return f"{chord.text} is already used for {taken!r} here"
        catchers = []
        for lock in self._locks:
            catch = error.CatchError(error.BadAccess)
            self._root.grab_key(
                keycode, mask | lock, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catch
            )
            catchers.append(catch)
        self._display.sync()  # the errors (if any) arrive now, one per refused grab
        self._read()  # sync may have queued events the socket will not announce again
        if any(catch.get_error() for catch in catchers):
            for lock in self._locks:
                self._root.ungrab_key(keycode, mask | lock)
            self._display.sync()
            return clash(chord.text)
        self._grabs[(keycode, mask)] = action
        return None

    def unregister_all(self) -> None:
        """Ungrab every key taken here."""
        for keycode, mask in self._grabs:
            for lock in self._locks:
                self._root.ungrab_key(keycode, mask | lock)
        self._grabs.clear()
        self._display.sync()

    def close(self) -> None:
        """Ungrab and drop the connection."""
        self._notifier.setEnabled(False)
        self.unregister_all()
        self._display.close()

    def _read(self) -> None:
        ignored = 0
        for lock in self._locks:
            ignored |= lock
        while self._display.pending_events():
            event = self._display.next_event()
            if event.type == X.MappingNotify:
                self._display.refresh_keyboard_mapping(event)
            if event.type != X.KeyPress:
                continue
            action = self._grabs.get((event.detail, event.state & ~ignored & 0xFF))
            if action is not None:
                log.debug("hotkey for %s", action)
                self._on_activated(action)


def _lock_variants(dpy: display.Display) -> tuple[int, ...]:
    """The lock modifier combinations a grab must cover: none, Caps, Num, both.

    An X grab matches the modifier state exactly, so with Num Lock on the plain grab would
    never fire. Num Lock's modifier bit depends on the keyboard mapping; look it up.
    """
    num_lock = 0
    code = dpy.keysym_to_keycode(XK.string_to_keysym("Num_Lock"))
    if code:
        for index, codes in enumerate(dpy.get_modifier_mapping()):
            if code in codes:
                num_lock = 1 << index
                break
    variants = {0, X11_LOCK_MASK, num_lock, X11_LOCK_MASK | num_lock}
    return tuple(sorted(variants))
