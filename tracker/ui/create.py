"""Creating projects, tasks, tags and clients from the pickers, where the person types.

A picker offers "Create project 'x'…" when nothing matches; the :class:`Creator` runs the
request through the controller (stored at once, sent by the next sync, like any entry) and
says what was made. A project gets a small form first: client (an existing one, or a new one
typed in), colour and billable.

The form is a popup window over the picker, not a dialog: the timer popup and a table cell's
editor stay open under it, and a click outside cancels it, as menus do.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QHideEvent, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from tracker.domain.model import Project, Tag, Task
from tracker.services.requests import (
    CreateClient,
    CreateProject,
    CreateTag,
    CreateTask,
    SetFavourite,
)
from tracker.ui.appearance import set_tone

__all__ = ["COLORS", "Creator", "ProjectForm"]

COLORS = (
    ("#03a9f4", "Light blue"),
    ("#009688", "Teal"),
    ("#4caf50", "Green"),
    ("#8bc34a", "Light green"),
    ("#cddc39", "Lime"),
    ("#ffc107", "Amber"),
    ("#ff9800", "Orange"),
    ("#f44336", "Red"),
    ("#e91e63", "Pink"),
    ("#9c27b0", "Purple"),
    ("#673ab7", "Deep purple"),
    ("#3f51b5", "Indigo"),
    ("#795548", "Brown"),
    ("#607d8b", "Blue grey"),
)
"""Clockify's project colours and their names, offered in the form (the first is the
default)."""

NO_CLIENT = "(no client)"


class ProjectForm(QFrame):
    """Name, client, colour and billable of a new project, over the picker.

    Signals:
        submitted(): Create was pressed (or Enter typed) with a name.
        closed(): the form went away (created, cancelled, or a click outside).
    """

    submitted = Signal()
    closed = Signal()

    def __init__(self, name: str, clients: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self._known = {c.casefold() for c in clients}
        self.setObjectName("projectForm")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("New project")
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Project name")
        self.client = QComboBox()
        self.client.setEditable(True)
        self.client.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.client.addItem(NO_CLIENT)
        self.client.addItems(sorted(clients, key=str.casefold))
        self.client.setAccessibleName("Client")
        line = self.client.lineEdit()
        if line is not None:
            line.setPlaceholderText("Client, or a new client's name")
        self.client.setCurrentIndex(0)
        self.color = QComboBox()
        self.color.setAccessibleName("Colour")
        for color, color_name in COLORS:
            swatch = QPixmap(14, 14)
            swatch.fill(QColor(color))
            self.color.addItem(QIcon(swatch), color_name, color)
        self.billable = QCheckBox("Billable by default")
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        self.error.hide()
        self.create_button = QPushButton("Create project")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._submit)
        self._lay_out()
        self.client.currentTextChanged.connect(self._client_hint)
        self.setMinimumWidth(360)
        self._client_hint(self.client.currentText())

    def _lay_out(self) -> None:
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.close)
        title = QLabel("New project")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Client", self.client)
        form.addRow("Colour", self.color)
        form.addRow("", self.billable)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def client_name(self) -> str:
        """The chosen or typed client ('' for none)."""
        typed = " ".join(self.client.currentText().split())
        return "" if typed == NO_CLIENT else typed

    def is_new_client(self) -> bool:
        """Whether the client typed does not exist yet (it is created with the project)."""
        name = self.client_name()
        return bool(name) and name.casefold() not in self._known

    def show_error(self, message: str) -> None:
        """Say why creating did not work; the form stays open to fix it."""
        self.error.setText(message)
        self.error.show()
        self.adjustSize()

    def hideEvent(self, event: QHideEvent) -> None:
        """Say the form is gone, however it went."""
        super().hideEvent(event)
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter creates; Esc cancels."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
            return
        super().keyPressEvent(event)

    def _submit(self) -> None:
        if not self.name.text().strip():
            self.show_error("A project needs a name.")
            return
        self.submitted.emit()

    def _client_hint(self, _text: str) -> None:
        new = self.is_new_client()
        name = self.client_name()
        self.hint.setText(f"A new client {name!r} is created with the project." if new else "")
        self.hint.setVisible(new)


class Creator:
    """Creates what a picker offers, through the controller (offline first, synced later).

    Each method returns what was made, or ``None`` when the person cancelled or the request
    was refused (the refusal is shown where the person is looking).
    """

    def __init__(self, controller: Controller) -> None:
        self.controller = controller
        self.form: ProjectForm | None = None
        """The open project form (tests and screenshots reach it here)."""

    def catalog(self) -> tuple[list[Project], list[Task], dict[str, str], frozenset[str]]:
        """The workspace's projects, tasks, client names and favourites, as pickers take
        them."""
        controller = self.controller
        return (
            controller.projects(),
            controller.tasks(),
            controller.client_names(),
            controller.favourites(),
        )

    def favourite(self, project_id: str, task_id: str | None) -> bool | None:
        """Pin the project or task on top of the pickers, or unpin it; whether it is pinned
        now (``None``: refused). Every open picker hears of it through ``changed``."""
        return self.controller.act(SetFavourite(project_id, task_id))

    def project(self, name: str, anchor: QWidget) -> Project | None:
        """Ask for the new project's client, colour and billable below ``anchor``, then
        create it (and a new client typed in the form)."""
        clients = sorted(set(self.controller.client_names().values()), key=str.casefold)
        form = ProjectForm(name, clients, anchor)
        self.form = form
        made: list[Project] = []
        loop = QEventLoop()

        def submit() -> None:
            project = self._make_project(form)
            if project is not None:
                made.append(project)
                form.close()

        form.submitted.connect(submit)
        form.closed.connect(loop.quit)
        form.move(_below(anchor, form))
        form.show()
        form.name.setFocus()
        form.name.selectAll()
        loop.exec()
        self.form = None
        form.deleteLater()
        return made[0] if made else None

    def task(self, project_id: str, name: str) -> Task | None:
        """Create the task ``name`` in the project ``project_id``."""
        return self.controller.act(CreateTask(project_id, name))

    def tag(self, name: str) -> Tag | None:
        """Create the tag ``name``."""
        return self.controller.act(CreateTag(name))

    def _make_project(self, form: ProjectForm) -> Project | None:
        refusals: list[str] = []
        failed = self.controller.failed
        failed.connect(refusals.append)
        try:
            client: str | None = form.client_name() or None
            if client is not None and form.is_new_client():
                made = self.controller.act(CreateClient(client))
                if made is None:
                    form.show_error(refusals[-1] if refusals else "The client was refused.")
                    return None
                client = made.id
            project = self.controller.act(
                CreateProject(
                    form.name.text(),
                    client,
                    str(form.color.currentData()),
                    billable=form.billable.isChecked(),
                )
            )
        finally:
            failed.disconnect(refusals.append)
        if project is None:
            form.show_error(refusals[-1] if refusals else "The project was refused.")
        return project


def _below(anchor: QWidget, window: QWidget) -> QPoint:
    """Where ``window`` goes: under ``anchor``, inside the anchor's screen."""
    point = anchor.mapToGlobal(QPoint(0, anchor.height()))
    screen = anchor.screen().availableGeometry()
    window.adjustSize()
    size = window.size().expandedTo(window.minimumSizeHint())
    x = max(screen.left(), min(point.x(), screen.right() - size.width()))
    y = point.y()
    if y + size.height() > screen.bottom():
        y = max(screen.top(), anchor.mapToGlobal(QPoint(0, 0)).y() - size.height())
    return QPoint(x, y)
