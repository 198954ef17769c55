"""The webhooks client against the test server, over loopback and contract-checked: create,
list, read, replace, rotate the token, delete; deliveries of changes made through the server
in the logs and statuses; the plan's limit, members and bad input refused."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.webhooks import webhook_book
from tests.helpers.clock import FakeClock
from tracker.api import (
    REPEATED_PAGE,
    BadRequestError,
    ClockifyClient,
    ForbiddenError,
    NotFoundError,
    PaginationError,
    RateLimits,
    RequestBudget,
    Servers,
)
from tracker.api.models.webhooks import EVENTS, WebhookLogFilter, WebhookWrite
from tracker.services.context import Context
from tracker.services.webhooks import Webhooks
from tracker.store import Store

from .conftest import FAST_RETRY, run

Start = Callable[..., FakeClockify]
URL = "https://hooks.example.com/clockify"


def client(server: FakeClockify, key: str | None = None) -> ClockifyClient:
    return ClockifyClient(
        key or server.api_key,
        servers=Servers.custom(server.base_url, server.reports_url),
        retry=FAST_RETRY,
        timeout=httpx.Timeout(5.0),
        budget=RequestBudget(RateLimits()),
    )


def hook(server: FakeClockify, event: str = "NEW_PROJECT", **changes: object) -> WebhookWrite:
    fields: dict[str, object] = {
        "url": URL,
        "webhook_event": event,
        "trigger_source": [server.workspace_id],
        **changes,
    }
    return WebhookWrite.model_validate(fields)


def test_the_spec_lists_51_events() -> None:
    assert len(EVENTS) == len(set(EVENTS)) == 51


def test_a_webhook_is_made_read_changed_rotated_and_deleted(clockify: FakeClockify) -> None:
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with client(clockify) as api:
            made = await api.webhooks.create(ws, hook(clockify, name="New projects"))
            assert (made.url, made.webhook_event, made.name) == (URL, "NEW_PROJECT", "New projects")
            assert made.auth_token
            listed = await api.webhooks.list(ws)
            assert [w.id for w in listed.webhooks] == [made.id]
            assert listed.workspace_webhook_count == 1
            changed = await api.webhooks.replace(
                ws, made.id, hook(clockify, "NEW_TAG", url=URL + "/tags", name="Tags")
            )
            assert (changed.webhook_event, changed.url) == ("NEW_TAG", URL + "/tags")
            assert changed.auth_token == made.auth_token
            rotated = await api.webhooks.rotate_token(ws, made.id)
            assert rotated.auth_token != made.auth_token
            assert (await api.webhooks.get(ws, made.id)).auth_token == rotated.auth_token
            await api.webhooks.delete(ws, made.id)
            assert (await api.webhooks.list(ws)).webhooks == []
            with pytest.raises(NotFoundError):
                await api.webhooks.get(ws, made.id)

    run(scenario())


def test_changes_are_delivered_and_listed_in_the_logs(clockify: FakeClockify) -> None:
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with client(clockify) as api:
            made = await api.webhooks.create(ws, hook(clockify, "NEW_TAG"))
            for n in range(3):
                await api.tags.create(ws, f"hooked {n}")
            webhook_book(clockify.state.workspaces[ws]).answer = 500
            await api.tags.create(ws, "refused")
            logs = await api.webhooks.logs(ws, made.id, page_size=2, limit=10)
            assert [log.status_code for log in logs] == [500, 200, 200, 200]
            assert '"name":"refused"' in (logs[0].request_body or "")
            failed = await api.webhooks.logs(ws, made.id, WebhookLogFilter(status="FAILED"))
            assert len(failed) == 1
            states = await api.webhooks.statuses(ws, made.id)
            assert [s.status for s in states] == ["FAILED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]

    run(scenario())


def test_a_free_workspace_holds_three_webhooks(clockify_factory: Start) -> None:
    free = clockify_factory(seed="demo", plan="FREE")

    async def scenario() -> None:
        async with client(free) as api:
            for event in EVENTS[:3]:
                await api.webhooks.create(free.workspace_id, hook(free, event))
            with pytest.raises(BadRequestError, match="limit"):
                await api.webhooks.create(free.workspace_id, hook(free, EVENTS[3]))
            assert (await api.webhooks.list(free.workspace_id)).workspace_webhook_count == 3

    run(scenario())


def test_members_and_bad_webhooks_are_refused(clockify: FakeClockify) -> None:
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with client(clockify, clockify.key_for("MEMBER")) as api:
            with pytest.raises(ForbiddenError):
                await api.webhooks.list(ws)
        async with client(clockify, clockify.key_for("ADMIN")) as api:
            await api.webhooks.list(ws)
            with pytest.raises(BadRequestError, match="url"):
                await api.webhooks.create(ws, hook(clockify, url="ftp://example.com/x"))
            with pytest.raises(BadRequestError, match="workspace"):
                await api.webhooks.create(ws, hook(clockify, trigger_source=["a" * 24]))

    run(scenario())


def test_logs_that_repeat_a_page_stop_the_read(clockify: FakeClockify) -> None:
    ws = clockify.workspace_id

    async def scenario() -> None:
        async with client(clockify) as api:
            made = await api.webhooks.create(ws, hook(clockify, "NEW_TAG"))
            for n in range(5):
                await api.tags.create(ws, f"hooked {n}")
            clockify.add_fault(Fault(kind="page_repeat", path=r"/logs$", times=None))
            with pytest.raises(PaginationError) as caught:
                await api.webhooks.logs(ws, made.id, page_size=2, limit=100)
            assert caught.value.guard == REPEATED_PAGE

    run(scenario())


def test_an_add_whose_answer_was_lost_is_found_not_made_twice(
    clockify: FakeClockify, store: Store
) -> None:
    store.meta.set_account({"user_id": clockify.user_id, "name": "Alex", "email": "a@x.com"})
    store.meta.set_workspace_id(clockify.workspace_id)
    context = Context(store, FakeClock.starting_now())
    clockify.add_fault(Fault(kind="drop_after_commit", method="POST", path=r"/webhooks$"))

    async def scenario() -> None:
        async with client(clockify) as api:
            made = await Webhooks(context, api).add(URL, "NEW_TAG")
            assert made.webhook_event == "NEW_TAG"
            assert (await api.webhooks.list(clockify.workspace_id)).workspace_webhook_count == 1

    run(scenario())
    posts = [e for e in clockify.exchanges if e.method == "POST" and e.path.endswith("/webhooks")]
    assert len(posts) == 1
