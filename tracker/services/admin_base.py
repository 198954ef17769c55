"""What every workspace-administration service shares: kept copies, one-sentence failures,
and a change that is never sent twice.

Administration data (team, groups, projects, fields, schedules) is server-first: what
Clockify said last is kept in the store's report cache under ``admin:<area>:<ws>`` with the
time it was read, so a window opens from it at once and offline ("as of ..."), and a read
younger than :data:`FRESH_SECONDS` costs no request from the Free plan's 30 an hour. Every
request goes through the client's budget.

Changes go to Clockify at once; they are never queued (an administrator wants to know now
whether a rate or a role changed). A change whose answer was lost may have landed: the
service reads back before it asks again (:class:`AdminUnclear`), the way time entries are
never duplicated by a slow server.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from tracker.api import (
    BadRequestError,
    ClockifyClient,
    ClockifyError,
    ForbiddenError,
    NotFoundError,
    TransportError,
    UnauthorizedError,
)
from tracker.services.context import Context
from tracker.services.telling import LANDED_SECONDS, current
from tracker.store.report_cache import ReportCache
from tracker.sync.unclear import held_until

__all__ = [
    "FRESH_SECONDS",
    "AdminDone",
    "AdminError",
    "AdminOffline",
    "AdminUnclear",
    "Kept",
    "ServerFirst",
    "admin_key",
    "building",
    "speaking",
]

T = TypeVar("T")

FRESH_SECONDS = 600.0
"""How long a kept copy of administration data is shown without asking again: people, groups
and projects change rarely, and on a Free workspace every read comes out of 30 an hour."""

_CHANGED = "changed"
"""Marks a kept copy that a change made here made stale: shown until the next read, which
asks Clockify whatever its age."""


class AdminError(Exception):
    """An administration action Clockify refused or could not take; ``message`` is one
    sentence a person can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AdminOffline(AdminError):
    """Nothing reached Clockify (no connection, no client, or the budget is spent)."""


class AdminUnclear(AdminError):
    """The change may have reached Clockify; read back before asking again."""


class AdminDone(AdminError):
    """The same change landed moments ago and the person was not told (the command was
    killed before it said so); it is made again only when asked ``again``."""


@dataclass(frozen=True)
class Kept(Generic[T]):
    """Something read from Clockify and when (aware UTC); ``stale`` when a change made here
    has not been read back yet."""

    value: T
    as_of: datetime
    stale: bool = False


def admin_key(area: str, workspace_id: str) -> str:
    """``admin:<area>:<ws>``: one kept copy per area and workspace (what an administrator
    sees does not depend on who reads it within one store)."""
    return f"admin:{area}:{workspace_id}"


@contextlib.contextmanager
def building() -> Iterator[None]:
    """Many objects made at once (a big kept copy decoded and turned into views): the
    cyclic garbage collector waits until they are built instead of walking the whole heap
    again and again while they pile up (5,000 kept projects: about 70 of 190 ms)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _one_line(text: str) -> str:
    """Server text as one plain line (a name with a newline must not forge a line)."""
    return " ".join(str(text).split())[:300]


_WHAT_LIMIT = 160
"""The longest "what" (a name in it) a one-sentence failure repeats."""


@contextlib.contextmanager
def speaking(what: str, *, change: bool = False) -> Iterator[None]:
    """Clockify's failures as one sentence each; ``what`` completes "... could not {what}".

    A change that failed before reaching Clockify says nothing was sent; one whose answer
    was lost says it may have landed (:class:`AdminUnclear`).
    """
    what = _one_line(what)
    if len(what) > _WHAT_LIMIT:  # a name of 10 KB would make a page of one sentence
        what = what[: _WHAT_LIMIT - 1] + "…"
    try:
        yield
    except UnauthorizedError as exc:
        raise AdminError("Clockify refused the API key (run `tracker login`).") from exc
    except ForbiddenError as exc:
        raise AdminError(
            f"Clockify does not let you {what} in this workspace (your role or its plan does "
            "not allow it)."
        ) from exc
    except NotFoundError as exc:
        raise AdminError(f"Clockify could not {what}: it no longer exists.") from exc
    except BadRequestError as exc:
        said = _one_line(exc.server_message or exc.message).rstrip(".")
        raise AdminError(f"Clockify refused to {what}: {said}.") from exc
    except TransportError as exc:
        if change and exc.maybe_committed:
            raise AdminUnclear(
                f"Clockify may or may not have made this change ({what}); it is read back "
                "before it is asked again."
            ) from exc
        sent = "; nothing was sent" if change else ""
        raise AdminOffline(f"Clockify cannot be reached ({what}){sent}.") from exc
    except ClockifyError as exc:
        raise AdminOffline(
            f"Clockify could not {what}: {_one_line(exc.message).split('. ')[0].rstrip('.')}."
        ) from exc


class ServerFirst:
    """The scaffolding of a service over server-first data of one workspace.

    Args:
        context: the store (cache, account) and clock.
        api: the client; without one, reads show what is kept however old and changes fail
            with :class:`AdminOffline`.
    """

    area = "admin"
    """The kept copy's area (``admin:<area>:<ws>``); subclasses name theirs."""

    def __init__(self, context: Context, api: ClockifyClient | None = None) -> None:
        self.context = context
        self._api = api
        self.cache = ReportCache(context.store.conn)

    @property
    def api(self) -> ClockifyClient:
        """The client, or :class:`AdminOffline` when there is none."""
        if self._api is None:
            raise AdminOffline("Clockify is not connected; nothing was sent.")
        return self._api

    @property
    def online(self) -> bool:
        """Whether a client was given (reads may ask Clockify)."""
        return self._api is not None

    @property
    def workspace_id(self) -> str:
        return self.context.workspace_id

    @property
    def user_id(self) -> str:
        """The connected person's id (:class:`AdminError` when no account is connected)."""
        user_id = self.context.store.meta.account_user_id()
        if user_id is None:
            raise AdminError("Connect a Clockify account first (run `tracker login`).")
        return user_id

    def now(self) -> datetime:
        return self.context.now()

    def key(self, kind: str = "") -> str:
        """The kept copy's key: the area, and ``kind`` when an area keeps several."""
        area = f"{self.area}:{kind}" if kind else self.area
        return admin_key(area, self.workspace_id)

    def kept(self, kind: str = "") -> Kept[dict[str, Any]] | None:
        """What is kept (plain JSON) and when, or ``None``."""
        found = self.cache.get(self.key(kind))
        if found is None:
            return None
        data = dict(found.data)
        stale = bool(data.pop(_CHANGED, False))
        return Kept(data, datetime.fromtimestamp(found.fetched_at, UTC), stale)

    def reuse(self, kind: str = "", *, refresh: bool = False) -> Kept[dict[str, Any]] | None:
        """The kept copy when it may be shown without asking: without a client however old,
        else while fresh, not refreshed and not made stale by a change here."""
        kept = self.kept(kind)
        if kept is None:
            return None
        if not self.online:
            return kept
        age = (self.now() - kept.as_of).total_seconds()
        if refresh or kept.stale or not 0 <= age < FRESH_SECONDS:
            return None
        return kept

    def keep(self, data: dict[str, Any], kind: str = "") -> Kept[dict[str, Any]]:
        """Keep ``data`` (plain JSON) as read now."""
        now = self.now()
        self.cache.put(self.key(kind), self.workspace_id, data, now.timestamp())
        return Kept(data, now)

    def amend(self, change: Callable[[dict[str, Any]], None], kind: str = "") -> None:
        """Apply a change made here to the kept copy in place and mark it stale: windows
        and offline reads show it at once, the next read asks Clockify."""
        found = self.cache.get(self.key(kind))
        if found is None:
            return
        data = dict(found.data)
        change(data)
        data[_CHANGED] = True
        self.cache.put(self.key(kind), self.workspace_id, data, found.fetched_at)

    async def send_once(
        self,
        key: str,
        what: str,
        look: Callable[[], Awaitable[T | None]],
        send: Callable[[], Awaitable[T]],
    ) -> T:
        """Send a change unless one sent before (its answer lost) is found done.

        The change is marked in flight (meta ``admin_inflight:<area>:<ws>:<key>``) before it
        is sent; a lost answer leaves the mark, so the next try first ``look``s for what the
        change made and, while it does not show, is held back until the unclear horizon (a
        slow server may still commit it). A refusal or a send that never left clears it. A
        change done inside a command keeps the mark as landed until the command told the
        person (:mod:`tracker.services.telling`): killed before, its rerun is refused.

        Raises:
            AdminDone: the same change landed moments ago, untold; not sent again.
            AdminUnclear: the change may still land; not sent again before the horizon.
            AdminError: Clockify refused it (one sentence).
        """
        meta = self.context.store.meta
        marker = f"admin_inflight:{self.area}:{self.workspace_id}:{key}"
        held = meta.get(marker)
        if isinstance(held, dict) and "landed_at" in held:
            self._refuse_untold(held, what)
            held = None  # told, asked again or long ago: made anew
        if isinstance(held, dict):
            found = await look()
            if found is not None:
                self._landed(marker)
                return found
            until = held_until(held.get("sent_at"), self.now().timestamp())
            if until is not None:
                shown = until.astimezone(self.context.zone()).strftime("%H:%M")
                raise AdminUnclear(
                    f"The same change sent before ({what}) may still reach Clockify: it is not "
                    f"sent again before {shown}."
                )
        meta.set(marker, {"sent_at": self.now().timestamp()})
        try:
            with speaking(what, change=True):
                answer = await send()
        except AdminUnclear:
            try:
                found = await look()
            except AdminError:
                found = None
            if found is None:
                raise  # the mark holds it back until it shows or the horizon passes
            self._landed(marker)
            return found
        except AdminError:
            meta.set(marker, None)  # refused, or never sent: nothing may land
            raise
        self._landed(marker)
        return answer

    def pending(self, key: str) -> bool:
        """Whether the change ``key`` is in flight, or landed untold so that this command
        would be told it was already done (:meth:`send_once`)."""
        held = self.context.store.meta.get(f"admin_inflight:{self.area}:{self.workspace_id}:{key}")
        if not isinstance(held, dict):
            return False
        return "landed_at" not in held or self._untold(held) is not None

    def _landed(self, marker: str) -> None:
        """The change is done: a command keeps the mark as landed until it has told the
        person (:mod:`tracker.services.telling`); anything else clears it."""
        meta = self.context.store.meta
        command = current()
        if command is None:
            meta.set(marker, None)
            return
        meta.set(marker, {"landed_at": self.now().timestamp()})
        command.landed.append((meta, marker))

    def _refuse_untold(self, held: dict[str, Any], what: str) -> None:
        """:class:`AdminDone` with when it was done, for a change this command is to be
        told of (:meth:`_untold`) instead of making it again."""
        landed = self._untold(held)
        command = current()
        if landed is None or command is None:
            return
        command.already = True
        shown = landed.astimezone(self.context.zone()).strftime("%H:%M")
        raise AdminDone(
            f"This was already done at {shown} ({what}); run it again with --again to do it "
            "once more."
        )

    def _untold(self, held: dict[str, Any]) -> datetime | None:
        """When a change landed that this command is to be told of instead of making it
        again: untold, less than :data:`LANDED_SECONDS` ago, not asked ``again``; else
        ``None`` (the change is made, its new mark replaces this one). Outside a command
        (a page shows its answer at once) always ``None``."""
        command = current()
        landed_at = held.get("landed_at")
        if command is None or command.again or not isinstance(landed_at, int | float):
            return None
        if not 0 <= self.now().timestamp() - landed_at < LANDED_SECONDS:
            return None
        return datetime.fromtimestamp(landed_at, UTC)
