"""Work done a step at a time: building a picker's candidates and index takes a few
hundred milliseconds on a large catalog, and a thread that builds them pauses between steps
while the GUI thread needs the interpreter. Each step is a millisecond or two of work."""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Generator, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

__all__ = ["STEP", "batched", "column", "drop", "finish", "sorted_in_steps"]

STEP = 1024
"""Items a build step handles: a millisecond or two of work, after which a building thread
may pause (the GUI thread shares the interpreter)."""

V = TypeVar("V")
R = TypeVar("R")


def finish(steps: Generator[None, None, R]) -> R:
    """Run a stepwise build to its end at once."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def batched(items: Iterable[V], size: int) -> Iterator[list[V]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def sorted_in_steps(items: list[Any], count: int) -> Generator[None, None, list[Any]]:
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


def column(pairs: list[tuple[Any, int]]) -> Generator[None, None, array[int]]:
    """The second item of each pair, as an array, a step at a time."""
    found = array("q")
    for low in range(0, len(pairs), STEP):
        found.extend([second for _, second in pairs[low : low + STEP]])
        yield
    return found


def drop(items: list[Any]) -> Generator[None, None, None]:
    """Empty ``items`` from the end, a step at a time: freeing a few hundred thousand
    objects at once holds the interpreter for tens of milliseconds."""
    while items:
        del items[-STEP:]
        yield
