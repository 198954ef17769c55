"""Turning what a person types into a project, task, tag or client.

An id is taken as it is; otherwise an exact name (ignoring case) wins, then a unique part of a
name, then a unique close spelling. When several match, the error lists them all (a project
with its client, so two "Website" projects can be told apart), and the listed form itself is
accepted the next time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tracker.services.errors import AmbiguousName, NotFound, ServiceError

__all__ = ["Candidate", "pick"]

T = TypeVar("T")

FUZZY_CUTOFF = 0.8
"""How close a misspelling must be to count (difflib ratio): 'Intrnal' finds 'Internal'."""


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """One item that may be meant: its id, its name, and how it is shown in a list."""

    item: T
    id: str
    name: str
    label: str


def pick(
    kind: str,
    text: str,
    candidates: Sequence[Candidate[T]],
    *,
    hint: str,
    retired: Sequence[Candidate[T]] = (),
    retired_word: str = "archived",
) -> T:
    """The one candidate ``text`` means.

    ``retired`` candidates (archived projects, done tasks) are never picked, but a name that
    only they match gets a message saying so rather than "not found".

    Raises:
        AmbiguousName: several candidates match equally well.
        NotFound: nothing matches; the message ends with ``hint``.
        ServiceError: only a retired item matches.
    """
    wanted = text.strip()
    if not wanted:
        raise ServiceError(f"An empty {kind} name was given.")
    for candidate in candidates:
        if candidate.id == wanted:
            return candidate.item
    found = _match(kind, wanted, candidates)
    if found is not None:
        return found.item
    folded = wanted.casefold()
    for candidate in retired:
        if folded in (candidate.name.casefold(), candidate.label.casefold()) or (
            candidate.id == wanted
        ):
            raise ServiceError(f"The {kind} {candidate.label!r} is {retired_word}.")
    raise NotFound(f"No {kind} matches {wanted!r}. {hint}")


def _match(kind: str, wanted: str, candidates: Sequence[Candidate[T]]) -> Candidate[T] | None:
    import difflib  # noqa: PLC0415 - 0.2 MiB the tray app keeps only once a name is looked up

    folded = wanted.casefold()
    exact = [c for c in candidates if folded in (c.name.casefold(), c.label.casefold())]
    partial = [c for c in candidates if folded in c.name.casefold()]
    names = sorted({c.name.casefold() for c in candidates})
    close = set(difflib.get_close_matches(folded, names, n=10, cutoff=FUZZY_CUTOFF))
    fuzzy = [c for c in candidates if c.name.casefold() in close]
    for matches in (exact, partial, fuzzy):
        if len(matches) == 1:
            return matches[0]
        if matches:
            ordered = sorted(matches, key=lambda c: (c.label.casefold(), c.id))
            raise AmbiguousName(kind, wanted, [f"{c.label}  (id {c.id})" for c in ordered])
    return None
