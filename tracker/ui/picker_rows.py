"""What a project picker's list holds besides projects and tasks: offers to create what was
typed, client headings, the loading row, and the favourites' heading and star."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.services.search_candidates import Candidate

__all__ = [
    "FAVOURITES",
    "FAVOURITE_KEY",
    "LOADING",
    "STAR",
    "STAR_COLOR",
    "CreateRow",
    "GroupRow",
    "Row",
    "grouped",
]

LOADING = Candidate(None, None, "Loading projects and tasks…", None, None, None)
"""The one row shown while the first index is built; it cannot be picked."""


class _NotACandidate:
    """What a painted row reads of a :class:`Candidate` and a non-project row has none of."""

    @property
    def task_id(self) -> None:
        """Not a task."""
        return None

    @property
    def client(self) -> None:
        """No client shown."""
        return None

    @property
    def color(self) -> None:
        """No colour."""
        return None

    @property
    def estimate(self) -> None:
        """No estimate."""
        return None


@dataclass(frozen=True)
class CreateRow(_NotACandidate):
    """A row that offers to create what was typed: a project, or a task of a project typed
    as ``Project: task``. It reads like a :class:`Candidate` where a row is painted."""

    kind: str
    name: str
    project_id: str | None = None
    project_name: str = ""

    @property
    def label(self) -> str:
        """What the row says."""
        if self.kind == "task":
            return f"Create task \u201c{self.name}\u201d in {self.project_name}"
        return f"Create project \u201c{self.name}\u201d\u2026"


@dataclass(frozen=True)
class GroupRow(_NotACandidate):
    """A client's name over its projects while browsing (no query); not pickable."""

    label: str

    @property
    def project_id(self) -> None:
        """Not a project."""
        return None


Row = Candidate | CreateRow | GroupRow


FAVOURITES = "Favourites"
"""The heading over pinned projects and tasks while browsing."""

FAVOURITE_KEY = "Ctrl+D"
"""Pins the highlighted row on top of every picker, or unpins it."""

STAR = "\u2605"
"""Drawn at the end of a pinned row."""

STAR_COLOR = "#e0a100"
"""The star's amber: readable on light and dark list backgrounds alike."""


def grouped(found: list[Candidate]) -> list[Row]:
    """The browse list under client headings (favourites first, under their own), as
    Clockify lists projects; none when no project has a client and none is pinned."""
    clients = any(item.client for item in found)
    if not clients and not any(item.pinned for item in found):
        return list(found)
    rest = "Without client" if clients else "Projects"
    rows: list[Row] = []
    heading: object = None
    for item in found:
        group = FAVOURITES if item.pinned else (item.client or rest)
        if group != heading:
            rows.append(GroupRow(group))
            heading = group
        rows.append(item)
    return rows
