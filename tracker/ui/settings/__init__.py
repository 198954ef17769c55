"""The settings dialog and its pages, one module each.

:mod:`.dialog` holds the tabs and OK/Apply/Cancel; the pages are :mod:`.account`,
:mod:`.workspace`, :mod:`.server`, :mod:`.general` (with the :mod:`.hotkeys` box),
:mod:`.reminders` and :mod:`.logs`; :mod:`.common` has the labels they share.
"""

from __future__ import annotations

from tracker.ui.appearance import apply_appearance, dark_palette
from tracker.ui.settings.account import AccountChecker
from tracker.ui.settings.dialog import SettingsDialog
from tracker.ui.settings.general import APPEARANCE_NAMES
from tracker.ui.settings.hotkeys import HOTKEY_ACTIONS
from tracker.ui.settings.server import SERVER_NAMES

__all__ = [
    "APPEARANCE_NAMES",
    "HOTKEY_ACTIONS",
    "SERVER_NAMES",
    "AccountChecker",
    "SettingsDialog",
    "apply_appearance",
    "dark_palette",
]
