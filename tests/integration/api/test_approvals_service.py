"""The approvals service against the test server with a real store, where Clockify commits
a submission or a decision after the client gave up on it: the look that follows does not
find it yet, and nothing is sent a second time before the unclear horizon."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.approvals import set_period
from tests.fakeclockify.records import ApprovalRecord, approvals_of
from tests.helpers.clock import FakeClock
from tracker.api import ClockifyClient
from tracker.domain.approval_periods import period_containing
from tracker.domain.model import Profile
from tracker.services.approvals import ApprovalError, Approvals
from tracker.services.context import Context
from tracker.store import Store

from .conftest import run

Make = Callable[..., ClockifyClient]
BERLIN = ZoneInfo("Europe/Berlin")


def person(server: FakeClockify, folder: Path, name: str, clock: FakeClock) -> Context:
    """``name``'s own store, connected to the demo workspace."""
    seeded = next(u for u in server.users if u.name.startswith(name))
    store = Store(folder / f"{name}.sqlite3")
    store.meta.save_profile(Profile(user_id=seeded.user_id, time_zone="Europe/Berlin"))
    store.meta.set_account({"user_id": seeded.user_id, "name": seeded.name, "email": ""})
    store.meta.set_workspace_id(server.workspace_id)
    return Context(store, clock)


def key_of(server: FakeClockify, name: str) -> str:
    return next(u.api_key for u in server.users if u.name.startswith(name))


def last_monday(server: FakeClockify) -> date:
    today = datetime.fromtimestamp(server.state.now(), BERLIN).date()
    return today - timedelta(days=today.weekday() + 7)


def posts(server: FakeClockify, method: str = "POST") -> int:
    return len([e for e in server.exchanges if e.method == method and "approval" in e.path])


def test_a_submission_committed_late_is_not_sent_again(
    clockify: FakeClockify, make_client: Make, tmp_path: Path
) -> None:
    clock = FakeClock.starting_now()
    priya = person(clockify, tmp_path, "Priya", clock)
    period = period_containing(last_monday(clockify), "WEEKLY")
    clockify.add_fault(Fault("delay", delay=3.0, method="POST", path="/approval-requests/"))

    async def go() -> None:
        async with make_client(api_key=key_of(clockify, "Priya")) as api:
            service = Approvals(priya, api)
            with pytest.raises(ApprovalError, match="not sent again before") as first:
                await service.submit(period)  # the client gave up; Clockify is still at it
            assert "nothing was submitted" not in first.value.message
            with pytest.raises(ApprovalError, match="not sent again before"):
                await service.submit(period)  # not shown yet: not sent a second time
            clockify.wait_for(lambda log: any(e.fault == "delay" for e in log), timeout=10)
            landed = await service.submit(period)  # now it is there: adopted, not resent
            assert landed.state == "PENDING"
            assert posts(clockify) == 1

    run(go())
    priya.store.close()


def test_a_submission_not_found_after_the_horizon_is_sent_again(
    clockify: FakeClockify, make_client: Make, tmp_path: Path
) -> None:
    clock = FakeClock.starting_now()
    priya = person(clockify, tmp_path, "Priya", clock)
    period = period_containing(last_monday(clockify), "WEEKLY")
    clockify.add_fault(Fault("drop_before_commit", method="POST", path="/approval-requests/"))

    async def go() -> None:
        async with make_client(api_key=key_of(clockify, "Priya")) as api:
            service = Approvals(priya, api)
            with pytest.raises(ApprovalError, match="not sent again before"):
                await service.submit(period)
            clock.advance(seconds=15 * 60 + 1)
            made = await service.submit(period)
            assert made.state == "PENDING"
            assert posts(clockify) == 2

    run(go())
    priya.store.close()


def test_a_decision_committed_late_is_not_sent_again_and_keeps_its_note(
    clockify: FakeClockify, make_client: Make, tmp_path: Path
) -> None:
    clock = FakeClock.starting_now()
    priya = person(clockify, tmp_path, "Priya", clock)
    sam = person(clockify, tmp_path, "Sam", clock)
    period = period_containing(last_monday(clockify), "WEEKLY")

    async def go() -> None:
        async with make_client(api_key=key_of(clockify, "Priya")) as api:
            made = await Approvals(priya, api).submit(period)
        clockify.add_fault(Fault("delay", delay=3.0, method="PATCH"))
        async with make_client(api_key=key_of(clockify, "Sam")) as api:
            service = Approvals(sam, api)
            with pytest.raises(ApprovalError, match="not sent again before") as first:
                await service.decide(made.id, "REJECTED", "Tuesday is missing")
            assert "nothing changed" not in first.value.message
            with pytest.raises(ApprovalError, match="not sent again before"):
                await service.decide(made.id, "REJECTED")  # the kept note, not resent
            clockify.wait_for(lambda log: any(e.fault == "delay" for e in log), timeout=10)
            done = await service.decide(made.id, "REJECTED")
            assert (done.state, done.note) == ("REJECTED", "Tuesday is missing")
            assert posts(clockify, "PATCH") == 1

    run(go())
    priya.store.close()
    sam.store.close()


def test_after_the_workspace_changes_its_period_a_month_is_not_taken_for_its_first_week(
    clockify: FakeClockify, make_client: Make, tmp_path: Path
) -> None:
    clock = FakeClock.starting_now()
    priya = person(clockify, tmp_path, "Priya", clock)
    june = date(2026, 6, 1)  # a Monday: the first week and the month start together

    async def go() -> None:
        async with make_client(api_key=key_of(clockify, "Priya")) as api:
            service = Approvals(priya, api)
            service.set_period_kind("WEEKLY")
            week = await service.submit(service.period_of(june))
            assert (week.period.last, week.state) == (date(2026, 6, 7), "PENDING")
            set_period(clockify.state, clockify.workspace_id, "MONTHLY")
            service.set_period_kind("MONTHLY")
            month = await service.submit(service.period_of(june))
            assert (month.period.last, month.state) == (date(2026, 6, 30), "PENDING")
            assert month.id != week.id

    run(go())
    priya.store.close()


def seed_weeks(server: FakeClockify, name: str, count: int) -> None:
    """``count`` approved weeks of ``name``'s, going back from last week (years of them)."""
    state = server.state
    owner = next(u for u in server.users if u.name.startswith(name)).user_id
    with state.lock:
        data = state.workspaces[server.workspace_id]
        monday = last_monday(server)
        for n in range(1, count + 1):
            first = monday - timedelta(weeks=n)
            start = int(datetime.combine(first, datetime.min.time(), BERLIN).timestamp())
            record = ApprovalRecord(
                id=state.new_id(),
                workspace_id=server.workspace_id,
                owner_id=owner,
                creator_id=owner,
                start=start,
                end=start + 7 * 24 * 3600,
                period="WEEKLY",
                state="APPROVED",
            )
            approvals_of(data).records[record.id] = record
        state.touch()


@pytest.mark.parametrize("kind", ["page_repeat", "page_never_short", "page_ignored"])
def test_years_of_periods_under_broken_paging_are_read_whole_or_refused_plainly(
    clockify: FakeClockify, make_client: Make, tmp_path: Path, kind: str
) -> None:
    clock = FakeClock.starting_now()
    priya = person(clockify, tmp_path, "Priya", clock)
    seed_weeks(clockify, "Priya", 450)

    async def go() -> None:
        async with make_client(api_key=key_of(clockify, "Priya")) as api:
            service = Approvals(priya, api)
            assert len((await service.mine(refresh=True)).requests) == 450  # 3 pages
            clockify.add_fault(Fault(kind, path="/approval-requests$", times=None))
            clockify.clear_exchanges()
            if kind == "page_ignored":  # the whole list at once: read whole, in one request
                found = await service.mine(refresh=True)
                assert len({r.id for r in found.requests}) == 450
                assert len(clockify.exchanges) == 1
                return
            with pytest.raises(ApprovalError, match="approval requests"):
                await service.mine(refresh=True)
            assert len(clockify.exchanges) <= 4

    run(go())
    priya.store.close()
