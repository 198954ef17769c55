"""``tracker admin projects|tasks|clients|tags|fields`` once the role is known: a member is
told in one sentence without a request, a manager is not offered what only admins do, and
what a member or manager may still do goes to Clockify."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import Cli, Person, ok, people_of
from tracker.services.abilities import ACCESS_KEY, ELEVATED
from tracker.store import Store


def _role_known(tmp_path: Path, name: str, ws: str, role: str, admin: bool = False) -> None:
    """What the reports' access check keeps for this person."""
    with Store(tmp_path / name.replace(" ", "-") / "tracker.sqlite3") as store:
        store.meta.set(ACCESS_KEY + ws, {"role": role, "admin": admin, "at": 1.0})


def test_a_known_member_is_refused_without_a_request(
    clockify: FakeClockify,
    people: Callable[[str], Person],
    tmp_path: Path,
) -> None:
    chen = people("Chen Wei")
    ok(chen("admin", "projects", "list"))
    ok(chen("projects"))  # the timer's catalog, fetched once
    _role_known(tmp_path, "Chen Wei", clockify.workspace_id, "member")
    data = clockify.state.workspaces[clockify.workspace_id]
    note = next(p for p in data.projects.values() if p.name == "Mobile App").note
    for argv in (
        ("projects", "edit", "Mobile App", "--note", "mine"),
        ("projects", "archive", "Mobile App"),
        ("projects", "members", "Mobile App", "add", "Priya Shah"),
        ("projects", "estimate", "Mobile App", "--time", "10"),
        ("tasks", "Mobile App", "done", "Design"),
        ("tags", "archive", "meeting"),
        ("clients", "delete", "Globex", "--yes"),
    ):
        clockify.clear_exchanges()
        refused = chen("admin", *argv)
        assert refused.code == 1, argv
        assert refused.err.strip().count("\n") == 0, refused.err
        assert "Traceback" not in refused.err
        assert "workspace admins" in refused.err, refused.err
        assert clockify.exchanges == [], (argv, clockify.exchanges)
    assert next(p for p in data.projects.values() if p.name == "Mobile App").note == note
    ok(chen("admin", "projects", "list"))  # reading stays open to a member


def test_a_known_manager_is_not_offered_what_only_admins_do(
    clockify: FakeClockify,
    people: Callable[[str], Person],
    tmp_path: Path,
) -> None:
    sam = people("Sam Rivera")
    ok(sam("admin", "tags", "list"))
    ok(sam("projects"))
    _role_known(tmp_path, "Sam Rivera", clockify.workspace_id, ELEVATED, admin=False)
    clockify.clear_exchanges()
    refused = sam("admin", "tags", "archive", "meeting")
    assert refused.code == 1
    assert "Only workspace admins" in refused.err, refused.err
    assert clockify.exchanges == []
    ok(sam("admin", "projects", "edit", "Mobile App", "--note", "v3"))  # their own project


def test_a_refusal_naming_a_hostile_project_is_one_short_line(
    clockify: FakeClockify,
    people: Callable[[str], Person],
) -> None:
    """A name with a newline, a terminal escape, a bidi override and 10 KB of text, in the
    sentence Clockify's refusal becomes (the role not known yet, so Clockify is asked)."""
    evil = "Evil\x1b]0;owned\x07\nSecond line\u202eABC" + "A" * 10_000
    project = clockify.state.add_project(clockify.workspace_id, evil)
    chen = people("Chen Wei")
    refused = chen("admin", "projects", "edit", project.id, "--note", "mine")
    assert refused.code == 1
    assert refused.err.count("\n") == 1, refused.err[:300]  # the one line's end
    assert "does not let you change the project Evil" in refused.err
    assert len(refused.err) < 400
    assert "\x1b" not in refused.err


def test_a_budget_on_a_free_workspace_is_refused_without_a_request(
    cli: Cli,
    clockify_factory: Callable[..., FakeClockify],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Budgets come with the Pro plan: the plan known, the budget is refused in one
    sentence and none of the Free workspace's 30 requests an hour is spent on it; the time
    estimate still goes."""
    free = clockify_factory(seed="demo", plan="FREE")
    alex = people_of(cli, free, monkeypatch, tmp_path)("Alex Morgan")
    ok(alex("admin", "projects", "list"))
    ok(alex("projects"))  # the timer's catalog, fetched once
    free.clear_exchanges()
    refused = alex("admin", "projects", "estimate", "Mobile App", "--budget", "5000")
    assert refused.code == 1
    assert refused.err.count("\n") == 1
    assert "plan has no project budgets" in refused.err, refused.err
    assert free.exchanges == []
    ok(alex("admin", "projects", "estimate", "Mobile App", "--time", "120"))


@pytest.mark.parametrize(
    "argv",
    [
        ("projects", "estimate", "Mobile App", "--time", "nan"),
        ("projects", "estimate", "Mobile App", "--time", "inf"),
        ("projects", "estimate", "Mobile App", "--time", "1e300"),
        ("projects", "estimate", "Mobile App", "--budget", "nan"),
        ("projects", "estimate", "Mobile App", "--budget", "1e300"),
        ("projects", "members", "Mobile App", "add", "Priya Shah", "--rate", "inf"),
        ("projects", "members", "Mobile App", "add", "Priya Shah", "--rate", "1e12"),
        ("tasks", "Mobile App", "add", "Sized wrong", "--time", "nan"),
        ("tasks", "Mobile App", "add", "Sized wrong", "--budget=-inf"),
    ],
)
def test_a_number_no_estimate_or_rate_can_be_is_refused_in_one_sentence(
    clockify: FakeClockify,
    people: Callable[[str], Person],
    argv: tuple[str, ...],
) -> None:
    """``nan``, ``inf`` and amounts past what Clockify stores (a rate is a 32-bit count of
    cents) are the person's mistake, said as such, not an internal error; nothing is sent."""
    alex = people("Alex Morgan")
    ok(alex("admin", "projects", "list"))
    ok(alex("projects"))
    clockify.clear_exchanges()
    refused = alex("admin", *argv)
    assert refused.code == 1, refused.err
    assert refused.err.count("\n") == 1, refused.err
    assert "internal error" not in refused.err
    writes = [e for e in clockify.exchanges if e.method not in ("GET", "HEAD")]
    assert writes == [], writes
