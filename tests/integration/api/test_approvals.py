"""The approvals client against the test server: list, submit, resubmit, decide, and what an
unclear submit looks like. Every exchange is contract-checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pytest

from tests.fakeclockify import Fault
from tracker.api import (
    ApiStatusError,
    ClockifyClient,
    ClockifyError,
    ForbiddenError,
    RateLimits,
    RequestBudget,
    Servers,
)
from tracker.api.models.approvals import ApprovalUpdate

from .conftest import run

BERLIN = ZoneInfo("Europe/Berlin")


def last_monday(clockify: Any) -> date:
    today = datetime.fromtimestamp(clockify.state.now(), BERLIN).date()
    return today - timedelta(days=today.weekday() + 7)


def key_of(clockify: Any, name: str) -> str:
    return str(next(u.api_key for u in clockify.users if u.name.startswith(name)))


async def listed(api: ClockifyClient, ws: str, status: str | None = None) -> list[Any]:
    async with api:
        return [d async for d in api.approvals.list(ws, status=status, page_size=2)]


def test_a_week_goes_from_submitted_to_rejected_to_approved(
    clockify: Any, make_client: Callable[..., ClockifyClient]
) -> None:
    ws = clockify.workspace_id
    week = last_monday(clockify)
    priya = key_of(clockify, "Priya")
    sam = key_of(clockify, "Sam")

    async def member_submits() -> Any:
        async with make_client(api_key=priya) as api:
            return await api.approvals.submit(ws, week, "WEEKLY")

    made = run(member_submits())
    assert made.status.state == "PENDING"
    assert made.owner.time_zone == "Europe/Berlin"
    assert made.date_range.start is not None
    assert made.date_range.start.astimezone(BERLIN).date() == week

    pending = run(listed(make_client(api_key=sam), ws, "PENDING"))
    assert [d.approval_request.id for d in pending] == [made.id]
    assert pending[0].tracked_time > timedelta()

    async def manager_decides(state: Literal["APPROVED", "REJECTED"], note: str | None) -> Any:
        async with make_client(api_key=sam) as api:
            return await api.approvals.update(ws, made.id, ApprovalUpdate(state=state, note=note))

    assert run(manager_decides("REJECTED", "Add Tuesday")).status.note == "Add Tuesday"
    mine = run(listed(make_client(api_key=priya), ws))
    assert (mine[0].approval_request.status.state, mine[0].approval_request.status.note) == (
        "REJECTED",
        "Add Tuesday",
    )

    async def member_resubmits() -> Any:
        async with make_client(api_key=priya) as api:
            return await api.approvals.resubmit(ws, week, "WEEKLY")

    assert run(member_resubmits()).status.state == "PENDING"
    assert run(manager_decides("APPROVED", None)).status.state == "APPROVED"
    with pytest.raises(ApiStatusError) as again:
        run(manager_decides("APPROVED", None))
    assert again.value.status == 400


def test_many_requests_are_read_page_by_page(
    clockify: Any, make_client: Callable[..., ClockifyClient]
) -> None:
    ws = clockify.workspace_id
    week = last_monday(clockify)

    async def submit_five() -> None:
        async with make_client() as api:
            for n in range(5):
                await api.approvals.submit(ws, week - timedelta(days=7 * n), "WEEKLY")

    run(submit_five())
    found = run(listed(make_client(), ws))
    starts = [d.approval_request.date_range.start for d in found]
    assert len(found) == 5
    assert starts == sorted(starts)
    pages = [e for e in clockify.exchanges if e.path.endswith("/approval-requests")]
    assert len(pages) == 3  # 2 + 2 + 1, the short page ends it


def test_a_submit_whose_answer_is_lost_is_not_resent(
    clockify: Any, make_client: Callable[..., ClockifyClient]
) -> None:
    ws = clockify.workspace_id
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path="/approval-requests/"))

    async def submit() -> Any:
        async with make_client() as api:
            return await api.approvals.submit(ws, last_monday(clockify), "WEEKLY")

    with pytest.raises(ClockifyError) as unclear:
        run(submit())
    assert unclear.value.maybe_committed
    posts = [e for e in clockify.exchanges if e.method == "POST"]
    assert len(posts) == 1
    assert [d.approval_request.status.state for d in run(listed(make_client(), ws))] == ["PENDING"]


def test_a_free_workspace_has_no_approvals(
    clockify_factory: Callable[..., Any], make_client: Callable[..., ClockifyClient]
) -> None:
    free = clockify_factory(seed="demo", plan="FREE")

    async def read() -> Any:
        async with ClockifyClient(
            free.api_key,
            servers=Servers.custom(free.base_url, free.reports_url),
            budget=RequestBudget(RateLimits()),
        ) as api:
            return [d async for d in api.approvals.list(free.workspace_id)]

    with pytest.raises(ForbiddenError):
        run(read())
