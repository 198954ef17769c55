"""Which rate prices an entry: the most specific level set, unknown when a level that could
set it is not kept."""

from __future__ import annotations

import pytest

from tests.helpers.clock import FakeClock
from tracker.services.admin_base import admin_key
from tracker.services.admin_projects import AdminProjects
from tracker.services.context import Context
from tracker.services.rates import EntryRates, ProjectRates, RateBook, kept_rates
from tracker.store import Store
from tracker.store.report_cache import ReportCache

P = ProjectRates(
    rates=(4000, 400),
    members={"me": (3000, None)},
    tasks={"k-set": (6000, 600), "k-unset": (None, None)},
)
BOOK = RateBook(
    workspace=(1000, 100),
    people={"me": (2000, 200), "other": (None, None)},
    projects={"p": P, "bare": ProjectRates((None, None), {}, {})},
    currency="EUR",
)


@pytest.mark.parametrize(
    ("project", "task", "user", "expected"),
    [
        ("p", "k-set", "me", EntryRates(3000, 600)),  # mine on the project, then the task's
        ("p", "k-unset", "me", EntryRates(3000, 200)),  # then my workspace (team) rate
        ("p", None, "other", EntryRates(4000, 400)),  # the project's own
        ("bare", None, "me", EntryRates(2000, 200)),  # my workspace rate
        ("bare", None, "other", EntryRates(1000, 100)),  # the workspace's
        (None, None, "me", EntryRates(2000, 200)),
        ("p", "k-gone", "me", EntryRates(3000, None)),  # a task the copy does not know
        ("gone", None, "me", EntryRates(None, None)),  # a project the copy does not know
        (None, None, "stranger", EntryRates(None, None)),  # not in the kept team
    ],
)
def test_the_most_specific_rate_set_prices_the_entry(
    project: str | None, task: str | None, user: str, expected: EntryRates
) -> None:
    assert BOOK.rates(project, task, user) == expected


def test_a_level_not_kept_makes_the_rate_unknown_unless_a_closer_one_is_set() -> None:
    no_team = RateBook(workspace=(1000, 100), people=None, projects={"p": P})
    assert no_team.rates("p", "k-set", "me") == EntryRates(3000, 600)
    assert no_team.rates("p", None, "me") == EntryRates(3000, None)  # my team rate unknown
    assert no_team.rates(None, None, "me") == EntryRates(None, None)
    no_projects = RateBook(workspace=(1000, 100), people={"me": (2000, 200)}, projects=None)
    assert no_projects.rates(None, None, "me") == EntryRates(2000, 200)
    assert no_projects.rates("p", None, "me") == EntryRates(None, None)
    no_workspace = RateBook(workspace=None, people={"me": (None, 5)}, projects=None)
    assert no_workspace.rates(None, None, "me") == EntryRates(None, 5)
    nothing = RateBook(None, None, None)
    assert not nothing.anything
    assert nothing.rates(None, None, "me") == EntryRates(None, None)


def test_nothing_set_anywhere_prices_at_zero_and_zero_is_a_rate() -> None:
    book = RateBook(
        workspace=(None, None),
        people={"me": (0, None)},
        projects={"p": ProjectRates((5000, None), {}, {})},
    )
    assert book.rates(None, None, "me") == EntryRates(0, 0)
    assert book.rates("p", None, "me") == EntryRates(0, 0)  # my 0 comes before the project's


def test_kept_rates_follow_every_change_of_the_kept_copies(store: Store, clock: FakeClock) -> None:
    """What is made of a kept copy is reused only while its text is the same: a change made
    in the Projects area (same fetch time, same length) is seen at once."""
    context = Context(store, clock)
    ws = context.workspace_id
    store.meta.set_account({"user_id": "me", "name": "Me", "email": "me@example.com"})
    projects = AdminProjects(context)
    mine = {"user_id": "me", "name": "Me", "hourly_rate": 5000, "cost_rate": None}
    raw = {"id": "p", "hourly_rate": 1, "cost_rate": None, "members": [mine], "tasks": []}
    ReportCache(store.conn).put(admin_key("projects", ws), ws, {"projects": [raw]}, 100.0)
    assert kept_rates(context).rates("p", None, "me").hourly == 5000
    assert kept_rates(context).rates("p", None, "me").hourly == 5000  # reused

    for rate in (6000, 7000):  # the second: the same fetch time, marker and length

        def change(data: dict[str, object], rate: int = rate) -> None:
            data["projects"] = [{**raw, "members": [{**mine, "hourly_rate": rate}]}]

        projects.amend(change)
        assert kept_rates(context).rates("p", None, "me").hourly == rate
    ReportCache(store.conn).drop(admin_key("projects", ws))
    assert kept_rates(context).projects is None


def test_without_an_account_no_person_rate_applies() -> None:
    """Entries made with no account belong to no one on Clockify: the project's own rate
    prices them, where a known person's team rate would come first."""
    book = RateBook(workspace=(1000, 100), people=None, projects={"p": P})
    assert book.rates("p", None, None) == EntryRates(4000, 400)
    assert book.rates("p", None, "me") == EntryRates(3000, None)  # my team rate unknown
