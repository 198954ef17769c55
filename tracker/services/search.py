"""Fuzzy search for pickers: projects and their tasks, grouped by client, favourites first.

Qt-free, so the GUI's pickers, the CLI and the tests share it. It is written for catalogs of
10,000 projects and 40,000 tasks, where a keystroke costs a millisecond or two.

What matches: each item has a label (``Website: Design`` for a task) and a group (its
client). A query matches the label or the group, never partly one and partly the other, so
``webacme`` does not find ``Website`` of client ``Acme``. Results come in tiers, best first:

1. the whole label; 2. the start of the label; 3. the start of a word in it;
4. the group's name, its start or a word's start; 5. anywhere in the label;
6. anywhere in the group's name; 7. the label's letters in order, scattered (scored: letters
   that start words or follow each other count, gaps cost); 8. the group's, scattered.

Within a tier, favourites (pinned items) come first, then shorter labels, then the catalog's
own order. With no query, the catalog's order is kept (see
:mod:`tracker.services.search_candidates`: favourites, then projects by client with each
project's tasks under it).

How it stays fast (in CPython, with no extension): the index
(:mod:`tracker.services.search_index`) numbers the items in rank order once per catalog, so
"the best N of a tier" is "the N smallest row numbers", and keeps sorted views so tiers 1 to 3
are a binary search each; tier 5 is one regular-expression search over a joined text of all
labels that stops at the first N hits. Only tier 7 tries rows one by one (in C, a chunk at a
time, skipping rows that lack one of the query's letters when those are few); it stops after
:data:`SCANNED` matches and remembers how far it got, so the next keystroke (a longer query can
only match fewer rows) re-checks those matches and goes on from there. A tier 5 search that ran
to the end is kept too: a longer query checks only its hits.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress, islice
from typing import Any, NamedTuple, TypeVar

from tracker.services.search_index import (
    POSITION_BITS,
    POSITION_MASK,
    SEPARATOR_CLASS,
    SEPARATORS,
    WORD_KEY,
    Group,
    Searchable,
    SearchIndex,
    normalize,
    word_at,
)

__all__ = ["LIMIT", "SCANNED", "SCORED", "Search", "rank"]

LIMIT = 50
"""Results shown at most: nobody scrolls further than this, and it bounds the work per key."""

SCANNED = 500
"""Scattered matches collected per query (in rank order) before the scan stops."""

SCORED = 2 * LIMIT
"""Of the scattered matches collected, the most compact are scored in full (a few µs each)."""
_CHUNK = 2048
"""Rows the scattered scan checks in one C-level pass before it counts what it found."""
_SPARSE = 4
"""The scattered scan skips rows by those sets when fewer than one in this many remain."""
_ONE = re.compile(b"\x01")

T = TypeVar("T", bound=Searchable)


class _Found(NamedTuple):
    """Every row whose label holds ``query`` (a longer query can only be in these)."""

    query: str
    rows: list[int]


class _Scan(NamedTuple):
    """How far the scattered tier looked: every row before ``frontier`` whose label holds
    ``query`` scattered is in ``rows``."""

    query: str
    rows: list[int]
    frontier: int


class Search:
    """One query's result; the next, longer query picks up where this one's scan stopped.

    Attributes:
        query: the normalised query.
        best: the positions (in the index's items) to show, best first.
    """

    __slots__ = ("_scan", "_substrings", "best", "query")

    def __init__(
        self,
        query: str,
        best: list[int],
        scan: _Scan | None = None,
        substrings: _Found | None = None,
    ) -> None:
        self.query = query
        self.best = best
        self._scan = scan
        self._substrings = substrings

    @classmethod
    def run(
        cls,
        query: str,
        index: SearchIndex[T],
        limit: int = LIMIT,
        previous: Search | None = None,
    ) -> Search:
        """The best ``limit`` items for ``query``; the same as a fresh search, but faster
        when ``previous`` was a search of the start of this query."""
        q = normalize(query)
        if not q:
            return cls(q, list(range(min(limit, len(index)))))
        scan = previous._scan if previous is not None else None  # noqa: SLF001 - same class
        if scan is not None and not q.startswith(scan.query):
            scan = None
        substrings = (
            previous._substrings if previous is not None else None  # noqa: SLF001 - same class
        )
        if substrings is not None and not q.startswith(substrings.query):
            substrings = None
        found = _Tiers(index, q, limit, scan, substrings)
        rows = found.collect()
        return cls(q, [index.position[row] for row in rows], found.scan, found.substrings)


class _Tiers:
    """Fills the result tier by tier until ``limit`` rows are found."""

    def __init__(
        self,
        index: SearchIndex[Any],
        q: str,
        limit: int,
        scan: _Scan | None,
        substrings: _Found | None,
    ) -> None:
        self.index = index
        self.q = q
        self.limit = limit
        self.scan = scan
        self.substrings = substrings
        self.rows: list[int] = []
        self.taken: set[int] = set()
        self._starts_word = re.compile(f"(?:^|{SEPARATOR_CLASS}){re.escape(q)}").search

    def collect(self) -> list[int]:
        steps: tuple[Callable[[], bool], ...] = (
            self._exact,
            self._prefix,
            self._word_begins,
            self._group_start,
            self._substring,
            self._group_substring,
            self._scattered,
            self._group_scattered,
        )
        for step in steps:
            if step():
                break
        return self.rows

    # --- taking rows ------------------------------------------------------------------------

    def _full(self) -> bool:
        return len(self.rows) >= self.limit

    def _take_best(self, rows: Iterable[int]) -> bool:
        """Take the best (smallest) of ``rows`` that are not taken yet, as many as fit."""
        fresh = set(rows) - self.taken if self.taken else set(rows)
        room = self.limit - len(self.rows)
        chosen = heapq.nsmallest(room, fresh) if len(fresh) > room else sorted(fresh)
        self.rows.extend(chosen)
        self.taken.update(chosen)
        return self._full()

    def _take_in_order(self, rows: Iterable[int]) -> bool:
        """Take ``rows`` in the order given (already ranked), skipping taken ones."""
        for row in rows:
            if row not in self.taken:
                self.rows.append(row)
                self.taken.add(row)
                if self._full():
                    return True
        return False

    # --- the label --------------------------------------------------------------------------

    def _exact(self) -> bool:
        labels, alpha = self.index.labels, self.index.alpha
        low = bisect_left(alpha, self.q, key=labels.__getitem__)
        high = bisect_right(alpha, self.q, key=labels.__getitem__, lo=low)
        return self._take_best(alpha[low:high])

    def _prefix(self) -> bool:
        labels, q = self.index.labels, self.q
        size = len(q)

        def head(row: int) -> str:
            return labels[row][:size]

        alpha = self.index.alpha
        low = bisect_left(alpha, q, key=head)
        high = bisect_right(alpha, q, key=head, lo=low)
        return self._take_best(alpha[low:high])

    def _word_begins(self) -> bool:
        labels, q = self.index.labels, self.q
        size = min(len(q), WORD_KEY)
        key, words = q[:size], self.index.words

        def head(word: int) -> str:
            return word_at(labels, word, size)

        low = bisect_left(words, key, key=head)
        high = bisect_right(words, key, key=head, lo=low)
        span: Iterable[int] = words[low:high]
        if len(q) > WORD_KEY:
            span = [w for w in span if labels[w >> POSITION_BITS].startswith(q, w & POSITION_MASK)]
        return self._take_best(w >> POSITION_BITS for w in span)

    def _substring(self) -> bool:
        """Rows holding the query anywhere, in rank order: one search over the joined text,
        stopping as soon as the result is full. Once a search ran to the end, a longer query
        only checks the rows it found."""
        q, labels, known = self.q, self.index.labels, self.substrings
        if known is not None:
            rows = [row for row in known.rows if q in labels[row]]
            self.substrings = _Found(q, rows)
            return self._take_in_order(rows)
        text, starts = self.index.text, self.index.starts
        find = re.compile(re.escape(q)).search  # faster than str.find on a long text
        found: list[int] = []
        hit = find(text)
        while hit is not None:
            row = bisect_right(starts, hit.start()) - 1
            found.append(row)
            if row not in self.taken:
                self.rows.append(row)
                self.taken.add(row)
                if self._full():
                    return True
            hit = find(text, starts[row + 1])
        self.substrings = _Found(q, found)
        return False

    def _scattered(self) -> bool:
        """The query's letters in order: the first :data:`SCANNED` such rows, the most
        compact :data:`SCORED` of them scored."""
        labels, q, taken = self.index.labels, self.q, self.taken
        self.scan = _scan_scattered(self.index, q, taken, self.scan)
        match = _subsequence(q).match
        spans = []
        for row in self.scan.rows:
            if row not in taken and (hit := match(labels[row])) is not None:
                begin = hit.start(1)
                # Compact matches first, one that begins a word counted as six letters
                # shorter (what starting a word is worth in the score).
                word = begin == 0 or labels[row][begin - 1] in SEPARATORS
                spans.append((hit.end() - begin - 6 * word, row))
        shortlist = heapq.nsmallest(SCORED, spans)
        shortlist.sort(key=lambda span: (-_fuzzy_score(q, labels[span[1]]), span))
        return self._take_in_order(row for _, row in shortlist)

    # --- the group (client) -----------------------------------------------------------------

    def _groups_where(self, test: Callable[[str], object]) -> list[Group]:
        return [group for group in self.index.groups if test(group.name)]

    def _group_start(self) -> bool:
        groups = self._groups_where(self._starts_word)
        return self._take_best(row for group in groups for row in group.rows)

    def _group_substring(self) -> bool:
        q = self.q
        groups = self._groups_where(lambda name: q in name)
        return self._take_best(row for group in groups for row in group.rows)

    def _group_scattered(self) -> bool:
        q = self.q
        match = _subsequence(q).match
        groups = self._groups_where(match)
        groups.sort(key=lambda group: -_fuzzy_score(q, group.name))
        return self._take_in_order(row for group in groups for row in group.rows)


def _scan_scattered(
    index: SearchIndex[Any], q: str, taken: set[int], previous: _Scan | None
) -> _Scan:
    """The rows holding ``q`` scattered, in row order, until :data:`SCANNED` of them are not
    ``taken``, and how far that looked.

    A longer query matches only rows its start matched, so the rows ``previous`` found are
    checked again and the scan goes on from its frontier: the same rows a scan from the
    first row finds. The pattern runs over chunks of rows at C speed (``map``), and only over
    rows that hold all of the query's letters when those are few.
    """
    labels = index.labels
    match = _subsequence(q).match
    pending: list[int] = []
    frontier = 0
    if previous is not None:
        frontier = previous.frontier
        pending = list(compress(previous.rows, map(match, map(labels.__getitem__, previous.rows))))
    chunks = _chunks(index, q, frontier)
    hits: list[int] = []
    fresh = 0
    while True:
        for hit in pending:
            hits.append(hit)
            if hit not in taken:
                fresh += 1
                if fresh >= SCANNED:
                    return _Scan(q, hits, hit + 1)
        chunk = next(chunks, None)
        if chunk is None:
            return _Scan(q, hits, len(labels))
        pending = list(compress(chunk, map(match, map(labels.__getitem__, chunk))))


def _chunks(index: SearchIndex[Any], q: str, start: int) -> Iterator[list[int]]:
    """The rows from ``start`` on that may hold ``q``, in order, a chunk at a time."""
    end = len(index.labels)
    holding = index.rows_holding(q)
    if holding is None or holding.bit_count() * _SPARSE > end:
        for low in range(start, end, _CHUNK):
            yield list(range(low, min(low + _CHUNK, end)))
        return
    rows = _ONE.finditer(holding.to_bytes(end, "little"), start)
    while chunk := [hit.start() for hit in islice(rows, _CHUNK)]:
        yield chunk


def rank(query: str, items: SearchIndex[T] | Sequence[T], limit: int = LIMIT) -> list[T]:
    """The best ``limit`` items for ``query``, best first (see the module's tiers).

    Pass a :class:`SearchIndex` (built once per catalog) to search fast; a plain list is
    indexed on every call.
    """
    index = items if isinstance(items, SearchIndex) else SearchIndex(items)
    return [index.items[i] for i in Search.run(query, index, limit).best]


def _subsequence(q: str) -> re.Pattern[str]:
    """``abc`` → ``[^a]*+(a)[^b]*+b[^c]*+c``: the leftmost subsequence, matched in one pass
    without backtracking (possessive runs); group 1 marks where it begins."""
    head = re.escape(q[0])
    parts = [f"[^{head}]*+({head})"]
    parts.extend(f"[^{re.escape(char)}]*+{re.escape(char)}" for char in q[1:])
    return re.compile("".join(parts))


def _fuzzy_score(q: str, key: str) -> int:
    """A score for a scattered match: letters that start words or follow the previous one
    count; gaps cost. Greedy, taking a word start over the next occurrence when the rest of
    the query still fits after it."""
    score = 0
    pos = -1
    for at, char in enumerate(q):
        nxt = key.find(char, pos + 1)
        if nxt < 0:
            return -10_000
        if nxt == pos + 1 and pos >= 0:
            score += 8
        else:
            word = _word_start(key, char, pos + 1)
            if word >= 0 and _fits(q, at + 1, key, word + 1):
                nxt = word
                score += 6
            score -= min(nxt - pos - 1, 10) if pos >= 0 else min(nxt, 5)
        pos = nxt
    return score


def _fits(q: str, start: int, key: str, begin: int) -> bool:
    """Whether ``q[start:]`` is a subsequence of ``key[begin:]``."""
    for char in q[start:]:
        begin = key.find(char, begin) + 1
        if not begin:
            return False
    return True


def _word_start(key: str, char: str, begin: int) -> int:
    if char in SEPARATORS:
        return -1
    at = key.find(char, begin)
    while at >= 0:
        if at == 0 or key[at - 1] in SEPARATORS:
            return at
        at = key.find(char, at + 1)
    return -1
