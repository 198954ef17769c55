"""Suggestions under the popup's description: past work from the whole history.

Each suggestion is the latest entry of one description, project and task, labelled with its
project; choosing one hands that entry to the popup, which takes its project, task, tags and
billable along (as the Clockify browser extension does). The list is asked from the store (one
indexed query), so an old description is found as well as this week's: at the first key at
once, then once typing pauses for :data:`PAUSE_MS` (a burst of keys costs one more query, not
one each, on a history of 50,000 entries). A key that acts on the list (Down, Enter) first
brings it up to date with what was typed.
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from tracker.bridge.controller import Controller
from tracker.services.recent import RecentEntry

__all__ = ["DESCRIPTION_ROLE", "ENTRY_ROLE", "PAUSE_MS", "SHOWN", "DescriptionSuggestions"]

SHOWN = 8
"""Suggestions listed at most."""

DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 1
"""The description a suggestion puts in the field (the list shows it with its project)."""

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2
"""The past entry a suggestion stands for (a :class:`RecentEntry`, with its names)."""

PAUSE_MS = 100
"""Keys typed closer together than this are one burst: the list follows when it ends."""

_LIST_KEYS = frozenset(
    {Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp}
    | {Qt.Key.Key_Return, Qt.Key.Key_Enter}
)
"""Keys that act on the list (rather than type): it catches up with the burst first."""


class DescriptionSuggestions(QObject):
    """A completer on ``edit`` whose rows are past entries.

    Signals:
        chosen(RecentEntry): a suggestion was picked (Enter or a click).
        typed_enter(): Enter while the list shows with nothing highlighted: the person
            meant what they typed (the popup starts it; the key is not lost).
    """

    chosen = Signal(object)
    typed_enter = Signal()

    def __init__(self, controller: Controller, edit: QLineEdit) -> None:
        super().__init__(edit)
        self.controller = controller
        self.edit = edit
        self.model = QStandardItemModel(self)
        completer = self.completer = QCompleter(self.model, edit)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCompletionRole(DESCRIPTION_ROLE)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(SHOWN)
        edit.setCompleter(completer)
        popup = completer.popup()
        assert popup is not None  # a completer always has its list
        self.list = popup
        # The overload that carries the row: two rows may share a description.
        cast(Any, completer.activated)[QModelIndex].connect(self._activated)
        popup.installEventFilter(self)
        edit.textEdited.connect(self._typed)
        self._pending: str | None = None
        """What was typed during a burst and is not listed yet."""
        self._burst = QTimer(self)
        self._burst.setSingleShot(True)
        self._burst.setInterval(PAUSE_MS)
        self._burst.timeout.connect(self._burst_ended)
        # A timer of its own (not a one-off call), so that it dies with this object.
        self._unhighlight = QTimer(self)
        self._unhighlight.setSingleShot(True)
        self._unhighlight.setInterval(0)
        self._unhighlight.timeout.connect(self._choose_none)

    def _typed(self, text: str) -> None:
        """A key changed the field: the first of a burst is listed at once, the rest when
        the burst ends."""
        if self._burst.isActive():
            self._pending = text
        else:
            self.refresh(text)
        self._burst.start()

    def _burst_ended(self) -> None:
        if self._pending is not None:
            self.refresh(self._pending)

    def catch_up(self) -> bool:
        """List what was typed now if a burst left it unlisted; whether it did."""
        if self._pending is None:
            return False
        self._burst.stop()
        self.refresh(self._pending)
        return True

    def refresh(self, text: str) -> None:
        """List the past work matching ``text`` (none for an empty field)."""
        self._pending = None
        wanted = text.strip()
        found = self.controller.suggestions(wanted, SHOWN) if wanted else []
        self.model.clear()
        for suggestion in found:
            item = QStandardItem(suggestion.label)
            item.setData(suggestion.entry.description, DESCRIPTION_ROLE)
            item.setData(suggestion, ENTRY_ROLE)
            item.setToolTip(suggestion.label)
            item.setEditable(False)
            self.model.appendRow(item)
        if found and self.edit.hasFocus():
            self.completer.complete()
            # Nothing chosen until Down or a click: Enter then starts what was typed. After
            # this key is handled, since the field's own completion highlights a row.
            self._unhighlight.start()
        else:
            self.list.hide()

    def shown(self) -> list[str]:
        """The labels listed for what was typed."""
        self.catch_up()
        return [self.model.item(row).text() for row in range(self.model.rowCount())]

    def clear(self) -> None:
        """Forget the list (the popup was filled afresh)."""
        self._pending = None
        self._burst.stop()
        self.model.clear()
        self.list.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the list: the highlighted suggestion is chosen; with none highlighted,
        what was typed is meant. Handled here, before the completer and the field see the
        key, so one Enter never both completes and starts."""
        popup = self.list
        if (
            watched is popup
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _LIST_KEYS
            and self.catch_up()
        ):
            # Acting on the list before it caught up with the burst: it does now, with
            # nothing highlighted, as after any list (the key then moves from there).
            self._unhighlight.stop()
            self._choose_none()
        if (
            watched is popup
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            current = popup.currentIndex()
            popup.hide()
            if current.isValid():
                self._activated(current)
            else:
                self.typed_enter.emit()
            return True
        return super().eventFilter(watched, event)

    def _choose_none(self) -> None:
        self.list.setCurrentIndex(QModelIndex())

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        chosen = index.data(ENTRY_ROLE)
        if isinstance(chosen, RecentEntry):
            self.chosen.emit(chosen)
