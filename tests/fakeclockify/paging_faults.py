"""Paged lists that misbehave, for proving a client's pager never loops forever.

Works on every kind of paging Clockify has (FACTS §2): ``page``/``page-size`` in the query
(the main host's lists; ``pageSize`` for shared reports), ``page``/``pageSize`` inside a
report body (``detailedFilter``, ``attendanceFilter``) and at the top of a body (the
time-off request list, ``{requests, count}``; balances answer ``{balances, count}``; the
audit log, ``page``/``page-size`` answering ``{response}``). Each fault re-asks the app for
other pages of the same request, so the items are real and the answer keeps its shape:

- ``page_repeat``: every page after the first is the first page again.
- ``page_ignored``: ``page`` and the page size are ignored: the whole list every time.
- ``page_total_lie``: the declared total (``totals[0].entriesCount``, an envelope's
  ``count``) is ``size`` (default: half the truth).
- ``page_never_short``: no page is ever short or empty: pages past the end wrap around to the
  start, and a declared total always promises one page more than was sent.

Each says ``Last-Page: false`` where the list sends that header.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.fakeclockify.app import Outcome
from tests.fakeclockify.model import PAGING_FAULTS, Fault
from tests.fakeclockify.wire import dumps

__all__ = ["PAGING_FAULTS", "misbehave"]

_BODY_FILTERS = ("detailedFilter", "attendanceFilter")
_ENVELOPES = ("timeEntries", "entities", "reports", "requests", "balances", "response")
_ALL = 100_000

Ask = Callable[[list[tuple[str, str]], bytes], Outcome]
"""Run the same request again with another query and body."""


class _Paging:
    """Where one request keeps its page and page size, and how to ask for another page."""

    def __init__(self, query: list[tuple[str, str]], body: bytes) -> None:
        self.query = query
        self.body = body
        self.payload: dict[str, Any] | None = None
        self.filter_key: str | None = None
        try:
            parsed = json.loads(body) if body.strip() else None
        except ValueError:
            parsed = None
        self.top = False
        self.body_size = "pageSize"
        if isinstance(parsed, dict):
            for key in _BODY_FILTERS:
                if isinstance(parsed.get(key), dict):
                    self.payload, self.filter_key = parsed, key
            if self.filter_key is None and ("page" in parsed or "pageSize" in parsed):
                self.payload, self.top = parsed, True
            if self.filter_key is None and "page-size" in parsed:
                # The audit log: ``page`` and ``page-size`` at the top of its body.
                self.payload, self.top, self.body_size = parsed, True, "page-size"
        names = [k for k, _ in query]
        self.size_name = "pageSize" if "pageSize" in names else "page-size"

    def _query_int(self, name: str, default: int) -> int:
        for key, value in self.query:
            if key == name and value.strip().lstrip("-").isdigit():
                return int(value)
        return default

    @property
    def page(self) -> int:
        if self.payload is not None and self.filter_key:
            return int(self.payload[self.filter_key].get("page") or 1)
        if self.payload is not None and self.top:
            return max(int(self.payload.get("page") or 1), 1)
        return max(self._query_int("page", 1), 1)

    @property
    def size(self) -> int:
        if self.payload is not None and self.filter_key:
            return int(self.payload[self.filter_key].get("pageSize") or 50)
        if self.payload is not None and self.top:
            return int(self.payload.get(self.body_size) or 50)
        return self._query_int(self.size_name, 50)

    def ask(self, page: int, size: int) -> tuple[list[tuple[str, str]], bytes]:
        """The query and body of the same request for another page."""
        if self.payload is not None and self.filter_key:
            changed = {**self.payload[self.filter_key], "page": page, "pageSize": size}
            return self.query, dumps({**self.payload, self.filter_key: changed})
        if self.payload is not None and self.top:
            return self.query, dumps({**self.payload, "page": page, self.body_size: size})
        rest = [(k, v) for k, v in self.query if k not in ("page", self.size_name)]
        return [*rest, ("page", str(page)), (self.size_name, str(size))], self.body


def _items(outcome: Outcome) -> tuple[Any, list[Any] | None, str | None]:
    """The decoded body, its list of items, and the envelope key holding them (if any)."""
    try:
        payload = json.loads(outcome.body)
    except ValueError:
        return None, None, None
    if isinstance(payload, list):
        return payload, payload, None
    if isinstance(payload, dict):
        for key in _ENVELOPES:
            if isinstance(payload.get(key), list):
                return payload, payload[key], key
    return payload, None, None


def _rebuilt(outcome: Outcome, payload: Any, items: list[Any], key: str | None) -> Outcome:
    body = dumps(items if key is None else {**payload, key: items})
    headers = dict(outcome.headers)
    if "Last-Page" in headers:
        headers["Last-Page"] = "false"
    return Outcome(outcome.status, headers, body, outcome.committed)


def misbehave(
    fault: Fault, ask: Ask, query: list[tuple[str, str]], body: bytes, real: Outcome
) -> Outcome:
    """Bend a 2xx list answer the way ``fault`` says; anything else passes unchanged."""
    payload, items, key = _items(real)
    if real.status != 200 or items is None:
        return real
    paging = _Paging(query, body)
    if fault.kind == "page_total_lie":
        return _total_lie(real, payload, items, key, fault.size)
    if fault.kind == "page_repeat":
        if paging.page <= 1:
            return _rebuilt(real, payload, items, key)
        first = ask(*paging.ask(1, paging.size))
        first_payload, first_items, _ = _items(first)
        return _rebuilt(real, first_payload, first_items or [], key)
    whole_payload, everything = _whole(ask, paging)
    if fault.kind == "page_ignored":
        return _rebuilt(real, whole_payload, everything, key)
    # page_never_short: a full page every time, wrapping around the list.
    if not everything:
        return _rebuilt(real, payload, items, key)
    start = (paging.page - 1) * paging.size
    wrapped = [everything[(start + n) % len(everything)] for n in range(paging.size)]
    promised = _with_total(payload, (paging.page + 1) * paging.size)
    return _rebuilt(real, promised, wrapped, key)


def _whole(ask: Ask, paging: _Paging) -> tuple[Any, list[Any]]:
    """The whole list: in one page where the route takes any size, else page by page at
    the size asked (the time-off lists refuse pages over 200)."""
    whole = ask(*paging.ask(1, _ALL))
    payload, everything, _ = _items(whole)
    if whole.status == 200:
        return payload, everything or []
    gathered: list[Any] = []
    size = max(paging.size, 1)
    for page in range(1, 1001):
        outcome = ask(*paging.ask(page, size))
        found_payload, found, _ = _items(outcome)
        payload = payload if found_payload is None else found_payload
        gathered.extend(found or [])
        if outcome.status != 200 or not found or len(found) < size:
            break
    return payload, gathered


def _declared(payload: Any) -> int | None:
    """The total a list answer declares: a report's ``entriesCount`` or an envelope's
    ``count``."""
    if not isinstance(payload, dict):
        return None
    totals = payload.get("totals")
    if isinstance(totals, list) and totals and isinstance(totals[0], dict):
        return int(totals[0].get("entriesCount") or 0)
    count = payload.get("count")
    return count if isinstance(count, int) else None


def _with_total(payload: Any, total: int) -> Any:
    """The payload declaring ``total`` instead (unchanged when it declares none)."""
    if not isinstance(payload, dict):
        return payload
    totals = payload.get("totals")
    if isinstance(totals, list) and totals and isinstance(totals[0], dict):
        return {**payload, "totals": [{**totals[0], "entriesCount": total}, *totals[1:]]}
    if isinstance(payload.get("count"), int):
        return {**payload, "count": total}
    return payload


def _total_lie(
    real: Outcome, payload: Any, items: list[Any], key: str | None, size: int
) -> Outcome:
    truth = _declared(payload)
    lied = payload if truth is None else _with_total(payload, size or truth // 2)
    return _rebuilt(real, lied, items, key)
