"""Build the idle backend for this session (the app's side of :func:`probe`).

Separate from the package's ``__init__`` because the D-Bus backends import Qt, and the CLI
(which imports :func:`tracker.integrations.idle.probe`) must never load Qt.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping

from tracker.integrations.idle import IdleBackend, candidates
from tracker.integrations.idle.null import NullBackend

__all__ = ["BUILDERS", "choose_backend"]

log = logging.getLogger(__name__)

BUILDERS: dict[str, tuple[str, str]] = {
    "x11": ("tracker.integrations.idle.x11", "X11Idle"),
    "mutter": ("tracker.integrations.idle.mutter", "MutterIdle"),
    "screensaver": ("tracker.integrations.idle.screensaver", "ScreenSaverIdle"),
    "logind": ("tracker.integrations.idle.logind", "LogindIdle"),
    "windows": ("tracker.integrations.idle.windows", "WindowsIdle"),
    "macos": ("tracker.integrations.idle.macos", "MacIdle"),
}
"""Backend name → (module, class); imported only when tried."""


def _build(name: str) -> IdleBackend:
    module, cls = BUILDERS[name]
    backend: IdleBackend = getattr(importlib.import_module(module), cls)()
    return backend


def choose_backend(
    order: list[str] | None = None,
    build: Callable[[str], IdleBackend] = _build,
    env: Mapping[str, str] | None = None,
) -> IdleBackend:
    """The first backend in ``order`` (default: :func:`candidates`) that builds and answers;
    the Null backend, with every backend's reason, when none does."""
    reasons: list[str] = []
    for name in order if order is not None else candidates(env):
        try:
            backend = build(name)
            if backend.idle_seconds() is None:
                reasons.append(f"{name}: no answer")
                continue
        except Exception as problem:
            reasons.append(f"{name}: {problem}")
            continue
        log.info("idle detection: %s", name)
        return backend
    reason = "; ".join(reasons) or "no idle backend for this platform"
    log.warning("idle detection unavailable: %s", reason)
    return NullBackend(reason)
