"""The API key is kept per server and account: a fresh data folder never picks up, and sends
to its server, a key another folder kept; a key under the keyring's old shared name is used
only once Clockify confirmed it is this folder's account, then moved under its own name."""

from __future__ import annotations

import io
import sys

import pytest

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import Cli
from tracker.integrations.secrets import LEGACY_ACCOUNT, key_account
from tracker.sync.runner import budget_for


@pytest.fixture
def server(clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch) -> FakeClockify:
    monkeypatch.setenv("TRACKER_API_URL", clockify.base_url)
    monkeypatch.setenv("TRACKER_REPORTS_URL", clockify.reports_url)
    return clockify


def _connected_folder(cli: Cli, server: FakeClockify, user_id: str) -> None:
    """This folder as an older version left it: the account recorded, the key elsewhere."""
    with cli.store() as store:
        store.meta.set_account(
            {"user_id": user_id, "name": "Alex", "email": "a@x", "api_url": server.base_url}
        )


def test_a_fresh_folder_never_uses_a_key_kept_for_another(cli: Cli, server: FakeClockify) -> None:
    cli.secrets.set(LEGACY_ACCOUNT, server.api_key)  # kept by another folder, another server
    cli.secrets.set(key_account("https://elsewhere.example/api", server.user_id), "k" * 40)
    result = cli("sync")
    assert result.code == 1
    assert result.err.startswith("tracker: No API key yet: run `tracker login`")
    assert server.exchanges == []  # the key never left the computer
    assert cli("status", "--json").json()["connected"] is False


def test_the_old_shared_entry_is_confirmed_then_moved(cli: Cli, server: FakeClockify) -> None:
    _connected_folder(cli, server, server.user_id)
    cli.secrets.set(LEGACY_ACCOUNT, server.api_key)
    result = cli("sync", "--json")
    assert result.code == 0, result.err
    own = key_account(server.base_url, server.user_id)
    assert cli.secrets.accounts() == [own]
    assert cli.secrets.get(own) == server.api_key
    confirmed = [e.path for e in server.exchanges].count("/v1/user")
    with cli.store() as store:
        spent = budget_for(store, store.meta.workspace_id()).spent()
    assert spent == len(server.exchanges)  # the confirmation is counted like every request
    asked = len(server.exchanges)
    assert cli("sync").code == 0
    assert [e.path for e in server.exchanges[asked:]].count("/v1/user") == 0  # once
    assert confirmed >= 1


def test_the_old_shared_entry_of_another_account_is_left_alone(
    cli: Cli, server: FakeClockify
) -> None:
    someone = server.state.add_user("Someone Else", "else@example.com")
    _connected_folder(cli, server, someone.id)  # this folder is Someone's; the key is Alex's
    cli.secrets.set(LEGACY_ACCOUNT, server.api_key)
    result = cli("sync")
    assert result.code == 1
    assert "No API key yet" in result.err
    assert [e.path for e in server.exchanges] == ["/v1/user"]  # asked whose, and no more
    assert cli.secrets.accounts() == [LEGACY_ACCOUNT]  # still there for its own folder
    assert server.api_key not in result.out + result.err


def test_the_old_entry_never_goes_to_a_server_the_account_was_not_connected_on(
    cli: Cli, server: FakeClockify
) -> None:
    with cli.store() as store:
        store.meta.set_account(
            {"user_id": server.user_id, "api_url": "https://api.clockify.me/api"}
        )
    cli.secrets.set(LEGACY_ACCOUNT, server.api_key)
    result = cli("sync")
    assert result.code == 1
    assert "No API key yet" in result.err
    assert server.exchanges == []


def test_logout_leaves_the_old_shared_entry_and_says_so(cli: Cli, server: FakeClockify) -> None:
    _connected_folder(cli, server, server.user_id)
    cli.secrets.set(LEGACY_ACCOUNT, "another-folders-key-123456")
    result = cli("logout")
    assert result.code == 0
    assert "stays in the keyring" in result.out
    assert cli.secrets.accounts() == [LEGACY_ACCOUNT]
    assert "another-folders-key" not in result.out


@pytest.mark.parametrize("old", ["r" * 48, "a key\nwith a line break"])
def test_a_refused_or_broken_old_entry_is_not_used(
    cli: Cli, server: FakeClockify, old: str
) -> None:
    _connected_folder(cli, server, server.user_id)
    cli.secrets.set(LEGACY_ACCOUNT, old)  # a key this server does not know, or none at all
    result = cli("sync")
    assert result.code == 1
    assert "No API key yet" in result.err
    assert cli.secrets.accounts() == [LEGACY_ACCOUNT]
    assert len(server.exchanges) == (1 if old.isalnum() else 0)


def test_login_keeps_the_key_under_its_account_and_drops_the_same_old_entry(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.secrets.set(LEGACY_ACCOUNT, server.api_key)
    monkeypatch.setattr(sys, "stdin", io.StringIO(server.api_key + "\n"))
    assert cli("login").code == 0
    assert cli.secrets.accounts() == [key_account(server.base_url, server.user_id)]
    assert cli("logout").code == 0
    assert cli.secrets.accounts() == []
