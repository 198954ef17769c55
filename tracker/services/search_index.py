"""The index a picker searches: its items renumbered in rank order, with sorted views and
letter sets, built once per catalog (in steps, so a pool thread can build it while the GUI
thread types).

Rows are numbered in rank order (favourites, then shorter labels, then the catalog's order),
so "the best N of a tier" is "the N smallest row numbers"; the labels sorted, and every word
start sorted by what follows it, make a query's exact, prefix and word-start matches a binary
search each (see :mod:`tracker.services.search` for the tiers).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Generator, Sequence
from itertools import repeat
from operator import contains
from typing import Generic, NamedTuple, Protocol, TypeVar

from tracker.services.search_steps import STEP, column, drop, finish, sorted_in_steps

__all__ = [
    "POSITION_BITS",
    "POSITION_MASK",
    "SEPARATORS",
    "SEPARATOR_CLASS",
    "WORD_KEY",
    "Group",
    "SearchIndex",
    "Searchable",
    "normalize",
    "word_at",
]

SEPARATORS = frozenset(" :-_/.()[]&,+#")
"""A match right after one of these starts a word."""

_LETTER_SETS = 64
"""Characters (the most common ones) whose rows the index keeps as a set."""
WORD_KEY = 48
"""Characters after a word start that the word index sorts by (longer queries are checked)."""
POSITION_BITS = 16
POSITION_MASK = (1 << POSITION_BITS) - 1
SEPARATOR_CLASS = "[" + re.escape("".join(sorted(SEPARATORS))) + "]"
_WORD_STARTS = re.compile(f"(?<={SEPARATOR_CLASS})[^ ]")


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


def normalize(text: str) -> str:
    """Lowercase with runs of whitespace as one space: how queries and labels compare."""
    return " ".join(text.lower().split())


class Group(NamedTuple):
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
        ordered = yield from sorted_in_steps(rank_keys, count)
        rank_keys.clear()
        ranked: list[int] = []
        for low in range(0, count, STEP):
            ranked.extend([key & 0xFFFFFFFF for key in ordered[low : low + STEP]])
            yield
        yield from drop(ordered)
        # Arrays of machine ints, not lists of int objects: a quarter of the memory.
        self.position = array("q", ranked)
        """Row → the item's position in :attr:`items`."""
        yield
        # One joined text (rows cannot hold a newline: normalize() made it a space); the
        # labels are cut from it so they lie side by side in memory, which makes scans faster.
        self.text = "\n".join([folded[i] for i in ranked])
        yield
        yield from drop(folded)
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
        alpha = yield from sorted_in_steps(
            [(label, row) for row, label in enumerate(labels)], count
        )
        self.alpha = yield from column(alpha)
        """Rows sorted by label: those starting with a query are one slice."""
        yield from drop(alpha)
        words: list[tuple[str, int]] = []
        for low in range(0, count, STEP):
            for row in range(low, min(low + STEP, count)):
                label = labels[row]
                for hit in _WORD_STARTS.finditer(label, 0, POSITION_MASK):
                    at = hit.start()
                    words.append((label[at : at + WORD_KEY], row << POSITION_BITS | at))
            yield
        ordered_words = yield from sorted_in_steps(words, len(words))
        words.clear()
        yield
        self.words = yield from column(ordered_words)
        """Every word start after the first (row and position), sorted by what follows it."""
        yield from drop(ordered_words)

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
        self.groups = [Group(name, rows) for name, rows in by_name.items()]
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


def word_at(labels: list[str], word: int, length: int) -> str:
    at = word & POSITION_MASK
    return labels[word >> POSITION_BITS][at : at + length]
