"""Clockify's list paging: 1-based ``page``, ``page-size`` (default 50), ``Last-Page`` header.

A page past the end is ``[]`` with ``Last-Page: true``; a full page that happens to hold the
last items also says ``true`` (the header is exact, unlike "page came back short").
"""

from __future__ import annotations

from typing import Any

from tests.fakeclockify.model import ApiError
from tests.fakeclockify.routing import Reply, Request

__all__ = ["last_page_header", "page_params", "paged"]


def page_params(req: Request, default_size: int = 50) -> tuple[int, int]:
    """``page`` and ``page-size`` from the query; page 0 or below reads as page 1."""
    page = req.integer("page", 1)
    size = req.integer("page-size", default_size)
    if size < 1:
        raise ApiError(400, "Page size must be greater than 0.", 501)
    return max(page, 1), size


def last_page_header(last: bool) -> dict[str, str]:
    """The ``Last-Page`` header."""
    return {"Last-Page": "true" if last else "false"}


def paged(items: list[Any], page: int, size: int) -> Reply:
    """One page of an already filtered and sorted list, with its ``Last-Page`` header."""
    start = (page - 1) * size
    chunk = items[start : start + size]
    return Reply(200, chunk, last_page_header(start + size >= len(items)))
