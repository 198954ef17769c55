"""The Workspace window's Clients, tags and fields page: one list at a time (chosen above the
table, Alt+1..3), each opening on the kept copy and refreshed through the worker; beside it
the chosen item's name (and a field's allowed values), Save, Archive or Restore, Delete
(after asking). Clients and tags are sent whole, as Clockify's replace needs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.services.abilities import ROLE_MANAGER, abilities
from tracker.services.admin_base import Kept
from tracker.services.admin_fields import AdminFields, FieldView, LabelKind
from tracker.services.context import Context
from tracker.store import Store
from tracker.ui.admin_page import AdminPage, PageContext
from tracker.ui.rows_model import Row

if TYPE_CHECKING:
    from tracker.api import ClockifyClient

__all__ = ["FieldsPage"]

KINDS: tuple[tuple[LabelKind, str], ...] = (
    ("clients", "Clients"),
    ("tags", "Tags"),
    ("fields", "Custom fields"),
)
_ONE = {"clients": "client", "tags": "tag", "fields": "custom field"}
_MANY = {"clients": "clients", "tags": "tags", "fields": "custom fields"}
_TYPES = ("TXT", "NUMBER", "DROPDOWN_SINGLE", "DROPDOWN_MULTIPLE", "CHECKBOX", "LINK")


def _row(kind: LabelKind, item: Any) -> Row:
    state = "archived" if item.archived else "active"
    if kind == "clients":
        detail = item.email or ""
    elif kind == "tags":
        detail = ""
    else:
        detail = f"{item.type}: {', '.join(item.allowed_values)}".rstrip(": ")
    return Row((item.name, state, detail), item.id, item)


class FieldsPage(AdminPage):
    """Clients, tags and custom fields, one kind at a time."""

    title = "Clients, tags and fields"
    headers = ("Name", "State", "Details")
    object_name = "fieldsPage"

    def __init__(self, context: PageContext) -> None:
        self.current: Any = None
        self._filled: tuple[str, str, str] | None = None
        """The form as :meth:`chosen` left it: when it differs, the person has typed."""
        self._reselecting = False
        super().__init__(context)
        for column, width in enumerate((180, 70)):
            self.table.setColumnWidth(column, width)
        self._page_keys()

    @property
    def kind(self) -> LabelKind:
        """The list shown."""
        return KINDS[self.kinds.currentIndex()][0]

    def build_side(self) -> QWidget:
        side = QWidget()
        side.setObjectName("labelForm")
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kinds = QComboBox()
        self.kinds.setObjectName("labelKinds")
        self.kinds.addItems([title for _kind, title in KINDS])
        self.kinds.currentIndexChanged.connect(lambda _n: self._switched())
        layout.addWidget(self.kinds)
        form = QFormLayout()
        self.name = QLineEdit()
        self.detail = QLineEdit()
        self.type = QComboBox()
        self.type.addItems(_TYPES)
        for box in (self.name, self.detail):
            box.returnPressed.connect(self.save)  # Enter sends the form, as Ctrl+S
        form.addRow("Name", self.name)
        form.addRow("Email / values", self.detail)
        form.addRow("Field type", self.type)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New")
        self.new_button.clicked.connect(self.new)
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.archive_button = QPushButton("Archive")
        self.archive_button.clicked.connect(self.archive)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.clicked.connect(self.delete)
        for button in (self.new_button, self.save_button, self.archive_button, self.delete_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        side.setMaximumWidth(360)
        return side

    def _page_keys(self) -> None:
        keys: list[tuple[QKeySequence, Callable[[], object]]] = [
            (QKeySequence(QKeySequence.StandardKey.New), self.new),
            (QKeySequence(QKeySequence.StandardKey.Save), self.save),
            (QKeySequence("Ctrl+E"), self.archive),
        ]
        keys += [(QKeySequence(f"Alt+{n + 1}"), _choosing(self, n)) for n in range(len(KINDS))]
        for sequence, slot in keys:
            action = QAction(self)
            action.setShortcut(sequence)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        delete = QAction(self.table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete)
        self.table.addAction(delete)

    def _switched(self) -> None:
        self.current = None
        self.shown_copy = None  # each kind has its own copy and age
        self._filled = None  # another kind: the form shows its first item
        self.say("")
        kind = self.kind
        self.detail.setPlaceholderText(
            {"clients": "email", "tags": "", "fields": "allowed values, comma-separated"}[kind]
        )
        self.detail.setEnabled(kind != "tags")
        self.type.setEnabled(kind == "fields")
        if not self.load_kept():
            self.show_rows([])
        self.refresh()

    def chosen(self, row: Row | None) -> None:
        item = row.item if row is not None else None
        if self._reselecting and self._typed():
            # A refresh or the filter chose a row again: what is typed stays, for the item
            # it was typed for (a new one stays new).
            if self.current is not None and item is not None and item.id == self.current.id:
                self.current = item
            return
        self.current = item
        self.name.setText(item.name if item else "")
        if isinstance(item, FieldView):
            self.detail.setText(", ".join(item.allowed_values))
            self.type.setCurrentText(item.type)
        else:
            self.detail.setText((getattr(item, "email", None) or "") if item else "")
        archived = bool(item and item.archived)
        self.archive_button.setText("Restore" if archived else "Archive")
        self.archive_button.setEnabled(item is not None and self.kind != "fields")
        self.delete_button.setEnabled(item is not None)
        self._filled = self._form_now()

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

    def _form_now(self) -> tuple[str, str, str]:
        return (self.name.text(), self.detail.text(), self.type.currentText())

    def _typed(self) -> bool:
        """Whether the form holds something the person typed and has not sent."""
        return self._filled is not None and self._form_now() != self._filled

    # --- reading -------------------------------------------------------------------------

    def _service(self) -> AdminFields:
        return AdminFields(self.context.service_context())

    def load_kept(self) -> bool:
        kept = self._service().kept_labels(self.kind)
        if kept is None:
            return False
        self._show(kept)
        return True

    def _show(self, kept: Kept[list[Any]]) -> None:
        kind = self.kind
        self.show_rows([_row(kind, item) for item in kept.value], kept)

    def refresh(self, *, force: bool = False) -> None:
        if self.busy or not self.due(force=force):
            return
        kind = self.kind

        def done(result: Any) -> None:
            if self.kind == kind:
                self._show(result)

        self.ask(self._work(lambda s: s.labels(kind, refresh=True)), done, cancellable=True)

    def _work(
        self, action: Callable[[AdminFields], Awaitable[Any]]
    ) -> Callable[[Store, ClockifyClient], Awaitable[Any]]:
        clock = self.context.clock

        async def work(store: Store, api: ClockifyClient) -> Any:
            return await action(AdminFields(Context(store, clock), api))

        return work

    def _change(
        self,
        action: Callable[[AdminFields], Awaitable[Any]],
        said: str,
        after: Callable[[], None] | None = None,
    ) -> None:
        """Send a change; then show the kept copy, say ``said`` (then ``after()``, which may
        offer to undo it)."""
        sent = self._form_now()

        def done(result: Any) -> None:
            if self._form_now() == sent:
                self._filled = None  # sent: the form shows what Clockify now holds
            # else the person typed on while it was on its way: that stays for the next Save
            made = getattr(result, "id", None)
            if isinstance(made, str):
                self.current = result  # what was just created or saved stays chosen
            self.load_kept()
            if isinstance(made, str) and self.model.find(made) < 0:
                self.search.clear()
            self.say(said, "muted")
            if after is not None:
                after()

        self.send(AdminFields, action, done)

    # --- changes -------------------------------------------------------------------------

    def _refused(self, creating: bool) -> bool:
        """A manager (the role known) is told that only admins change these, and nothing
        is sent; creating a client or tag is open to everyone (the timer does it)."""
        if creating and self.kind != "fields":
            return False
        if abilities(self.context.store).role != ROLE_MANAGER:
            return False
        self.say(f"Only workspace admins change {_MANY[self.kind]} on Clockify.")
        return True

    def new(self) -> None:
        """Empty the form for a new one (Save creates it)."""
        self.table.clearSelection()
        self.chosen(None)
        self.name.setFocus()

    def save(self) -> None:
        """Create (nothing chosen) or rename and change the chosen one."""
        name = self.name.text().strip()
        kind = self.kind
        if not name:
            self.say(f"A {_ONE[kind]} needs a name.")
            return
        detail = self.detail.text().strip()
        values = [v.strip() for v in detail.split(",") if v.strip()]
        field_type = self.type.currentText()
        item = self.current
        if isinstance(item, FieldView) and detail == ", ".join(item.allowed_values):
            values = list(item.allowed_values)  # untouched: a value may hold a comma
        if self._refused(creating=item is None):
            return

        async def act(service: AdminFields) -> Any:
            if kind == "clients":
                if item is None:
                    return await service.add_client(name, email=detail or None)
                return await service.edit_client(item, name=name, email=detail or None)
            if kind == "tags":
                if item is None:
                    return await service.add_tag(name)
                return await service.edit_tag(item, name=name)
            if item is None:
                return await service.add_field(name, field_type, allowed=values or None)
            return await service.edit_field(
                item, name=name, type=field_type, allowed_values=tuple(values)
            )

        verb = "Created" if item is None else "Saved"
        self._change(act, f"{verb} the {_ONE[kind]} {name}.")

    def archive(self) -> None:
        """Archive the chosen client or tag, or restore it."""
        item = self.current
        kind = self.kind
        if item is None or kind == "fields" or self._refused(creating=False):
            return
        archived = not item.archived

        def act(archived: bool) -> Callable[[AdminFields], Awaitable[None]]:
            async def send(service: AdminFields) -> None:
                if kind == "clients":
                    await service.edit_client(item, archived=archived)
                else:
                    await service.edit_tag(item, archived=archived)

            return send

        said = f"{'Archived' if archived else 'Restored'} the {_ONE[kind]} {item.name}."
        label = "restore it" if archived else "archive it again"

        def offer() -> None:
            undone = f"Undone: {said[:1].lower()}{said[1:]}"
            self.offer_undo(said, label, lambda: self._change(act(not archived), undone))

        self._change(act(archived), said, offer)

    def delete(self) -> None:
        """Delete the chosen one after asking."""
        item = self.current
        kind = self.kind
        if item is None or self._refused(creating=False):
            return
        first = (
            " It is archived first, as Clockify requires."
            if kind == "clients" and not item.archived
            else ""
        )
        question = f"Delete the {_ONE[kind]} {item.name} on Clockify?{first} This cannot be undone."
        if not self.confirm(question, "Delete"):
            return

        async def act(service: AdminFields) -> None:
            if kind == "clients":
                await service.delete_client(item)
            elif kind == "tags":
                await service.delete_tag(item)
            else:
                await service.delete_field(item)

        # Chosen until it is gone: offline it stays, so Save changes it rather than
        # creating another of its name (the kept copy, read after, no longer holds it).
        self._change(act, f"Deleted the {_ONE[kind]} {item.name}.")

    def confirm(self, question: str, action: str) -> bool:
        """Ask ``question``; Cancel is the default."""
        box = QMessageBox(QMessageBox.Icon.Question, "Workspace", question, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
        box.exec()
        return box.clickedButton() is go


def _choosing(page: FieldsPage, number: int) -> Callable[[], None]:
    return lambda: page.kinds.setCurrentIndex(number)
