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
own order. With no query, the catalog's order is kept: :func:`candidates` lists favourites,
then projects by client with each project's tasks under it.

How it stays fast (in CPython, with no extension): :class:`SearchIndex` numbers the items in
rank order once per catalog, so "the best N of a tier" is "the N smallest row numbers", and
keeps sorted views so tiers 1 to 3 are a binary search each; tier 5 is one regular-expression
search over a joined text of all labels that stops at the first N hits. Only tier 7 tries rows
one by one (in C, a chunk at a time, skipping rows that lack one of the query's letters when
those are few); it stops after :data:`SCANNED` matches and remembers how far it got, so the
next keystroke (a longer query can only match fewer rows) re-checks those matches and goes on
from there. A tier 5 search that ran to the end is kept too: a longer query checks only its hits.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import (
    Callable,
    Collection,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from datetime import timedelta
from itertools import compress, islice, repeat
from operator import contains
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from tracker.domain.model import Project, Task

__all__ = [
    "LIMIT",
    "NO_PROJECT",
    "SEPARATORS",
    "Candidate",
    "Search",
    "SearchIndex",
    "Searchable",
    "candidate_steps",
    "candidates",
    "finish",
    "normalize",
    "rank",
]

LIMIT = 50
"""Results shown at most: nobody scrolls further than this, and it bounds the work per key."""

SCANNED = 500
"""Scattered matches collected per query (in rank order) before the scan stops."""

SCORED = 2 * LIMIT
"""Of the scattered matches collected, the most compact are scored in full (a few µs each)."""

SEPARATORS = frozenset(" :-_/.()[]&,+#")
"""A match right after one of these starts a word."""

STEP = 1024
"""Items a build step handles: a millisecond or two of work, after which a building thread
may pause (the GUI thread shares the interpreter)."""

_CHUNK = 2048
"""Rows the scattered scan checks in one C-level pass before it counts what it found."""
_LETTER_SETS = 64
"""Characters (the most common ones) whose rows the index keeps as a set."""
_SPARSE = 4
"""The scattered scan skips rows by those sets when fewer than one in this many remain."""
_ONE = re.compile(b"\x01")
_WORD_KEY = 48
"""Characters after a word start that the word index sorts by (longer queries are checked)."""
_POSITION_BITS = 16
_POSITION_MASK = (1 << _POSITION_BITS) - 1
_SEPARATOR_CLASS = "[" + re.escape("".join(sorted(SEPARATORS))) + "]"
_WORD_STARTS = re.compile(f"(?<={_SEPARATOR_CLASS})[^ ]")


class Searchable(Protocol):
    """What the index reads of an item."""

    @property
    def label(self) -> str:
        """What is shown and searched."""
        ...

    @property
    def group(self) -> str | None:
        """The group's name (a client), searched on its own."""
        ...

    @property
    def pinned(self) -> bool:
        """A favourite: first in its tier."""
        ...


T = TypeVar("T", bound=Searchable)
V = TypeVar("V")
R = TypeVar("R")


class Candidate(NamedTuple):
    """A project, or a project's task, as a picker lists it."""

    project_id: str | None
    task_id: str | None
    label: str
    client: str | None
    color: str | None
    estimate: timedelta | None
    pinned: bool = False

    @property
    def group(self) -> str | None:
        """The client's name: searched on its own, and what the list is grouped by."""
        return self.client


NO_PROJECT = Candidate(None, None, "No project", None, None, None)
"""The row that clears the project and task."""


def candidates(
    projects: Iterable[Project],
    tasks: Iterable[Task],
    client_names: Mapping[str, str],
    pinned: Collection[str] = (),
) -> list[Candidate]:
    """Every project and its open tasks, in the order a picker lists them with no query.

    Favourites (project or task ids in ``pinned``) come first; then projects by client
    (those without one first) and name, each followed by its open tasks by name. A pinned
    project keeps its tasks under it; a pinned task alone moves up.
    """
    return finish(candidate_steps(projects, tasks, client_names, pinned))


def candidate_steps(
    projects: Iterable[Project],
    tasks: Iterable[Task],
    client_names: Mapping[str, str],
    pinned: Collection[str] = (),
) -> Generator[None, None, list[Candidate]]:
    """:func:`candidates` in steps of a millisecond or two (see :class:`SearchIndex`)."""
    open_tasks: dict[str, list[Task]] = {}
    for some_tasks in _batched(tasks, STEP):
        for task in some_tasks:
            if not task.done:
                open_tasks.setdefault(task.project_id, []).append(task)
        yield
    listed: list[tuple[str, str, int, Project, str | None]] = []
    for some_projects in _batched(projects, STEP):
        for project in some_projects:
            client = client_names.get(project.client_id or "")
            key = ((client or "").lower(), project.name.lower(), len(listed))
            listed.append((*key, project, client))
        yield
    listed = yield from _sorted_in_steps(listed, len(listed))
    favourites: list[Candidate] = []
    rest: list[Candidate] = []
    for some_listed in _batched(listed, STEP // 4):
        for _, _, _, project, client in some_listed:
            pinned_project = project.id in pinned
            (favourites if pinned_project else rest).append(
                Candidate(
                    project.id, None, project.name, client, project.color, None, pinned_project
                )
            )
            for task in sorted(open_tasks.get(project.id, ()), key=_task_name):
                pin = pinned_project or task.id in pinned
                label = f"{project.name}: {task.name}"
                item = Candidate(
                    project.id, task.id, label, client, project.color, task.estimate, pin
                )
                (favourites if pin else rest).append(item)
        yield
    return favourites + rest


def _task_name(task: Task) -> str:
    return task.name.lower()


def normalize(text: str) -> str:
    """Lowercase with runs of whitespace as one space: how queries and labels compare."""
    return " ".join(text.lower().split())


class _Group(NamedTuple):
    name: str
    rows: array[int]


class SearchIndex(Generic[T]):
    """The items with what searching needs, built once per catalog (about half a second for
    50,000 items, so the picker builds it off the GUI thread).

    Rows are the items renumbered in rank order (favourites, then shorter labels, then the
    catalog's order): the best rows of a tier are its smallest row numbers.

    Attributes:
        items: the items, in the catalog's order (a result names positions in it).
    """

    __slots__ = (
        "alpha",
        "groups",
        "items",
        "labels",
        "letters",
        "position",
        "starts",
        "text",
        "words",
    )

    def __init__(self, items: Sequence[T]) -> None:
        finish(self._build(items))

    @classmethod
    def steps(cls, items: Sequence[T]) -> Generator[None, None, SearchIndex[T]]:
        """Build the index a step at a time (each a millisecond or two), so a thread that
        builds it can pause between steps while the GUI thread needs the interpreter."""
        index = cls.__new__(cls)
        yield from index._build(items)  # noqa: SLF001 - same class
        return index

    def _build(self, items: Sequence[T]) -> Generator[None, None, None]:
        """Every part of the index, in steps of :data:`STEP` rows; no step holds the
        interpreter long (sorts are done in pieces and merged a step at a time)."""
        self.items = items
        count = len(items)
        folded: list[str] = []
        rank_keys: list[int] = []
        for low in range(0, count, STEP):
            part = [normalize(item.label) for item in items[low : low + STEP]]
            # One int per item, sorted as (not pinned, label length, position).
            rank_keys.extend(
                (not items[i].pinned) << 62 | len(label) << 32 | i
                for i, label in enumerate(part, low)
            )
            folded.extend(part)
            yield
        ordered = yield from _sorted_in_steps(rank_keys, count)
        rank_keys.clear()
        ranked: list[int] = []
        for low in range(0, count, STEP):
            ranked.extend([key & 0xFFFFFFFF for key in ordered[low : low + STEP]])
            yield
        yield from _drop(ordered)
        # Arrays of machine ints, not lists of int objects: a quarter of the memory.
        self.position = array("q", ranked)
        """Row → the item's position in :attr:`items`."""
        yield
        # One joined text (rows cannot hold a newline: normalize() made it a space); the
        # labels are cut from it so they lie side by side in memory, which makes scans faster.
        self.text = "\n".join([folded[i] for i in ranked])
        yield
        yield from _drop(folded)
        self.labels = self.text.split("\n") if items else []
        yield
        yield from self._build_sorted()
        yield from self._build_groups(ranked)

    def _build_sorted(self) -> Generator[None, None, None]:
        """The label offsets, the rows by label and the word starts by what follows."""
        labels = self.labels
        count = len(labels)
        starts = array("q", [0])
        for low in range(0, count, STEP):
            at = starts[-1]
            for label in labels[low : low + STEP]:
                at += len(label) + 1
                starts.append(at)
            yield
        self.starts = starts
        """Row → where its label begins in :attr:`text` (one more at the end)."""
        alpha = yield from _sorted_in_steps(
            [(label, row) for row, label in enumerate(labels)], count
        )
        self.alpha = yield from _column(alpha)
        """Rows sorted by label: those starting with a query are one slice."""
        yield from _drop(alpha)
        words: list[tuple[str, int]] = []
        for low in range(0, count, STEP):
            for row in range(low, min(low + STEP, count)):
                label = labels[row]
                for hit in _WORD_STARTS.finditer(label, 0, _POSITION_MASK):
                    at = hit.start()
                    words.append((label[at : at + _WORD_KEY], row << _POSITION_BITS | at))
            yield
        ordered_words = yield from _sorted_in_steps(words, len(words))
        words.clear()
        yield
        self.words = yield from _column(ordered_words)
        """Every word start after the first (row and position), sorted by what follows it."""
        yield from _drop(ordered_words)

    def _build_groups(self, ranked: list[int]) -> Generator[None, None, None]:
        """The rows of each group (client), and the rows holding each common letter."""
        items, labels, count = self.items, self.labels, len(self.labels)
        by_name: dict[str, array[int]] = {}
        for low in range(0, count, STEP):
            for row in range(low, min(low + STEP, count)):
                group = items[ranked[row]].group
                if group:
                    by_name.setdefault(normalize(group), array("q")).append(row)
            yield
        self.groups = [_Group(name, rows) for name, rows in by_name.items()]
        counts: Counter[str] = Counter()
        for low in range(0, len(self.text), 32 * STEP):
            counts.update(self.text[low : low + 32 * STEP])
            yield
        common = [c for c, _ in counts.most_common(_LETTER_SETS + 2) if c not in "\n "]
        self.letters = {}
        """For the most common characters, the rows holding each: one byte per row (1: it
        does), read as an int, so the rows holding all of a query's letters are a few ANDs."""
        for char in common[:_LETTER_SETS]:
            self.letters[char] = int.from_bytes(
                bytes(map(contains, labels, repeat(char))), "little"
            )
            yield

    def rows_holding(self, q: str) -> int | None:
        """The rows whose label holds every (common) character of ``q``, one byte per row as
        in :attr:`letters`; ``None`` when none of them is common enough to have a set."""
        found: int | None = None
        for char in set(q):
            rows = self.letters.get(char)
            if rows is not None:
                found = rows if found is None else found & rows
        return found

    def __len__(self) -> int:
        return len(self.items)


def finish(steps: Generator[None, None, R]) -> R:
    """Run a stepwise build to its end at once."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def _batched(items: Iterable[V], size: int) -> Iterator[list[V]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _sorted_in_steps(items: list[Any], count: int) -> Generator[None, None, list[Any]]:
    """``sorted(items)`` a step at a time: pieces of :data:`STEP` sorted in C, then merged
    :data:`STEP` at a time (``count`` is ``len(items)``)."""
    if count <= STEP:
        return sorted(items)
    pieces: list[list[Any]] = []
    for low in range(0, count, STEP):
        pieces.append(sorted(items[low : low + STEP]))
        yield
    merged = heapq.merge(*pieces)
    result: list[Any] = []
    while len(result) < count:
        result.extend(islice(merged, STEP))
        yield
    return result


def _column(pairs: list[tuple[Any, int]]) -> Generator[None, None, array[int]]:
    """The second item of each pair, as an array, a step at a time."""
    found = array("q")
    for low in range(0, len(pairs), STEP):
        found.extend([second for _, second in pairs[low : low + STEP]])
        yield
    return found


def _drop(items: list[Any]) -> Generator[None, None, None]:
    """Empty ``items`` from the end, a step at a time: freeing a few hundred thousand
    objects at once holds the interpreter for tens of milliseconds."""
    while items:
        del items[-STEP:]
        yield


def _word_at(labels: list[str], word: int, length: int) -> str:
    at = word & _POSITION_MASK
    return labels[word >> _POSITION_BITS][at : at + length]


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
        self._starts_word = re.compile(f"(?:^|{_SEPARATOR_CLASS}){re.escape(q)}").search

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
        size = min(len(q), _WORD_KEY)
        key, words = q[:size], self.index.words

        def head(word: int) -> str:
            return _word_at(labels, word, size)

        low = bisect_left(words, key, key=head)
        high = bisect_right(words, key, key=head, lo=low)
        span: Iterable[int] = words[low:high]
        if len(q) > _WORD_KEY:
            span = [
                w for w in span if labels[w >> _POSITION_BITS].startswith(q, w & _POSITION_MASK)
            ]
        return self._take_best(w >> _POSITION_BITS for w in span)

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

    def _groups_where(self, test: Callable[[str], object]) -> list[_Group]:
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
