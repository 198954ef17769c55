"""The tags field of the timer popup and the entry editor: a button that opens a list to
search, tick and create tags.

Clicking a tag's name or its box ticks it, and the list stays open while the person ticks
several (Esc or a click outside closes it), as in Clockify. Typing filters; when no tag has
the typed name, the last row offers to create it (stored at once, synced like an entry).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.model import Tag
from tracker.services.search_index import normalize
from tracker.ui import text

if TYPE_CHECKING:
    from tracker.ui.create import Creator

__all__ = ["TagPicker"]

_ID = Qt.ItemDataRole.UserRole
_CREATE = Qt.ItemDataRole.UserRole + 1


class TagPicker(QToolButton):
    """Shows the ticked tags' names; a click opens the list (:attr:`panel`).

    Signals:
        changed(list): the ticked tag ids, after each tick or creation.
    """

    changed = Signal(list)

    def __init__(self, parent: QWidget | None = None, *, creator: Creator | None = None) -> None:
        super().__init__(parent)
        self.creator = creator
        self._tags: dict[str, str] = {}
        self._chosen: list[str] = []
        self.setAccessibleName("Tags")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.panel = QFrame(self, Qt.WindowType.Popup)
        self.panel.setObjectName("tagPanel")
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.search = QLineEdit(self.panel)
        self.search.setPlaceholderText("Search or create tags")
        self.search.setAccessibleName("Search tags")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self.panel)
        self.list.setAccessibleName("Tags")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.search.textEdited.connect(lambda _text: self._fill())
        self.search.installEventFilter(self)
        self.list.itemClicked.connect(self._activate)
        self.clicked.connect(self.open_panel)
        self._show_names()

    # --- what hosts use -----------------------------------------------------------------------

    def set_tags(self, tags: Iterable[Tag], also: dict[str, str] | None = None) -> None:
        """The tags that can be ticked (by name), plus ``also`` (id → name: ticked tags that
        are archived or unknown still show, so saving does not drop them)."""
        known = {tag.id: tag.name for tag in tags}
        for tag_id, name in (also or {}).items():
            known.setdefault(tag_id, name)
        self._tags = dict(sorted(known.items(), key=lambda item: item[1].casefold()))
        self._chosen = [t for t in self._chosen if t in self._tags]
        self._show_names()
        self._fill()

    def set_selected(self, ids: Iterable[str]) -> None:
        """Tick these tags (and no others), without ``changed``."""
        self._chosen = [t for t in dict.fromkeys(ids) if t in self._tags]
        self._show_names()
        self._fill()

    def selected(self) -> list[str]:
        """The ticked tag ids, in the order they were ticked."""
        return list(self._chosen)

    def open_panel(self) -> None:
        """Show the list under the button, the search field focused."""
        self.search.clear()
        self._fill()
        self.panel.adjustSize()
        width = max(self.width(), 260)
        height = self.panel.sizeHint().height()
        below = self.mapToGlobal(QPoint(0, self.height()))
        area = self.screen().availableGeometry()
        x = max(area.left(), min(below.x(), area.right() - width))
        y = below.y()
        if y + height > area.bottom():
            y = max(area.top(), self.mapToGlobal(QPoint(0, 0)).y() - height)
        self.panel.setGeometry(x, y, width, height)
        self.panel.show()
        self.search.setFocus()

    def is_open(self) -> bool:
        """Whether the list shows."""
        return self.panel.isVisible()

    def toggle_tag(self, tag_id: str) -> None:
        """Tick or untick one tag (emits ``changed``)."""
        if tag_id in self._chosen:
            self._chosen.remove(tag_id)
        elif tag_id in self._tags:
            self._chosen.append(tag_id)
        else:
            return
        self._show_names()
        self._fill()
        self.changed.emit(self.selected())

    # --- inside -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down move in the list and Enter ticks, while typing in the search field."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                count = self.list.count()
                if count:
                    row = max(0, min(count - 1, self.list.currentRow() + step))
                    self.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.list.currentItem() or self.list.item(0)
                if item is not None:
                    self._activate(item)
                return True
        return super().eventFilter(watched, event)

    def _fill(self) -> None:
        """The tags matching the search (those starting with it first), ticked ones marked,
        and an offer to create the typed name when no tag has it."""
        query = normalize(self.search.text())
        current = self.list.currentRow()
        self.list.clear()
        found = [
            (tag_id, name)
            for tag_id, name in self._tags.items()
            if not query or query in normalize(name)
        ]
        found.sort(key=lambda tag: not normalize(tag[1]).startswith(query))
        for tag_id, name in found:
            item = QListWidgetItem(name, self.list)
            item.setData(_ID, tag_id)
            item.setToolTip(text.tooltip(name))
            # Not user-checkable: a click anywhere on the row ticks it, once (_activate).
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            ticked = tag_id in self._chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        typed = " ".join(self.search.text().split())
        exists = any(normalize(name) == query for name in self._tags.values())
        if typed and not exists and self.creator is not None:
            offer = QListWidgetItem(f"+ Create tag \u201c{typed}\u201d", self.list)
            offer.setData(_CREATE, typed)
        if not self.list.count():
            empty = QListWidgetItem(
                "No tags yet: type a name to create one" if not query else "No tag matches",
                self.list,
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
        if self.list.count():
            self.list.setCurrentRow(max(0, min(current, self.list.count() - 1)) if query else 0)
        rows = max(1, min(self.list.count(), 10))
        row = max(self.list.sizeHintForRow(0), self.list.fontMetrics().height() + 4)
        self.list.setFixedHeight(rows * row + 2 * self.list.frameWidth())
        if self.panel.isVisible():
            self.panel.adjustSize()

    def _activate(self, item: QListWidgetItem) -> None:
        name = item.data(_CREATE)
        if isinstance(name, str):
            self._create(name)
            return
        tag_id = item.data(_ID)
        if isinstance(tag_id, str):
            self.toggle_tag(tag_id)

    def _create(self, name: str) -> None:
        if self.creator is None:
            return
        tag = self.creator.tag(name)
        if tag is None:
            return
        self._tags[tag.id] = tag.name
        self._tags = dict(sorted(self._tags.items(), key=lambda item: item[1].casefold()))
        self.search.clear()
        self.toggle_tag(tag.id)

    def _show_names(self) -> None:
        names = [self._tags[t] for t in self._chosen]
        label = ", ".join(names)
        self.setText(label.replace("&", "&&") if names else "No tags")
        self.setToolTip(text.tooltip(label) if names else "")
