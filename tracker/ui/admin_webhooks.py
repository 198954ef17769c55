"""The Webhooks page of the Workspace window: the events Clockify sends to a server.

A line at the top says what webhooks are for: a server on the internet; this app cannot
receive them, and local hooks or ``tracker events`` act on what happens here. The table
lists the workspace's webhooks (kept without their tokens, so the page opens offline); the
form beside it adds one (Ctrl+N), saves changes to the chosen one (Ctrl+S), makes a new token
and deletes (Del, after asking), and Deliveries shows what Clockify sent the chosen one and
what the server answered. A token is shown once, when it is made, for the receiving server.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.api.models.webhooks import EVENTS, Webhook, WebhookLog
from tracker.services.context import Context
from tracker.services.webhooks import DESKTOP_NOTE, Webhooks, WebhooksView, shown_url
from tracker.store import Store
from tracker.ui.admin_page import AdminPage, PageContext
from tracker.ui.appearance import set_tone
from tracker.ui.rows_model import Row

if TYPE_CHECKING:
    from tracker.api import ClockifyClient

__all__ = ["WebhooksPage"]

_ROTATED = "A new token was made; give it to the receiving server (it is shown once)."


class WebhooksPage(AdminPage):
    """The workspace's webhooks."""

    title = "Webhooks"
    headers = ("Event", "Name", "Id", "URL")
    object_name = "webhooksPage"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._rows()
        self.service = Webhooks(context.service_context())
        self.view: WebhooksView | None = None
        self.as_of.setText("not read yet")
        said = self.service.refusal()
        if said is not None:
            self.say(said, "muted")
        for keys, slot in (
            (QKeySequence("Ctrl+N"), self.add),
            (QKeySequence("Ctrl+S"), self.save),
            (QKeySequence(Qt.Key.Key_Delete), self.delete),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self.chosen(None)

    def build_side(self) -> None:
        """No side form: the note sits above the table and the form under it, so the table
        keeps the width (at scale 2 too)."""
        self.note = QLabel(DESKTOP_NOTE)
        self.note.setObjectName("webhooksNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        set_tone(self.note, "muted")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://your-server.example.com/clockify")
        self.event_box = QComboBox()
        self.event_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.event_box.setMinimumContentsLength(18)
        for event in EVENTS:
            self.event_box.addItem(_spoken(event), event)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("optional")
        self.name_edit.setToolTip("2 to 30 characters")
        self.name_edit.setMaxLength(30)
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("Add a webhook for the whole workspace (Ctrl+N)")
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save the changes to the chosen webhook (Ctrl+S)")
        self.token_button = QPushButton("New token")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the chosen webhook (Del)")
        for button, slot in (
            (self.add_button, self.add),
            (self.save_button, self.save),
            (self.token_button, self.rotate_token),
            (self.delete_button, self.delete),
        ):
            button.clicked.connect(slot)
        self.token_edit = QLineEdit()
        self.token_edit.setReadOnly(True)
        self.token_edit.setPlaceholderText("a new token shows here once")
        self.token_edit.setToolTip("Give it to the receiving server; it is not shown again")
        self.deliveries_button = QPushButton("Deliveries")
        self.deliveries_button.setToolTip("What Clockify sent the chosen webhook lately")
        self.deliveries_button.clicked.connect(self.show_deliveries)
        self.deliveries = QListWidget()
        self.deliveries.setObjectName("webhookDeliveries")
        self.deliveries.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)

    def _rows(self) -> None:
        """The note above the table, the form and the deliveries under it."""
        outer = self.layout()
        if not isinstance(outer, QVBoxLayout):
            return
        outer.insertWidget(outer.indexOf(self.search), self.note)
        rows = QGridLayout()
        for row, column, label, field in (
            (0, 0, "URL:", self.url_edit),
            (1, 0, "Event:", self.event_box),
            (1, 2, "Name:", self.name_edit),
        ):
            caption = QLabel(label)
            caption.setBuddy(field)
            rows.addWidget(caption, row, column)
            rows.addWidget(field, row, column + 1, 1, 3 if field is self.url_edit else 1)
        rows.setColumnStretch(3, 1)
        outer.addLayout(rows)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (
            self.add_button,
            self.save_button,
            self.token_button,
            self.delete_button,
            self.deliveries_button,
        ):
            actions.addWidget(button)
        outer.addLayout(actions)
        outer.addWidget(self.token_edit)
        outer.addWidget(self.deliveries)
        self.token_edit.setVisible(False)
        self.deliveries.setVisible(False)

    # --- reading ---------------------------------------------------------------------------

    def load_kept(self) -> bool:
        kept = self.service.kept_view()
        if kept is not None:
            self.show_view(kept)
        return kept is not None

    def shown(self) -> None:
        """What is kept at once, a fresh list once, and the keys on the table."""
        super().shown()
        if not self.search.hasFocus():
            self.table.setFocus()

    def refresh(self, *, force: bool = False) -> None:
        if self.busy or not (force or self.view is None):
            return
        clock = self.context.clock

        async def work(store: Store, api: ClockifyClient) -> WebhooksView:
            return await Webhooks(Context(store, clock), api).view()

        self.ask(work, self.show_view, cancellable=True)

    def show_view(self, view: WebhooksView) -> None:
        self.view = view
        rows = [
            Row(
                (_spoken(h.webhook_event), h.name or "", h.id[-6:], shown_url(h.url)),
                key=h.id,
                item=h,
                haystack=" ".join((h.webhook_event, h.name or "", h.id, h.url)).casefold(),
            )
            for h in view.webhooks
        ]
        self.show_rows(rows)
        for number in range(len(self.headers) - 1):
            self.table.resizeColumnToContents(number)
        local = view.as_of.astimezone(self.context.service_context().zone())
        plural = "" if view.count == 1 else "s"
        self.as_of.setText(f"{view.count} webhook{plural}, as of {local:%H:%M}")

    def chosen(self, row: Row | None) -> None:
        self.deliveries.clear()
        self.deliveries.setVisible(False)
        hook = row.item if row is not None else None
        for button in (self.save_button, self.token_button, self.delete_button):
            button.setEnabled(isinstance(hook, Webhook))
        self.deliveries_button.setEnabled(isinstance(hook, Webhook))
        if isinstance(hook, Webhook):
            self.url_edit.setText(hook.url)
            self.event_box.setCurrentIndex(max(self.event_box.findData(hook.webhook_event), 0))
            self.name_edit.setText(hook.name or "")

    def chosen_hook(self) -> Webhook | None:
        row = self.model.row(self.table.currentIndex().row())
        return row.item if row is not None and isinstance(row.item, Webhook) else None

    # --- changes ---------------------------------------------------------------------------

    def _change(self, work: Any, said: str) -> None:
        """Run a change, then list again and say ``said``."""
        clock = self.context.clock

        async def run(store: Store, api: ClockifyClient) -> tuple[Any, WebhooksView]:
            service = Webhooks(Context(store, clock), api)
            result = await work(service)
            return result, await service.view()

        def done(result: tuple[Any, WebhooksView]) -> None:
            made, view = result
            self.show_view(view)
            if isinstance(made, Webhook):
                self.select(made.id)
                if said in ("Added the webhook.", _ROTATED):
                    self.token_edit.setText(made.auth_token or "")
                    self.token_edit.setVisible(True)
            self.say(said, "muted")

        self.ask(run, done)

    def add(self) -> None:
        """Add a webhook for the whole workspace (Ctrl+N)."""
        url, event = self.url_edit.text().strip(), str(self.event_box.currentData())
        name = self.name_edit.text().strip() or None
        if not url:
            self.say("Give the URL of the server that receives the webhook.")
            return
        self._change(lambda s: s.add(url, event, name), "Added the webhook.")

    def save(self) -> None:
        """Save the URL, event and name of the chosen webhook (Ctrl+S)."""
        hook = self.chosen_hook()
        if hook is None:
            return
        url, event = self.url_edit.text().strip(), str(self.event_box.currentData())
        name = self.name_edit.text().strip() or None
        self._change(lambda s: s.edit(hook, url=url, event=event, name=name), "Saved the webhook.")

    def rotate_token(self) -> None:
        hook = self.chosen_hook()
        if hook is not None and self.confirm(
            "Make a new token? The receiving server must be given it, or it will refuse "
            "what Clockify sends."
        ):
            self._change(lambda s: s.rotate_token(hook), _ROTATED)

    def delete(self) -> None:
        """Delete the chosen webhook after asking (Del)."""
        hook = self.chosen_hook()
        if hook is not None and self.confirm(
            f"Delete the webhook {hook.webhook_event} → {shown_url(hook.url)}?"
        ):
            self._change(lambda s: s.delete(hook), "Deleted the webhook.")

    def show_deliveries(self) -> None:
        """What Clockify sent the chosen webhook lately, newest first (one request)."""
        hook = self.chosen_hook()
        if hook is None:
            return
        clock = self.context.clock

        async def work(store: Store, api: ClockifyClient) -> list[WebhookLog]:
            return await Webhooks(Context(store, clock), api).logs(hook, limit=50)

        zone = self.context.service_context().zone()

        def done(logs: list[WebhookLog]) -> None:
            self.deliveries.clear()
            self.deliveries.setVisible(True)
            if not logs:
                self.deliveries.addItem("No deliveries yet.")
            for log in logs:
                when = log.responded_at.astimezone(zone) if log.responded_at else None
                stamp = f"{when:%Y-%m-%d %H:%M}" if when else "—"
                answer = str(log.status_code) if log.status_code is not None else "no answer"
                self.deliveries.addItem(f"{stamp}  {answer}  {_about(log.request_body)}")
                item = self.deliveries.item(self.deliveries.count() - 1)
                item.setToolTip((log.request_body or "")[:2000])

        self.ask(work, done, cancellable=True)  # a read: a change may cancel it

    def confirm(self, text: str) -> bool:
        """Ask before a change that cannot be undone."""
        answer = QMessageBox.question(self, "Webhooks", text)
        return answer == QMessageBox.StandardButton.Yes


def _about(body: str | None) -> str:
    """What a delivery was about: the entity's name or description, else the start of it."""
    try:
        value = json.loads(body) if body else None
    except ValueError:
        value = None
    if isinstance(value, dict):
        for key in ("name", "description"):
            found = value.get(key)
            if isinstance(found, str) and found.strip():
                return " ".join(found.split())[:60]
    return " ".join((body or "").split())[:60]


def _spoken(event: str) -> str:
    """``NEW_TIMER_STARTED`` as "New timer started"."""
    return event.replace("_", " ").capitalize()
