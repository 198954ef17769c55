"""The Workspace window's Projects page: every project with bars for its progress (tracked
time against the time estimate, earned amount against the budget), and beside the table
the chosen project's form, members and tasks.

It opens on the kept copy (no request, offline too) and asks the worker for a fresh one
when that is older than the services' freshness or on F5. Every change goes through
:class:`~tracker.services.admin_projects.AdminProjects` on the worker; deleting asks first.
Keys: Ctrl+N a new project, Ctrl+S saves the form, Del deletes (after asking), Ctrl+E
archives or restores; Alt+M goes to the members, where Del takes the chosen one off. Ctrl+Z
takes back what Clockify can: an archive, a member taken off or added, a member's rate, a
task marked done or active.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from tracker.services.admin_base import AdminError, AdminUnclear, Kept
from tracker.services.admin_projects import (
    AdminProjects,
    MemberView,
    ProjectView,
    TaskView,
    cents,
)
from tracker.services.context import Context
from tracker.store import Store
from tracker.ui.admin_page import AdminPage, PageContext
from tracker.ui.rows_model import Row

if TYPE_CHECKING:
    from tracker.api import ClockifyClient

__all__ = ["ProgressDelegate", "ProjectsPage", "hours_text", "money_text", "share_text"]

TIME_COLUMN = 3
BUDGET_COLUMN = 4
_WIDTHS = (130, 85, 60, 64, 64)
"""Column widths that fit the table beside the form in the window's default size."""


def hours_text(seconds: int | None) -> str:
    """``12:30``, or ``—`` for none."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def decimal_hours(seconds: int | None) -> str:
    """``303.9 h`` (sorts as a number in the table), or ``—``."""
    return "—" if seconds is None else f"{seconds / 3600:,.1f} h"


def money_text(amount: int | None) -> str:
    """``1,234.50`` from cents, or ``—``."""
    return "—" if amount is None else f"{amount / 100:,.2f}"


def share_text(share: float | None) -> str:
    """``25%``, or ``—`` without an estimate."""
    return "—" if share is None else f"{share:.0%}"


_UNDER = QColor(67, 160, 71, 170)
_OVER = QColor(229, 57, 53, 190)


class ProgressDelegate(QStyledItemDelegate):
    """Draws a cell holding ``NN%`` as a bar (red once past 100%) with the text on it."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        share = _share_of(text)
        if share is None:
            super().paint(painter, option, index)
            return
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect: QRect = option.rect.adjusted(3, 4, -3, -4)
        palette = option.palette
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.midlight())
        painter.drawRoundedRect(rect, 3, 3)
        filled = QRect(rect)
        filled.setWidth(round(rect.width() * min(share, 1.0)))
        # Translucent, so the text stays readable in light and dark and on a selected row.
        painter.setBrush(_OVER if share >= 1.0 else _UNDER)
        painter.drawRoundedRect(filled, 3, 3)
        painter.setPen(palette.text().color())
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


def _share_of(text: str) -> float | None:
    if not text.endswith("%"):
        return None
    try:
        return float(text[:-1].replace(",", "")) / 100
    except ValueError:
        return None


def _row(project: ProjectView) -> Row:
    marks = [
        *(["template"] if project.template else []),
        *(["archived"] if project.archived else []),
    ]
    name = f"{project.name} ({', '.join(marks)})" if marks else project.name
    cells = (
        name,
        project.client_name,
        decimal_hours(project.tracked_seconds),
        share_text(project.time_progress),
        share_text(project.budget_progress),
    )
    return Row(cells, project.id, project)


def _undone(said: str) -> str:
    """What an undo says: the change it took back."""
    return f"Undone: {said[:1].lower()}{said[1:]}"


def _number(text: str, what: str) -> float | None:
    """A number typed in the form (empty: not given)."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise AdminError(f"{what} must be a number, not {text.strip()!r}.") from None
    if not math.isfinite(value):
        raise AdminError(f"{what} must be a number, not {text.strip()!r}.")
    if value < 0:
        raise AdminError(f"{what} cannot be negative.")
    return value


class ProjectsPage(AdminPage):
    """Projects with progress bars; the chosen one's form, members and tasks beside."""

    title = "Projects"
    headers = ("Project", "Client", "Tracked", "Time", "Budget")
    object_name = "projectsPage"

    def __init__(self, context: PageContext) -> None:
        self.current: ProjectView | None = None
        self._filled: tuple[object, ...] | None = None
        """The form as :meth:`_fill` left it: when it differs, the person has typed."""
        self._reselecting = False
        self._task_rows: list[TaskView] = []
        """The tasks in the order the list shows them."""
        self._member_rows: list[MemberView] = []
        """The members in the order the list shows them."""
        self._listed: str | None = None
        """The project whose members and tasks the lists show."""
        super().__init__(context)
        bars = ProgressDelegate(self.table)
        for column in (TIME_COLUMN, BUDGET_COLUMN):
            self.table.setItemDelegateForColumn(column, bars)
        for column, width in enumerate(_WIDTHS):
            self.table.setColumnWidth(column, width)
        self._page_keys()

    # --- the side form -------------------------------------------------------------------

    def build_side(self) -> QWidget:
        side = QWidget()
        side.setObjectName("projectForm")
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addLayout(self._form())
        self.progress = _plain_label("")
        self.progress.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addLayout(self._buttons())
        self.members = QListWidget()
        self.members.setObjectName("projectMembers")
        self.tasks = QListWidget()
        self.tasks.setObjectName("projectTasks")
        self.members.setMinimumHeight(60)
        self.members.setMaximumHeight(120)
        self.tasks.setMinimumHeight(100)
        members_label = _plain_label("&Members")
        members_label.setBuddy(self.members)  # Alt+M: the list, where Del takes one off
        layout.addWidget(members_label)
        layout.addWidget(self.members, 1)
        layout.addLayout(self._member_row())
        self.task_done_button = _button(
            "Mark done", "Mark the chosen task done, or active again", self.toggle_task
        )
        self.task_done_button.setEnabled(False)
        self.tasks.currentRowChanged.connect(self._task_chosen)
        task_row = QHBoxLayout()  # the button beside the heading: in sight without scrolling
        task_row.addWidget(_plain_label("Tasks"))
        task_row.addStretch(1)
        task_row.addWidget(self.task_done_button)
        layout.addLayout(task_row)
        layout.addWidget(self.tasks, 2)
        # Scrolls rather than squeezing the form when the window is small (scale 2).
        scroller = QScrollArea()
        scroller.setWidget(side)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setMinimumWidth(side.minimumSizeHint().width() + 16)
        scroller.setMaximumWidth(side.minimumSizeHint().width() + 40)
        return scroller

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        self.name = QLineEdit()
        self.client = QLineEdit()
        self.client.setPlaceholderText("a client's name (empty: none)")
        self.color = QLineEdit()
        self.color.setPlaceholderText("#RRGGBB")
        self.note = QLineEdit()
        flags = QHBoxLayout()
        self.billable = QCheckBox("Billable")
        self.public = QCheckBox("Public")
        self.template = QCheckBox("Template")
        for box in (self.billable, self.public, self.template):
            flags.addWidget(box)
        self.estimate = QLineEdit()
        self.estimate.setPlaceholderText("hours")
        self.from_tasks = QCheckBox("from tasks")
        estimate_row = QHBoxLayout()
        estimate_row.addWidget(self.estimate)
        estimate_row.addWidget(self.from_tasks)
        self.budget = QLineEdit()
        self.budget.setPlaceholderText("amount")
        self.reset = QComboBox()
        self.reset.addItems(["no reset", "weekly", "monthly", "yearly"])
        for typed in (self.name, self.client, self.color, self.note, self.estimate, self.budget):
            typed.returnPressed.connect(self.save)  # Enter sends the form, as Ctrl+S
        form.addRow("Name", self.name)
        form.addRow("Client", self.client)
        form.addRow("Colour", self.color)
        form.addRow("Note", self.note)
        form.addRow("", flags)
        form.addRow("Time estimate", estimate_row)
        form.addRow("Budget", self.budget)
        form.addRow("Reset", self.reset)
        return form

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.new_button = _button("New", "A new project (Ctrl+N)", self.new)
        self.save_button = _button("Save", "Send the form to Clockify (Ctrl+S)", self.save)
        self.archive_button = _button("Archive", "Archive or restore (Ctrl+E)", self.archive)
        self.delete_button = _button("Delete…", "Delete, after asking (Del)", self.delete)
        for button in (self.new_button, self.save_button, self.archive_button, self.delete_button):
            buttons.addWidget(button)
        return buttons

    def _member_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.member_name = QLineEdit()
        self.member_name.setPlaceholderText("a person's name")
        self.member_rate = QLineEdit()
        self.member_rate.setPlaceholderText("rate")
        self.member_rate.setMaximumWidth(70)
        self.add_member_button = _button("Add", "Add this person to the project", self.add_member)
        self.remove_member_button = _button(
            "Remove", "Take the chosen member off the project", self.remove_member
        )
        for box in (self.member_name, self.member_rate):
            box.returnPressed.connect(self.add_member)  # Enter adds the person typed
        row.addWidget(self.member_name)
        row.addWidget(self.member_rate)
        row.addWidget(self.add_member_button)
        row.addWidget(self.remove_member_button)
        return row

    def _page_keys(self) -> None:
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.New), self.new),
            (QKeySequence(QKeySequence.StandardKey.Save), self.save),
            (QKeySequence("Ctrl+E"), self.archive),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        off = QAction(self.members)
        off.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        off.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        off.triggered.connect(self.remove_member)  # Ctrl+Z puts them back
        self.members.addAction(off)
        delete = QAction(self.table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete)
        self.table.addAction(delete)

    def chosen(self, row: Row | None) -> None:
        project: ProjectView | None = row.item if row is not None else None
        if self._reselecting and self._typed():
            # A refresh or the filter chose a row again: what is typed stays, for the
            # project it was typed for (a new one stays new).
            if self.current is not None and project is not None and project.id == self.current.id:
                self.current = project
                self._lists(project)  # the lists are Clockify's, not typed
            return
        self.current = project
        self._fill(project)

    def select(self, key: str | None) -> None:
        """Choose the row of ``key`` again after a refresh or the filter, keeping the form
        when the person has typed in it."""
        if self.current is not None:
            key = self.current.id
        self._reselecting = True
        try:
            super().select(key)
        finally:
            self._reselecting = False

    def _form_now(self) -> tuple[object, ...]:
        return (
            self.name.text(),
            self.client.text(),
            self.color.text(),
            self.note.text(),
            self.billable.isChecked(),
            self.public.isChecked(),
            self.template.isChecked(),
            self.estimate.text(),
            self.from_tasks.isChecked(),
            self.budget.text(),
            self.reset.currentText(),
        )

    def _typed(self) -> bool:
        """Whether the form holds something the person typed and has not sent."""
        return self._filled is not None and self._form_now() != self._filled

    def _fill(self, project: ProjectView | None) -> None:
        self.name.setText(project.name if project else "")
        self.client.setText(project.client_name if project else "")
        self.color.setText(project.color if project else "")
        self.note.setText(project.note if project else "")
        self.billable.setChecked(project.billable if project else True)
        self.public.setChecked(project.public if project else True)
        self.template.setChecked(bool(project and project.template))
        estimate = project.estimate_seconds if project else None
        from_tasks = bool(project and project.estimate_from_tasks)
        self.estimate.setText("" if estimate is None or from_tasks else f"{estimate / 3600:g}")
        self.from_tasks.setChecked(from_tasks)
        budget = project.budget if project else None
        self.budget.setText("" if budget is None else f"{budget / 100:g}")
        reset = (project.estimate_reset or project.budget_reset) if project else None
        self.reset.setCurrentText(reset.lower() if reset else "no reset")
        self.archive_button.setText("Restore" if project and project.archived else "Archive")
        for button in (self.archive_button, self.delete_button, self.add_member_button):
            button.setEnabled(project is not None)
        self.remove_member_button.setEnabled(project is not None)
        self._lists(project)
        self._filled = self._form_now()

    def _lists(self, project: ProjectView | None) -> None:
        """The project's progress, members and tasks as Clockify last said. Shown again
        when a refresh lands even while the form keeps what the person typed, so Del takes
        off the member chosen in the list as it is now (the same member and task stay
        chosen)."""
        same = project is not None and self._listed == project.id
        member_row, task_row = self.members.currentRow(), self.tasks.currentRow()
        chosen_member = (
            self._member_rows[member_row].user_id
            if same and 0 <= member_row < len(self._member_rows)
            else None
        )
        chosen_task = (
            self._task_rows[task_row].id if same and 0 <= task_row < len(self._task_rows) else None
        )
        self._listed = project.id if project is not None else None
        self.members.clear()
        self.tasks.clear()
        self._member_rows = list(project.members) if project else []
        self._task_rows = (
            sorted(project.tasks, key=lambda t: (t.done, t.name.casefold())) if project else []
        )
        self.progress.setText(_progress_text(project) if project else "")
        for member in self._member_rows:
            rate = "" if member.hourly_rate is None else f" — {money_text(member.hourly_rate)}/h"
            self.members.addItem(f"{member.name}{rate}")
        for task in self._task_rows:
            done = " (done)" if task.done else ""
            estimate_text = hours_text(task.estimate_seconds)
            self.tasks.addItem(
                f"{task.name}{done} — {hours_text(task.tracked_seconds)} of {estimate_text}"
            )
        for number, member in enumerate(self._member_rows):
            if member.user_id == chosen_member:
                self.members.setCurrentRow(number)
        for number, task in enumerate(self._task_rows):
            if task.id == chosen_task:
                self.tasks.setCurrentRow(number)

    # --- reading -------------------------------------------------------------------------

    def _service(self) -> AdminProjects:
        return AdminProjects(self.context.service_context())

    def load_kept(self) -> bool:
        kept = self._service().kept_projects()
        if kept is None:
            return False
        self._show(kept)
        return True

    def _show(self, kept: Kept[list[ProjectView]]) -> None:
        self.show_rows([_row(p) for p in kept.value], kept)
        key = self.current.id if self.current else None
        found = next((p for p in kept.value if p.id == key), None)
        if found is not None:
            self.current = found
            if not self._typed():
                self._fill(found)
            else:
                self._lists(found)

    def refresh(self, *, force: bool = False) -> None:
        if self.busy or not self.due(force=force):
            return
        # Only F5 may spend the requests a Free workspace's timer needs this hour.
        self.ask(self._work(lambda s: s.projects(refresh=force)), self._refreshed, cancellable=True)

    def _refreshed(self, result: Any) -> None:
        self._show(result)

    def _work(
        self, action: Callable[[AdminProjects], Awaitable[Any]]
    ) -> Callable[[Store, ClockifyClient], Awaitable[Any]]:
        clock = self.context.clock

        async def work(store: Store, api: ClockifyClient) -> Any:
            return await action(AdminProjects(Context(store, clock), api))

        return work

    def _change(
        self,
        action: Callable[[AdminProjects], Awaitable[Any]],
        said: str,
        after: Callable[[Any], None] | None = None,
    ) -> None:
        """Send a change; then show the kept copy it amended and say what was done
        (then ``after(result)``, on the GUI thread)."""

        sent = self._form_now()

        def done(result: Any) -> None:
            if self._form_now() == sent:
                self._filled = None  # sent: the form shows what Clockify now holds
            # else the person typed on while it was on its way: that stays for the next Save
            self.load_kept()
            self.say(said, "muted")
            if after is not None:
                after(result)  # may say more (how to undo it)

        self.send(AdminProjects, action, done)

    # --- changes -------------------------------------------------------------------------

    def new(self) -> None:
        """Empty the form for a new project (Save creates it)."""
        self.table.clearSelection()
        self.current = None
        self._fill(None)
        self.name.setFocus()

    def save(self) -> None:
        """Create the project (none chosen) or send what changed in the form."""
        name = self.name.text().strip()
        if not name:
            self.say("A project needs a name.")
            return
        try:
            hours = _number(self.estimate.text(), "The time estimate")
            budget = _number(self.budget.text(), "The budget")
            if budget is not None:
                cents(budget, budget=True)
        except AdminError as exc:
            self.say(exc.message)
            return
        project = self.current
        fields = self._fields(project)
        estimate = self._estimate_args(project, hours, budget)
        template = self.template.isChecked()
        client_name = self.client.text().strip()
        unchanged = (
            not fields and not estimate and client_name == (project.client_name if project else "")
        )
        if project is not None and unchanged and template == project.template:
            self.say("Nothing changed in the form.", "muted")
            return

        async def act(service: AdminProjects) -> ProjectView:
            client_id = await _client_id(service, client_name)
            if project is None:
                made = await service.add(name, client_id=client_id or None, **fields)
            else:
                if client_name != project.client_name:
                    fields["client_id"] = client_id
                made = await service.edit(project, **fields) if fields else project
            if estimate:
                made = await service.estimate(made, **estimate)
            if template != made.template:
                made = await service.template(made, on=template)
            return made

        said = f"Created {name}." if project is None else f"Saved {name}."
        self._change(act, said, self._created if project is None else None)

    def _created(self, made: Any) -> None:
        """The project just created becomes the chosen one (a second Save edits it)."""
        if isinstance(made, ProjectView):
            if self.model.find(made.id) < 0:
                self.search.clear()
            self.current = made
            self.select(made.id)

    def _fields(self, project: ProjectView | None) -> dict[str, Any]:
        wanted: dict[str, Any] = {
            "name": self.name.text().strip(),
            "color": self.color.text().strip() or None,
            "note": self.note.text(),
            "billable": self.billable.isChecked(),
        }
        if project is None:
            wanted["public"] = self.public.isChecked()
            del wanted["name"]  # given on its own
            return {k: v for k, v in wanted.items() if v is not None}
        wanted["is_public"] = self.public.isChecked()
        now = {
            "name": project.name,
            "color": project.color,
            "note": project.note,
            "billable": project.billable,
            "is_public": project.public,
        }
        return {k: v for k, v in wanted.items() if v is not None and v != now.get(k)}

    def _estimate_args(
        self, project: ProjectView | None, hours: float | None, budget: float | None
    ) -> dict[str, Any]:
        from_tasks = self.from_tasks.isChecked()
        reset_text = self.reset.currentText()
        reset = "none" if reset_text == "no reset" else reset_text
        now_hours = None
        if project and project.estimate_seconds and not project.estimate_from_tasks:
            now_hours = project.estimate_seconds / 3600
        now_budget = project.budget / 100 if project and project.budget else None
        now_reset = (
            (project.estimate_reset or project.budget_reset or "none").lower()
            if (project)
            else "none"
        )
        args: dict[str, Any] = {}
        if from_tasks and not (project and project.estimate_from_tasks):
            args["from_tasks"] = True
        elif not from_tasks and hours is not None and hours != now_hours:
            args["hours"] = hours
        if budget is not None and budget != now_budget:
            args["budget"] = budget
        if reset != now_reset and (args or project is not None):
            args["reset"] = reset
        return args

    def archive(self) -> None:
        """Archive the chosen project, or restore an archived one."""
        project = self.current
        if project is None:
            return
        restore = project.archived
        said = f"{'Restored' if restore else 'Archived'} {project.name}."

        def offer(result: Any) -> None:
            changed = result if isinstance(result, ProjectView) else project
            self.offer_undo(said, "archive it again" if restore else "restore it", lambda: (
                self._change(lambda s: s.archive(changed, archived=restore), _undone(said))
            ))  # fmt: skip

        self._change(lambda s: s.archive(project, archived=not restore), said, offer)

    def delete(self) -> None:
        """Delete the chosen project after asking (archived first)."""
        project = self.current
        if project is None:
            return
        first = "" if project.archived else " It is archived first, as Clockify requires."
        question = f"Delete the project {project.name} on Clockify?{first} This cannot be undone."
        if not self.confirm(question, "Delete"):
            return
        self._change(lambda s: s.delete(project), f"Deleted {project.name}.", self._gone)

    def _gone(self, _result: Any) -> None:
        """Deleted: nothing is chosen (offline the project stays chosen, so Save edits it
        rather than creating another of its name)."""
        self.current = None
        self.select(None)

    def confirm(self, question: str, action: str) -> bool:
        """Ask ``question``; Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, "Projects", question, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.exec()
        return box.clickedButton() is go

    def add_member(self) -> None:
        """Add the named person to the chosen project, with a rate when one is typed."""
        project = self.current
        who = self.member_name.text().strip()
        if project is None or not who:
            self.say("Type a person's name to add.")
            return
        try:
            rate = _number(self.member_rate.text(), "The rate")
        except AdminError as exc:
            self.say(exc.message)
            return

        async def act(service: AdminProjects) -> tuple[MemberView, MemberView | None]:
            person = await service.person(who)
            now_on = await service.read(project)  # not the kept copy: undo takes off no one
            before = next((m for m in now_on.members if m.user_id == person.id), None)
            await service.add_member(now_on, person, rate=rate)
            name = person.name or person.email or who
            return MemberView(person.id, name), before

        def sent(result: Any) -> None:
            self.member_name.clear()  # only once sent: offline, what was typed stays
            self.member_rate.clear()
            now, before = result
            self._offer_member_back(project, now, before, rate)

        self._change(act, f"Added {who} to {project.name}.", sent)

    def _offer_member_back(
        self,
        project: ProjectView,
        now: MemberView,
        before: MemberView | None,
        rate: float | None,
    ) -> None:
        """How Ctrl+Z takes an added member off again, or sets a member's changed rate back
        (Clockify cannot set a rate back to none: then it is said, and nothing offered)."""
        if before is None:
            said = f"Added {now.name} to {project.name}."
            self.offer_undo(said, "take them off again", lambda: self._change(
                lambda s: s.remove_member(project, now), _undone(said)
            ))  # fmt: skip
            return
        if rate is None or cents(rate) == before.hourly_rate:
            self.say(f"{now.name} is on {project.name} already; nothing changed.", "muted")
            return
        said = f"Set {now.name}'s rate on {project.name} to {money_text(cents(rate))}/h."
        if before.hourly_rate is None:
            self.say(
                f"{said} They had no rate of their own here, and Clockify cannot set one back "
                "to none: Ctrl+Z cannot take this back.",
                "muted",
            )
            return
        back = MemberView(now.user_id, now.name, before.hourly_rate)
        label = f"set it back to {money_text(before.hourly_rate)}/h for the same entries"
        self.offer_undo(said, label, lambda: self._change(
            lambda s: s.put_back_member(project, back, rejoin=False), _undone(said)
        ))  # fmt: skip

    def remove_member(self) -> None:
        """Take the chosen member off the project; Ctrl+Z puts them back with their rates."""
        project = self.current
        row = self.members.currentRow()
        if project is None or not 0 <= row < len(self._member_rows):
            self.say("Choose a member to remove.")
            return
        member = self._member_rows[row]  # the one shown chosen
        said = f"Took {member.name} off {project.name}."

        async def act(service: AdminProjects) -> tuple[MemberView | None, str]:
            """The member as Clockify has them (the rates Ctrl+Z puts back), taken off; and
            whether the answer was lost (putting them back is safe either way)."""
            now_on = await service.read(project)
            taken = next((m for m in now_on.members if m.user_id == member.user_id), None)
            if taken is None:
                return None, ""
            try:
                await service.remove_member(now_on, taken)
            except AdminUnclear as exc:
                return taken, exc.message
            return taken, ""

        def offer(result: Any) -> None:
            taken, unclear = result
            if not isinstance(taken, MemberView):
                self.say(f"{member.name} is not on {project.name} now; nothing changed.", "muted")
                return
            self.offer_undo(unclear or said, _back_label(taken), lambda: self._change(
                lambda s: s.put_back_member(project, taken), _undone(said)
            ))  # fmt: skip

        self._change(act, said, offer)

    def _task_chosen(self, row: int) -> None:
        task = self._task_rows[row] if 0 <= row < len(self._task_rows) else None
        self.task_done_button.setEnabled(task is not None)
        self.task_done_button.setText("Mark active" if task and task.done else "Mark done")

    def toggle_task(self) -> None:
        """Mark the chosen task done, or active again; Ctrl+Z sets it back."""
        project = self.current
        row = self.tasks.currentRow()
        if project is None or not 0 <= row < len(self._task_rows):
            self.say("Choose a task first.")
            return
        task = self._task_rows[row]
        done = not task.done
        said = f"Marked {task.name} {'done' if done else 'active'}."

        def offer(_result: Any) -> None:
            label = "mark it active again" if done else "mark it done again"
            self.offer_undo(said, label, lambda: self._change(
                lambda s: s.edit_task(project, task, done=task.done), _undone(said)
            ))  # fmt: skip

        self._change(lambda s: s.edit_task(project, task, done=done), said, offer)


def _back_label(member: MemberView) -> str:
    """What Ctrl+Z does after a member was taken off: back, with the rates Clockify can
    set again (an older rate history and a manager role are not put back)."""
    rates = [
        *([f"{money_text(member.hourly_rate)}/h"] if member.hourly_rate is not None else []),
        *([f"cost {money_text(member.cost_rate)}/h"] if member.cost_rate is not None else []),
    ]
    at = f" at {' and '.join(rates)}" if rates else ""
    return f"put them back{at} (not an older rate history or a manager role)"


def _progress_text(project: ProjectView) -> str:
    time = (
        f"Time: {hours_text(project.tracked_seconds)} of {hours_text(project.estimate_seconds)}"
        f" ({share_text(project.time_progress)})"
    )
    budget = (
        f"Budget: {money_text(project.amount)} of {money_text(project.budget)}"
        f" ({share_text(project.budget_progress)})"
    )
    spent = " — spent" if project.budget_spent else ""
    return f"{time}\n{budget}{spent}"


def _plain_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _button(text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


async def _client_id(service: AdminProjects, name: str) -> str:
    """The id of the client called ``name`` (``""`` for none), through the fields service's
    kept or fresh list."""
    if not name:
        return ""
    from tracker.services.admin_fields import AdminFields, pick_label  # noqa: PLC0415

    labels = AdminFields(service.context, service.api)
    clients = (await labels.labels("clients")).value
    found: str = pick_label(clients, name, "client").id
    return found
