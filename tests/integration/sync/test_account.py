"""The account in the store: connecting a key, and the workspace read again once a day."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from tracker.api import FREE_PLAN, PAID_PLAN, Servers, UnauthorizedError
from tracker.services.abilities import abilities
from tracker.store import Store
from tracker.sync.account import WORKSPACE_MAX_AGE, WorkspaceChoiceError, workspace_rates_key
from tracker.sync.connect import CONNECT_REQUESTS, connect_key
from tracker.sync.runner import budget_for, limits_for

from .conftest import Harness
from .day import free_plan


def _servers(server: Any) -> Servers:
    return Servers.custom(server.base_url, server.reports_url)


def test_connecting_checks_then_keeps_then_records(store: Store, server: Any) -> None:
    kept: list[tuple[str, str, int, bool]] = []

    def keep(key: str, user_id: str) -> None:  # on a thread of its own
        on_loop = threading.current_thread() is threading.main_thread()
        kept.append((key, user_id, len(server.exchanges), on_loop))

    connected = asyncio.run(connect_key(store, f" {server.api_key} ", _servers(server), keep=keep))
    assert kept == [(server.api_key, server.user_id, CONNECT_REQUESTS, False)]  # once checked
    assert connected.workspace_id == server.workspace_id
    assert connected.workspace_name() == "Test Workspace"
    assert store.meta.get("workspace_id") == server.workspace_id
    assert store.meta.get("account")["api_url"] == server.base_url
    assert len(server.exchanges) == CONNECT_REQUESTS
    assert budget_for(store, None).spent() == CONNECT_REQUESTS


def test_a_refused_key_or_a_wrong_workspace_keeps_nothing(store: Store, server: Any) -> None:
    kept: list[tuple[str, str]] = []

    def keep(key: str, user_id: str) -> None:
        kept.append((key, user_id))

    with pytest.raises(UnauthorizedError):
        asyncio.run(connect_key(store, "x" * 40, _servers(server), keep=keep))
    with pytest.raises(WorkspaceChoiceError, match="No workspace matches 'Elsewhere'"):
        asyncio.run(
            connect_key(store, server.api_key, _servers(server), keep=keep, wanted="Elsewhere")
        )
    assert kept == []
    assert store.meta.get("account") is None
    assert store.meta.workspaces() == []


def test_a_round_reads_the_workspace_again_once_a_day(harness: Harness, server: Any) -> None:
    harness.sync()  # connects: the workspace as of now, on a paid plan
    ws = harness.ws
    assert limits_for(harness.store, ws) == PAID_PLAN
    path = f"/v1/workspaces/{ws}"
    harness.sync(pull=False, refresh_refs=False)
    assert [x.path for x in server.exchanges].count(path) == 0
    free_plan(server)  # the workspace moved to the Free plan meanwhile
    harness.store.meta.set(f"workspace_at:{ws}", time.time() - WORKSPACE_MAX_AGE - 1)
    before = len(server.exchanges)
    harness.sync(pull=False, refresh_refs=False)
    assert [x.path for x in server.exchanges[before:]] == [path]
    assert limits_for(harness.store, ws) == FREE_PLAN
    harness.sync(pull=False, refresh_refs=False)
    assert len(server.exchanges) == before + 1  # not again that day


@pytest.mark.parametrize(
    ("plan", "offered"), [("FREE", (False, False)), ("STANDARD", (True, True))]
)
def test_connecting_learns_which_features_the_plan_offers(
    store: Store, clockify_factory: Any, plan: str, offered: tuple[bool, bool]
) -> None:
    """Approvals and time off are offered only where the workspace's plan lists them, known
    from the connect's own workspace read (no request of its own)."""
    assert abilities(store).connected is False
    server = clockify_factory(seed="demo", plan=plan)
    asyncio.run(connect_key(store, server.api_key, _servers(server), keep=lambda *_: None))
    assert len(server.exchanges) == CONNECT_REQUESTS
    found = abilities(store)
    assert found.connected
    assert (found.approvals, found.time_off) == offered
    assert found.decides is None  # the role is not known until asked
    info = store.meta.workspace(server.workspace_id)
    assert info is not None
    assert info.features is not None
    assert ("APPROVAL" in info.features) is offered[0]


def test_the_workspace_rates_are_kept_with_the_workspace_and_read_again_with_it(
    harness: Harness, server: Any
) -> None:
    """The local reports' last fallback rate comes with the workspace, without a request of
    its own: kept when connecting, and again when the workspace is read once a day."""
    harness.sync()
    ws = harness.ws
    kept = harness.store.meta.get(workspace_rates_key(ws))
    assert kept == {"hourly": 0, "cost": None, "currency": "EUR"}  # a rate of 0, no cost rate
    with server.state.lock:  # an administrator set the workspace's rates meanwhile
        workspace = server.state.workspaces[ws].workspace
        workspace.hourly_rate = {"amount": 9000, "currency": "EUR"}
        workspace.cost_rate = {"amount": 4000, "currency": "EUR"}
    harness.store.meta.set(f"workspace_at:{ws}", time.time() - WORKSPACE_MAX_AGE - 1)
    harness.sync(pull=False, refresh_refs=False)
    assert harness.store.meta.get(workspace_rates_key(ws)) == {
        "hourly": 9000,
        "cost": 4000,
        "currency": "EUR",
    }
