"""The audit log (``POST /v1/workspaces/{ws}/audit-log`` on its own host, FACTS §1, §6).

The filter and the page travel in the body (``page``, ``page-size`` ≤ 50) and the answer is
``{response: [...]}`` with no total and no ``Last-Page``: the list ends on a short or empty
page. Pages go through the same guards as every list, so a server that repeats a page,
ignores the page or never sends a short one ends the read with a
:class:`~tracker.api.errors.PaginationError` instead of a loop. Reading is resent freely.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from tracker.api.errors import ResponseFormatError
from tracker.api.models.audit import AuditEvent, AuditLogFilter
from tracker.api.models.base import Rejected, decode_list
from tracker.api.pagination import MAX_PAGES, Page, guarded_pages
from tracker.api.paths import api_path
from tracker.api.session import ApiSession

__all__ = ["MAX_PAGE_SIZE", "AuditLogResource"]

MAX_PAGE_SIZE = 50
"""The largest page the audit log gives (FACTS §2)."""

_PATH = "/v1/workspaces/{workspace_id}/audit-log"
_WHAT = "audit log events"


class AuditLogResource:
    """The audit log of one workspace."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session

    async def page(self, workspace_id: str, query: AuditLogFilter) -> list[AuditEvent]:
        """One page of events matching ``query``, newest first."""
        return decode_list(AuditEvent, await self._raw(workspace_id, query), what=_WHAT)

    async def pages(
        self,
        workspace_id: str,
        query: AuditLogFilter,
        *,
        max_pages: int = MAX_PAGES,
        rejects: list[Rejected] | None = None,
    ) -> AsyncGenerator[list[AuditEvent], None]:
        """Every page of events matching ``query`` (its page and size are the pager's),
        one request each; unreadable events go to ``rejects`` when it is given.

        Raises:
            PaginationError: the server repeated a page or did not end within ``max_pages``.
            ClockifyError: any failure of a page request.
        """

        async def fetch(number: int, size: int) -> Page:
            asked = query.model_copy(update={"page": number, "page_size": size})
            return Page(await self._raw(workspace_id, asked))

        async for page in guarded_pages(
            fetch, what=_WHAT, page_size=query.page_size, max_pages=max_pages
        ):
            yield decode_list(AuditEvent, page.items, what=_WHAT, rejects=rejects)

    async def _raw(self, workspace_id: str, query: AuditLogFilter) -> list[object]:
        path = api_path(_PATH, workspace_id=workspace_id)
        data = await self.session.send_json(
            "POST", path, host="audit", json_body=query.body(), idempotent=True
        )
        items = data.get("response") if isinstance(data, dict) else None
        if data is not None and not isinstance(data, dict):
            raise ResponseFormatError(f"Clockify sent a {type(data).__name__} instead of {_WHAT}.")
        if items is None:
            return []
        if not isinstance(items, list):
            raise ResponseFormatError(f"Clockify sent {type(items).__name__} instead of {_WHAT}.")
        return items
