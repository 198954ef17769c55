"""The Schedule page of the Workspace window: a week grid of who is booked on what.

A row per person with their booked hours per day against their capacity (an over-booked day
in the warning tone), and under it a row per project (Space or Left/Right fold them);
◀ ▶ change the week (Ctrl+Left, Ctrl+Right, Ctrl+Home). The form beside the grid books a
person (Ctrl+N), changes the chosen assignment (Ctrl+S; this one, the following or the whole
series), copies it to the next week or to the person chosen (Ctrl+D), deletes it (Del, after
asking) and publishes the week's drafts (Ctrl+P, after asking). It opens on the week as kept
(offline too) and asks Clockify through the sync worker when that is old.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker.services.abilities import plan_lacks
from tracker.services.admin_schedule import (
    SCHEDULING,
    Booking,
    PersonWeek,
    ProjectRow,
    Schedule,
    ScheduleWeek,
    short_id,
)
from tracker.services.catalog import Catalog
from tracker.services.context import Context
from tracker.store import Store
from tracker.ui.admin_page import AdminPage, PageContext
from tracker.ui.appearance import tone_colour
from tracker.ui.period_header import PeriodHeader
from tracker.ui.reflow import ReflowPairs
from tracker.ui.rows_model import Index, Row, RowsModel

if TYPE_CHECKING:
    from tracker.api import ClockifyClient

__all__ = ["GridModel", "SchedulePage"]

_WEEKDAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SERIES = (
    ("This one", "this"),
    ("This and the following", "following"),
    ("All of its series", "all"),
)


def _hours(value: float) -> str:
    return f"{value:g}"


def _load(scheduled: float, capacity: float | None, *, over: bool) -> str:
    """Booked/capacity hours; ``!`` marks an over-booked day (drawn in the warning tone)."""
    shown = "?" if capacity is None else _hours(capacity)
    return f"{_hours(scheduled)}/{shown}{'!' if over else ''}"


class GridModel(RowsModel):
    """The rows, with over-booked cells (marked ``!``) in the warning tone and person rows
    bold."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        cell = row.cells[index.column()] if index.column() < len(row.cells) else ""
        if role == Qt.ItemDataRole.ForegroundRole and cell.endswith("!"):
            return tone_colour(self._palette(), "warning")
        if role == Qt.ItemDataRole.FontRole and isinstance(row.item, PersonWeek):
            parent = self.parent()
            font = parent.font() if isinstance(parent, QWidget) else None
            if font is not None:
                font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)

    def _palette(self) -> Any:
        parent = self.parent()
        return parent.palette() if isinstance(parent, QWidget) else None

    def set_headers(self, headers: tuple[str, ...]) -> None:
        """New day titles (another week; as many columns, so the chosen row stays)."""
        self.headers = headers
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(headers) - 1)


class SchedulePage(AdminPage):
    """Who is booked on what this week, against capacity; booking, changing, copying,
    deleting and publishing."""

    title = "Schedule"
    headers = ("Person / project", *_WEEKDAY, "Total")
    object_name = "schedulePage"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        self.week: ScheduleWeek | None = None
        self.folded: set[str] = set()
        self._people: list[tuple[str, str]] = []
        self._done_note = ""
        self._filled: tuple[str | None, tuple[object, ...]] = (None, ())
        """The row whose values the form was filled with, and those values."""
        self._filling = False
        """The form is being filled from the chosen row (not edited by the person)."""
        super().__init__(context, parent)
        self.service = Schedule(context.service_context())
        self.day = self.service.week_of(self._today())
        self.grid = GridModel(self.headers, self)
        self.model = self.grid
        self.table.setModel(self.grid)
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.selectionModel().currentRowChanged.connect(self._moved)
        self._period()
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.addWidget(self._form())
        self._actions()
        self.show_week(None)

    # --- building ---------------------------------------------------------------------------

    def _period(self) -> None:
        header = PeriodHeader(self)
        header.addWidget(header.title, 1)
        self.period_title = header.title
        self.prev_button, self.here_button = header.prev_button, header.here_button
        self.next_button = header.next_button
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertLayout(1, header)

    def _actions(self) -> None:
        def action(
            label: str, keys: str, slot: Callable[[], object], tip: str, *, grid: bool = False
        ) -> QAction:
            made = QAction(label, self)
            made.setShortcut(QKeySequence(keys))
            made.setToolTip(f"{tip} ({keys})")
            made.triggered.connect(slot)
            # Del and Space act on the grid only: in the form they type.
            owner: QWidget = self.table if grid else self
            made.setShortcutContext(
                Qt.ShortcutContext.WidgetShortcut
                if grid
                else Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            owner.addAction(made)
            return made

        self.previous_action = action("◀", "Ctrl+Left", lambda: self.go(-1), "Previous week")
        self.next_action = action("▶", "Ctrl+Right", lambda: self.go(1), "Next week")
        self.this_action = action("This week", "Ctrl+Home", lambda: self.go(0), "This week")
        self.prev_button.setDefaultAction(self.previous_action)
        self.here_button.setDefaultAction(self.this_action)
        self.next_button.setDefaultAction(self.next_action)
        self.add_action = action("Add", "Ctrl+N", self.add, "Book the person chosen")
        self.save_action = action("Save", "Ctrl+S", self.save, "Change the chosen assignment")
        self.copy_action = action(
            "Copy", "Ctrl+D", self.copy, "Copy it to next week or to the person chosen"
        )
        self.delete_action = action(
            "Delete", "Del", self.delete, "Delete the chosen assignment", grid=True
        )
        self.publish_action = action("Publish", "Ctrl+P", self.publish, "Publish this week")
        self.fold_action = action(
            "Fold", "Space", self.toggle, "Fold or unfold a person", grid=True
        )
        for button, item in (
            (self.add_button, self.add_action),
            (self.save_button, self.save_action),
            (self.copy_button, self.copy_action),
            (self.delete_button, self.delete_action),
            (self.publish_button, self.publish_action),
        ):
            button.setText(item.text())
            button.setToolTip(item.toolTip())
            button.clicked.connect(item.trigger)

    def _form(self) -> QWidget:
        """The form under the grid (the grid takes the window's width): what is chosen,
        the fields of a booking in as many rows as the width needs, and the buttons."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.chosen_label = QLabel("")
        self.chosen_label.setTextFormat(Qt.TextFormat.PlainText)
        self.person_box = QComboBox()
        self.project_box = QComboBox()
        # as wide as some letters, not as the longest name anyone may give
        for chooser, letters in ((self.person_box, 12), (self.project_box, 18)):
            chooser.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            chooser.setMinimumContentsLength(letters)
        self.first_edit = QDateEdit()
        self.last_edit = QDateEdit()
        for edit in (self.first_edit, self.last_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.hours_box = QDoubleSpinBox()
        self.hours_box.setRange(0.25, 24)
        self.hours_box.setSingleStep(0.5)
        self.hours_box.setValue(4)
        self.hours_box.setSuffix(" h a day")
        self.weeks_box = QSpinBox()
        self.weeks_box.setRange(1, 12)
        self.weeks_box.setSuffix(" week(s)")
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(100)
        self.note_edit.setPlaceholderText("Note")
        self.series_box = QComboBox()
        for label, value in _SERIES:
            self.series_box.addItem(label, value)
        self._engaging()
        grid.addWidget(self.chosen_label, 0, 0)
        pairs = []
        for text, field in (
            ("&Person", self.person_box),
            ("Pro&ject", self.project_box),
            ("F&rom", self.first_edit),
            ("&To", self.last_edit),
            ("H&ours", self.hours_box),
            ("Re&peat", self.weeks_box),
            ("&Series", self.series_box),
            ("No&te", self.note_edit),
        ):
            caption = QLabel(text)
            caption.setBuddy(field)
            pairs.append((caption, field))
        # as many fields a row as the width holds: at scale 2 the page fits the screen
        self.fields = ReflowPairs(pairs)
        grid.addWidget(self.fields, 1, 0)
        buttons = QHBoxLayout()
        self.add_button = QPushButton()
        self.save_button = QPushButton()
        self.copy_button = QPushButton()
        self.delete_button = QPushButton()
        self.publish_button = QPushButton()
        for button in (
            self.add_button,
            self.save_button,
            self.copy_button,
            self.delete_button,
            self.publish_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0)
        return box

    def _engaging(self) -> None:
        """Any field the person edits marks the chosen row worked on (:meth:`engage`): a
        filter keystroke or a refresh landing then keeps it rather than going back to a row
        the filter hid before. The lists and the note have signals only a person fires; the
        dates and numbers change from :meth:`chosen` too, which is told apart."""
        for box in (self.person_box, self.project_box, self.series_box):
            box.activated.connect(lambda _index: self.engage())
        self.note_edit.textEdited.connect(lambda _text: self.engage())
        for edit in (self.first_edit, self.last_edit):
            edit.dateChanged.connect(lambda _date: self._edited())
        for number in (self.hours_box, self.weeks_box):
            number.valueChanged.connect(lambda _value: self._edited())

    def _edited(self) -> None:
        if not self._filling:
            self.engage()

    # --- reading ----------------------------------------------------------------------------

    def shown(self) -> None:
        """What is kept at once, a refresh when due, and the keys on the grid."""
        super().shown()
        if not self.search.hasFocus():
            self.table.setFocus()

    def go(self, weeks: int) -> None:
        """Show the week ``weeks`` from this one (0: this week)."""
        if weeks == 0:
            self.day = self.service.week_of(self._today())
        else:
            self.day = self.day + timedelta(days=7 * weeks)
        self.say("")
        if not self.load_kept():
            self.show_week(None)
        self.refresh()

    def _today(self) -> date:
        """Today in the person's zone."""
        context = self.service.context
        return context.now().astimezone(context.zone()).date()

    def load_kept(self) -> bool:
        kept = self.service.kept_week(self.day)
        self.show_week(kept)
        return kept is not None

    def unplanned(self) -> str:
        """Why nothing can be asked: the plan is known to have no Scheduling (Clockify
        would answer 403, each costing a request); "" otherwise."""
        if plan_lacks(self.context.store, SCHEDULING):
            return (
                "This workspace's Clockify plan has no Scheduling (it comes with the Pro plan "
                "and above)."
            )
        return ""

    def refresh(self, *, force: bool = False) -> None:
        if self.busy or not (force or self.service.due(self.week)):
            return
        why = self.unplanned()
        if why:
            self.say(why, "muted")
            return
        day, clock = self.day, self.context.clock

        async def work(store: Store, api: ClockifyClient) -> ScheduleWeek:
            return await Schedule(Context(store, clock), api).week(day, refresh=force)

        def done(result: Any) -> None:
            if isinstance(result, ScheduleWeek) and result.first == self.day:
                self.show_week(result)
                if result.offline:
                    self.say(result.offline, "muted")
            if self._done_note:
                self.say(self._done_note, "muted")
                self._done_note = ""

        self.ask(work, done, cancellable=True)

    def show_week(self, week: ScheduleWeek | None) -> None:
        """Show ``week`` (``None``: nothing read yet for the week chosen)."""
        self.week = week
        first = self.day
        days = [first + timedelta(days=n) for n in range(7)]
        self.grid.set_headers(
            ("Person / project", *(f"{_WEEKDAY[d.weekday()]} {d.day:02d}" for d in days), "Total")
        )
        self.period_title.setText(f"Week of {first:%d %b %Y}")
        rows: list[Row] = []
        if week is not None:
            for person in week.people:
                rows.extend(self._rows(person))
            self._people = [(p.user_id, p.name) for p in week.people]
        self._fill_people()
        self.show_rows(rows)
        self.table.resizeColumnsToContents()
        if week is not None:
            self.show_as_of_week(week)
        else:
            self.as_of.setText("not read yet")
        drafts = f"; {_hours(week.drafts)} h not published yet" if week and week.drafts else ""
        self.publish_button.setToolTip(f"Publish this week{drafts} (Ctrl+P)")

    def show_as_of_week(self, week: ScheduleWeek) -> None:
        from tracker.services.admin_base import Kept  # noqa: PLC0415 - only for the label

        self.show_as_of(Kept(None, week.as_of, week.stale))

    def _rows(self, person: PersonWeek) -> list[Row]:
        folded = person.user_id in self.folded
        mark = "▸ " if folded else "▾ "
        cells = [
            _load(d.scheduled, d.capacity if d.known else None, over=d.over) for d in person.days
        ]
        capacity = person.capacity if person.capacity_known else None
        total = _load(person.scheduled, capacity, over=False)
        rows = [Row((mark + person.name, *cells, total), f"p:{person.user_id}", person)]
        if folded:
            return rows
        for project in person.rows:
            ids = " ".join(f"#{short_id(b)}" for b in project.bookings)
            hours = [_hours(h) if h else "\u00b7" for h in project.hours]
            label = f"    {project.label} {ids}"
            rows.append(
                Row(
                    (label, *hours, _hours(project.total)),
                    f"r:{person.user_id}:{project.project_id}:{project.label}",
                    project,
                    haystack=f"{person.name} {project.label} {ids}".casefold(),
                )
            )
        return rows

    def _fill_people(self) -> None:
        chosen = self.person_box.currentData()
        self.person_box.clear()
        for user_id, name in self._people:
            self.person_box.addItem(name, user_id)
        if chosen is not None:
            found = self.person_box.findData(chosen)
            if found >= 0:
                self.person_box.setCurrentIndex(found)
        if self.project_box.count() == 0:
            catalog = Catalog(self.context.service_context())
            for project in catalog.projects():
                self.project_box.addItem(catalog.project_label(project), project.id)

    # --- choosing ---------------------------------------------------------------------------

    def booking(self) -> Booking | None:
        """The assignment of the chosen project row (its first, when it holds several)."""
        row = self.model.row(self.table.currentIndex().row())
        if row is None or not isinstance(row.item, ProjectRow) or self.week is None:
            return None
        wanted = row.item.bookings[0]
        return next((b for b in self.week.bookings if b.id == wanted), None)

    def chosen(self, row: Row | None) -> None:
        if not hasattr(self, "publish_button"):
            return  # the base class chooses before the form is built
        self._filling = True
        try:
            self._fill(row)
        finally:
            self._filling = False

    def _fill(self, row: Row | None) -> None:
        """The form for ``row``, unless what was typed for it is still there."""
        person = row.item if row is not None and isinstance(row.item, PersonWeek) else None
        booking = self.booking() if row is not None else None
        key = row.key if row is not None else None
        typed = key is not None and key == self._filled[0] and self._typed() != self._filled[1]
        if typed:
            pass  # the same row again (a refresh, the filter): what was typed stays
        elif booking is not None:
            self.chosen_label.setText(
                f"#{short_id(booking.id)} {booking.user_name}: {booking.label}, "
                f"{booking.first:%a %d %b} to {booking.last:%a %d %b}, "
                f"{_hours(booking.hours_per_day)} h a day"
            )
            self._select_person(booking.user_id)
            self._set_dates(booking.first, booking.last)
            self.hours_box.setValue(booking.hours_per_day)
            self.note_edit.setText(booking.note)
            found = self.project_box.findData(self._local_project(booking.project_id))
            if found >= 0:
                self.project_box.setCurrentIndex(found)
        elif person is not None:
            over = " (over-booked)" if person.over_booked else ""
            of = f" of {_hours(person.capacity)}" if person.capacity_known else ""
            self.chosen_label.setText(f"{person.name}: {_hours(person.scheduled)}{of} h{over}")
            self._select_person(person.user_id)
            self._set_dates(self.day, self.day + timedelta(days=4))
        else:
            self.chosen_label.setText("")
        if not typed:
            self._filled = (key, self._typed())
        for item in (self.save_action, self.copy_action, self.delete_action):
            item.setEnabled(booking is not None)
            self._button_of(item).setEnabled(booking is not None)

    def _typed(self) -> tuple[object, ...]:
        """The form's fields as they stand, to tell what was typed from what was filled."""
        return (
            self.person_box.currentData(),
            self.project_box.currentData(),
            self.first_edit.date(),
            self.last_edit.date(),
            self.hours_box.value(),
            self.note_edit.text(),
        )

    def _button_of(self, item: QAction) -> QPushButton:
        return {
            self.save_action: self.save_button,
            self.copy_action: self.copy_button,
            self.delete_action: self.delete_button,
        }[item]

    def _select_person(self, user_id: str) -> None:
        found = self.person_box.findData(user_id)
        if found >= 0:
            self.person_box.setCurrentIndex(found)

    def _set_dates(self, first: date, last: date) -> None:
        self.first_edit.setDate(QDate(first.year, first.month, first.day))
        self.last_edit.setDate(QDate(last.year, last.month, last.day))

    def _local_project(self, server_id: str) -> str:
        store = self.context.store
        return store.catalog.local_id("project", store.meta.workspace_id() or "", server_id) or ""

    def toggle(self) -> None:
        """Fold or unfold the chosen person's projects."""
        row = self.model.row(self.table.currentIndex().row())
        if row is None or self.week is None:
            return
        user_id = row.key.split(":")[1]
        self.folded ^= {user_id}
        self.show_week(self.week)
        self.select(f"p:{user_id}")

    # --- changing ---------------------------------------------------------------------------

    def confirm(self, text: str) -> bool:
        """Ask before a destructive change (a test answers for the person)."""
        answer = QMessageBox.question(self, "Schedule", text)
        return answer == QMessageBox.StandardButton.Yes

    def _dates(self) -> tuple[date, date]:
        first, last = self.first_edit.date(), self.last_edit.date()
        return (
            date(first.year(), first.month(), first.day()),
            date(last.year(), last.month(), last.day()),
        )

    def _change(
        self, what: str, work: Callable[[Schedule], Any], said: Callable[[Any], str]
    ) -> None:
        def done(result: Any) -> None:
            self._done_note = said(result)  # said again once the week is read back
            self.say(self._done_note, "muted")
            self.refresh(force=True)

        if self.busy:
            self.say(f"Wait for Clockify's answer before you {what}.", "muted")
            return
        why = self.unplanned()
        if why:
            self.say(why, "muted")
            return
        self.send(Schedule, work, done)

    def add(self) -> None:
        """Book the person chosen on the project chosen (Ctrl+N)."""
        user_id = self.person_box.currentData()
        local = self.project_box.currentData()
        if not user_id or not local:
            self.say("Choose a person and a project first.")
            return
        first, last = self._dates()
        hours, weeks = self.hours_box.value(), self.weeks_box.value()
        note = self.note_edit.text().strip() or None
        name = self.person_box.currentText()

        async def work(service: Schedule) -> list[Booking]:
            project_id = service.server_id("project", local)
            return await service.add(
                user_id, project_id, first, last, hours, weeks=weeks, note=note, user_name=name
            )

        self._change("book someone else", work, lambda made: f"Booked {len(made)} (a draft).")

    def save(self) -> None:
        """Change the chosen assignment as the form says (Ctrl+S)."""
        booking = self.booking()
        if booking is None:
            return
        first, last = self._dates()
        hours = self.hours_box.value()
        note = self.note_edit.text().strip()
        series = str(self.series_box.currentData())

        async def work(service: Schedule) -> list[Booking]:
            return await service.edit(
                booking, first=first, last=last, hours=hours, note=note, series=series
            )

        self._change("change more", work, lambda made: f"Changed {len(made)} (a draft).")

    def copy(self) -> None:
        """Copy the chosen assignment to the person chosen (when another), else to next week
        (Ctrl+D)."""
        booking = self.booking()
        if booking is None:
            return
        user_id = self.person_box.currentData()
        other = user_id if user_id and user_id != booking.user_id else None
        name = self.person_box.currentText() if other else ""
        to_week = None if other else booking.first + timedelta(days=7)

        async def work(service: Schedule) -> list[Booking]:
            return await service.copy(booking, to_week=to_week, to_user=other, user_name=name)

        where = f"for {name}" if other else "to next week"
        self._change("copy more", work, lambda made: f"Copied {len(made)} {where} (a draft).")

    def delete(self) -> None:
        """Delete the chosen assignment, after asking (Del)."""
        booking = self.booking()
        if booking is None:
            return
        series = str(self.series_box.currentData())
        reach = {"this": "", "following": " and the following ones", "all": " and its series"}
        text = (
            f"Delete {booking.user_name}'s {booking.label} from {booking.first:%a %d %b} "
            f"to {booking.last:%a %d %b}{reach[series]}?"
        )
        if not self.confirm(text):
            return

        async def work(service: Schedule) -> list[Booking]:
            return await service.delete(booking, series=series)

        self._change("delete more", work, lambda gone: f"Deleted {max(len(gone), 1)}.")

    def publish(self) -> None:
        """Publish this week's drafts to the people booked, after asking (Ctrl+P)."""
        drafts = self.week.drafts if self.week is not None else 0
        if not self.confirm(
            f"Publish the week of {self.day:%d %b} ({_hours(drafts)} h not published yet) to "
            "the people booked?"
        ):
            return
        day = self.day

        async def work(service: Schedule) -> None:
            await service.publish(day)

        self._change("publish again", work, lambda _none: "Published this week.")
