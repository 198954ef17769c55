"""The timer popup: start a timer with a description, project and tags, or edit the running one.

Enter starts a new timer with what is typed (or, while one runs, applies the edits to it);
Ctrl+Enter or the button stops; Esc closes. The elapsed time ticks once a second, only while
the popup is visible. Refusals (``Controller.failed``) show inline, not in a dialog.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QPoint, QRect, QSize, QStringListModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.domain.model import Entry
from tracker.domain.timeutil import TimeParseError, parse_when
from tracker.services.changes import Changes
from tracker.services.requests import Backdate, Discard, Edit, Start, Stop
from tracker.ui import text
from tracker.ui.appearance import set_tone
from tracker.ui.create import Creator
from tracker.ui.picker import ProjectPicker
from tracker.ui.screen import fit_to_screen
from tracker.ui.tag_picker import TagPicker
from tracker.ui.tray import entry_title

__all__ = ["TimerPopup"]

MARGIN = 8
"""Pixels kept between the popup and the tray icon or the screen's edge."""


class TimerPopup(QWidget):
    """A small frameless window near the tray icon for the timer."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.controller = controller
        self.setObjectName("timerPopup")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, on=False)
        self._running: Entry | None = None
        self._catalog_stale = True
        self._start_at: datetime | None = None

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
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        self.error.hide()

        self.start_stop = QPushButton("Start")
        self.start_stop.setAutoDefault(False)
        self.start_stop.clicked.connect(self._on_start_stop)
        self.discard = QPushButton("Discard")
        self.discard.setAutoDefault(False)
        self.discard.setToolTip("Throw the running entry away (undo in the today window)")
        self.discard.clicked.connect(self._on_discard)

        self._lay_out()

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_elapsed)
        self.description.returnPressed.connect(self.submit)
        self.started.returnPressed.connect(self._apply_start_time)
        self.picker.picked.connect(lambda *_: self.description.setFocus())
        self.picker.list_toggled.connect(lambda _shown: self._fit())
        controller.changed.connect(self._on_changed)
        controller.failed.connect(self._show_error)

    # --- what others use ----------------------------------------------------------------------

    def show_near(self, anchor: QPoint | QRect | None = None) -> None:
        """Show the popup next to ``anchor`` (the tray icon), inside the screen's work area."""
        self.load()
        size = self._fit()
        rect: QRect | None = None
        if isinstance(anchor, QPoint):
            rect = QRect(anchor, QSize(1, 1))
        elif isinstance(anchor, QRect) and not anchor.isEmpty():
            rect = anchor
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
        self.show()
        self.raise_()
        self.activateWindow()
        self.description.setFocus()
        self.description.selectAll()

    def _fit(self) -> QSize:
        """Take the content's size: the window grows while the picker's list shows."""
        # Bottom-up: a hidden window gets no layout events, so cached hints would be stale.
        for widget in (self.picker, self._frame, self):
            layout = widget.layout()
            if layout is not None:
                layout.invalidate()
                layout.activate()
            widget.updateGeometry()
        size = self.sizeHint()
        self.setFixedSize(size)
        return size

    def load(self) -> None:
        """Fill the fields from the running entry (or empty ones) and the catalog."""
        controller = self.controller
        self.error.hide()
        self._start_at = None
        self._descriptions.setStringList(controller.descriptions())
        if self._catalog_stale:
            self.picker.set_catalog(
                controller.projects(), controller.tasks(), controller.client_names()
            )
            self._catalog_stale = False
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
        self.start_stop.setText("Stop" if running else "Start")
        self.discard.setEnabled(running is not None)
        self.discard.setVisible(running is not None)
        self._update_elapsed()

    def submit(self) -> None:
        """Enter: start a timer with the fields, or apply them to the running one."""
        if self.picker.is_open():
            return
        if self.started.text().strip() and not self._apply_start_time(quiet=True):
            return
        done: object
        project_id, task_id = self.picker.selection()
        tags = self._selected_tags()
        description = self.description.text().strip()
        if self._running is None:
            done = self.controller.act(
                Start(
                    description,
                    project=project_id,
                    task=task_id,
                    tags=tags,
                    billable=self.billable.isChecked(),
                    at=self._start_at,
                )
            )
        else:
            done = self.controller.act(
                Edit(
                    self._running.id,
                    description=description,
                    project=project_id or "",
                    task=task_id or "",
                    tags=tags,
                    billable=self.billable.isChecked(),
                )
            )
        if done is not None:
            self.hide()

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
        """Stop ticking when hidden."""
        self._tick.stop()
        self.picker.close_list()
        super().hideEvent(event)

    def is_ticking(self) -> bool:
        """Whether the elapsed-time timer runs (only while shown with a running entry)."""
        return self._tick.isActive()

    # --- building -----------------------------------------------------------------------------

    def _make_fields(self) -> None:
        self.description = QLineEdit()
        self.description.setPlaceholderText("What are you working on?")
        self.description.setAccessibleName("Description")
        self._descriptions = QStringListModel(self)
        completer = QCompleter(self._descriptions, self.description)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(8)
        self.description.setCompleter(completer)

        self.picker = ProjectPicker(creator=Creator(self.controller))
        self.picker.picked.connect(self._project_picked)
        self.tags_button = TagPicker(creator=self.picker.creator)
        self.billable = QCheckBox("Billable")
        self.started = QLineEdit()
        self.started.setPlaceholderText("now")
        self.started.setAccessibleName("Started at")
        self.started.setToolTip("A time like 9:15, or -10m; Enter applies it")
        self.started.setMaximumWidth(110)

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
        form.addRow("Started at", self.started)
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

    def _project_picked(self, project_id: str | None, _task_id: str | None) -> None:
        """A chosen project brings its billable default (Clockify's rule)."""
        default = self.picker.billable_default(project_id)
        if default is not None:
            self.billable.setChecked(default)

    def _on_discard(self) -> None:
        if self._running is not None and self.controller.act(Discard()) is not None:
            self.hide()

    def _on_changed(self, changes: Changes) -> None:
        """A timer started or stopped elsewhere (the tray, a hotkey, the CLI) while the popup
        is open: show the new state, or the popup would offer to start what already runs.
        A changed catalog is read again when the popup next opens."""
        if changes.catalog or changes.account:
            self._catalog_stale = True
        if not self.isVisible() or not (changes.running or changes.account):
            return
        running = self.controller.running()
        before = self._running.id if self._running is not None else None
        if (running.id if running is not None else None) != before:
            self.load()

    def _show_error(self, message: str) -> None:
        if self.isVisible():
            self.error.setText(message)
            self.error.show()

    def _apply_start_time(self, *, quiet: bool = False) -> bool:
        """Read the start field: backdate the running entry, or keep it for the next start."""
        raw = self.started.text().strip()
        if not raw:
            self._start_at = None
            return True
        controller = self.controller
        try:
            at = parse_when(raw, now=controller.now(), tz=controller.zone())
        except TimeParseError as exc:
            self._show_error(str(exc))
            return False
        if self._running is None:
            self._start_at = at
            return True
        if at == self._running.start:
            return True
        if controller.act(Backdate(at)) is None:
            return False
        self._running = controller.running()
        self.error.hide()
        self._update_elapsed()
        if not quiet:
            self.description.setFocus()
        return True

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
