"""Reports from the local store: clipped to the period, counted as the log counts them,
grouped in up to three levels, filtered in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.helpers.clock import FakeClock
from tracker.domain.model import LOCAL_WORKSPACE, Client, Entry, Profile, Project, Tag, Task
from tracker.services.admin_base import admin_key
from tracker.services.context import Context
from tracker.services.reports import (
    Group,
    LocalReportSource,
    ReportError,
    ReportQuery,
    amount_cents,
    amounts_note,
    entry_cents,
    named_period,
)
from tracker.services.views import Views
from tracker.store import Store
from tracker.store.report_cache import ReportCache
from tracker.sync.account import workspace_rates_key

WS = LOCAL_WORKSPACE
MON = date(2026, 3, 2)


def at(day: int, hour: float) -> datetime:
    """2026-03-``day`` at ``hour`` UTC."""
    return datetime(2026, 3, day, tzinfo=UTC) + timedelta(hours=hour)


def add(store: Store, start: datetime, end: datetime | None, **fields: object) -> Entry:
    entry = Entry(
        id=f"e{start.timestamp():.0f}{fields.get('description', '')}",
        workspace_id=WS,
        start=start,
        end=end,
        **fields,  # type: ignore[arg-type]
    )
    store.entries.save(entry)
    return entry


@pytest.fixture
def catalog(store: Store) -> None:
    store.catalog.add_local(Client("c1", WS, "Acme"))
    store.catalog.add_local(Project("p1", WS, "Website", client_id="c1", billable=True))
    store.catalog.add_local(Project("p2", WS, "Internal"))
    store.catalog.add_local(Task("k1", WS, "p1", "Design"))
    store.catalog.add_local(Tag("t1", WS, "dev"))
    store.catalog.add_local(Tag("t2", WS, "meeting"))


def source(store: Store, clock: FakeClock, **kwargs: object) -> LocalReportSource:
    return LocalReportSource(Context(store, clock), **kwargs)  # type: ignore[arg-type]


def log_total(store: Store, clock: FakeClock, first: date, last: date) -> int:
    """What ``tracker log --from first --to last --json`` says in ``total_seconds``."""
    return int(Views(Context(store, clock)).log(first, last).total.total_seconds())


def test_the_total_clips_entries_at_the_edges_and_equals_the_log(
    store: Store, clock: FakeClock, catalog: None
) -> None:
    add(store, at(1, 22), at(2, 2), description="across the start")  # 2 h inside
    add(store, at(3, 9), at(3, 10.5), description="inside", project_id="p1")
    add(store, at(8, 23), at(9, 1), description="across the end")  # 1 h inside
    add(store, at(9, 9), at(9, 10), description="after")
    gone = add(store, at(4, 9), at(4, 12), description="deleted")
    store.entries.delete_in(gone.id, 0.0)
    clock.now = at(8, 0)
    report = source(store, clock).report(ReportQuery(MON, MON + timedelta(days=6)))
    assert report.total_seconds == 2 * 3600 + 5400 + 3600
    assert report.total_seconds == log_total(store, clock, MON, MON + timedelta(days=6))
    assert report.entries == 3
    assert sum(s for _, s in report.days) == report.total_seconds
    assert [d for d, _ in report.days] == [MON + timedelta(days=n) for n in range(7)]
    assert report.source == "local"
    assert report.label == "Your entries on this computer"


def test_a_running_timer_counts_up_to_now(store: Store, clock: FakeClock) -> None:
    add(store, at(2, 8), None, description="running")
    clock.now = at(2, 9.5)
    report = source(store, clock).report(ReportQuery(MON, MON))
    assert report.total_seconds == 5400
    assert report.running
    clock.advance(minutes=30)
    assert source(store, clock).report(ReportQuery(MON, MON)).total_seconds == 7200


def test_days_on_a_dst_change_have_their_real_length(store: Store, clock: FakeClock) -> None:
    """Berlin's 2026-03-29 has 23 hours: an entry over that whole day counts 23 h."""
    store.meta.save_profile(Profile(time_zone="Europe/Berlin"))
    berlin_midnight_28 = datetime(2026, 3, 27, 23, tzinfo=UTC)
    add(store, berlin_midnight_28, berlin_midnight_28 + timedelta(hours=71), description="x")
    clock.now = datetime(2026, 4, 2, tzinfo=UTC)
    query = ReportQuery(date(2026, 3, 29), date(2026, 3, 29), group_by=("date",))
    report = source(store, clock).report(query)
    assert report.total_seconds == 23 * 3600
    assert report.total_seconds == log_total(store, clock, query.start, query.end)
    week = ReportQuery(date(2026, 3, 28), date(2026, 3, 30), group_by=("date",))
    days = source(store, clock).report(week).days
    assert [s // 3600 for _, s in days] == [24, 23, 24]


def test_groups_nest_and_add_up(store: Store, clock: FakeClock, catalog: None) -> None:
    add(store, at(2, 9), at(2, 11), project_id="p1", task_id="k1", description="a")
    add(store, at(2, 11), at(2, 12), project_id="p1", description="b")
    add(store, at(3, 9), at(3, 10), project_id="p2", description="c")
    add(store, at(3, 23), at(4, 1), description="d")
    clock.now = at(6, 0)
    query = ReportQuery(MON, MON + timedelta(days=6), group_by=("project", "task", "date"))
    report = source(store, clock).report(query)
    assert [(g.label, g.seconds) for g in report.groups] == [
        ("Website", 3 * 3600),
        ("Internal", 3600),
        ("(Without project)", 2 * 3600),  # "without" groups come last
    ]
    website = report.groups[0]
    assert [(t.label, t.seconds) for t in website.children] == [
        ("Design", 7200),
        ("(Without task)", 3600),
    ]
    without = report.groups[2]
    assert [(d.key, d.seconds) for d in without.children[0].children] == [
        ("2026-03-03", 3600),
        ("2026-03-04", 3600),
    ]
    for group in report.groups:
        assert group.seconds == sum(c.seconds for c in group.children)


def test_an_entry_with_two_tags_counts_under_each_tag_and_once_in_the_total(
    store: Store, clock: FakeClock, catalog: None
) -> None:
    add(store, at(2, 9), at(2, 10), tag_ids=("t1", "t2"), description="both")
    add(store, at(2, 10), at(2, 11), description="none")
    clock.now = at(6, 0)
    by_tag = source(store, clock).report(ReportQuery(MON, MON, group_by=("tag",)))
    assert by_tag.total_seconds == 7200
    assert {g.label: g.seconds for g in by_tag.groups} == {
        "dev": 3600,
        "meeting": 3600,
        "(Without tag)": 3600,
    }
    # A date above the tags still counts the entry once for that day.
    by_date = source(store, clock).report(ReportQuery(MON, MON, group_by=("date", "tag")))
    (day,) = by_date.groups
    assert day.seconds == 7200
    assert sorted(c.seconds for c in day.children) == [3600, 3600, 3600]


def test_filters(store: Store, clock: FakeClock, catalog: None) -> None:
    add(store, at(2, 9), at(2, 10), project_id="p1", billable=True, description="100% done")
    add(store, at(2, 10), at(2, 12), project_id="p2", tag_ids=("t2",), description="sync")
    add(store, at(2, 12), at(2, 15), description="lunch break")
    clock.now = at(6, 0)
    src = source(store, clock)

    def total(**filters: object) -> int:
        return src.report(ReportQuery(MON, MON, **filters)).total_seconds  # type: ignore[arg-type]

    assert total() == 6 * 3600
    assert total(projects=("p1",)) == 3600
    assert total(clients=("c1",)) == 3600
    assert total(tags=("t2",)) == 7200
    assert total(billable=True) == 3600
    assert total(billable=False) == 5 * 3600
    assert total(description="100%") == 3600  # % is the text, not a wildcard
    assert total(description="h_b") == 0  # _ too
    assert total(description="LUNCH") == 3 * 3600
    assert total(without_project=True) == 3 * 3600
    assert src.count(ReportQuery(MON, MON, projects=("p1", "p2"))) == 2


def keep_rates(
    store: Store,
    *,
    workspace: tuple[int | None, int | None] | None = None,
    me: tuple[int | None, int | None] | None = None,
    projects: list[dict[str, object]] | None = None,
) -> None:
    """Keep rates as administration keeps them: the workspace's with the workspace, the
    Team area's copy, the Projects area's copy (each only when given)."""
    cache = ReportCache(store.conn)
    store.meta.set_account({"user_id": "me", "name": "Me", "email": "me@example.com"})
    if workspace is not None:
        store.meta.set(
            workspace_rates_key(WS),
            {"hourly": workspace[0], "cost": workspace[1], "currency": "EUR"},
        )
    if me is not None:
        person = {"id": "me", "name": "Me", "hourly_rate": me[0], "cost_rate": me[1]}
        cache.put(admin_key("team", WS), WS, {"people": [person], "groups": []}, 0.0)
    if projects is not None:
        cache.put(admin_key("projects", WS), WS, {"projects": projects}, 0.0)


def test_amounts_come_from_the_kept_rates_and_say_which_entries_they_count(
    store: Store, clock: FakeClock
) -> None:
    add(store, at(2, 9), at(2, 10), project_id="p1", billable=True, description="a")
    add(
        store,
        at(2, 10),
        at(2, 10) + timedelta(seconds=61),
        project_id="p2",
        billable=True,
        description="b",
    )
    add(store, at(2, 11), at(2, 12), project_id="p2", description="not billable")
    clock.now = at(6, 0)
    query = ReportQuery(MON, MON)
    nothing = source(store, clock).report(query)
    assert nothing.amount_cents is None
    assert nothing.cost_cents is None
    assert "Amounts unknown" in amounts_note(nothing, "fetch them")
    # Only the workspace's and my rates: entries on a project are unknown (the project's
    # copy might set a rate that overrides them).
    keep_rates(store, workspace=(3000, 1000), me=(None, None))
    partial = source(store, clock).report(query)
    assert partial.amount_cents is None  # every entry here is on a project
    keep_rates(
        store,
        workspace=(3000, 1000),
        me=(None, None),
        projects=[
            {"id": "p1", "hourly_rate": 5000, "cost_rate": None, "members": [], "tasks": []},
        ],
    )
    partial = source(store, clock).report(query)
    assert partial.priced_entries == 1
    assert partial.entries == 3
    assert partial.amount_cents == 5000
    assert partial.cost_cents == 1000
    assert {g.key: g.amount_cents for g in partial.groups} == {"p1": 5000, "p2": None}
    assert amounts_note(partial, "open Workspace") == (
        "Amounts for 1 of 3 entries (the others' rates are not kept here); open Workspace."
    )
    keep_rates(
        store,
        workspace=(3000, 1000),
        me=(None, None),
        projects=[
            {"id": "p1", "hourly_rate": 5000, "cost_rate": None, "members": [], "tasks": []},
            {"id": "p2", "hourly_rate": None, "cost_rate": None, "members": [], "tasks": []},
        ],
    )
    report = source(store, clock).report(query)
    # Earned: 1 h at 50.00 + 61 s at 30.00/h = 5000 + 50.83 -> 5051 (half up, once); the
    # hour not billable earns nothing. Cost: every hour, 2 h 61 s at 10.00/h -> 2017.
    assert report.amount_cents == 5051
    assert report.cost_cents == 2017
    assert report.profit_cents == 5051 - 2017
    assert report.currency == "EUR"
    assert report.priced_entries == report.entries == 3
    assert amounts_note(report, "fetch") == ""
    assert report.billable_seconds == 3661
    assert {g.key: (g.amount_cents, g.cost_cents) for g in report.groups} == {
        "p1": (5000, 1000),
        "p2": (51, 1017),
    }
    data = report.to_json()
    assert (data["amount"], data["cost"], data["profit"], data["currency"]) == (
        5051,
        2017,
        3034,
        "EUR",
    )
    assert amount_cents(1800) == 1  # half a cent rounds up
    assert amount_cents(1799) == 0


def test_each_entry_is_rounded_to_a_cent_and_groups_add_up_to_the_total(
    store: Store, clock: FakeClock
) -> None:
    # Four billable entries of 30 s at 1.00/h: 0.83 cents each, a cent each as Clockify
    # rounds every entry (4), where rounding the sum once would say 3.
    for n in range(4):
        add(
            store,
            at(2 + n % 2, 9 + n),
            at(2 + n % 2, 9 + n) + timedelta(seconds=30),
            project_id="p1",
            billable=True,
            description=f"e{n}",
        )
    keep_rates(
        store,
        workspace=(100, 100),
        me=(None, None),
        projects=[{"id": "p1", "hourly_rate": None, "members": [], "tasks": []}],
    )
    clock.now = at(6, 0)
    for group_by in (("project",), ("date", "project"), ("description",)):
        report = source(store, clock).report(ReportQuery(MON, MON + timedelta(days=1), group_by))
        assert report.amount_cents == 4
        assert report.cost_cents == 4
        assert sum(g.amount_cents or 0 for g in report.groups) == 4, group_by
    assert entry_cents(1800) == 0  # half a cent: to the even cent, as the Reports host
    assert entry_cents(3600 + 1800) == 2
    assert entry_cents(1801) == 1


@pytest.mark.parametrize(
    ("name", "week_start", "expected"),
    [
        ("today", "MONDAY", (date(2026, 3, 4), date(2026, 3, 4))),
        ("yesterday", "MONDAY", (date(2026, 3, 3), date(2026, 3, 3))),
        ("this-week", "MONDAY", (date(2026, 3, 2), date(2026, 3, 8))),
        ("this-week", "SUNDAY", (date(2026, 3, 1), date(2026, 3, 7))),
        ("last-week", "MONDAY", (date(2026, 2, 23), date(2026, 3, 1))),
        ("this-month", "MONDAY", (date(2026, 3, 1), date(2026, 3, 31))),
        ("last-month", "MONDAY", (date(2026, 2, 1), date(2026, 2, 28))),
        ("this-year", "MONDAY", (date(2026, 1, 1), date(2026, 12, 31))),
        ("last-week", "bogus", (date(2026, 2, 23), date(2026, 3, 1))),
    ],
)
def test_named_periods(name: str, week_start: str, expected: tuple[date, date]) -> None:
    assert named_period(name, date(2026, 3, 4), week_start) == expected


def test_last_month_in_january_is_last_december() -> None:
    assert named_period("last-month", date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert named_period("this-month", date(2026, 12, 15)) == (
        date(2026, 12, 1),
        date(2026, 12, 31),
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": date(2026, 3, 9), "end": date(2026, 3, 2)}, "ends .* before it starts"),
        ({"group_by": ("project", "nope")}, "Cannot group by 'nope'"),
        ({"group_by": ()}, "one to three"),
        ({"group_by": ("project", "task", "tag", "date")}, "one to three"),
        ({"group_by": ("tag", "tag")}, "one to three different"),
        ({"start": date(1969, 12, 31)}, "outside the days from 1970"),
        ({"end": date(2100, 1, 1)}, "outside the days"),
    ],
)
def test_queries_that_make_no_sense_are_refused(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"start": MON, "end": MON, **kwargs}
    with pytest.raises(ReportError, match=message):
        ReportQuery(**fields)  # type: ignore[arg-type]


def test_unknown_period_name() -> None:
    with pytest.raises(ReportError, match="Unknown period 'fortnight'"):
        named_period("fortnight", MON)


def test_detailed_entries_are_clipped_and_named(
    store: Store, clock: FakeClock, catalog: None
) -> None:
    add(
        store,
        at(1, 23),
        at(2, 1),
        project_id="p1",
        task_id="k1",
        tag_ids=("t2", "t1"),
        description="late",
    )
    clock.now = at(6, 0)
    (item,) = source(store, clock).entries(ReportQuery(MON, MON))
    assert (item.start, item.end, item.seconds) == (at(2, 0), at(2, 1), 3600)
    assert (item.project, item.client, item.task, item.tags) == (
        "Website",
        "Acme",
        "Design",
        ("dev", "meeting"),
    )


def test_group_json_has_seconds_and_amount() -> None:
    group = Group("project", "p1", "Website", 60, 0, None)
    assert group.to_json()["seconds"] == 60
    assert group.to_json()["amount"] is None
