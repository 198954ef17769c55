"""The audit-log service against the test server with a real store: progress after each
page, a cancel between pages, a budget or a Clockify that gives out half-way, all keeping
what was read; the cost said first on an hourly budget."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.fakeclockify import FakeClockify
from tests.helpers.clock import FakeClock
from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers
from tracker.services.admin_base import AdminError
from tracker.services.audit import AuditLog, AuditQuery, write_file
from tracker.services.context import Context
from tracker.store import Store

from .conftest import FAST_RETRY, run


def client_for(server: FakeClockify, budget: RequestBudget | None = None) -> ClockifyClient:
    return ClockifyClient(
        server.api_key,
        servers=Servers.custom(server.base_url, server.reports_url),
        retry=FAST_RETRY,
        timeout=httpx.Timeout(5.0),
        budget=budget or RequestBudget(RateLimits()),
    )


@pytest.fixture
def enterprise(clockify_factory: Callable[..., FakeClockify]) -> FakeClockify:
    server = clockify_factory(seed="demo", plan="ENTERPRISE")
    tags = f"{server.base_url}/v1/workspaces/{server.workspace_id}/tags"
    with httpx.Client(headers={"X-Api-Key": server.api_key}) as web:
        for n in range(110):
            assert web.post(tags, json={"name": f"tag {n}"}).status_code == 201
    return server


def context_of(store: Store, server: FakeClockify) -> Context:
    store.meta.set_account({"user_id": server.user_id, "name": "Alex", "email": "a@example.com"})
    store.meta.set_workspace_id(server.workspace_id)
    return Context(store, FakeClock.starting_now())


def tag_query(server: FakeClockify) -> AuditQuery:
    now = datetime.fromtimestamp(server.state.now(), UTC)
    return AuditQuery(now - timedelta(hours=1), now + timedelta(hours=1), actions=("CREATE_TAG",))


def audit_requests(server: FakeClockify) -> int:
    return sum(1 for e in server.exchanges if e.path.endswith("/audit-log"))


def test_progress_is_told_after_each_page(enterprise: FakeClockify, store: Store) -> None:
    told: list[tuple[int, int]] = []

    async def go() -> None:
        async with client_for(enterprise) as api:
            found = await AuditLog(context_of(store, enterprise), api).read(
                tag_query(enterprise), progress=lambda r, e: told.append((r, e))
            )
            assert found.complete
            assert len(found.events) == 110
            assert found.requests == 3

    run(go())
    assert told == [(1, 50), (2, 100), (3, 110)]


def test_a_cancel_between_pages_keeps_what_was_read(enterprise: FakeClockify, store: Store) -> None:
    async def go() -> None:
        async with client_for(enterprise) as api:
            found = await AuditLog(context_of(store, enterprise), api).read(
                tag_query(enterprise), cancelled=lambda: True
            )
            assert len(found.events) == 50
            assert found.stopped is not None
            assert "Cancelled" in found.stopped

    run(go())
    assert audit_requests(enterprise) == 1


def test_a_budget_spent_half_way_keeps_what_was_read_and_says_so(
    enterprise: FakeClockify, store: Store
) -> None:
    budget = RequestBudget(RateLimits(per_hour=2))

    async def go() -> None:
        async with client_for(enterprise, budget) as api:
            service = AuditLog(context_of(store, enterprise), api)
            estimate = service.estimate()
            assert estimate.free_plan
            assert estimate.left == 2
            assert "2 left this hour" in estimate.sentence()
            api.session.budget_wait = 0.0
            found = await service.read(tag_query(enterprise))
            assert len(found.events) == 100
            assert found.stopped is not None
            assert "request budget is spent" in found.stopped

    run(go())
    assert audit_requests(enterprise) == 2


def test_clockify_going_away_half_way_keeps_what_was_read(
    enterprise: FakeClockify, store: Store, tmp_path: Path
) -> None:
    def gone(requests: int, events: int) -> None:
        enterprise.stop()  # after the first page: the next request finds nobody

    async def go() -> None:
        async with client_for(enterprise) as api:
            service = AuditLog(context_of(store, enterprise), api)
            found = await service.read(tag_query(enterprise), progress=gone)
            assert len(found.events) == 50
            assert found.stopped is not None
            assert found.stopped.startswith("Stopped: Clockify stopped answering")
            target = tmp_path / "audit.csv"
            assert write_file(target, found, "csv") == 50
            lines = target.read_text(encoding="utf-8-sig").splitlines()
            assert lines[0].startswith("time,action,author")
            assert len(lines) == 51

    run(go())


def test_a_refusal_on_the_first_page_is_one_sentence(clockify: FakeClockify, store: Store) -> None:
    async def go() -> None:
        async with client_for(clockify) as api:
            with pytest.raises(AdminError, match="does not let you read the audit log"):
                await AuditLog(context_of(store, clockify), api).read(tag_query(clockify))

    run(go())
