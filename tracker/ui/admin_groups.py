"""The Groups page of the Workspace window: user groups with their members and managers.

It opens on the kept team (the groups are read with the people) and refreshes on the worker.
Beside the table: the chosen group's members, a person to add (chosen from the team), and
Remove for the member chosen in the list. Ctrl+N makes a group, F2 renames it, Del deletes it
after asking (its people stay in the workspace).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.services.admin_base import Kept
from tracker.services.admin_groups import Groups
from tracker.services.admin_people import GroupView, Team, TeamView
from tracker.services.context import Context
from tracker.store import Store
from tracker.ui.admin_page import AdminPage, PageContext
from tracker.ui.admin_team import confirm_with, refusal, text_from
from tracker.ui.rows_model import Row

if TYPE_CHECKING:
    from tracker.api import ClockifyClient

__all__ = ["GroupsPage"]


def _line(text: str) -> str:
    return " ".join(text.split())


class GroupsPage(AdminPage):
    """User groups (see the module's docstring)."""

    title = "Groups"
    headers = ("Group", "Members", "Managers")
    object_name = "groupsPage"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        self.view: TeamView | None = None
        self.group: GroupView | None = None
        self._new_name = ""
        """A new group's name that was not made yet (offered again in the dialog)."""
        super().__init__(context, parent)
        if self.side is not None:
            self.side.setMaximumWidth(360)  # the table keeps the width
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.New), self.new_group),
            (QKeySequence(Qt.Key.Key_F2), self.rename),
            (QKeySequence(Qt.Key.Key_Delete), self.delete),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def build_side(self) -> QWidget:
        side = QWidget()
        side.setObjectName("groupsSide")
        layout = QVBoxLayout(side)
        self.caption = QLabel("")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.caption)
        self.members = QListWidget()
        self.members.setObjectName("groupMembers")
        layout.addWidget(self.members, 1)
        adding = QHBoxLayout()
        self.person_choice = QComboBox()
        self.person_choice.setObjectName("personToAdd")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add_member)
        adding.addWidget(self.person_choice, 1)
        adding.addWidget(self.add_button)
        layout.addLayout(adding)
        buttons = QHBoxLayout()
        self.remove_button = QPushButton("Remove from group")
        self.remove_button.clicked.connect(self.remove_member)
        self.new_button = QPushButton("New group…")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_group)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Del (asks first; its people stay)")
        self.delete_button.clicked.connect(self.delete)
        for button in (self.remove_button, self.new_button, self.delete_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        return side

    # --- showing ----------------------------------------------------------------------------

    def load_kept(self) -> bool:
        view = Team(self.context.service_context()).kept_team()
        if view is None:
            return False
        self.show_team(view)
        return True

    def show_team(self, view: TeamView) -> None:
        self.view = view
        rows = [
            Row(
                (
                    _line(g.name),
                    _line(", ".join(view.names(g.member_ids))),
                    _line(", ".join(view.names(g.manager_ids))),
                ),
                g.id,
                g,
            )
            for g in view.groups
        ]
        self.person_choice.clear()
        for person in view.people:
            self.person_choice.addItem(f"{_line(person.name)} <{_line(person.email)}>", person.id)
        self.show_rows(rows, Kept(None, view.as_of, view.stale))
        self.table.resizeColumnsToContents()
        why = refusal(self.context.store, "user groups")
        for button in (self.add_button, self.remove_button, self.new_button, self.delete_button):
            button.setEnabled(not why)
        if why:
            self.say(why, "muted")

    def chosen(self, row: Row | None) -> None:
        group = row.item if row is not None else None
        self.group = group if isinstance(group, GroupView) else None
        self.members.clear()
        view = self.view
        if self.group is None or view is None:
            self.caption.setText("Choose a group in the table.")
            return
        count = len(self.group.member_ids)
        people = "1 person" if count == 1 else f"{count} people"
        self.caption.setText(f"{_line(self.group.name)}: {people}")
        for person_id in self.group.member_ids:
            person = view.person(person_id)
            item = QListWidgetItem(_line(person.name) if person else person_id)
            item.setData(Qt.ItemDataRole.UserRole, person_id)
            self.members.addItem(item)

    # --- asking Clockify --------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        if self.busy or not self.due(force=force):
            return
        clock = self.context.clock

        async def work(store: Store, api: ClockifyClient) -> TeamView:
            return await Team(Context(store, clock), api).team(refresh=force)

        self.ask(work, self.show_team, cancellable=True)

    def change(
        self,
        what: Callable[[Groups], Awaitable[Any]],
        said: str,
        after: Callable[[], None] | None = None,
    ) -> None:
        """Run ``what`` on the team service on the worker; then show the kept groups (and
        call ``after``: it was done)."""
        if self.busy:
            return
        why = refusal(self.context.store, "user groups")
        if why:
            self.say(why, "muted")  # nothing sent: Clockify would refuse it
            return
        self.say("Sending…", "muted")

        def done(_result: object) -> None:
            self.load_kept()
            self.say(said, "muted")
            if after is not None:
                after()  # may say more (how to undo it)

        self.send(Groups, what, done)

    def _refused(self) -> bool:
        """Said why, when the person may not change groups (before any dialog)."""
        why = refusal(self.context.store, "user groups")
        if why:
            self.say(why, "muted")
        return bool(why)

    def new_group(self) -> None:
        """Ctrl+N: a new group, named in a dialog."""
        if self._refused():
            return
        if self.busy:
            return
        name = _line(self.ask_text("New group", "Name:", self._new_name))
        if not name:
            return
        self._new_name = name  # offered again until the group is made

        async def what(team: Groups) -> object:
            return await team.create_group(name)

        def made() -> None:
            self._new_name = ""

        self.change(what, f"Created the group {name}.", made)

    def rename(self) -> None:
        """F2: rename the chosen group."""
        if self._refused():
            return
        group = self.group
        if group is None:
            return
        name = _line(self.ask_text("Rename group", "New name:", group.name))
        if not name or name == group.name:
            return

        async def what(team: Groups) -> object:
            return await team.rename_group(group, name)

        self.change(what, f"Renamed to {name}.")

    def delete(self) -> None:
        """Del: delete the chosen group after asking."""
        if self._refused():
            return
        group = self.group
        if group is None:
            return
        count = len(group.member_ids)
        people = "Its 1 person stays" if count == 1 else f"Its {count} people stay"
        question = f"Delete the group {_line(group.name)}? {people} in the workspace."
        if not self.confirm(question, "Delete"):
            return

        async def what(team: Groups) -> None:
            await team.delete_group(group)

        self.change(what, f"Deleted the group {_line(group.name)}.")

    def add_member(self) -> None:
        group, view = self.group, self.view
        person = view.person(str(self.person_choice.currentData())) if view else None
        if group is None or person is None:
            return

        async def what(team: Groups) -> None:
            await team.add_member(group, person)

        self.change(what, f"{_line(person.name)} is now in {_line(group.name)}.")

    def remove_member(self) -> None:
        group, view, item = self.group, self.view, self.members.currentItem()
        if group is None or view is None or item is None:
            return
        person = view.person(str(item.data(Qt.ItemDataRole.UserRole)))
        if person is None:
            return

        async def what(team: Groups) -> None:
            await team.remove_member(group, person)

        async def back(team: Groups) -> None:
            await team.add_member(group, person)

        said = f"{_line(person.name)} is no longer in {_line(group.name)}."
        again = f"Undone: {_line(person.name)} is in {_line(group.name)} again."
        self.change(
            what,
            said,
            lambda: self.offer_undo(said, "put them back", lambda: self.change(back, again)),
        )

    # --- dialogs (tests replace these) ------------------------------------------------------

    def confirm(self, question: str, action: str) -> bool:
        """Ask ``question``; Cancel is the default."""
        return confirm_with(self, "Groups", question, action)

    def ask_text(self, title: str, label: str, text: str = "") -> str:
        """One line of text from the person ("" when cancelled)."""
        return text_from(self, title, label, text)
