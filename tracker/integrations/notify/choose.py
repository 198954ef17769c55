"""Build the notification backend for this desktop (the app's side of :func:`probe`).

Separate from the package's ``__init__`` because the freedesktop backend imports Qt, and the
CLI (which imports :func:`tracker.integrations.notify.probe`) must never load Qt.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from tracker.integrations.notify import TRAY_REASONS, NotifyBackend
from tracker.integrations.notify.null import NullNotify

__all__ = ["choose_backend"]


def choose_backend(
    env: Mapping[str, str] | None = None, platform: str | None = None
) -> NotifyBackend:
    """The freedesktop backend where a notification service answers on the session bus;
    else the Null backend, whose ``unavailable`` says why (the app then uses the tray
    balloon)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform in TRAY_REASONS:
        return NullNotify(TRAY_REASONS[platform])
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if not address:
        return NullNotify("no D-Bus session bus: the tray balloon, without buttons")
    try:
        from tracker.integrations.notify.freedesktop import create  # noqa: PLC0415 - loads Qt
    except ImportError as problem:
        return NullNotify(f"no D-Bus client ({problem}); the tray balloon instead")
    return create(address)
