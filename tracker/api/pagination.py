"""Page through Clockify lists without ever looping forever.

Lists take 1-based ``page`` and ``page-size``. The iterator stops when the server says
``Last-Page: true`` (read case-insensitively), when a page is short, or when it is empty
(FACTS §2: some endpoints ignore paging and never send the header). A server that answers the
same page twice, or that does not end within ``max_pages``, raises :class:`PaginationError`
instead of hanging the caller. Items are yielded page by page, so memory stays flat however
long the list is.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Mapping
from typing import Any, TypeVar

from tracker.api.errors import PaginationError, ResponseFormatError
from tracker.api.models.base import Rejected, WireModel, decode_list
from tracker.api.session import ApiSession, Host, QueryValue

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGES", "iterate_items", "iterate_pages"]

T = TypeVar("T", bound=WireModel)

DEFAULT_PAGE_SIZE = 200
MAX_PAGES = 10_000


async def iterate_pages(
    session: ApiSession,
    path: str,
    model: type[T],
    *,
    what: str,
    params: Mapping[str, QueryValue] | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_pages: int = MAX_PAGES,
    host: Host = "api",
    rejects: list[Rejected] | None = None,
) -> AsyncIterator[list[T]]:
    """Yield one decoded page after another (bad items go to ``rejects`` when it is given).

    Raises:
        PaginationError: the server repeated a page or did not end within ``max_pages``.
        ClockifyError: any failure of a page request.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    previous: str | None = None
    for page in range(1, max_pages + 1):
        query = {**(params or {}), "page": page, "page-size": page_size}
        data, response = await session.get_json(path, host=host, params=query)
        if not isinstance(data, list):
            raise ResponseFormatError(f"Clockify sent a {type(data).__name__} instead of {what}.")
        if not data:
            return
        signature = _signature(data)
        if signature == previous:
            raise PaginationError(
                f"Clockify sent page {page} of {what} twice; stopped instead of looping."
            )
        previous = signature
        yield decode_list(model, data, what=what, rejects=rejects)
        last = response.headers.get("last-page", "").strip().lower()
        if last == "true" or len(data) < page_size:
            return
    raise PaginationError(
        f"Clockify's list of {what} did not end after {max_pages} pages; stopped there."
    )


async def iterate_items(
    session: ApiSession,
    path: str,
    model: type[T],
    *,
    what: str,
    params: Mapping[str, QueryValue] | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_pages: int = MAX_PAGES,
    host: Host = "api",
    rejects: list[Rejected] | None = None,
) -> AsyncIterator[T]:
    """Yield the items of every page, one at a time."""
    async for items in iterate_pages(
        session,
        path,
        model,
        what=what,
        params=params,
        page_size=page_size,
        max_pages=max_pages,
        host=host,
        rejects=rejects,
    ):
        for item in items:
            yield item


def _signature(items: list[Any]) -> str:
    """A fingerprint of a page: its ids when items have them, else its content."""
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    text = repr(ids) if all(ids) else repr(items)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
