"""Every time-entry operation: the timer, the list, edits, deletes, bulk work, duplicates.

Creates (``start``, ``create``, ``duplicate``) and the stop ``PATCH`` are not idempotent:
Clockify ignores idempotency keys, so a resend after an unclear failure could create a second
entry. The session therefore resends them only when the request surely never left; otherwise
the error carries ``maybe_committed`` and the sync layer looks before it sends again.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from tracker.api.errors import NotFoundError
from tracker.api.models import (
    EntryCreate,
    EntryUpdate,
    EntryUpdateWithId,
    Rejected,
    StopRequest,
    TimeEntry,
    decode,
    decode_list,
)
from tracker.api.models.base import format_instant
from tracker.api.pagination import DEFAULT_PAGE_SIZE, iterate_items, iterate_pages
from tracker.api.paths import api_path
from tracker.api.resources.base import Collection
from tracker.api.session import ApiSession

__all__ = ["TimeEntriesResource"]

_ENTRIES = "/v1/workspaces/{workspace_id}/time-entries"
_ENTRY = _ENTRIES + "/{entry_id}"
_USER_ENTRIES = "/v1/workspaces/{workspace_id}/user/{user_id}/time-entries"


class TimeEntriesResource:
    """Time entries of a workspace and of a user in it."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session
        self._items = Collection(session, TimeEntry, "time entry", "time entries")

    async def start(self, workspace_id: str, entry: EntryCreate) -> TimeEntry:
        """Start a timer (an entry with no end). Clockify stops any running one."""
        if entry.end is not None:
            raise ValueError("a timer has no end; use create() for a finished entry")
        return await self.create(workspace_id, entry)

    async def create(self, workspace_id: str, entry: EntryCreate) -> TimeEntry:
        """Create an entry, finished or running."""
        return await self._items.send(
            "POST", api_path(_ENTRIES, workspace_id=workspace_id), entry.body()
        )

    async def create_for(self, workspace_id: str, user_id: str, entry: EntryCreate) -> TimeEntry:
        """Create an entry for another user (admins and managers)."""
        return await self._items.send(
            "POST",
            api_path(_USER_ENTRIES, workspace_id=workspace_id, user_id=user_id),
            entry.body(),
        )

    async def stop(self, workspace_id: str, user_id: str, end: datetime) -> TimeEntry | None:
        """Stop the user's running timer at ``end``; ``None`` when nothing was running."""
        try:
            data = await self._session.send_json(
                "PATCH",
                api_path(_USER_ENTRIES, workspace_id=workspace_id, user_id=user_id),
                json_body=StopRequest(end=end).body(),
                idempotent=False,
            )
        except NotFoundError:
            return None
        return decode(TimeEntry, data, what="time entry")

    async def running(self, workspace_id: str, user_id: str) -> TimeEntry | None:
        """The user's entry in progress, in one request."""
        data, _ = await self._session.get_json(
            api_path(_USER_ENTRIES, workspace_id=workspace_id, user_id=user_id),
            params={"in-progress": "true", "page-size": 1},
        )
        entries = decode_list(TimeEntry, data, what="time entries")
        return entries[0] if entries else None

    def running_in_workspace(
        self, workspace_id: str, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[TimeEntry]:
        """Every running entry in the workspace (admins)."""
        return iterate_items(
            self._session,
            api_path(_ENTRIES + "/status/in-progress", workspace_id=workspace_id),
            TimeEntry,
            what="running time entries",
            page_size=min(page_size, 1000),
        )

    def list_pages(
        self,
        workspace_id: str,
        user_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        description: str | None = None,
        project_id: str | None = None,
        task_id: str | None = None,
        tag_ids: Sequence[str] | None = None,
        hydrated: bool | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        rejects: builtins.list[Rejected] | None = None,
    ) -> AsyncIterator[list[TimeEntry]]:
        """The user's entries, newest first, one page at a time.

        Clockify reads ``start`` and ``end`` as wall-clock times in the user's profile time
        zone (FACTS §4): pass them already converted to that zone's wall clock, marked UTC.
        With ``rejects``, entries that cannot be read are skipped and listed there.
        """
        return iterate_pages(
            self._session,
            api_path(_USER_ENTRIES, workspace_id=workspace_id, user_id=user_id),
            TimeEntry,
            what="time entries",
            params={
                "start": format_instant(start) if start else None,
                "end": format_instant(end) if end else None,
                "description": description,
                "project": project_id,
                "task": task_id,
                "tags": tag_ids,
                "hydrated": hydrated,
            },
            page_size=page_size,
            rejects=rejects,
        )

    async def list(
        self,
        workspace_id: str,
        user_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        rejects: builtins.list[Rejected] | None = None,
    ) -> AsyncIterator[TimeEntry]:
        """The user's entries one by one (see :meth:`list_pages`)."""
        async for page in self.list_pages(
            workspace_id, user_id, start=start, end=end, page_size=page_size, rejects=rejects
        ):
            for entry in page:
                yield entry

    async def get(self, workspace_id: str, entry_id: str, *, hydrated: bool = False) -> TimeEntry:
        """One entry."""
        return await self._items.get(
            api_path(_ENTRY, workspace_id=workspace_id, entry_id=entry_id),
            params={"hydrated": hydrated or None},
        )

    async def update(self, workspace_id: str, entry_id: str, entry: EntryUpdate) -> TimeEntry:
        """Replace an entry. Every field is sent: what is left out, Clockify clears."""
        return await self._items.send(
            "PUT", api_path(_ENTRY, workspace_id=workspace_id, entry_id=entry_id), entry.body()
        )

    async def delete(self, workspace_id: str, entry_id: str) -> None:
        """Delete an entry (Clockify answers 204)."""
        await self._items.delete(api_path(_ENTRY, workspace_id=workspace_id, entry_id=entry_id))

    async def bulk_update(
        self, workspace_id: str, user_id: str, entries: Sequence[EntryUpdateWithId]
    ) -> builtins.list[TimeEntry]:
        """Replace several of the user's entries in one request."""
        if not entries:
            return []
        data = await self._session.send_json(
            "PUT",
            api_path(_USER_ENTRIES, workspace_id=workspace_id, user_id=user_id),
            json_body=[entry.body() for entry in entries],
        )
        return decode_list(TimeEntry, data, what="time entries")

    async def bulk_delete(
        self, workspace_id: str, user_id: str, entry_ids: Sequence[str]
    ) -> builtins.list[TimeEntry]:
        """Delete several of the user's entries in one request; returns the deleted ones."""
        if not entry_ids:
            return []
        data = await self._session.send_json(
            "DELETE",
            api_path(_USER_ENTRIES, workspace_id=workspace_id, user_id=user_id),
            params={"time-entry-ids": list(entry_ids)},
        )
        return decode_list(TimeEntry, data, what="time entries") if data is not None else []

    async def duplicate(self, workspace_id: str, user_id: str, entry_id: str) -> TimeEntry:
        """Copy an entry."""
        path = api_path(
            _USER_ENTRIES + "/{entry_id}/duplicate",
            workspace_id=workspace_id,
            user_id=user_id,
            entry_id=entry_id,
        )
        return await self._items.send("POST", path)
