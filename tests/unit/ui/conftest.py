"""Offscreen Qt, and a controller over the shared store and a clock set to a Monday afternoon."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.core.qobject.connect=false")

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.clock import FakeClock
from tracker.bridge.controller import Controller
from tracker.domain.model import Entry, Project, Tag, Task
from tracker.services import Tracker
from tracker.store import Store

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
"""A Monday afternoon; the profile's zone is UTC, so wall-clock times read as written."""


def at(hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    """An instant on NOW's day (``days`` later), for short test data."""
    return NOW.replace(hour=hour, minute=minute) + timedelta(days=days)


@dataclass
class Seeded:
    """What :func:`seeded` put in the store."""

    website: Project
    internal: Project
    design: Task
    meeting: Tag
    deep_work: Tag
    entries: list[Entry]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def tracker(store: Store, clock: FakeClock) -> Tracker:
    return Tracker(store, clock)


@pytest.fixture
def controller(tracker: Tracker, qtbot: QtBot) -> Controller:
    return Controller(tracker)


@pytest.fixture
def seeded(tracker: Tracker) -> Seeded:
    """Two projects (one with a task), two tags and three finished entries today."""
    website = tracker.catalog.create_project("Website", color="#03a9f4")
    internal = tracker.catalog.create_project("Internal", color="#8bc34a")
    design = tracker.catalog.create_task(website, "Design")
    meeting = tracker.catalog.create_tag("meeting")
    deep_work = tracker.catalog.create_tag("deep work")
    entries = [
        tracker.entries.add(
            at(9), at(10, 30), "Write report", project="Website", task="Design", tags=["deep work"]
        ),
        tracker.entries.add(at(10, 30), at(11), "Standup", project="Internal", tags=["meeting"]),
        tracker.entries.add(at(13), at(14, 15), "Review"),
    ]
    return Seeded(website, internal, design, meeting, deep_work, entries)
