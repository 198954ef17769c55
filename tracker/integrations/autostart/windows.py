"""Start at login on Windows: the value ``Tracker`` under ``HKCU\\...\\CurrentVersion\\Run``.

The installer (installer.nsi, ``RUN_KEY``/``RUN_VALUE``) writes this very value when its
"Start at login" box is ticked and deletes it on uninstall, so the installer's choice and
this switch are one setting. ``winreg`` is imported on first use (never on Linux), and tests
pass a fake.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["RUN_KEY", "RUN_VALUE", "WindowsAutostart", "command_line"]

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Tracker"


def command_line(command: list[str]) -> str:
    """Each argument in double quotes, as the installer writes ``"<INSTDIR>\\tracker.exe"``
    (a path with spaces must be quoted, or Windows runs a prefix of it)."""
    return " ".join(f'"{arg}"' for arg in command)


class WindowsAutostart:
    """Reads, writes and deletes the Run value.

    Args:
        registry: the ``winreg`` module (default: imported on first use).
    """

    name = "Windows Run key"
    location = rf"HKCU\{RUN_KEY}\{RUN_VALUE}"
    unavailable: str | None = None

    def __init__(self, registry: Any = None) -> None:
        self._registry = registry

    @property
    def registry(self) -> Any:
        """The ``winreg`` module."""
        if self._registry is None:
            self._registry = importlib.import_module("winreg")
        return self._registry

    def is_enabled(self) -> bool:
        """The value exists and is not empty."""
        reg = self.registry
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_QUERY_VALUE) as key:
                value, _kind = reg.QueryValueEx(key, RUN_VALUE)
        except FileNotFoundError:
            return False
        return bool(str(value).strip())

    def enable(self, command: list[str]) -> None:
        """Set the value to ``command``."""
        reg = self.registry
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
            reg.SetValueEx(key, RUN_VALUE, 0, reg.REG_SZ, command_line(command))

    def disable(self) -> None:
        """Delete the value (gone already is fine)."""
        reg = self.registry
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, RUN_VALUE)
        except FileNotFoundError:
            return
