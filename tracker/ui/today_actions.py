"""What the Today window's keys and buttons do: each action is a request to the controller,
and the window says how it went in its status line.

Where a new entry goes, where a split is offered and how a gap is filled are the services'
rules (:mod:`tracker.services.placing`); this module only picks the entry and reports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from tracker.bridge.controller import Controller
from tracker.domain.timeutil import TimeParseError
from tracker.services.placing import split_point
from tracker.services.requests import AddToDay, Continue, Delete, FillGap, Split, Undo
from tracker.ui import text
from tracker.ui.entries_model import Column

if TYPE_CHECKING:
    from tracker.ui.today import TodayWindow

__all__ = ["TodayActions"]


class TodayActions(QObject):
    """The window's actions (``add``, ``delete``, ``continue_``, ``split``, ``fill``,
    ``editor``, ``undo``, ``previous``, ``next``, ``today``), with their shortcuts."""

    def __init__(self, window: TodayWindow, controller: Controller) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.add = self._action("Add", ["Ctrl+N"], self.add_entry, "Add a finished entry")
        self.delete = self._action(
            "Delete", ["Del"], self.delete_selected, "Delete the entry", table_only=True
        )
        self.continue_ = self._action(
            "Continue",
            ["Ctrl+Return", "Ctrl+Enter"],
            self.continue_selected,
            "Start a timer like this entry",
        )
        self.split = self._action(
            "Split…",
            ["Ctrl+Shift+S"],
            lambda: self.split_selected(None),
            "Cut the entry in two at a time you type",
        )
        self.fill = self._action(
            "Fill gap", ["Ctrl+G"], self.fill_gap, "Add an entry covering the gap before this one"
        )
        self.editor = self._action("Edit…", ["Ctrl+E"], window.open_editor, "Edit every field")
        self.undo = self._action("Undo", ["Ctrl+Z"], self.undo_last, "Undo the last change")
        self.previous = self._action("◀", ["Alt+Left"], self.previous_day, "Previous day")
        self.next = self._action("▶", ["Alt+Right"], self.next_day, "Next day")
        self.today = self._action("Today", ["Alt+Home"], self.go_today, "Go to today")

    def on_entries(self) -> tuple[QAction, ...]:
        """The actions that need a selected entry (disabled on an empty day)."""
        return (self.delete, self.continue_, self.split, self.fill, self.editor)

    # --- days ---------------------------------------------------------------------------------

    def previous_day(self) -> None:
        """Show the day before."""
        self.window.show_day(self.window.shown_day - timedelta(days=1))

    def next_day(self) -> None:
        """Show the day after."""
        self.window.show_day(self.window.shown_day + timedelta(days=1))

    def go_today(self) -> None:
        """Show today."""
        self.window.show_day(self.controller.today())

    # --- entries ------------------------------------------------------------------------------

    def add_entry(self) -> None:
        """Add an entry where a new one goes on the day shown, and edit its description; on a
        day still to come only once the person says so (seldom meant: a day too far)."""
        day = self.window.shown_day
        if day > self.controller.today() and not self.window.confirm(
            f"{day:%A}, {day.day} {day:%B} is still to come. Add an entry on it anyway?",
            "Add entry",
        ):
            return
        added = self.controller.act(AddToDay(day))
        if added is not None:
            self.window.after_action(
                "Added an entry; type what it was.", focus=(added.id, Column.DESCRIPTION, True)
            )

    def delete_selected(self) -> None:
        """Delete the selected entry; the status line offers Undo.

        The cursor then goes to the next row that is not the running timer (else the one
        before, else nowhere), so a second Delete never discards the timer by the way; the
        running timer itself is deleted only when the person says so in a question."""
        window = self.window
        chosen = window.table.selected_entry()
        if chosen is None:
            return
        entry = chosen.entry
        name = entry.description or "entry without description"
        if entry.running and not window.confirm(
            f"“{name}” is the running timer. Discard it and the "
            f"{text.clock(self.controller.now() - entry.start)} it has run?",
            "Discard timer",
        ):
            return
        after = self._next_to(entry.id)
        deleted = self.controller.act(Delete(entry.id))
        if deleted is not None:
            zone = self.controller.zone()
            when = text.local_time(deleted.start, zone)
            if deleted.end is not None:
                when += f" to {text.local_time(deleted.end, zone)}"
            message = f"Deleted “{name}” ({when})."
            if after is None:
                window.table.select_none()
                window.after_action(message, undo=True)
            else:
                window.after_action(message, undo=True, focus=(after, Column.DESCRIPTION, False))

    def _next_to(self, entry_id: str) -> str | None:
        """The entry the cursor goes to once ``entry_id`` is gone: the next one that is not
        the running timer, else the nearest such one before it."""
        model = self.window.model
        row = model.row_of(entry_id)
        if row is None:
            return None
        views = [model.entry(n) for n in range(model.rowCount())]
        for view in [*views[row + 1 :], *reversed(views[:row])]:
            if not view.entry.running:
                return view.entry.id
        return None

    def undo_last(self) -> None:
        """Undo the newest change."""
        done = self.controller.act(Undo())
        if done is not None:
            self.window.after_action(done[:1].upper() + done[1:] + ".")

    def continue_selected(self) -> None:
        """Start a timer with the selected entry's description, project and tags."""
        chosen = self.window.table.selected_entry()
        if chosen is None:
            return
        started = self.controller.act(Continue(chosen.entry.id))
        if started is not None:
            name = chosen.entry.description or "the entry"
            self.window.after_action(f"Started “{name}” again.")

    def split_selected(self, at: str | None = None) -> None:
        """Cut the selected entry in two at ``at`` (typed as in the table); ``None`` asks,
        offering the entry's middle."""
        window = self.window
        chosen = window.table.selected_entry()
        if chosen is None:
            return
        entry = chosen.entry
        controller = self.controller
        zone = controller.zone()
        if at is None:
            offered = split_point(entry, controller.now(), zone)
            window.ask(f"Split “{entry.description or 'entry'}” at", text.local_time(offered, zone))
            return
        try:
            cut = window.model.read_time(at, entry.start, controller.now())
        except TimeParseError as exc:
            window.show_failure(str(exc))
            return
        parts = controller.act(Split(entry.id, cut))
        if parts is not None:
            window.after_action(
                f"Split at {text.local_time(cut, zone)}.",
                focus=(parts[1].id, Column.DESCRIPTION, False),
            )

    def fill_gap(self) -> None:
        """Add an entry over the untracked time before the selected one."""
        chosen = self.window.table.selected_entry()
        if chosen is None:
            return
        added = self.controller.act(FillGap(chosen.entry.id, self.window.shown_day))
        if added is not None:
            self.window.after_action(
                "Filled the gap; type what it was.", focus=(added.id, Column.DESCRIPTION, True)
            )

    # --- helpers ------------------------------------------------------------------------------

    def _action(
        self,
        label: str,
        keys: list[str],
        slot: Callable[[], object],
        tip: str,
        *,
        table_only: bool = False,
    ) -> QAction:
        window = self.window
        made = QAction(label, window)
        made.setShortcuts([QKeySequence(k) for k in keys])
        shown = ", ".join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys[:1]
        )
        made.setToolTip(f"{tip} ({shown})" if shown else tip)
        made.triggered.connect(slot)
        if table_only:
            made.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            window.table.addAction(made)
        else:
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(made)
        return made
