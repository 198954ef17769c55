"""A change to administration data that is never sent twice (shared by the projects and
the clients, tags and fields services).

A create whose answer was lost is looked for by name before it is asked again; a change
whose answer was lost leaves the kept copy stale, so the next read asks Clockify and what
landed is seen first; a delete whose retry finds the item gone is done.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

from tracker.api import NotFoundError
from tracker.services.admin_base import AdminError, AdminUnclear, ServerFirst, speaking
from tracker.store.meta import REFS
from tracker.sync.unclear import held_until

__all__ = ["CreatesOnce"]

T = TypeVar("T")

_UNCLEAR = "unclear"


class CreatesOnce(ServerFirst):
    """A create whose answer was lost is looked for before it is asked again.

    The marker (``admin:<area>:unclear:<ws>``: what → when it went out) is written before
    the create goes out and cleared when it is answered or refused; the next create of the
    same thing first looks for it by name (one request) and adopts it when found; while it
    is not found it is not sent again until :data:`~tracker.sync.unclear.UNCLEAR_HORIZON`
    after it went out.
    """

    def _markers(self) -> dict[str, Any]:
        kept = self.kept(_UNCLEAR)
        return dict(kept.value) if kept else {}

    def _set_marker(self, key: str, sent_at: float | None) -> None:
        markers = self._markers()
        if sent_at is None:
            markers.pop(key, None)
        else:
            markers[key] = sent_at
        self.cache.put(self.key(_UNCLEAR), self.workspace_id, markers, self.now().timestamp())

    async def create_once(
        self,
        key: str,
        what: str,
        look: Callable[[], Awaitable[T | None]],
        send: Callable[[], Awaitable[T]],
    ) -> tuple[T, bool]:
        """``send()`` unless an earlier lost create of ``key`` is found by ``look()``.

        Returns:
            What Clockify holds, and whether it was created now (False: adopted).

        Raises:
            AdminUnclear: the answer was lost now, or an earlier one may still land.
        """
        sent_at = self._markers().get(key)
        if sent_at is not None:
            with speaking(f"look for {what}"):
                found = await look()
            if found is not None:
                self._set_marker(key, None)
                return found, False
            held = held_until(sent_at, self.now().timestamp())
            if held is not None:
                at = held.astimezone().strftime("%H:%M")
                said = " ".join(what.split())[:160]  # one line, whatever the name holds
                raise AdminUnclear(
                    f"An earlier try to {said} may still reach Clockify; it is not sent again "
                    f"before {at}."
                )
            self._set_marker(key, None)
        # Marked before it goes out: a process killed while the create is out leaves the
        # mark, so the next try looks for what may have landed instead of being refused
        # ("already exists") or making it twice.
        self._set_marker(key, self.now().timestamp())
        try:
            with self.changing(what):
                made = await send()
        except AdminUnclear:
            raise  # the mark stays: looked for before it is sent again
        except AdminError:
            self._set_marker(key, None)  # refused, or never sent: nothing may land
            raise
        self._set_marker(key, None)
        return made, True

    @contextlib.contextmanager
    def changing(self, what: str, kind: str = "") -> Iterator[None]:
        """:func:`speaking` for a change; when its answer was lost, the kept copy is marked
        stale, so the next read asks Clockify and what landed is seen before it is asked
        again."""
        try:
            with speaking(what, change=True):
                yield
        except AdminUnclear:
            self.amend(lambda _data: None, kind)
            raise

    @contextlib.asynccontextmanager
    async def deleting(self, what: str, kind: str = "") -> AsyncIterator[None]:
        """A delete: one whose first answer was lost and that Clockify then finds gone
        (the retry's "no such item") is done, not a failure."""
        try:
            with self.changing(what, kind):
                yield
        except AdminError as exc:
            if not isinstance(exc.__cause__, NotFoundError):
                raise

    def catalog_due(self) -> None:
        """The timer's catalog (projects, tasks, clients, tags) is fetched at the next sync
        round: a change made here reaches the picker without a second writer of it."""
        self.context.store.meta.set_fetched_at(REFS, self.workspace_id, 0.0)
