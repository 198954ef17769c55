"""Page through Clockify lists without ever looping forever: one guarded pager for all.

Clockify pages two ways (FACTS §2): ``page``/``page-size`` in the query of most lists (with a
``Last-Page`` header on many, and no total), and ``page``/``pageSize`` inside a report body
(``detailedFilter``), whose answer declares a total (``totals[0].entriesCount``). Both go
through :func:`guarded_pages`, which ends the reading

- normally on ``Last-Page: true``, an empty or short page, a page longer than asked (the
  whole list, from an endpoint that ignores paging), or once the declared total is reached
  (some endpoints ignore paging and never send the header), and
- with :class:`~tracker.api.errors.PaginationError` naming the guard that fired when the
  server misbehaves: a page equal to the previous one, or holding only items read before
  (``repeated page``), more items than
  the total declared (``past the declared total``), or more pages than the first declared
  total allows, else than ``max_pages`` (``page ceiling``).

Items are yielded page by page, so memory holds one page and a short fingerprint per item
read (to see a list that wraps around), however long the list is, and every page
is one request through the session's request budget.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from tracker.api.errors import PaginationError, ResponseFormatError
from tracker.api.models.base import Rejected, WireModel, decode_list
from tracker.api.session import ApiSession, Host, QueryValue

__all__ = [
    "CEILING",
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGES",
    "PAST_TOTAL",
    "REPEATED_PAGE",
    "Page",
    "guarded_pages",
    "iterate_items",
    "iterate_pages",
]

T = TypeVar("T", bound=WireModel)

DEFAULT_PAGE_SIZE = 200
MAX_PAGES = 10_000

REPEATED_PAGE = "repeated page"
PAST_TOTAL = "past the declared total"
CEILING = "page ceiling"


@dataclass(frozen=True)
class Page:
    """One answer of a paged read: its raw items, and what the server said of the whole."""

    items: list[Any]
    last: bool | None = None
    """``Last-Page``, when the server sends it."""
    total: int | None = None
    """The number of items the whole list declares, when the server declares one."""


Fetch = Callable[[int, int], Awaitable[Page]]
"""Ask for one page: ``fetch(page, page_size)``, pages counted from 1."""


class _Guards:
    """The checks one paged read makes before and after each page."""

    def __init__(self, what: str, page_size: int, max_pages: int) -> None:
        self.what = what
        self.page_size = page_size
        self.ceiling = max_pages
        self.previous: str | None = None
        self.seen = 0
        self.known: set[int] = set()
        """Short fingerprints of every item read so far (8 bytes each)."""

    def before(self, number: int) -> None:
        """Refuse to ask for a page past the ceiling."""
        if number > self.ceiling:
            raise PaginationError(
                f"Clockify's list of {self.what} did not end after {self.ceiling} pages; "
                "stopped there.",
                guard=CEILING,
            )

    def check(self, number: int, page: Page) -> None:
        """Refuse a page equal to the previous one, a page of items all read before (a
        list that wraps around never repeats the previous page), or one that goes past the
        total."""
        signature = _signature(page.items)
        if signature == self.previous:
            raise PaginationError(
                f"Clockify sent page {number} of {self.what} twice; stopped instead of looping.",
                guard=REPEATED_PAGE,
            )
        self.previous = signature
        prints = {_item_print(item) for item in page.items}
        if number > 1 and prints <= self.known:
            raise PaginationError(
                f"Clockify sent page {number} of {self.what} with only items of earlier pages; "
                "stopped instead of looping.",
                guard=REPEATED_PAGE,
            )
        self.known |= prints
        self.seen += len(page.items)
        if page.total is None:
            return
        if number == 1:
            # One spare page: a list may grow a little while it is being read.
            self.ceiling = min(self.ceiling, math.ceil(page.total / self.page_size) + 1)
        if self.seen > page.total:
            raise PaginationError(
                f"Clockify sent more {self.what} ({self.seen}) than the {page.total} it "
                "declared; stopped there.",
                guard=PAST_TOTAL,
            )

    def ended(self, page: Page) -> bool:
        """Whether this page was the last: said so, short, the total reached, or longer
        than asked (the server ignored the page size and sent the whole list, as some
        Clockify lists do, FACTS §2)."""
        return bool(
            page.last
            or len(page.items) != self.page_size
            or (page.total is not None and self.seen == page.total)
        )


async def guarded_pages(
    fetch: Fetch, *, what: str, page_size: int, max_pages: int = MAX_PAGES
) -> AsyncIterator[Page]:
    """Yield pages until the list ends; raise when the server would keep it going forever.

    Raises:
        PaginationError: a guard fired; ``guard`` says which.
        ClockifyError: any failure of a page request.
    """
    if page_size < 1 or max_pages < 1:
        raise ValueError("page_size and max_pages must be at least 1")
    guards = _Guards(what, page_size, max_pages)
    number = 1
    while True:
        guards.before(number)
        page = await fetch(number, page_size)
        if not page.items:
            return
        guards.check(number, page)
        yield page
        if guards.ended(page):
            return
        number += 1


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
    """Yield one decoded page of a query-paged list after another (bad items go to
    ``rejects`` when it is given).

    Raises:
        PaginationError: the server repeated a page or did not end within ``max_pages``.
        ClockifyError: any failure of a page request.
    """

    async def fetch(page: int, size: int) -> Page:
        query = {**(params or {}), "page": page, "page-size": size}
        data, response = await session.get_json(path, host=host, params=query)
        if not isinstance(data, list):
            raise ResponseFormatError(f"Clockify sent a {type(data).__name__} instead of {what}.")
        last = response.headers.get("last-page", "").strip().lower()
        return Page(data, last=True if last == "true" else None)

    async for page in guarded_pages(fetch, what=what, page_size=page_size, max_pages=max_pages):
        yield decode_list(model, page.items, what=what, rejects=rejects)


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


def _item_print(item: Any) -> int:
    """A short fingerprint of one item: its id when it has one, else its content."""
    key = (item.get("id") or item.get("_id")) if isinstance(item, dict) else None
    text = repr(key) if key else repr(item)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _signature(items: list[Any]) -> str:
    """A fingerprint of a page: its ids when items have them (``id``, or ``_id`` on the
    Reports host), else its content."""
    ids = [
        (item.get("id") or item.get("_id")) if isinstance(item, dict) else None for item in items
    ]
    text = repr(ids) if all(ids) else repr(items)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
