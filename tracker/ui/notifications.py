"""Desktop notifications for what needs the person: a refused key, a parked change, a conflict.

Messages go out through the tray icon as plain text (``QSystemTrayIcon.showMessage`` never
renders markup), or as a line in the timer window where there is no tray. The same notice is
not repeated within :data:`REPEAT_AFTER`: a sync loop that keeps failing must not nag. A click
on the message opens the window where the problem is fixed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from tracker.bridge.controller import Controller
from tracker.bridge.status import Notice, NoticeKind
from tracker.integrations.notify import NotifyBackend
from tracker.services.changes import Changes
from tracker.ui.icons import TrayKind
from tracker.ui.tray import Tray

__all__ = ["REPEAT_AFTER", "Notifier"]

log = logging.getLogger(__name__)

REPEAT_AFTER = 15 * 60.0
"""Seconds before the very same notice may show again."""

MAX_TEXT = 300
"""Characters of a notice's text shown; a server's long message is cut."""


class Notifier(QObject):
    """Shows :class:`Notice` values from the sync worker.

    Signals:
        open_today: the person clicked a notice about entries (parked, conflict, error).
        open_settings: the person clicked a notice about the account (auth).
    """

    open_today = Signal()
    open_settings = Signal()

    def __init__(
        self,
        tray: Tray,
        controller: Controller,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent or tray)
        self.tray = tray
        self.controller = controller
        self._clock = clock
        self._shown: dict[tuple[NoticeKind, str, str], float] = {}
        self._last: Notice | None = None
        self._click: Callable[[], None] | None = None
        self.desktop: NotifyBackend | None = None
        """Notifications with buttons (set by the app); ``None``: the tray balloon only."""
        self._notify = controller.preferences().notify
        controller.changed.connect(self._on_changed)
        icon = tray.tray_icon()
        if icon is not None:
            icon.messageClicked.connect(self.clicked)

    def show(self, notice: Notice) -> bool:
        """Show ``notice`` unless notifications are off or it was just shown; says if shown."""
        if not self._notify:
            log.info("notice not shown (notifications off): %s", notice.title)
            return False
        key = (notice.kind, notice.title, notice.text)
        now = self._clock()
        shown_at = self._shown.get(key)
        if shown_at is not None and now - shown_at < REPEAT_AFTER:
            return False
        self._shown[key] = now
        self._last = notice
        self._click = None
        title = _plain(notice.title, 80)
        body = _plain(notice.text, MAX_TEXT)
        kind: TrayKind = "attention" if notice.kind != NoticeKind.ERROR else "pending"
        if not self.tray.show_message(title, body, kind):
            log.warning("%s: %s", title, body)
        return True

    def show_actions(
        self,
        title: str,
        body: str,
        actions: Sequence[tuple[str, str]],
        on_action: Callable[[str], None],
    ) -> bool:
        """A message with buttons (``(key, label)``; ``on_action(key)`` when one is pressed).
        Where the desktop shows no buttons the tray balloon stands in, and a click on it does
        the first action. Says whether anything showed."""
        title, body = _plain(title, 80), _plain(body, MAX_TEXT)
        if self.desktop is not None and self.desktop.notify(title, body, actions, on_action):
            return True
        if not self.tray.show_message(title, body, "attention"):
            log.warning("%s: %s", title, body)
            return False
        first = actions[0][0] if actions else None
        self._last = None
        self._click = (lambda: on_action(first)) if first is not None else None
        return True

    def clicked(self) -> None:
        """The person clicked the latest message: open where it is fixed."""
        if self._click is not None:
            click, self._click = self._click, None
            click()
            return
        notice = self._last
        if notice is None:
            return
        if notice.kind == NoticeKind.AUTH:
            self.open_settings.emit()
        else:
            self.open_today.emit()

    def _on_changed(self, changes: Changes) -> None:
        if changes.preferences:
            self._notify = self.controller.preferences().notify


def _plain(value: str, limit: int) -> str:
    """One paragraph of plain text, cut to ``limit`` characters."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
