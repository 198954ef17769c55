"""The timer popup: start a timer with a description, project and tags, or edit the running one.

Enter starts a new timer with what is typed; Ctrl+Enter or the button stops; Esc closes. While
a timer runs, every change is saved as it is made, as Clockify and Toggl do: a project, task,
tag or billable at once, the description after a short pause in typing or on leaving the
field, and whatever is left when the popup hides; Esc closes and never discards. Each save is
one local write; the app sends them once the popup closes, so an edit session costs one
request (sync sends an entry's pending edits together).

Suggestions under the description come from the whole history and bring back the chosen
entry's project, task, tags and billable. Recent entries continue with one click; a discard
offers Undo in place. The elapsed time ticks once a second, only while the popup is visible.
Refusals (``Controller.failed``) show inline on one line, not in a dialog.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.domain.model import Entry
from tracker.domain.timeutil import TimeOutOfRange, TimeParseError, parse_when
from tracker.services.changes import Changes
from tracker.services.recent import RecentEntry
from tracker.services.requests import Backdate, Continue, Discard, Edit, Start, Stop, Undo
from tracker.ui import text
from tracker.ui.appearance import set_tone
from tracker.ui.create import Creator
from tracker.ui.picker import ProjectPicker
from tracker.ui.recent_list import SHOWN as RECENT_SHOWN
from tracker.ui.recent_list import RecentList
from tracker.ui.screen import fit_to_screen
from tracker.ui.suggestions import DescriptionSuggestions
from tracker.ui.tag_picker import TagPicker
from tracker.ui.tray import entry_title
from tracker.ui.undo_bar import UndoBar

__all__ = ["DESCRIPTION_PAUSE_MS", "NOT_A_TIME", "TimerPopup"]

MARGIN = 8
"""Pixels kept between the popup and the tray icon or the screen's edge."""

DESCRIPTION_PAUSE_MS = 1500
"""A pause in typing this long (milliseconds) saves the running entry's description: long
enough that a word typed is one save, short enough that little is lost if the app dies."""

"""Error text on a light and on a dark window: red that reads on either (contrast over 4.5)."""

NOT_A_TIME = "Not a time: try 9:30, 9:30am or -15m"
"""The one line shown for an unreadable start time (the accepted forms are in its tooltip)."""


class TimerPopup(QWidget):
    """A small frameless window near the tray icon for the timer.

    Signals:
        closed(): the popup hid, after saving what was left: its edits may be sent now.
    """

    closed = Signal()

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.controller = controller
        self.setObjectName("timerPopup")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, on=False)
        self._running: Entry | None = None
        self._start_at: datetime | None = None
        self._anchor: QRect | None = None
        self._shown: dict[str, Any] = {}
        """The fields as last filled or saved: only what differs from them is saved, so an
        edit made elsewhere meanwhile (the today window, the CLI) is not overwritten."""
        self._billable_set = False
        self._kept_open = False
        self._unseen_error: tuple[str, str | None] | None = None

        self.title = QLabel("Start a timer")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.elapsed = QLabel("")
        self.elapsed.setTextFormat(Qt.TextFormat.PlainText)
        self.elapsed.setObjectName("elapsed")
        big = self.elapsed.font()
        big.setPointSizeF(big.pointSizeF() * 1.4)
        self.elapsed.setFont(big)

        self._make_fields()
        self.error = QLabel()
        self.error.setObjectName("popupError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(False)  # one line: a long message must not squash the rows
        self.error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        set_tone(self.error, "error")  # follows the look, readable on light and dark
        self.error.hide()
        self.recent = RecentList()
        self.recent.continue_requested.connect(self._continue)
        self.undo_bar = UndoBar()
        self.undo_bar.undo_requested.connect(self._undo)
        self.undo_bar.hidden.connect(self._fit)

        self.start_stop = QPushButton("Start")
        self.start_stop.setAutoDefault(False)
        self.start_stop.clicked.connect(self._on_start_stop)
        self.discard = QPushButton("&Discard")  # Alt+D
        self.discard.setAutoDefault(False)
        self.discard.setToolTip("Throw the running entry away (Undo shows here)")
        self.discard.clicked.connect(self._on_discard)

        self._lay_out()

        self._connect()

    # --- what others use ----------------------------------------------------------------------

    def show_near(self, anchor: QPoint | QRect | None = None) -> None:
        """Show the popup next to ``anchor`` (the tray icon), inside the screen's work area."""
        self.load()
        rect: QRect | None = None
        if isinstance(anchor, QPoint):
            rect = QRect(anchor, QSize(1, 1))
        elif isinstance(anchor, QRect) and not anchor.isEmpty():
            rect = anchor
        self._anchor = rect
        self._fit()
        self.show()
        self.raise_()
        self.activateWindow()
        self.description.setFocus()
        self.description.selectAll()

    def _place(self, size: QSize) -> None:
        """Beside the anchor and inside the work area, for a window of ``size``."""
        rect = self._anchor
        screen = QGuiApplication.screenAt(rect.center()) if rect is not None else None
        area = (screen or QGuiApplication.primaryScreen()).availableGeometry()
        if rect is None:
            # No icon to point at (no tray, or not docked yet): the work area's corner.
            x = area.right() - size.width() - MARGIN
            y = area.bottom() - size.height() - MARGIN
        else:
            # Below the icon when it sits in a top panel, above it otherwise.
            x = rect.center().x() - size.width() // 2
            y = rect.bottom() + MARGIN
            if y + size.height() > area.bottom():
                y = rect.top() - size.height() - MARGIN
        x = max(area.left() + MARGIN, min(x, area.right() - size.width() - MARGIN))
        y = max(area.top() + MARGIN, min(y, area.bottom() - size.height() - MARGIN))
        self.move(x, y)
        fit_to_screen(self, area)

    def _fit(self) -> QSize:
        """Take the content's size and place the window again: it grows while the picker's
        list, an error or the undo bar shows, instead of squashing the rows."""
        # Bottom-up: a hidden window gets no layout events, so cached hints would be stale.
        for widget in (self.picker, self._frame, self):
            layout = widget.layout()
            if layout is not None:
                layout.invalidate()
                layout.activate()
            widget.updateGeometry()
        size = self.sizeHint()
        self.setFixedSize(size)
        self._place(size)
        return size

    def load(self) -> None:
        """Fill the fields from the running entry (or empty ones) and the catalog."""
        controller = self.controller
        self.error.hide()
        self._start_at = None
        self._pause.stop()
        self._billable_set = False
        self._kept_open = False
        self.suggestions.clear()
        self.recent.set_entries(controller.recent(RECENT_SHOWN))
        self.picker.load_catalog()
        self.picker.model.set_progress(controller.task_progress())
        self._fill_tags()
        running = controller.running()
        self._running = running
        if running is None:
            self.title.setText("Start a timer")
            self.description.clear()
            self.picker.set_selection(None, None)
            self._set_tags(set())
            self.billable.setChecked(False)
            self.started.clear()
            self.started.setPlaceholderText("now")
        else:
            view = controller.entry_view(running.id)
            self.title.setText("Running")
            self.description.setText(running.description)
            label = f"{view.project}: {view.task}" if view.task else (view.project or "")
            self.picker.set_selection(running.project_id, running.task_id, label)
            self._set_tags(set(running.tag_ids))
            self.billable.setChecked(running.billable)
            self.started.setText(text.local_time(running.start, controller.zone()))
        self._shown = self._fields()
        self.start_stop.setText("Stop" if running else "Start")
        self.discard.setEnabled(running is not None)
        self.discard.setVisible(running is not None)
        self._update_elapsed()
        if self.isVisible():
            self._fit()

    def submit(self) -> None:
        """Enter: start a timer with the fields, or save them to the running one and close."""
        if self.picker.is_open():
            return
        if self.started.text().strip() and not self._apply_start_time(quiet=True):
            return
        if self._running is not None:
            if self.save_running():
                self.hide()
            return
        project_id, task_id = self.picker.selection()
        if project_id and not self._budget_allows(project_id):
            return
        done = self.controller.act(
            Start(
                self.description.text().strip(),
                project=project_id,
                task=task_id,
                tags=self._selected_tags(),
                # As shown: a chosen project ticked it by its default, a person or a
                # suggestion may have set it since.
                billable=self.billable.isChecked(),
                at=self._start_at,
            )
        )
        if done is not None:
            self.hide()

    def _budget_allows(self, project_id: str) -> bool:
        """Whether to start on a project whose budget is known to be spent: asked, with
        Cancel the default (nothing is asked where no budget or no kept copy is known)."""
        spent = self.controller.spent_budget(project_id)
        if spent is None:
            return True
        name = " ".join(spent.name.split())  # one line, whatever Clockify holds
        name = name if len(name) <= 80 else name[:79] + "…"
        return self.confirm_spent(
            f"The budget of {name} is spent ({spent.budget_progress:.0%} used). "
            "Start a timer on it anyway?"
        )

    def confirm_spent(self, question: str) -> bool:
        """Ask ``question``; Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Budget spent", question, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        go = box.addButton("Start anyway", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.exec()
        return box.clickedButton() is go

    def save_running(self) -> bool:
        """Save what the person changed on the running entry (one local write; nothing when
        nothing changed); whether it is saved."""
        self._pause.stop()
        running = self._running
        if running is None:
            return True
        changes = self._edits(running)
        if not changes:
            return True
        saved = self.controller.act(Edit(running.id, **changes))
        if saved is None:
            return False
        self._running = saved
        self._shown = self._fields()
        self._kept_open = False
        return True

    def stop(self) -> None:
        """Ctrl+Enter or the Stop button."""
        if self._running is not None and self.controller.act(Stop()) is not None:
            self.hide()

    # --- events -------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc closes; Ctrl+Enter stops; Enter (outside the fields that take it) submits."""
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.hide()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.stop()
            elif self.focusWidget() not in (self.description, self.started):
                # Those fields answer Enter themselves (returnPressed), and a QLineEdit
                # passes the key on afterwards: submitting here too would start twice.
                self.submit()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Tick the elapsed time only while shown."""
        super().showEvent(event)
        if self._running is not None:
            self._tick.start()

    def hideEvent(self, event: QHideEvent) -> None:
        """Save what is left (Esc or a click outside closes, never discards); stop ticking.

        A save refused here (a rule of the workspace) opens the popup again, with the edits
        and the reason, once: closing it a second time lets the edits go.
        """
        self._tick.stop()
        self.picker.close_list()
        self.suggestions.clear()  # and a burst's query still to come
        if self._running is not None:
            if self._start_changed():
                self._apply_start_time(quiet=True)
            self._unseen_error = None
            if not self.save_running() and not self._kept_open:
                self._kept_open = True
                self._reopen.start()
        self.undo_bar.dismiss()
        super().hideEvent(event)
        self.closed.emit()

    def is_ticking(self) -> bool:
        """Whether the elapsed-time timer runs (only while shown with a running entry)."""
        return self._tick.isActive()

    # --- building -----------------------------------------------------------------------------

    def _make_fields(self) -> None:
        self.description = QLineEdit()
        self.description.setPlaceholderText("What are you working on?")
        self.description.setAccessibleName("Description")
        self.suggestions = DescriptionSuggestions(self.controller, self.description)
        self.suggestions.chosen.connect(self._use_suggestion)
        self.suggestions.typed_enter.connect(self.submit)

        # The project picker and the tags: built and wired here, in one place.
        self.picker = ProjectPicker(creator=Creator(self.controller))
        self.picker.picked.connect(self._project_picked)
        self.picker.edit.textEdited.connect(self._project_typed)
        self.picker.list_toggled.connect(lambda _shown: self._fit())
        self.tags_button = TagPicker(creator=self.picker.creator)
        self.tags_button.changed.connect(lambda _ids: self._changed())
        self.billable = QCheckBox("Billable")
        self.started = QLineEdit()
        self.started.setPlaceholderText("now")
        self.started.setAccessibleName("Started at")
        self.started.setToolTip("A time like 9:15, 9:15am or -10m; Enter applies it")
        self.started.setMaximumWidth(110)

    def _connect(self) -> None:
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_elapsed)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(DESCRIPTION_PAUSE_MS)
        self._pause.timeout.connect(self.save_running)
        self._reopen = QTimer(self)
        self._reopen.setSingleShot(True)
        self._reopen.setInterval(0)
        self._reopen.timeout.connect(self._show_refusal)
        self.description.returnPressed.connect(self.submit)
        self.description.textEdited.connect(self._description_edited)
        self.description.editingFinished.connect(self._left_description)
        self.started.returnPressed.connect(self._apply_start_time)
        self.billable.clicked.connect(self._billable_clicked)
        self.controller.changed.connect(self._on_changed)
        self.controller.failed.connect(self._show_error)

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.elapsed)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Description", self.description)
        form.addRow("Project", self.picker)
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.tags_button, 1)
        tag_row.addWidget(self.billable)
        form.addRow("Tags", tag_row)
        form.addRow("Started &at", self.started)  # Alt+A
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard)
        buttons.addStretch(1)
        buttons.addWidget(self.start_stop)
        frame = self._frame = QFrame()
        frame.setObjectName("popupFrame")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(12, 10, 12, 10)
        inner.addLayout(header)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addLayout(buttons)
        inner.addWidget(self.undo_bar)
        inner.addWidget(self.recent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        frame.setMinimumWidth(420)

    # --- helpers ------------------------------------------------------------------------------

    def _on_start_stop(self) -> None:
        if self._running is not None:
            self.stop()
        else:
            self.submit()

    def _on_discard(self) -> None:
        """Discard, and stay open with Undo in place for a few seconds."""
        if self._running is None:
            return
        self._pause.stop()
        discarded = self.controller.act(Discard())
        if discarded is None:
            return
        self.load()
        what = f'"{discarded.description}"' if discarded.description else "the timer"
        self.undo_bar.offer(f"Discarded {what}", discarded.id)
        self._fit()
        self.description.setFocus()

    def _undo(self, entry_id: str) -> None:
        if self.controller.act(Undo(touching=entry_id)) is not None:
            self.load()
        self._fit()

    def _continue(self, entry_id: str) -> None:
        """A recent entry clicked: start its work again (stopping the running timer)."""
        if self.controller.act(Continue(entry_id)) is not None:
            self.hide()

    def _use_suggestion(self, chosen: RecentEntry) -> None:
        """Take a suggestion's description, project, task, tags and billable; with no timer
        running, start it (the Enter that chose it means go), else save it to the running
        one."""
        entry = chosen.entry
        self.description.setText(entry.description)
        label = f"{chosen.project}: {chosen.task}" if chosen.task else (chosen.project or "")
        self.picker.set_selection(entry.project_id, entry.task_id, label)
        self._set_tags(set(entry.tag_ids))
        self.billable.setChecked(entry.billable)
        self._billable_set = True
        if self._running is None:
            self.submit()
        else:
            self.save_running()

    def _project_picked(self, project_id: str | None, _task_id: str | None) -> None:
        """A chosen project brings its billable default (Clockify's rule), unless Billable was
        set by hand; a running entry gets the change at once."""
        default = self.picker.billable_default(project_id)
        if default is not None and not self._billable_set:
            self.billable.setChecked(default)
        self._changed()
        self.description.setFocus()

    def _project_typed(self, typed: str) -> None:
        if not typed:  # the field cleared: no project
            self._changed()

    def _billable_clicked(self, _checked: bool) -> None:
        self._billable_set = True
        self._changed()

    def _changed(self) -> None:
        """A project, task, tag or billable was changed: a running entry gets it at once."""
        if self._running is not None:
            self.save_running()

    def _left_description(self) -> None:
        """Leaving the field saves it; the field also "finishes" when the hidden popup is
        torn down, and hiding has saved already."""
        if self.isVisible():
            self.save_running()

    def _description_edited(self, _text: str) -> None:
        if self._running is not None:
            self._pause.start()

    def _fields(self) -> dict[str, Any]:
        """What the fields show, in the terms :meth:`_edits` compares."""
        return {
            "description": self.description.text().strip(),
            "project": self.picker.selection(),
            "tags": frozenset(self._selected_tags()),
            "billable": self.billable.isChecked(),
        }

    def _edits(self, running: Entry) -> dict[str, Any]:
        """The fields changed here since they were filled, as ``Edit`` arguments (those
        already equal to ``running``'s are left out)."""
        now, shown = self._fields(), self._shown
        changes: dict[str, Any] = {}
        if now["description"] not in (shown.get("description"), running.description):
            changes["description"] = now["description"]
        project_id, task_id = now["project"]
        if now["project"] not in (shown.get("project"), (running.project_id, running.task_id)):
            changes["project"] = project_id or ""
            changes["task"] = task_id or ""
        if now["tags"] not in (shown.get("tags"), frozenset(running.tag_ids)):
            changes["tags"] = sorted(now["tags"])
        if now["billable"] not in (shown.get("billable"), running.billable):
            changes["billable"] = now["billable"]
        return changes

    def _on_changed(self, changes: Changes) -> None:
        """A timer started or stopped elsewhere (the tray, a hotkey, the CLI) while the popup
        is open: show the new state, or the popup would offer to start what already runs.
        The picker follows a changed catalog or favourites itself."""
        if not self.isVisible() or not (changes.running or changes.account):
            return
        running = self.controller.running()
        before = self._running.id if self._running is not None else None
        if (running.id if running is not None else None) != before:
            self.load()
        elif running is not None:
            self._running = running  # edited elsewhere: untouched fields are not saved back

    def _show_refusal(self) -> None:
        """Open again, as it was, with why the last save was refused."""
        self.show()
        self.raise_()
        self.activateWindow()
        if self._unseen_error is not None:
            self._show_error(*self._unseen_error)
        self.description.setFocus()

    def _show_error(self, message: str, detail: str | None = None) -> None:
        """One line (the whole message, or ``detail``, in its tooltip); the window grows by
        that line instead of squashing the rows."""
        if not self.isVisible():
            self._unseen_error = (message, detail)
            return
        first = message.strip().splitlines()[0] if message.strip() else message
        width = max(self._frame.width() - 24, 200)
        shown = self.error.fontMetrics().elidedText(first, Qt.TextElideMode.ElideRight, width)
        full = detail if detail is not None else message
        self.error.setText(shown)
        self.error.setToolTip(text.tooltip(full) if full != shown else "")
        self.error.setAccessibleDescription(full)
        self.error.show()
        self._fit()

    def _hide_error(self) -> None:
        if not self.error.isHidden():
            self.error.hide()
            self._fit()

    def _start_changed(self) -> bool:
        """Whether the start field holds something other than the running entry's start."""
        running = self._running
        raw = self.started.text().strip()
        if running is None or not raw:
            return False
        return raw != text.local_time(running.start, self.controller.zone())

    def _apply_start_time(self, *, quiet: bool = False) -> bool:
        """Read the start field: backdate the running entry, or keep it for the next start."""
        raw = self.started.text().strip()
        if not raw:
            self._start_at = None
            return True
        controller = self.controller
        try:
            at = parse_when(raw, now=controller.now(), tz=controller.zone())
        except TimeOutOfRange as exc:
            self._show_error(str(exc))
            self._correct_start()
            return False
        except TimeParseError as exc:
            self._show_error(NOT_A_TIME, detail=str(exc))
            self._correct_start()
            return False
        if self._running is None:
            self._start_at = at
            self._hide_error()
            return True
        if at == self._running.start:
            self._hide_error()
            return True
        if controller.act(Backdate(at)) is None:
            return False
        self._running = controller.running()
        self._hide_error()
        self._update_elapsed()
        if not quiet:
            self.description.setFocus()
        return True

    def _correct_start(self) -> None:
        """Keep the typed start for correcting: focus it, selected."""
        if self.isVisible():
            self.started.setFocus()
            self.started.selectAll()

    def _update_elapsed(self) -> None:
        running = self._running
        if running is None:
            self.elapsed.setText("")
            self._tick.stop()
            return
        elapsed = max(self.controller.now() - running.start, timedelta(0))
        self.elapsed.setText(text.clock(elapsed))
        self.elapsed.setToolTip(
            text.tooltip(entry_title(running.description, None, None) + " — running")
        )
        if self.isVisible() and not self._tick.isActive():
            self._tick.start()

    def _fill_tags(self) -> None:
        self.tags_button.set_tags(self.controller.tags())

    def _set_tags(self, ids: set[str]) -> None:
        self.tags_button.set_selected(sorted(ids))

    def _selected_tags(self) -> list[str]:
        return self.tags_button.selected()
