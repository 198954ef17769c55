"""Windows idle time: ``GetLastInputInfo`` against ``GetTickCount``.

Both are 32-bit millisecond tick counts that wrap every 49.7 days; the difference is taken
modulo 2**32 so a wrap between the two readings does not give a negative or huge answer.
The DLL functions are looked up only when the backend is built (never at import), and tests
pass fakes instead.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["LASTINPUTINFO", "Win32", "WindowsIdle", "win32"]

WRAP = 1 << 32


class LASTINPUTINFO(ctypes.Structure):
    """The structure ``GetLastInputInfo`` fills in."""

    _fields_ = (("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32))


@dataclass(frozen=True)
class Win32:
    """The two OS calls the backend makes (real ones from :func:`win32`, or fakes)."""

    get_last_input_info: Callable[[Any], int]
    """``GetLastInputInfo(byref(LASTINPUTINFO))``: nonzero on success."""
    get_tick_count: Callable[[], int]
    """``GetTickCount()``: milliseconds since boot, modulo 2**32."""


def win32() -> Win32:
    """The real functions from user32.dll and kernel32.dll (Windows only)."""
    windll: Any = ctypes.windll  # type: ignore[attr-defined, unused-ignore]
    get_info = windll.user32.GetLastInputInfo
    get_info.argtypes = (ctypes.POINTER(LASTINPUTINFO),)
    get_info.restype = ctypes.c_int
    ticks = windll.kernel32.GetTickCount
    ticks.argtypes = ()
    ticks.restype = ctypes.c_uint32
    return Win32(get_info, ticks)


class WindowsIdle:
    """Seconds since the last input in this session (``api``: the OS calls, or fakes)."""

    name = "windows"

    def __init__(self, api: Win32 | None = None) -> None:
        self._api = api or win32()

    def idle_seconds(self) -> float | None:
        """Seconds since the last keyboard or mouse input; ``None`` if Windows says no."""
        info = LASTINPUTINFO()
        info.cbSize = ctypes.sizeof(LASTINPUTINFO)
        if not self._api.get_last_input_info(ctypes.byref(info)):
            return None
        elapsed = (int(self._api.get_tick_count()) - int(info.dwTime)) % WRAP
        return elapsed / 1000.0
