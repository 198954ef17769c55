"""What every page of the Workspace window shares: a title with "as of" and Refresh, one line
for what went wrong, a filter box and a table that stays fast on thousands of rows.

A page shows server-first data: it opens on the kept copy (no request, offline too) and asks
the worker for a fresh one when the copy is old or the person presses F5. While it reads, the
message line counts the requests and Cancel (or Esc) stops the read at once; the copy shown
stays. Changes (writes) offer no Cancel: one cut mid-request may or may not have been done,
and a person told "cancelled" might send it again. The table's rows and filter are
:mod:`tracker.ui.rows_model`'s.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.bridge.channel import CallHandle, Cancelled
from tracker.services.admin_base import (
    FRESH_SECONDS,
    AdminError,
    AdminOffline,
    AdminUnclear,
    Kept,
)
from tracker.services.context import Context
from tracker.store import Store
from tracker.ui.appearance import Tone, set_tone
from tracker.ui.rows_model import Row, RowsModel

if TYPE_CHECKING:
    from tracker.api import ClockifyClient

__all__ = ["WAIT_FOR_CHANGE", "AdminPage", "PageContext", "Runner", "isolated", "problem_of"]

Done = Callable[[Any], None]
Work = Callable[[Store, "ClockifyClient"], Awaitable[Any]]
Runner = Callable[[Work, Done], CallHandle | None]
"""Runs ``work(store, api)`` on the sync worker and ``done(result or exception)`` on the GUI
thread (:meth:`~tracker.bridge.channel.SyncChannel.call_with_client`); its handle cancels a
read (``None``: it cannot be cancelled)."""

S = TypeVar("S")
"""A service a page sends a change through (made with a context and a client)."""

FIT_ROWS = 60
"""Rows measured when a page fits its columns to their contents (a screenful and some)."""
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters and direction marks: a message shows them as spaces."""
_SAID_MOST = 300
"""The longest message shown above the table (a 10 KB name is cut)."""
PROGRESS_MS = 200
"""How often the progress line reads the request count while Clockify is read."""
WAIT_FOR_CHANGE = "Wait for Clockify to answer the change before."
"""Said when a change is asked while another is on its way (a quick second Del)."""


@dataclass(frozen=True)
class PageContext:
    """What a page is given: the GUI thread's store (kept copies, reads only), the clock,
    and the way to the worker."""

    store: Store
    clock: Callable[[], datetime]
    run: Runner

    def service_context(self) -> Context:
        """A services context over the GUI thread's store (to read kept copies)."""
        return Context(self.store, self.clock)


def problem_of(result: object) -> str:
    """What went wrong, in one sentence for a person."""
    if isinstance(result, AdminError):
        return result.message
    if isinstance(result, LookupError | RuntimeError):
        return "Clockify cannot be reached now (the connection is not ready); nothing was sent."
    return str(result) or type(result).__name__


class AdminPage(QWidget):
    """A page: subclasses set :attr:`title`, :attr:`headers`, build their side form in
    :meth:`build_side`, show rows with :meth:`show_rows` and ask Clockify with :meth:`ask`.

    Keys: F5 refreshes, Ctrl+F goes to the filter, Esc in the filter clears it, Esc while
    reading cancels the read (:meth:`cancel_reading`; the window asks before it closes).
    """

    title: ClassVar[str] = ""
    headers: ClassVar[tuple[str, ...]] = ()
    object_name: ClassVar[str] = "adminPage"

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.busy = False
        self.shown_copy: Kept[Any] | None = None
        """The kept copy on screen: its age and whether a change made it stale."""
        self._sticky: str | None = None
        """The row chosen before the filter hid it: chosen again when the filter shows it,
        until the person chooses another row themselves."""
        self._quiet = False
        self._asks_and_undo()
        self.setObjectName(self.object_name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        outer.addLayout(self._top())
        self.message = _plain(QLabel(""))
        self.message.setWordWrap(True)
        # The window's width is the page's, never a long word's in a message.
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message.setVisible(False)
        outer.addWidget(self.message)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)  # Esc clears a filter before it closes
        outer.addWidget(self.search)
        # a splitter: at scale 2 a person drags the room between the table and the form
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.setChildrenCollapsible(False)
        self.model = RowsModel(self.headers, self)
        self.table = self._table()
        self.body.addWidget(self.table)
        self.body.setStretchFactor(0, 3)
        self.side = self.build_side()
        if self.side is not None:
            self.body.addWidget(self.side)
            self.body.setStretchFactor(1, 2)
        outer.addWidget(self.body, 1)
        self._keys()

    def _asks_and_undo(self) -> None:
        """What the page keeps of its asks to the worker and of the undo it offers."""
        self._undo: tuple[str, Callable[[], None]] | None = None
        """The last change Clockify can take back, and how (Ctrl+Z, once)."""
        self.reading: CallHandle | None = None
        """The read in flight that Cancel stops (``None``: nothing to cancel)."""
        self._asking = 0
        """Asks not answered yet: the page is busy until the last one is."""
        self._progress = ""
        """What the progress line said last: a line said since (a change's) is left alone."""
        self._superseded: CallHandle | None = None
        """The read a change cancelled: its end says nothing."""
        self._ticks = QTimer(self)
        self._ticks.setInterval(PROGRESS_MS)
        self._ticks.timeout.connect(self._tick)
        self._offered = ""
        """The line saying what Ctrl+Z takes back: shown again after a refresh."""
        self._undoing: tuple[str, Callable[[], None]] | None = None
        """The undo Ctrl+Z is sending: offered again when it did not reach Clockify."""
        self._sent = 0
        """Changes sent (:meth:`send`): an undo is offered again only if none followed."""
        self._changing = 0
        """Changes (asks that are not cancellable) not answered yet: another is refused."""
        self._ended = 0
        """Changes sent up to the last :meth:`end_offers`: their answers offer no undo."""
        self._answering: int | None = None
        """While an answer's ``done`` runs: the changes sent when it was asked."""

    def _top(self) -> QHBoxLayout:
        """The title, "as of" (Cancel instead while reading) and Refresh."""
        top = QHBoxLayout()
        self.heading = _plain(QLabel(self.title))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.as_of = _plain(QLabel(""))
        set_tone(self.as_of, "muted")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Ask Clockify again (F5)")
        self.refresh_button.clicked.connect(lambda: self.refresh(force=True))
        self.cancel_read_button = QPushButton("Cancel")
        self.cancel_read_button.setObjectName("cancelReading")
        self.cancel_read_button.setToolTip("Stop asking Clockify; the copy shown stays (Esc)")
        self.cancel_read_button.clicked.connect(self.cancel_reading)
        self.cancel_read_button.setVisible(False)
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.as_of)
        top.addWidget(self.cancel_read_button)
        top.addWidget(self.refresh_button)
        return top

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by the first column, from A
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # a 10 KB name (anyone may write one) is elided, not a column 70,000 px wide that
        # pushes the others away; the whole text is the cell's tooltip
        table.horizontalHeader().setMaximumSectionSize(
            30 * table.fontMetrics().horizontalAdvance("M")
        )
        # fitting columns measures this many rows, not all of them (2,000 people: 140,000
        # Python calls for Qt's default of 1,000 rows a column)
        table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        table.horizontalHeader().setStretchLastSection(True)
        table.selectionModel().currentRowChanged.connect(self._moved)
        return table

    def _moved(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet:
            self._sticky = None  # the person chose a row: the one the filter hid is let go
        self.chosen(self.model.row(current.row()))

    def _keys(self) -> None:
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Refresh), lambda: self.refresh(force=True)),
            (QKeySequence(QKeySequence.StandardKey.Find), self._to_search),
            (QKeySequence(QKeySequence.StandardKey.Undo), self.undo),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in a filter that holds text clears it, before the window's Esc (close) sees
        it: a person leaving a filter must not lose the window."""
        if watched is self.search and self.search.text():
            kind = event.type()
            if kind == QEvent.Type.ShortcutOverride and _is_escape(event):
                event.accept()  # the key comes to the box, not to the window's shortcut
                return True
            if kind == QEvent.Type.KeyPress and _is_escape(event):
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def engage(self) -> None:
        """The person works on the row chosen now (typed in its form): it is the one the
        filter keeps, not one it hid before."""
        self._sticky = None

    def _to_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _filter(self, text: str) -> None:
        key = self._sticky or self.current_key()
        self._quiet = True
        try:
            self.model.filter(text)
            self._sticky = key if key is not None and self.model.find(key) < 0 else None
            self.select(key)
        finally:
            self._quiet = False

    # --- for subclasses ---------------------------------------------------------------------

    def build_side(self) -> QWidget | None:
        """The form beside the table (``None``: the table alone)."""
        return None

    def chosen(self, row: Row | None) -> None:
        """The person moved to ``row`` (``None``: nothing chosen)."""

    def load_kept(self) -> bool:
        """Show what is kept; whether anything was."""
        return False

    def refresh(self, *, force: bool = False) -> None:
        """Ask Clockify for a fresh copy (when due, or ``force``)."""

    def shown(self) -> None:
        """The page became visible: what is kept at once, then a refresh when due."""
        self.load_kept()
        self.refresh()

    # --- helpers ----------------------------------------------------------------------------

    def show_rows(self, rows: Sequence[Row], kept: Kept[Any] | None = None) -> None:
        """Show ``rows``, keeping the chosen one, with the copy's "as of"."""
        key = self._sticky or self.current_key()
        self._quiet = True
        try:
            self.model.set_rows(rows)
            if key is not None and self.model.find(key) >= 0:
                self._sticky = None
            self.select(key)
        finally:
            self._quiet = False
        if kept is not None:
            self.show_as_of(kept)

    def due(self, *, force: bool = False) -> bool:
        """Whether to ask Clockify: asked to, nothing shown yet, the copy shown is stale or
        older than the services' freshness (decided without reading the copy again)."""
        shown = self.shown_copy
        if force or shown is None or shown.stale:
            return True
        age = (self.context.clock() - shown.as_of).total_seconds()
        return not 0 <= age < FRESH_SECONDS

    def show_as_of(self, kept: Kept[Any]) -> None:
        """ "As of 14:05" (local time; the date when not today)."""
        self.shown_copy = kept
        when = self._when(kept)
        self.as_of.setText(f"as of {when}" + (" (changed here since)" if kept.stale else ""))

    def _when(self, kept: Kept[Any]) -> str:
        local = kept.as_of.astimezone()
        now = self.context.clock().astimezone()
        return f"{local:%H:%M}" if local.date() == now.date() else f"{local:%Y-%m-%d %H:%M}"

    def current_key(self) -> str | None:
        row = self.model.row(self.table.currentIndex().row())
        return row.key if row is not None else None

    def select(self, key: str | None) -> None:
        """Choose the row of ``key`` again (after a reset), if it is still shown."""
        number = self.model.find(key) if key is not None else -1
        if number >= 0:
            self.table.selectRow(number)
        elif self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.chosen(None)

    def offer_undo(self, said: str, label: str, undo: Callable[[], None]) -> None:
        """A change Clockify can take back was made (archive, deactivate...): say it with
        how to undo it; Ctrl+Z runs ``undo`` once. A change that cannot be taken back
        (a delete, a rate that had none) offers nothing, and the older offer ends with it
        when it is sent (:meth:`send`). The answer to a change sent before the window was
        closed (:meth:`end_offers`) says what was done and offers nothing."""
        if self._answering is not None and self._answering <= self._ended:
            self._undo = None
            self.say(said, "muted")
            return
        self._undo = (label, undo)
        self._offered = _with_hint(said, label)
        self.say(self._offered, "muted")

    def end_offers(self) -> None:
        """The person closed the window (moved on): Ctrl+Z offers nothing here any more, nor
        does the answer to a change (or undo) still on its way. The line keeps what was
        done, without the Ctrl+Z it no longer does."""
        self._ended = self._sent = self._sent + 1
        self._drop_offer()

    def _drop_offer(self) -> tuple[str, Callable[[], None]] | None:
        """End the undo offered (returned); the line keeps what it said, without the
        Ctrl+Z that no longer does it."""
        offered, self._undo = self._undo, None
        if offered is not None:
            hint = _hint(offered[0])
            said = self.message.text()
            if said.endswith(hint):
                tone = str(self.message.property("trackerTone") or "muted")
                self.say(said[: -len(hint)], tone)  # type: ignore[arg-type]
        return offered

    def undo(self) -> None:
        """Ctrl+Z: take back the last change offered, once (not while Clockify has yet to
        answer: the answer may end the offer or make another)."""
        if self.busy:
            self.say("Clockify has not answered yet; press Ctrl+Z again once it has.", "muted")
            return
        undoing = self._drop_offer()
        if undoing is None:
            self.say("Nothing to undo here.", "muted")
            return
        self._undoing = undoing
        try:
            undoing[1]()
        finally:
            self._undoing = None

    def say(self, text: str, tone: Tone = "error") -> None:
        """One line above the table (empty hides it). Plain text always; a name with
        newlines, control or direction marks, or 10 KB of text is shown tamed.

        While an undo is offered the line keeps saying what Ctrl+Z does (a form's error
        or a failed refresh ends with it; an empty line shows the offer): Ctrl+Z never
        does what is not shown, and the person did nothing to lose the offer."""
        text = " ".join(_UNSHOWN.sub(" ", text).split())
        if self._undo is not None and not text.endswith(_hint(self._undo[0])):
            if text:
                text = _with_hint(text, self._undo[0])
            else:
                text, tone = self._offered, "muted"
        if len(text) > _SAID_MOST:
            text = text[: _SAID_MOST - 1] + "…"
        self.message.setText(text)
        set_tone(self.message, tone)
        self.message.setVisible(bool(text))

    def ask(self, work: Work, done: Callable[[Any], None], *, cancellable: bool = False) -> None:
        """Run ``work`` on the worker; ``done(result)`` on success, else the problem is said
        (offline in the muted tone: what is kept stays shown). The page stays busy until
        every ask is answered. A change asked while the page reads cancels that read, which
        could otherwise keep the copy from before the change over it.

        A ``cancellable`` ask must only read (a refresh): while it runs the message line
        counts its requests and Cancel (or Esc) stops it at once. A change is never
        cancellable (see the module's docstring).

        An undo that did not reach Clockify, or whose answer was lost, is offered again
        unless a change was sent since: every undo sets a state (archived or not, a member
        on or off, a rate, a role), so sending it twice changes nothing twice.

        A change asked while another is on its way is refused (:data:`WAIT_FOR_CHANGE`):
        a quick second Del would send the same change twice."""
        if not cancellable and self._change_on_its_way():
            return
        if not cancellable and self.reading is not None:
            # A change while the page reads: that read could bring back the copy from
            # before the change and keep it over the change's; it is cancelled, quietly.
            self._superseded = self.reading
            self.reading.cancel()
        self.busy = True
        self.refresh_button.setEnabled(False)
        self._asking += 1
        asked: list[CallHandle | None] = [None]
        undoing, self._undoing, sent = self._undoing, None, self._sent
        answered = [False]
        if not cancellable:
            self._changing += 1

        def finished(result: object) -> None:
            answered[0] = True
            if not cancellable:
                self._changing -= 1
            self._answered(asked[0], result, done, (undoing, sent))

        handle = self.context.run(work, finished)
        asked[0] = handle
        if cancellable and handle is not None:
            handle.only_reads()  # quitting cancels it rather than waiting for it
            if not answered[0]:  # not answered at once
                self._show_reading(handle)

    def _answered(
        self,
        handle: CallHandle | None,
        result: object,
        done: Done,
        undo: tuple[tuple[str, Callable[[], None]] | None, int] = (None, 0),
    ) -> None:
        """An ask (its ``handle``) was answered with ``result``: ``done(result)``, or what
        went wrong said. ``undo``: the undo this ask sent (if any) and the changes sent
        before it, to offer it again when it did not reach Clockify."""
        undoing, sent = undo
        self._asking -= 1
        if not self._asking:  # the last ask: a read a change cancelled ends first
            self.busy = False
            self.refresh_button.setEnabled(True)
        # another ask (a change) spoke during the read: the read's end leaves that line
        spoken = self.message.text() not in ("", self._progress)
        mine = self.reading is not None and self.reading is handle
        if mine:
            self._show_reading(None)
        if isinstance(result, Cancelled):
            if handle is not self._superseded:
                self.say(self._cancelled_note(), "muted")
            elif not spoken:
                self.say("")  # the progress goes; the change says what it did
            return
        if isinstance(result, BaseException):
            offline = isinstance(result, AdminOffline | LookupError | RuntimeError)
            again = offline or isinstance(result, AdminUnclear)
            if again and undoing is not None and self._sent == sent:
                self.offer_undo(problem_of(result), *undoing)
                return
            self.say(problem_of(result), "muted" if offline else "error")
            return
        if not (mine and spoken):
            # an undo still offered stays in sight: Ctrl+Z never does what is not shown
            self.say(self._offered if self._undo is not None else "", "muted")
        self._answering = sent
        try:
            done(result)
        finally:
            self._answering = None

    def _change_on_its_way(self) -> bool:
        """Whether a change is on its way (and so another is refused, said)."""
        if self._changing:
            self.say(WAIT_FOR_CHANGE, "muted")
        return bool(self._changing)

    def cancel_reading(self) -> bool:
        """Stop the read in flight (Cancel, Esc); whether one was shown reading. A read that
        ended at that very moment (its answer on its way here) counts: Esc then keeps the
        window, and what was read is shown."""
        handle = self.reading
        if handle is None:
            return False
        if handle.cancel():
            self.cancel_read_button.setEnabled(False)
            self._said_progress("Cancelling…")
        return True

    def _show_reading(self, handle: CallHandle | None) -> None:
        """While ``handle`` reads: Cancel in place of "as of" (room for both buttons at scale
        2 beside a long title) and the progress on the message line (``None``: done)."""
        self.reading = handle
        on = handle is not None
        self.as_of.setVisible(not on)
        self.cancel_read_button.setVisible(on)
        self.cancel_read_button.setEnabled(on)
        if on:
            self._said_progress("Reading from Clockify…")
            self._ticks.start()
        else:
            self._ticks.stop()

    def _tick(self) -> None:
        handle = self.reading
        if handle is None or handle.cancelled or self.message.text() != self._progress:
            return  # nothing to count, or a change said something since: it stays
        count = handle.requests
        if count:
            plural = "" if count == 1 else "s"
            said = f"Reading from Clockify… {count} request{plural}"
            if self.message.text() != said:
                self._said_progress(said)

    def _said_progress(self, text: str) -> None:
        self.say(text, "muted")
        self._progress = self.message.text()

    def _cancelled_note(self) -> str:
        """What a cancelled refresh leaves on screen."""
        kept = self.shown_copy
        if kept is not None:
            return f"Refresh cancelled; showing the copy as of {self._when(kept)}."
        if self.model.total:
            return "Refresh cancelled; what was shown stays."
        return "Refresh cancelled; nothing was read."

    # --- a change through a service on the worker -------------------------------------------

    def send(
        self,
        service: Callable[[Context, ClockifyClient], S],
        action: Callable[[S], Awaitable[Any]],
        done: Callable[[Any], None],
    ) -> None:
        """:meth:`ask` ``action`` of a ``service`` made on the worker (its store, the
        client), so a page names what it runs rather than building the worker's side.

        A change ends the offer of an older one: Ctrl+Z takes back the last change or
        nothing, never one behind it that the person no longer sees offered."""
        if self._change_on_its_way():
            return
        self._drop_offer()
        self._sent += 1
        clock = self.context.clock

        async def work(store: Store, api: ClockifyClient) -> Any:
            return await action(service(Context(store, clock), api))

        self.ask(work, done)


def _hint(label: str) -> str:
    return f" Ctrl+Z: {label}."


def _with_hint(said: str, label: str) -> str:
    """``said`` (tamed) and what Ctrl+Z does: a 10 KB name is cut, never the hint."""
    hint = _hint(label)
    said = " ".join(_UNSHOWN.sub(" ", said).split())
    room = _SAID_MOST - len(hint)
    if len(said) > room:
        said = said[: room - 1] + "…"
    return said + hint


def isolated(text: str, limit: int = 120) -> str:
    """Server text for a line of a label: one line, at most ``limit`` characters, and
    bidi-isolated, so a right-to-left override in a name cannot reverse the email and
    role shown after it (anyone in a workspace may write a name)."""
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    return f"\u2068{line}\u2069"


def _is_escape(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape


def _plain(label: QLabel) -> QLabel:
    """Server text is shown as it is, never as rich text."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
