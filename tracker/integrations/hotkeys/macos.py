"""macOS hotkeys: Carbon's ``RegisterEventHotKey``, still the system's global-hotkey API.

One application event handler receives ``kEventHotKeyPressed`` with the hot key's id; a key
another application registered fails with ``eventHotKeyExistsErr``: that is the clash. The
Carbon functions are looked up only when the backend is built (never at import), and tests
pass fakes instead.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tracker.integrations.hotkeys import Activated, clash
from tracker.integrations.hotkeys.keys import KeyProblem, mac_key, parse

__all__ = ["Carbon", "MacBackend", "carbon"]

EVENT_HOTKEY_EXISTS = -9878
"""``eventHotKeyExistsErr``."""
SIGNATURE = int.from_bytes(b"trck", "big")
"""Our OSType in every ``EventHotKeyID``."""
CARBON = "/System/Library/Frameworks/Carbon.framework/Carbon"


@dataclass(frozen=True)
class Carbon:
    """The OS calls the backend makes (real ones from :func:`carbon`, or fakes)."""

    install_handler: Callable[[Callable[[int], None]], int]
    """Install the application's hot-key handler, called with the pressed key's id."""
    register: Callable[[int, int, int], tuple[int, Any]]
    """``RegisterEventHotKey(code, modifiers, id)`` → (OSStatus, EventHotKeyRef)."""
    unregister: Callable[[Any], int]
    """``UnregisterEventHotKey(ref)`` → OSStatus."""


class _HotKeyID(ctypes.Structure):
    _fields_ = (("signature", ctypes.c_uint32), ("id", ctypes.c_uint32))


class _EventTypeSpec(ctypes.Structure):
    _fields_ = (("eventClass", ctypes.c_uint32), ("eventKind", ctypes.c_uint32))


_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
_KEEP: list[object] = []
"""The C callback must outlive the handler Carbon holds."""


def carbon() -> Carbon:  # pragma: no cover - needs macOS
    """The real functions from the Carbon framework (macOS only)."""
    lib = ctypes.CDLL(CARBON)
    lib.GetApplicationEventTarget.restype = ctypes.c_void_p
    lib.InstallEventHandler.argtypes = (
        ctypes.c_void_p,
        _HANDLER,
        ctypes.c_ulong,
        ctypes.POINTER(_EventTypeSpec),
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_void_p),
    )
    lib.RegisterEventHotKey.argtypes = (
        ctypes.c_uint32,
        ctypes.c_uint32,
        _HotKeyID,
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.POINTER(ctypes.c_void_p),
    )
    lib.UnregisterEventHotKey.argtypes = (ctypes.c_void_p,)
    lib.GetEventParameter.argtypes = (
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_uint32,
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_void_p,
        ctypes.c_void_p,
    )
    direct_object = int.from_bytes(b"----", "big")
    type_hotkey_id = int.from_bytes(b"hkid", "big")

    def install(on_pressed: Callable[[int], None]) -> int:
        def handler(_call: object, event: object, _data: object) -> int:
            hotkey = _HotKeyID()
            status: int = lib.GetEventParameter(
                event,
                direct_object,
                type_hotkey_id,
                None,
                ctypes.sizeof(hotkey),
                None,
                ctypes.byref(hotkey),
            )
            if status == 0 and hotkey.signature == SIGNATURE:
                on_pressed(hotkey.id)
            return 0

        callback = _HANDLER(handler)
        spec = _EventTypeSpec(int.from_bytes(b"keyb", "big"), 5)  # kEventHotKeyPressed
        ref = ctypes.c_void_p()
        _KEEP.append(callback)
        status: int = lib.InstallEventHandler(
            lib.GetApplicationEventTarget(), callback, 1, ctypes.byref(spec), None, ref
        )
        return status

    def register(code: int, modifiers: int, hotkey_id: int) -> tuple[int, Any]:
        ref = ctypes.c_void_p()
        status: int = lib.RegisterEventHotKey(
            code,
            modifiers,
            _HotKeyID(SIGNATURE, hotkey_id),
            lib.GetApplicationEventTarget(),
            0,
            ctypes.byref(ref),
        )
        return status, ref

    def unregister(ref: Any) -> int:
        status: int = lib.UnregisterEventHotKey(ref)
        return status

    return Carbon(install, register, unregister)


class MacBackend:
    """Hotkeys registered with Carbon on the main thread.

    Args:
        on_activated: called with the action name.
        api: the Carbon functions (``None``: the real ones).
    """

    name = "macos"

    def __init__(self, on_activated: Activated, api: Carbon | None = None) -> None:
        self._on_activated = on_activated
        self._api = api if api is not None else carbon()
        self._refs: dict[int, tuple[str, Any]] = {}
        self._keys: dict[tuple[int, int], str] = {}
        self._next = 1
        status = self._api.install_handler(self._on_pressed)
        self.unavailable: str | None = (
            None if status == 0 else f"macOS refused the hot-key handler (error {status})"
        )

    def register(self, action: str, sequence: str) -> str | None:
        """Register ``sequence`` for ``action``; the reason when macOS refuses it."""
        if self.unavailable:
            return self.unavailable
        try:
            chord = parse(sequence)
            code, modifiers = mac_key(chord)
        except KeyProblem as problem:
            return str(problem)
        taken = self._keys.get((code, modifiers))
        if taken is not None:
            return f"{chord.text} is already used for {taken!r} here"
        hotkey_id = self._next
        status, ref = self._api.register(code, modifiers, hotkey_id)
        if status == EVENT_HOTKEY_EXISTS:
            return clash(chord.text)
        if status != 0:
            return f"{chord.text}: macOS refused the hotkey (error {status})"
        self._next += 1
        self._refs[hotkey_id] = (action, ref)
        self._keys[(code, modifiers)] = action
        return None

    def unregister_all(self) -> None:
        """Unregister every hot key registered here."""
        for _action, ref in self._refs.values():
            self._api.unregister(ref)
        self._refs.clear()
        self._keys.clear()

    def _on_pressed(self, hotkey_id: int) -> None:
        found = self._refs.get(hotkey_id)
        if found is not None:
            self._on_activated(found[0])
