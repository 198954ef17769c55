"""The audit log client against the test server's audit host, over loopback and
contract-checked: changes made through the server are listed with their content, filtered by
period, author (``SYSTEM`` too) and action, page by page; refusals and a misbehaving pager
end with a clear error, never a loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import ValidationError

from tests.fakeclockify import FakeClockify, Fault
from tracker.api import (
    REPEATED_PAGE,
    BadRequestError,
    ClockifyClient,
    ForbiddenError,
    PaginationError,
    RateLimits,
    RequestBudget,
    Servers,
)
from tracker.api.models import ProjectCreate, ProjectUpdate
from tracker.api.models.audit import ACTIONS, SYSTEM, AuditAuthors, AuditEvent, AuditLogFilter

from .conftest import FAST_RETRY, run

Start = Callable[..., FakeClockify]


def client(server: FakeClockify, key: str | None = None) -> ClockifyClient:
    return ClockifyClient(
        key or server.api_key,
        servers=Servers.custom(server.base_url, server.reports_url),
        retry=FAST_RETRY,
        timeout=httpx.Timeout(5.0),
        budget=RequestBudget(RateLimits()),
    )


def period(server: FakeClockify, **changes: object) -> AuditLogFilter:
    now = datetime.fromtimestamp(server.state.now(), UTC)
    fields: dict[str, object] = {
        "start": now - timedelta(days=2),
        "end": now + timedelta(hours=1),
        "actions": list(ACTIONS),
        **changes,
    }
    return AuditLogFilter.model_validate(fields)


def read_all(
    server: FakeClockify, query: AuditLogFilter, key: str | None = None
) -> list[AuditEvent]:
    async def scenario() -> list[AuditEvent]:
        async with client(server, key) as api:
            return [
                event
                async for page in api.audit_log.pages(server.workspace_id, query)
                for event in page
            ]

    return run(scenario())


def make_changes(server: FakeClockify, count: int) -> list[str]:
    """Create ``count`` projects and rename the first through the client; their ids."""

    async def scenario() -> list[str]:
        async with client(server) as api:
            ids = []
            for n in range(count):
                made = await api.projects.create(
                    server.workspace_id, ProjectCreate(name=f"Audited {n}")
                )
                ids.append(made.id)
            await api.projects.update(
                server.workspace_id, ids[0], ProjectUpdate(name="Audited renamed")
            )
            return ids

    return run(scenario())


@pytest.fixture
def enterprise(clockify_factory: Start) -> FakeClockify:
    return clockify_factory(seed="demo", plan="ENTERPRISE")


def test_changes_are_listed_newest_first_with_before_and_after(enterprise: FakeClockify) -> None:
    ids = make_changes(enterprise, 2)
    events = read_all(enterprise, period(enterprise, actions=["CREATE_PROJECT", "UPDATE_PROJECT"]))
    assert [e.action for e in events] == ["UPDATE_PROJECT", "CREATE_PROJECT", "CREATE_PROJECT"]
    renamed = events[0]
    assert renamed.user_id == enterprise.user_id
    assert renamed.user_name == "Alex Morgan"
    assert '"name":"Audited renamed"' in (renamed.content or "")
    assert '"name":"Audited 0"' in (renamed.previous_content or "")
    assert ids[0] in (renamed.content or "")
    assert events[-1].previous_content == "null"
    assert all(e.host == "audit" for e in enterprise.exchanges if "audit-log" in e.path)


def test_many_events_are_read_page_by_page(enterprise: FakeClockify) -> None:
    make_changes(enterprise, 12)
    query = period(enterprise, actions=["CREATE_PROJECT"], page_size=5)
    events = read_all(enterprise, query)
    assert len(events) == 12
    asked = [e for e in enterprise.exchanges if e.path.endswith("/audit-log")]
    assert len(asked) == 3  # 5 + 5 + 2: the short page ends the list


def test_authors_filter_includes_and_excludes_system(enterprise: FakeClockify) -> None:
    make_changes(enterprise, 1)
    system = AuditAuthors(author_ids=[SYSTEM])
    imports = read_all(enterprise, period(enterprise, authors=system))
    assert imports
    assert {e.user_id for e in imports} == {SYSTEM}
    assert {e.action for e in imports} == {"CREATE_CLIENT_IMPORT", "CREATE_PROJECT_IMPORT"}
    others = AuditAuthors(author_ids=[SYSTEM], contains="DOES_NOT_CONTAIN")
    people = read_all(enterprise, period(enterprise, authors=others))
    assert {e.user_id for e in people} == {enterprise.user_id}


def test_the_period_bounds_the_events(enterprise: FakeClockify) -> None:
    make_changes(enterprise, 1)
    now = datetime.fromtimestamp(enterprise.state.now(), UTC)
    earlier = period(enterprise, start=now - timedelta(days=3), end=now - timedelta(hours=1))
    assert {e.user_id for e in read_all(enterprise, earlier)} == {SYSTEM}


def test_a_timer_and_an_entry_for_someone_else_have_their_own_actions(
    enterprise: FakeClockify,
) -> None:
    now = datetime.fromtimestamp(enterprise.state.now(), UTC).replace(microsecond=0)
    member = next(u for u in enterprise.users if u.role == "MEMBER")
    headers = {"X-Api-Key": enterprise.api_key}
    base = f"{enterprise.base_url}/v1/workspaces/{enterprise.workspace_id}"
    started = (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    ended = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    timer = httpx.post(f"{base}/time-entries", json={"start": started}, headers=headers)
    other = httpx.post(
        f"{base}/user/{member.user_id}/time-entries",
        json={"start": started, "end": ended},
        headers=headers,
    )
    gone = httpx.delete(f"{base}/time-entries/{timer.json()['id']}", headers=headers)
    assert (timer.status_code, other.status_code, gone.status_code) == (201, 201, 204)
    events = read_all(
        enterprise, period(enterprise, authors=AuditAuthors(author_ids=[enterprise.user_id]))
    )
    assert [e.action for e in events] == [
        "DELETE_TIME_PERSONAL",
        "CREATE_TIME_FOR_OTHER",
        "CREATE_TIME_PERSONAL_TIMER",
    ]
    assert events[0].content == "null"
    assert timer.json()["id"] in (events[0].previous_content or "")


def test_members_and_plans_without_the_audit_log_are_refused(
    enterprise: FakeClockify, clockify: FakeClockify
) -> None:
    with pytest.raises(ForbiddenError):
        read_all(enterprise, period(enterprise), key=enterprise.key_for("MEMBER"))
    read_all(enterprise, period(enterprise), key=enterprise.key_for("ADMIN"))
    with pytest.raises(ForbiddenError, match="plan"):
        read_all(clockify, period(clockify))  # the demo's bundle has no AUDIT_LOG


def test_a_period_that_ends_before_it_starts_is_refused(enterprise: FakeClockify) -> None:
    now = datetime.fromtimestamp(enterprise.state.now(), UTC)
    backwards = period(enterprise, start=now, end=now - timedelta(days=1))
    with pytest.raises(BadRequestError, match="after start"):
        read_all(enterprise, backwards)


def test_the_filter_refuses_what_clockify_would() -> None:
    now = datetime.now(UTC)
    with pytest.raises(ValidationError):
        AuditLogFilter(start=now, end=now, actions=[])
    with pytest.raises(ValidationError):
        AuditLogFilter(start=now, end=now, actions=["CREATE_TAG"], page_size=51)


def endless(kind: str) -> Fault:
    return Fault(kind=kind, path=r"/audit-log$", times=None)


def test_a_repeated_page_of_the_audit_log_stops_the_read(enterprise: FakeClockify) -> None:
    make_changes(enterprise, 12)
    enterprise.add_fault(endless("page_repeat"))
    with pytest.raises(PaginationError, match="twice") as caught:
        read_all(enterprise, period(enterprise, actions=["CREATE_PROJECT"], page_size=5))
    assert caught.value.guard == REPEATED_PAGE
    assert len([e for e in enterprise.exchanges if e.path.endswith("/audit-log")]) == 2


def test_an_audit_log_that_ignores_the_page_is_read_once(enterprise: FakeClockify) -> None:
    make_changes(enterprise, 12)
    enterprise.add_fault(endless("page_ignored"))
    events = read_all(enterprise, period(enterprise, actions=["CREATE_PROJECT"], page_size=5))
    assert len(events) == 12
    assert len([e for e in enterprise.exchanges if e.path.endswith("/audit-log")]) == 1


def test_audit_log_pages_that_are_never_short_stop_when_they_wrap(
    enterprise: FakeClockify,
) -> None:
    make_changes(enterprise, 12)
    enterprise.add_fault(endless("page_never_short"))
    with pytest.raises(PaginationError, match="only items of earlier pages") as caught:
        read_all(enterprise, period(enterprise, actions=["CREATE_PROJECT"], page_size=5))
    assert caught.value.guard == REPEATED_PAGE
    assert len([e for e in enterprise.exchanges if e.path.endswith("/audit-log")]) <= 5
