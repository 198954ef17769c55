"""Windows hotkeys: ``RegisterHotKey`` for the GUI thread, ``WM_HOTKEY`` read by a Qt filter.

Registered without a window, so Windows posts ``WM_HOTKEY`` to the thread's queue; Qt's
event dispatcher shows every message to native event filters before dispatching it. A key
another program registered fails with ERROR_HOTKEY_ALREADY_REGISTERED: that is the clash.
The user32 functions are looked up only when the backend is built (never at import), and
tests pass fakes instead.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QCoreApplication

from tracker.integrations.hotkeys import Activated, clash
from tracker.integrations.hotkeys.keys import KeyProblem, parse, windows_key

__all__ = ["MSG", "WM_HOTKEY", "User32", "WindowsBackend", "user32"]

WM_HOTKEY = 0x0312
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
FIRST_ID = 0xB000
"""Hotkey ids an application may use: 0x0000 to 0xBFFF."""


class _POINT(ctypes.Structure):
    _fields_ = (("x", ctypes.c_long), ("y", ctypes.c_long))


class MSG(ctypes.Structure):
    """The Win32 ``MSG`` structure a ``windows_generic_MSG`` native event points at."""

    _fields_ = (
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
        ("time", ctypes.c_uint32),
        ("pt", _POINT),
    )


@dataclass(frozen=True)
class User32:
    """The three OS calls the backend makes (real ones from :func:`user32`, or fakes)."""

    register_hotkey: Callable[[Any, int, int, int], int]
    """``RegisterHotKey(hWnd, id, fsModifiers, vk)``: nonzero on success."""
    unregister_hotkey: Callable[[Any, int], int]
    """``UnregisterHotKey(hWnd, id)``."""
    last_error: Callable[[], int]
    """The calling thread's last error, as ``GetLastError`` saw it after the call."""


def user32() -> User32:
    """The real functions from user32.dll (Windows only)."""
    dll = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined, unused-ignore]
    register = dll.RegisterHotKey
    register.argtypes = (ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_uint)
    register.restype = ctypes.c_int
    unregister = dll.UnregisterHotKey
    unregister.argtypes = (ctypes.c_void_p, ctypes.c_int)
    unregister.restype = ctypes.c_int
    last_error: Callable[[], int] = ctypes.get_last_error  # type: ignore[attr-defined, unused-ignore]
    return User32(register, unregister, last_error)


class _Filter(QAbstractNativeEventFilter):
    def __init__(self, on_hotkey: Callable[[int], None]) -> None:
        super().__init__()
        self._on_hotkey = on_hotkey

    def nativeEventFilter(
        self, eventType: QByteArray | bytes | bytearray | memoryview, message: int
    ) -> object:
        kind = eventType.data() if isinstance(eventType, QByteArray) else bytes(eventType)
        if kind == b"windows_generic_MSG" and message:
            msg = MSG.from_address(int(message))
            if msg.message == WM_HOTKEY:
                self._on_hotkey(int(msg.wParam))
                return True, 0
        return False, 0


class WindowsBackend:
    """Hotkeys registered with ``RegisterHotKey`` on the GUI thread.

    Args:
        on_activated: called with the action name.
        api: the user32 functions (``None``: the real ones).
    """

    name = "windows"
    unavailable: str | None = None

    def __init__(self, on_activated: Activated, api: User32 | None = None) -> None:
        self._on_activated = on_activated
        self._api = api if api is not None else user32()
        self._ids: dict[int, str] = {}
        self._keys: dict[tuple[int, int], str] = {}
        self._next = FIRST_ID
        self.filter = _Filter(self._on_hotkey)
        app = QCoreApplication.instance()
        if app is not None:
            app.installNativeEventFilter(self.filter)

    def register(self, action: str, sequence: str) -> str | None:
        """Register ``sequence`` for ``action``; the reason when Windows refuses it."""
        try:
            chord = parse(sequence)
            vk, modifiers = windows_key(chord)
        except KeyProblem as problem:
            return str(problem)
        taken = self._keys.get((vk, modifiers))
        if taken is not None:
            return f"{chord.text} is already used for {taken!r} here"
        hotkey_id = self._next
        if not self._api.register_hotkey(None, hotkey_id, modifiers, vk):
            code = self._api.last_error()
            if code == ERROR_HOTKEY_ALREADY_REGISTERED:
                return clash(chord.text)
            return f"{chord.text}: Windows refused the hotkey (error {code})"
        self._next += 1
        self._ids[hotkey_id] = action
        self._keys[(vk, modifiers)] = action
        return None

    def unregister_all(self) -> None:
        """Unregister every hotkey registered here."""
        for hotkey_id in self._ids:
            self._api.unregister_hotkey(None, hotkey_id)
        self._ids.clear()
        self._keys.clear()

    def _on_hotkey(self, hotkey_id: int) -> None:
        action = self._ids.get(hotkey_id)
        if action is not None:
            self._on_activated(action)
