"""macOS idle time: the ``HIDIdleTime`` property of the IOHIDSystem service (nanoseconds).

Read through IOKit and CoreFoundation with ctypes, as ``ioreg -c IOHIDSystem`` shows it, but
without starting a process for each look. The framework functions are looked up only when the
backend is built (never at import), and tests pass fakes instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["MacCalls", "MacIdle", "iokit"]

K_CF_NUMBER_SINT64 = 4
K_CF_STRING_ENCODING_UTF8 = 0x08000100
NANOSECONDS = 1_000_000_000


@dataclass(frozen=True)
class MacCalls:
    """The framework calls the backend makes (real ones from :func:`iokit`, or fakes)."""

    service_matching: Callable[[bytes], Any]
    """``IOServiceMatching(name)``: a matching dictionary (consumed by the next call)."""
    get_matching_service: Callable[[int, Any], int]
    """``IOServiceGetMatchingService(kIOMainPortDefault, matching)``: 0 when none."""
    create_cf_property: Callable[[int, Any, Any, int], Any]
    """``IORegistryEntryCreateCFProperty(entry, key, allocator, options)``: owned, or NULL."""
    cfstring: Callable[[Any, bytes, int], Any]
    """``CFStringCreateWithCString(allocator, text, encoding)``."""
    number_value: Callable[[Any, int, Any], int]
    """``CFNumberGetValue(number, type, byref(value))``: nonzero on success."""
    release: Callable[[Any], None]
    """``CFRelease``."""
    object_release: Callable[[int], int]
    """``IOObjectRelease``."""


def iokit() -> MacCalls:
    """The real functions from IOKit and CoreFoundation (macOS only)."""
    io = ctypes.CDLL(ctypes.util.find_library("IOKit"))
    cf = ctypes.CDLL(ctypes.util.find_library("CoreFoundation"))
    io.IOServiceMatching.argtypes = (ctypes.c_char_p,)
    io.IOServiceMatching.restype = ctypes.c_void_p
    io.IOServiceGetMatchingService.argtypes = (ctypes.c_uint32, ctypes.c_void_p)
    io.IOServiceGetMatchingService.restype = ctypes.c_uint32
    io.IORegistryEntryCreateCFProperty.argtypes = (
        ctypes.c_uint32,
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_uint32,
    )
    io.IORegistryEntryCreateCFProperty.restype = ctypes.c_void_p
    io.IOObjectRelease.argtypes = (ctypes.c_uint32,)
    io.IOObjectRelease.restype = ctypes.c_int
    cf.CFStringCreateWithCString.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32)
    cf.CFStringCreateWithCString.restype = ctypes.c_void_p
    cf.CFNumberGetValue.argtypes = (ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
    cf.CFNumberGetValue.restype = ctypes.c_bool
    cf.CFRelease.argtypes = (ctypes.c_void_p,)
    cf.CFRelease.restype = None
    return MacCalls(
        io.IOServiceMatching,
        io.IOServiceGetMatchingService,
        io.IORegistryEntryCreateCFProperty,
        cf.CFStringCreateWithCString,
        cf.CFNumberGetValue,
        cf.CFRelease,
        io.IOObjectRelease,
    )


class MacIdle:
    """Seconds since the last HID input (``calls``: the framework functions, or fakes).

    Raises:
        RuntimeError: no IOHIDSystem service (not a Mac, or a locked-down sandbox).
    """

    name = "macos"

    def __init__(self, calls: MacCalls | None = None) -> None:
        self._calls = calls or iokit()
        self._service = self._calls.get_matching_service(
            0, self._calls.service_matching(b"IOHIDSystem")
        )
        if not self._service:
            raise RuntimeError("no IOHIDSystem service")
        self._key = self._calls.cfstring(None, b"HIDIdleTime", K_CF_STRING_ENCODING_UTF8)

    def idle_seconds(self) -> float | None:
        """Seconds since the last keyboard, mouse or trackpad input; ``None``: no answer."""
        calls = self._calls
        number = calls.create_cf_property(self._service, self._key, None, 0)
        if not number:
            return None
        try:
            value = ctypes.c_int64(0)
            if not calls.number_value(number, K_CF_NUMBER_SINT64, ctypes.byref(value)):
                return None
            return value.value / NANOSECONDS
        finally:
            calls.release(number)

    def close(self) -> None:
        """Give back the service and the key."""
        if self._service:
            self._calls.object_release(self._service)
            self._service = 0
        if self._key:
            self._calls.release(self._key)
            self._key = None
