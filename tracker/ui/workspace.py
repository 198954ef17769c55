"""The Workspace window: workspace administration for owners, admins and managers, one page
per area (team, groups, projects, clients and tags, schedule) in a list on the left.

Pages are named in :data:`PAGES` and built the first time they are shown, so opening the
window costs only the page one looks at. Each page opens on what is kept (offline too) and
refreshes through the sync worker (:class:`~tracker.ui.admin_page.AdminPage`).
Keys: Ctrl+PgDown / Ctrl+PgUp (or Ctrl+1..9) move between pages, Esc closes (but first
cancels a read in flight on the page shown, as Esc in a filter first clears it). Closing the
window cancels the reads of all its pages and ends their undo offers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QStackedWidget,
    QWidget,
)

from tracker.services.abilities import abilities
from tracker.store import Store
from tracker.ui.admin_page import AdminPage, PageContext, Runner

__all__ = ["PAGES", "WorkspaceWindow"]

PAGES: tuple[tuple[str, str, str], ...] = (
    ("Team", "tracker.ui.admin_team", "TeamPage"),
    ("Groups", "tracker.ui.admin_groups", "GroupsPage"),
    ("Projects", "tracker.ui.admin_projects", "ProjectsPage"),
    ("Clients, tags, fields", "tracker.ui.admin_fields", "FieldsPage"),
    ("Schedule", "tracker.ui.admin_schedule", "SchedulePage"),
    ("Invoices", "tracker.ui.admin_invoices", "InvoicesPage"),
    ("Audit log", "tracker.ui.admin_audit", "AuditPage"),
    ("Webhooks", "tracker.ui.admin_webhooks", "WebhooksPage"),
)
"""(title, module, class) of each page, in the order shown; a page class is an
:class:`~tracker.ui.admin_page.AdminPage`."""


class WorkspaceWindow(QWidget):
    """The pages, built on first show.

    Args:
        store: the GUI thread's store (kept copies, reads only).
        clock: the app's clock.
        run: how work reaches the worker.
    """

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        run: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = PageContext(store, clock, run)
        self._page_shown = False
        """A page was shown since the window opened (the tray opens it on a page, then
        shows it: the page must not read its kept copy twice)."""
        self.setObjectName("workspaceWindow")
        self.setWindowTitle(_title(store))
        self.resize(980, 620)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        self.pages_list = QListWidget()
        self.pages_list.setObjectName("workspacePages")
        self.stack = QStackedWidget()
        layout.addWidget(self.pages_list)
        layout.addWidget(self.stack, 1)
        self.pages: list[AdminPage | None] = []
        for title, _module, _name in PAGES:
            self.pages_list.addItem(title)
            self.pages.append(None)
            self.stack.addWidget(QWidget())  # the page takes its place when first shown
        # as wide as the longest title, so the page keeps the room at scale 2
        widest = self.pages_list.sizeHintForColumn(0) if PAGES else 0
        self.pages_list.setFixedWidth(max(110, widest + 2 * self.pages_list.frameWidth() + 16))
        self.pages_list.currentRowChanged.connect(self.show_page)
        self._keys()

    def showEvent(self, event: QShowEvent) -> None:
        """The first page when none was asked for (built only now, not with the window,
        so opening on another page costs only that one). Opened again, the page shown is
        shown afresh: closing cancelled its read, and its copy may have grown old since."""
        super().showEvent(event)
        if not PAGES or event.spontaneous():  # a window restored, not opened
            return
        row = self.pages_list.currentRow()
        if row < 0:
            self.pages_list.setCurrentRow(0)
        elif not self._page_shown and (page := self.pages[row]) is not None:
            self._page_shown = True
            page.shown()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing stops every page's read in flight: nobody looks at a closed window, and
        a read left running spends requests (a Free workspace has 30 an hour) for nothing.
        It ends every page's undo offer too: a person who closed the window has moved on,
        and Ctrl+Z when it opens again must not take back what they no longer see."""
        for page in self.pages:
            if page is not None:
                page.end_offers()
                page.cancel_reading()
        self._page_shown = False
        super().closeEvent(event)

    def _keys(self) -> None:
        shortcuts: list[tuple[QKeySequence, Callable[[], object]]] = [
            (QKeySequence("Ctrl+PgDown"), lambda: self._step(1)),
            (QKeySequence("Ctrl+PgUp"), lambda: self._step(-1)),
            (QKeySequence(Qt.Key.Key_Escape), self.escape),
        ]
        shortcuts.extend(
            (QKeySequence(f"Ctrl+{number + 1}"), _showing(self, number))
            for number in range(min(len(PAGES), 9))
        )
        for keys, slot in shortcuts:
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def escape(self) -> None:
        """Esc: cancel the read in flight on the page shown; with none, close the window.
        A person who pressed Esc at a slow refresh wants the refresh gone, not the window."""
        shown = self.stack.currentWidget()
        if isinstance(shown, AdminPage) and shown.cancel_reading():
            return
        self.close()

    def titles(self) -> list[str]:
        """The pages offered, in order (for diagnostics and tests)."""
        return [self.pages_list.item(n).text() for n in range(self.pages_list.count())]

    def _step(self, by: int) -> None:
        if PAGES:
            self.show_page((self.pages_list.currentRow() + by) % len(PAGES))

    def page(self, number: int) -> AdminPage:
        """Page ``number``, built now if it was not yet."""
        built = self.pages[number]
        if built is None:
            _title_text, module, name = PAGES[number]
            kind: type[AdminPage] = getattr(importlib.import_module(module), name)
            built = kind(self.context)
            self.pages[number] = built
            placeholder = self.stack.widget(number)
            self.stack.insertWidget(number, built)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
        return built

    def show_page(self, number: int) -> None:
        """Show page ``number`` (what is kept at once, a refresh when due)."""
        if not 0 <= number < len(PAGES):
            return
        if self.pages_list.currentRow() != number:
            self.pages_list.setCurrentRow(number)  # comes back here
            return
        page = self.page(number)
        self.stack.setCurrentIndex(number)
        self._page_shown = True
        page.shown()


def _showing(window: WorkspaceWindow, number: int) -> Callable[[], None]:
    return lambda: window.show_page(number)


def _title(store: Store) -> str:
    workspace_id = store.meta.workspace_id()
    info = store.meta.workspace(workspace_id) if workspace_id else None
    role = {"admin": "administrator", "manager": "manager"}.get(abilities(store).role or "")
    name = " ".join(info.name.split()) if info is not None else "Workspace"
    return f"{name} — Workspace ({role})" if role else f"{name} — Workspace"
