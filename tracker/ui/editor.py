"""The full entry editor: every field of one entry, its custom fields and its sync state.

Save sends only the fields that were changed, so an edit made elsewhere meanwhile (a sync, the
table) is not overwritten by values the person never touched. A refusal is shown inside the
dialog, which stays open to fix it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.controller import Controller
from tracker.domain.durations import DurationError, parse_human
from tracker.domain.model import CustomFieldDef, SyncState
from tracker.domain.timeutil import TimeParseError, parse_when
from tracker.services.requests import Edit
from tracker.services.views import EntryView
from tracker.ui import text
from tracker.ui.appearance import set_tone
from tracker.ui.create import Creator
from tracker.ui.delegates import ListCompleter
from tracker.ui.entries_model import FIX_HINT, future_end_question, state_label
from tracker.ui.picker import ProjectPicker
from tracker.ui.tag_picker import TagPicker

__all__ = ["EntryEditor"]


def _plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class _FieldInput:
    """One custom field's widget and the text it started with."""

    def __init__(self, definition: CustomFieldDef, value: Any, parent: QWidget) -> None:
        self.definition = definition
        kind = definition.kind.upper()
        self.widget: QWidget
        if kind == "CHECKBOX":
            box = QCheckBox(parent)
            box.setChecked(bool(value))
            self.widget = box
        elif definition.allowed_values and kind != "DROPDOWN_MULTIPLE":
            combo = QComboBox(parent)
            combo.addItems(["", *definition.allowed_values])
            combo.setCurrentText("" if value is None else str(value))
            self.widget = combo
        else:
            line = QLineEdit(parent)
            if isinstance(value, list):
                line.setText(", ".join(str(v) for v in value))
            elif value is not None:
                line.setText(str(value))
            if kind == "NUMBER":
                line.setPlaceholderText("a number")
            elif kind == "DROPDOWN_MULTIPLE":
                line.setPlaceholderText(", ".join(definition.allowed_values[:3]))
                line.setCompleter(ListCompleter(definition.allowed_values, line))
            self.widget = line
        self.initial = self.value()

    def value(self) -> Any:
        """What the widget holds, as the services take it."""
        if isinstance(self.widget, QCheckBox):
            return self.widget.isChecked()
        if isinstance(self.widget, QComboBox):
            return self.widget.currentText()
        assert isinstance(self.widget, QLineEdit)
        return self.widget.text().strip()


class EntryEditor(QDialog):
    """Edit one entry completely; ``accepted`` after a successful save."""

    def __init__(
        self, controller: Controller, entry_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.entry_id = entry_id
        self.setWindowTitle("Edit entry")
        self.setMinimumWidth(520)
        self._zone = controller.zone()
        self.view: EntryView = controller.entry_view(entry_id)
        self._fields: list[_FieldInput] = []
        self._confirmed: dict[str, Any] | None = None
        """The changes last asked about (an end in the future): saved when asked again."""
        self._build()
        self._initial = self._values()

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        view = self.view
        entry = view.entry
        outer = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.description = QLineEdit(entry.description, self)
        self.description.setPlaceholderText("What did you work on?")
        completer = QCompleter(self.controller.descriptions(), self.description)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.description.setCompleter(completer)
        form.addRow("&Description", self.description)

        self.project = ProjectPicker(self, floating=True, creator=Creator(self.controller))
        self.project.load_catalog()
        label = f"{view.project}: {view.task}" if view.task else (view.project or "")
        if entry.project_id and not label:
            label = "(unknown project)"
        self.project.set_selection(entry.project_id, entry.task_id, label)
        self.project.picked.connect(self._project_picked)
        form.addRow("&Project", self.project)

        self.tags = TagPicker(self, creator=self.project.creator)
        self.tags.set_tags(
            self.controller.tags(), dict(zip(entry.tag_ids, view.tags, strict=False))
        )
        self.tags.set_selected(entry.tag_ids)
        form.addRow("Ta&gs", self.tags)

        self.billable = QCheckBox("Billable", self)
        self.billable.setChecked(entry.billable)
        form.addRow("", self.billable)
        self._build_times(form)
        outer.addLayout(form)
        self._build_footer(outer)

    def _build_times(self, form: QFormLayout) -> None:
        view = self.view
        entry = view.entry

        local_start = entry.start.astimezone(self._zone)
        self.start_date, self.start_time = self._when_row(local_start)
        form.addRow("&Start", self._pair(self.start_date, self.start_time))
        local_end = (entry.end or self.controller.now()).astimezone(self._zone)
        self.end_date, self.end_time = self._when_row(local_end)
        if entry.end is None:
            self.end_time.clear()
            self.end_time.setPlaceholderText("running; type a time to stop it")
        form.addRow("&End", self._pair(self.end_date, self.end_time))
        self.duration = QLineEdit(text.duration(view.duration), self)
        self.duration.setPlaceholderText("1h30, 1:30, 90m")
        self.duration.setToolTip("A new duration sets the end to start plus the duration.")
        form.addRow("D&uration", self.duration)

        for definition in self.controller.custom_fields():
            if not definition.active:
                continue
            field = _FieldInput(definition, entry.custom_fields.get(definition.id), self)
            self._fields.append(field)
            label = definition.name + (" *" if definition.required else "")
            form.addRow(label, field.widget)

    def _build_footer(self, outer: QVBoxLayout) -> None:
        view = self.view

        sync = QGroupBox("Sync", self)
        sync_layout = QVBoxLayout(sync)
        self.state_label = _plain(QLabel(state_label(view), sync))
        sync_layout.addWidget(self.state_label)
        self.parked_label = _plain(QLabel(sync))
        if view.state == SyncState.PARKED:
            self.parked_label.setText(
                f"Clockify said: {view.parked or 'no reason given'}\n{FIX_HINT}"
            )
        self.parked_label.setVisible(view.state == SyncState.PARKED)
        sync_layout.addWidget(self.parked_label)
        outer.addWidget(sync)

        self.error_label = _plain(QLabel(self))
        set_tone(self.error_label, "error")
        self.error_label.hide()
        outer.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def _when_row(self, local: datetime) -> tuple[QDateEdit, QLineEdit]:
        day = QDateEdit(QDate(local.year, local.month, local.day), self)
        day.setCalendarPopup(True)
        day.setDisplayFormat("yyyy-MM-dd")
        clock = QLineEdit(f"{local:%H:%M}", self)
        clock.setPlaceholderText("9:30")
        clock.setMaximumWidth(90)
        return day, clock

    def _pair(self, first: QWidget, second: QWidget) -> QWidget:
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(first)
        row.addWidget(second)
        row.addStretch(1)
        return holder

    def _project_picked(self, project_id: str | None, _task_id: str | None) -> None:
        """A chosen project brings its billable default (Clockify's rule)."""
        default = self.project.billable_default(project_id)
        if default is not None:
            self.billable.setChecked(default)

    def field_widget(self, field_id: str) -> QWidget:
        """The input of the custom field ``field_id``."""
        return next(f.widget for f in self._fields if f.definition.id == field_id)

    # --- saving -------------------------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        """What the form holds, keyed like :meth:`Controller.edit` (times still as text)."""
        return {
            "description": self.description.text().strip(),
            "project": self.project.selection()[0] or "",
            "task": self.project.selection()[1] or "",
            "tags": tuple(sorted(self.tags.selected())),
            "billable": self.billable.isChecked(),
            "start": (_qdate(self.start_date.date()), self.start_time.text().strip()),
            "end": (_qdate(self.end_date.date()), self.end_time.text().strip()),
            "duration": self.duration.text().strip(),
            "fields": {f.definition.id: f.value() for f in self._fields},
        }

    def changes(self) -> dict[str, Any]:
        """The keywords for :meth:`Controller.edit`: only what differs from the entry.

        Raises:
            TimeParseError, DurationError: a typed time or duration that cannot be read.
        """
        now, before = self._values(), self._initial
        changes: dict[str, Any] = {}
        for key in ("description", "billable"):
            if now[key] != before[key]:
                changes[key] = now[key]
        if now["project"] != before["project"]:
            changes["project"] = now["project"]
            changes["task"] = now["task"]
        elif now["task"] != before["task"]:
            changes["task"] = now["task"]
        if now["tags"] != before["tags"]:
            changes["tags"] = list(now["tags"])
        if now["start"] != before["start"]:
            changes["start"] = self._read_time(*now["start"])
        if now["duration"] != before["duration"]:
            changes["duration"] = parse_human(now["duration"])
        elif now["end"] != before["end"] and now["end"][1]:
            changes["end"] = self._read_time(*now["end"])
        fields = {
            key: value for key, value in now["fields"].items() if value != before["fields"][key]
        }
        if fields:
            changes["fields"] = fields
        return changes

    def save(self) -> None:
        """Apply the changed fields; stay open with the message when refused."""
        try:
            changes = self.changes()
        except (TimeParseError, DurationError) as exc:
            self.show_error(str(exc))
            return
        if not changes:
            self.accept()
            return
        question = self._ends_in_future(changes)
        if question is not None:
            self.show_error(question)
            return
        refusals: list[str] = []

        def refused(message: str) -> None:
            refusals.append(message)

        self.controller.failed.connect(refused)
        try:
            result = self.controller.act(Edit(self.entry_id, **changes))
        finally:
            self.controller.failed.disconnect(refused)
        if result is None:
            self.show_error(refusals[-1] if refusals else "The change was refused.")
            return
        self.accept()

    def _ends_in_future(self, changes: dict[str, Any]) -> str | None:
        """The table's question when ``changes`` make a finished entry end after now; saving
        the same changes again right after keeps them."""
        entry = self.view.entry
        end = changes.get("end")
        if "duration" in changes:
            end = changes.get("start", entry.start) + changes["duration"]
        asked, self._confirmed = self._confirmed, None
        now = self.controller.now()
        if entry.running or end is None or end <= now or asked == changes:
            return None
        self._confirmed = changes
        return future_end_question(end, now, self._zone)

    def show_error(self, message: str) -> None:
        """Say inside the dialog why saving did not work."""
        self.error_label.setText(message)
        self.error_label.show()

    def _read_time(self, day: date, clock: str) -> datetime:
        if not clock:
            raise TimeParseError("Type a time, e.g. 9:30.")
        return parse_when(f"{day.isoformat()} {clock}", now=self.controller.now(), tz=self._zone)


def _qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
