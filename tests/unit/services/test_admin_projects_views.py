"""Kept projects thaw back into the views they were kept from."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

from tracker.services.admin_projects_views import (
    MemberView,
    ProjectView,
    TaskView,
    thaw_project,
)


def test_a_kept_project_thaws_to_the_view_it_was_kept_from() -> None:
    """The fast path (no ``__init__`` per view) gives the same views, hashable and equal;
    a copy of an older shape (a field with a default left out) still thaws."""
    task = TaskView("t1", "Auth", "p1", False, 3600, None, ("u1",), None, None, 1800, 500)
    member = MemberView("u1", "Priya", 8000, None)
    view = ProjectView(
        "p1",
        "Web",
        "c1",
        "Acme",
        "#03A9F4",
        True,
        True,
        False,
        False,
        "",
        9000,
        4000,
        (member,),
        7200,
        False,
        None,
        100000,
        None,
        (task,),
        1800,
        500,
    )
    kept = json.loads(json.dumps(asdict(view)))
    thawed = thaw_project(kept)
    assert thawed == view
    assert hash(thawed) == hash(view)
    assert thawed.time_progress == 0.25
    assert isinstance(thawed.tasks[0], TaskView)
    assert thawed.tasks[0].assignee_ids == ("u1",)
    older = {k: v for k, v in kept.items() if k not in ("tracked_seconds", "amount")}
    assert thaw_project(older) == replace(view, tracked_seconds=0, amount=0)
