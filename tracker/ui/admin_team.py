"""The Team page of the Workspace window: the workspace's people, and a form to change one.

It opens on the kept team (no request, offline too) and refreshes on the worker when that is
old (F5 always). Role, status and group narrow the table beside the filter box, which finds
names and emails. The form beside the table changes the chosen person's hourly and cost
rate, daily capacity and working days (Ctrl+S), their admin role, and deactivates (Del,
after asking) or reactivates them; Ctrl+N invites people by email (paid plans). Every change
goes through the team service (never sent twice) and the table shows it at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.services.abilities import ROLE_MANAGER, ROLE_MEMBER, abilities
from tracker.services.admin_base import Kept
from tracker.services.admin_people import (
    InviteResult,
    PersonView,
    Team,
    TeamView,
    parse_money,
    parse_working_days,
)
from tracker.services.context import Context
from tracker.store import Store
from tracker.ui.admin_page import AdminPage, PageContext, isolated
from tracker.ui.rows_model import Row

if TYPE_CHECKING:
    from tracker.api import ClockifyClient

__all__ = ["TeamPage", "confirm_with", "invite_said", "person_cells", "refusal", "text_from"]

_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_ANY = "Any"
Offer = tuple[str, Callable[[], None]]
"""What Ctrl+Z does, said, and how (:meth:`~tracker.ui.admin_page.AdminPage.offer_undo`)."""


def _money(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f}"


def _hours(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds / 3600:g}"


def person_cells(person: PersonView) -> tuple[str, ...]:
    """A person as the table shows them (server text on one line)."""
    days = (
        "" if person.working_days is None else " ".join(d[:2].title() for d in person.working_days)
    )
    return tuple(
        " ".join(text.split())
        for text in (
            person.name,
            person.email,
            person.role,
            ", ".join(person.groups),
            person.status.lower(),
            _money(person.hourly_rate),
            _money(person.cost_rate),
            _hours(person.capacity_seconds) + ("h" if person.capacity_seconds is not None else ""),
            days,
        )
    )


class TeamPage(AdminPage):
    """People of the workspace (see the module's docstring)."""

    title = "Team"
    headers = ("Name", "Email", "Role", "Groups", "Status", "Rate", "Cost", "Day", "Days")
    object_name = "teamPage"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        self.view: TeamView | None = None
        self.person: PersonView | None = None
        self._filled: tuple[object, ...] = ()
        """The form as it was filled from the chosen person: what differs was typed."""
        self._draft: tuple[str, tuple[object, ...]] | None = None
        """What was typed for a person and not saved (their id, the form), put back when
        they are chosen again: a filter keystroke or a refresh re-chooses the row."""
        self._invite_text = ""
        """Emails typed for an invitation that was not done, offered again."""
        super().__init__(context, parent)
        if self.side is not None:
            self.side.setMaximumWidth(360)  # the table needs the width: nine columns
        self._filters()
        self._page_keys()

    # --- building ---------------------------------------------------------------------------

    def _filters(self) -> None:
        row = QHBoxLayout()
        self.role_filter = self._combo(row, "Role", (_ANY, "admin", "manager", "member"))
        self.status_filter = self._combo(row, "Status", (_ANY, "active", "inactive", "pending"))
        self.group_filter = self._combo(row, "Group", (_ANY,))
        row.addStretch(1)
        self.invite_button = QPushButton("Invite…")
        self.invite_button.setToolTip("Add people by email (Ctrl+N; paid plans)")
        self.invite_button.clicked.connect(self.invite)
        row.addWidget(self.invite_button)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(3, row)  # under the filter box

    def _combo(self, row: QHBoxLayout, label: str, items: tuple[str, ...]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"{label.lower()}Filter")
        combo.addItems(items)
        combo.currentIndexChanged.connect(lambda _index: self._show())
        caption = QLabel(f"{label}:")
        caption.setBuddy(combo)
        row.addWidget(caption)
        row.addWidget(combo)
        return combo

    def build_side(self) -> QWidget:
        side = QWidget()
        side.setObjectName("teamSide")
        form = QFormLayout(side)
        self.who = QLabel("")
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setWordWrap(True)
        form.addRow(self.who)
        self.hourly = QLineEdit()
        self.hourly.setPlaceholderText("e.g. 85.50")
        self.cost = QLineEdit()
        self.cost.setPlaceholderText("e.g. 40")
        self.capacity = QLineEdit()
        self.capacity.setPlaceholderText("hours a day, e.g. 7.5")
        for edit in (self.hourly, self.cost, self.capacity):
            edit.returnPressed.connect(self.save)  # Enter saves, as Ctrl+S does
            edit.textEdited.connect(lambda _text: self.engage())
        form.addRow("&Hourly rate", self.hourly)
        form.addRow("C&ost rate", self.cost)
        form.addRow("&Capacity (h)", self.capacity)
        days = QGridLayout()  # two rows: seven boxes do not fit a narrow form in one
        self.day_boxes = []
        for number, day in enumerate(_DAYS):
            box = QCheckBox(day[:2].title())
            box.setObjectName(f"day{day.title()}")
            box.clicked.connect(lambda _on: self.engage())
            self.day_boxes.append(box)
            days.addWidget(box, number // 4, number % 4)
        form.addRow("Days", days)
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Send the rates, capacity and days (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.admin_button = QPushButton("Make admin")
        self.admin_button.clicked.connect(self.toggle_admin)
        self.status_button = QPushButton("Deactivate…")
        self.status_button.setToolTip("Deactivate (Del, asks first) or reactivate")
        self.status_button.clicked.connect(self.toggle_status)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.admin_button, self.status_button):
            buttons.addWidget(button)
        form.addRow(buttons)
        self.fields = QLabel("")
        self.fields.setTextFormat(Qt.TextFormat.PlainText)
        self.fields.setWordWrap(True)
        form.addRow(self.fields)
        self._enable(False)
        return side

    def _page_keys(self) -> None:
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Save), self.save),
            (QKeySequence(QKeySequence.StandardKey.New), self.invite),
            (QKeySequence(Qt.Key.Key_Delete), self.deactivate_chosen),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def read_only(self) -> str:
        """Why the connected person cannot change people ("" when they may, or when their
        role is not known: Clockify then answers). Known from the store, no request."""
        return refusal(self.context.store, "people")

    def _cannot_invite(self) -> str:
        return Team(self.context.service_context()).cannot_invite()

    def _refused(self) -> bool:
        """Said why, when the person may not change people (before any dialog)."""
        why = self.read_only()
        if why:
            self.say(why, "muted")
        return bool(why)

    def _enable(self, on: bool) -> None:
        on = on and not self.read_only()
        for widget in (self.hourly, self.cost, self.capacity, *self.day_boxes):
            widget.setEnabled(on)
        for button in (self.save_button, self.admin_button, self.status_button):
            button.setEnabled(on)

    # --- showing ----------------------------------------------------------------------------

    def load_kept(self) -> bool:
        view = Team(self.context.service_context()).kept_team()
        if view is None:
            return False
        self.show_team(view)
        return True

    def show_team(self, view: TeamView) -> None:
        """Show ``view`` (the filters kept), with its "as of"."""
        self.view = view
        chosen = self.group_filter.currentText()
        self.group_filter.blockSignals(True)
        self.group_filter.clear()
        self.group_filter.addItems([_ANY, *(" ".join(g.name.split()) for g in view.groups)])
        self.group_filter.setCurrentIndex(max(self.group_filter.findText(chosen), 0))
        self.group_filter.blockSignals(False)
        self._show()
        why = self.read_only()
        self.invite_button.setEnabled(not why and not self._cannot_invite())
        if why or view.note:
            self.say(" ".join(t for t in (why, view.note) if t), "muted")

    def _show(self) -> None:
        view = self.view
        if view is None:
            return
        role, status = self.role_filter.currentText(), self.status_filter.currentText()
        group_name = self.group_filter.currentText()
        group = next((g for g in view.groups if " ".join(g.name.split()) == group_name), None)
        rows = []
        for person in view.people:
            if role not in (_ANY, person.role):
                continue
            if status not in (_ANY, person.status.lower()):
                continue
            if group is not None and person.id not in group.member_ids:
                continue
            rows.append(Row(person_cells(person), person.id, person))
        self.show_rows(rows, Kept(None, view.as_of, view.stale))
        self.table.resizeColumnsToContents()  # Qt samples at most 1,000 rows for this

    def _form(self) -> tuple[object, ...]:
        edits = (self.hourly.text(), self.cost.text(), self.capacity.text())
        return (*edits, *(box.isChecked() for box in self.day_boxes))

    def _set_form(self, values: tuple[object, ...]) -> None:
        for edit, text in zip((self.hourly, self.cost, self.capacity), values[:3], strict=True):
            edit.setText(str(text))
        for box, on in zip(self.day_boxes, values[3:], strict=True):
            box.setChecked(bool(on))

    def chosen(self, row: Row | None) -> None:
        person = row.item if row is not None else None
        if self.person is not None and self._form() != self._filled:
            self._draft = (self.person.id, self._form())  # typed, not saved: kept
        self.person = person if isinstance(person, PersonView) else None
        if self.person is None:
            self.who.setText("Choose someone in the table.")
            self._enable(False)
            return
        p = self.person
        self.who.setText(f"{isolated(p.name)}\n{isolated(p.email)}\n{p.role}, {p.status.lower()}")
        self.hourly.setText(_money(p.hourly_rate))
        self.cost.setText(_money(p.cost_rate))
        self.capacity.setText(_hours(p.capacity_seconds))
        for box, day in zip(self.day_boxes, _DAYS, strict=True):
            box.setChecked(p.working_days is not None and day in p.working_days)
        self.admin_button.setText("Remove admin" if p.role == "admin" else "Make admin")
        self.status_button.setText("Reactivate" if p.status == "INACTIVE" else "Deactivate…")
        fields = "; ".join(f"{isolated(name)}: {isolated(value)}" for name, value in p.fields)
        self.fields.setText(fields)
        self._enable(True)
        self._filled = self._form()
        if self._draft is not None and self._draft[0] == p.id:
            self._set_form(self._draft[1])
            self._draft = None

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
        what: Callable[[Team], Awaitable[Any]],
        said: str | Callable[[Any], str],
        *,
        sent_form: bool = False,
        undo: Offer | Callable[[Any], Offer | None] | None = None,
    ) -> None:
        """Run ``what`` on the team service on the worker; then show the kept team and say
        ``said`` (or what ``said(result)`` makes of the answer). ``sent_form``: the form was
        sent, so what it holds is no longer a draft; ``undo``: how Ctrl+Z takes it back
        (or what ``undo(result)`` makes of the answer; ``None``: it cannot)."""
        if self.busy:
            return
        why = self.read_only()
        if why:
            self.say(why, "muted")  # nothing sent: Clockify would refuse it
            return
        self.say("Sending…", "muted")

        def done(result: object) -> None:
            if sent_form:
                self._filled = self._form()
                self._draft = None
            self.load_kept()
            text = said(result) if callable(said) else said
            offer = undo(result) if callable(undo) else undo
            if offer is None:
                self.say(text, "muted")
            else:
                self.offer_undo(text, *offer)

        self.send(Team, what, done)

    def save(self) -> None:
        """Send what changed in the form (rates, capacity, working days)."""
        person = self.person
        if person is None:
            return
        try:
            plan = self._planned(person)
        except ValueError as exc:
            self.say(str(exc))
            return
        if not plan:
            self.say("Nothing to save: change a rate, the capacity or the days first.", "muted")
            return

        undone = f"Undone: saved {person.name}."

        async def what(team: Team) -> PersonView:
            """Read what the save replaces (Clockify's, not the kept copy another admin
            may have changed since), then save: the undo puts back what was there."""
            now = await team.as_now(
                person,
                rates="hourly" in plan or "cost" in plan,
                profile="capacity" in plan or "days" in plan,
            )
            await _saving(now, plan)(team)
            return now

        def said(now: Any) -> str:
            back, _label, lost = _back_of(now, plan)
            text = f"Saved {person.name}."
            if lost:
                text = f"{text} {lost}" + (". " if back else ": Ctrl+Z cannot take this back.")
            return text.strip()

        def undo(now: Any) -> Offer | None:
            back, label, _lost = _back_of(now, plan)
            if not back:
                return None
            return label, lambda: self.change(_saving(now, back), undone)

        self.change(what, said, sent_form=True, undo=undo)

    def _planned(self, person: PersonView) -> dict[str, Any]:
        plan: dict[str, Any] = {}
        for kind, edit, now in (
            ("hourly", self.hourly, person.hourly_rate),
            ("cost", self.cost, person.cost_rate),
        ):
            text = edit.text().strip()
            if text and parse_money(text) != now:
                plan[kind] = parse_money(text)
        text = self.capacity.text().strip().replace(",", ".")
        if text:
            try:
                hours = float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a number of hours such as 7.5.") from None
            if not 0 <= hours <= 24:
                raise ValueError("A day holds at most 24 hours.")
            seconds = round(hours * 60) * 60
            if seconds != person.capacity_seconds:
                plan["capacity"] = seconds
        days = tuple(d for d, box in zip(_DAYS, self.day_boxes, strict=True) if box.isChecked())
        if person.working_days is not None or days:
            chosen = parse_working_days(",".join(days)) if days else ()
            if chosen != person.working_days:
                plan["days"] = chosen
        return plan

    def toggle_admin(self) -> None:
        """Make the chosen person an admin, or take the role away (asks first)."""
        if self._refused():
            return
        person, view = self.person, self.view
        if person is None or view is None:
            return
        if person.role == "admin":
            if not self.confirm(f"Take {person.name}'s admin role away?", "Remove admin"):
                return

            self.change(
                _role(view, person, "none"),
                f"{person.name} is no longer an admin.",
                undo=("make them admin again", lambda: self.change(
                    _role(view, person, "admin"), f"Undone: {person.name} is an admin again."
                )),
            )  # fmt: skip
            return
        self.change(
            _role(view, person, "admin"),
            f"{person.name} is now an admin.",
            undo=("take the role back", lambda: self.change(
                _role(view, person, "none"), f"Undone: {person.name} is not an admin."
            )),
        )  # fmt: skip

    def toggle_status(self) -> None:
        """Deactivate (after asking) or reactivate the chosen person."""
        if self._refused():
            return
        person = self.person
        if person is None:
            return
        active = person.status == "INACTIVE"
        if not active and not self.confirm(
            f"Deactivate {person.name}? They can no longer track time in this workspace.",
            "Deactivate",
        ):
            return

        async def what(team: Team) -> None:
            await team.set_status(person, active=active)

        async def back(team: Team) -> None:
            await team.set_status(person, active=not active)

        said = f"{person.name} is {'active' if active else 'inactive'}."
        label = "deactivate them again" if active else "reactivate them"
        self.change(
            what,
            said,
            undo=(label, lambda: self.change(back, f"Undone: {said[:-1]} no more.")),
        )

    def deactivate_chosen(self) -> None:
        """Del: deactivate the chosen person (after asking); nothing for an inactive one."""
        if self.person is not None and self.person.status != "INACTIVE":
            self.toggle_status()

    def invite(self) -> None:
        """Ask for emails (comma or space separated) and invite them, saying the cost."""
        if self._refused() or self.busy:
            return
        cannot = self._cannot_invite()
        if cannot:
            self.say(cannot, "muted")  # before the dialog: nothing to type in vain
            return
        text = self.ask_text(
            "Invite people", "Emails (separated by commas or spaces):", self._invite_text
        )
        emails = [e for e in text.replace(",", " ").split() if e]
        if not emails:
            return
        self._invite_text = text  # offered again until the invitation is done

        async def what(team: Team) -> InviteResult:
            return await team.invite(emails)

        def said(result: InviteResult) -> str:
            self._invite_text = ""
            return invite_said(result)

        self.change(what, said)

    # --- dialogs (tests replace these) ------------------------------------------------------

    def confirm(self, question: str, action: str) -> bool:
        """Ask ``question``; Cancel is the default."""
        return confirm_with(self, "Team", question, action)

    def ask_text(self, title: str, label: str, text: str = "") -> str:
        """One line of text from the person ("" when cancelled)."""
        return text_from(self, title, label, text)


def refusal(store: Store, what: str) -> str:
    """One sentence when the connected person is known to be a member or a team manager,
    who cannot change ``what`` on Clockify (owners and admins do); else ""."""
    if abilities(store).role in (ROLE_MEMBER, ROLE_MANAGER):
        return f"Only the workspace's owner and admins change {what} on Clockify; you can look."
    return ""


def invite_said(result: InviteResult) -> str:
    """What an invitation did, in one line: who was added, who was there, who refused."""
    parts = [f"Invited {len(result.added)} (pending until they accept; {result.cost} requests)."]
    if result.already:
        parts.append(f"{len(result.already)} already in the workspace.")
    for email, why in result.refused:
        parts.append(f"{email}: {why}")
    return " ".join(" ".join(parts).split())


def confirm_with(parent: QWidget, title: str, question: str, action: str) -> bool:
    """Ask ``question`` (plain text) with ``action`` and Cancel, Cancel the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is go


def text_from(parent: QWidget, title: str, label: str, text: str = "") -> str:
    """One line of text from the person ("" when cancelled). ``label`` is ours (a dialog's
    label may read rich text); server text goes in ``text``, the editable value."""
    given, ok = QInputDialog.getText(parent, title, label, text=text)
    return given if ok else ""


_PARTS = (
    ("hourly", "the hourly rate"),
    ("cost", "the cost rate"),
    ("capacity", "the capacity"),
    ("days", "the working days"),
)


def _back_of(person: PersonView, plan: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """How Ctrl+Z takes a save back: the values ``person`` had for what ``plan`` changes,
    what Ctrl+Z says it does, and what it cannot put back (a rate, capacity or days that
    were not set: Clockify takes an amount, never "none").

    A rate goes back as the save sent it, without a ``since``: Clockify prices the same
    entries with the previous amount (it has no rate history to read, so an older rate from
    before a date is not brought back)."""
    before = {
        "hourly": (person.hourly_rate, _money(person.hourly_rate)),
        "cost": (person.cost_rate, _money(person.cost_rate)),
        "capacity": (person.capacity_seconds, f"{_hours(person.capacity_seconds)} h"),
        "days": (person.working_days, ""),
    }
    back = {k: before[k][0] for k in plan if before[k][0] is not None}
    parts = [f"{name} {before[k][1]}".strip() for k, name in _PARTS if k in back]
    label = f"put back {_listed(parts)}" if parts else ""
    if back and set(back) <= {"hourly", "cost"}:
        label += " for the same entries"
    lost = _listed([name for k, name in _PARTS if k in plan and k not in back])
    if lost:
        lost = f"{lost[:1].upper()}{lost[1:]} had none, which Clockify cannot set again"
    return back, label, lost


def _saving(person: PersonView, plan: dict[str, Any]) -> Callable[[Team], Awaitable[None]]:
    """The change sending ``plan`` (rates in cents, capacity, days) for ``person``."""

    async def send(team: Team) -> None:
        for kind in ("hourly", "cost"):
            if kind in plan:
                await team.set_rate(person, kind, plan[kind])
        if "capacity" in plan or "days" in plan:
            await team.set_profile(
                person, capacity_seconds=plan.get("capacity"), working_days=plan.get("days")
            )

    return send


def _listed(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _role(view: TeamView, person: PersonView, role: str) -> Callable[[Team], Awaitable[object]]:
    """The change giving ``person`` the workspace ``role`` ("admin" or "none")."""

    async def send(team: Team) -> object:
        return await team.set_role(view, person, role)

    return send
