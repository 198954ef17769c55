"""Reference-data verbs, and the verbs that talk to Clockify (against the test server)."""

from __future__ import annotations

import io
import sys

import pytest

from tests.contract import ContractLog
from tests.fakeclockify import FakeClockify
from tests.helpers.keyrings import keep_key
from tests.unit.cli.conftest import Cli
from tracker.cli import main
from tracker.integrations.secrets import (
    EnvSecretStore,
    MemorySecretStore,
    SecretStoreError,
    key_account,
)
from tracker.sync.runner import budget_for


def test_projects_tasks_tags_clients(cli: Cli) -> None:
    assert cli("projects").out.startswith("No projects yet")
    assert cli("clients", "add", "Acme").out.startswith("Created client Acme  (id ")
    created = cli("projects", "add", "Website", "--client", "acme", "--color", "#FF0000", "--json")
    project = created.json()
    assert (project["name"], project["client"], project["color"]) == ("Website", "Acme", "#ff0000")
    assert cli("tasks", "add", "-p", "Website", "Backend").code == 0
    assert cli("tasks", "add", "Frontend", "-p", "Website").code == 0  # name before the option
    assert cli("tags", "add", "urgent").code == 0

    listing = cli("projects").out.splitlines()
    assert listing[0].split() == ["project", "client", "color", "note", "id"]
    assert listing[1].split()[:3] == ["Website", "Acme", "#ff0000"]
    tasks = cli("tasks", "-p", "web", "--json").json()
    assert [t["name"] for t in tasks] == ["Backend", "Frontend"]
    assert [t["name"] for t in cli("tags", "--json").json()] == ["urgent"]
    assert [c["name"] for c in cli("clients", "--json").json()] == ["Acme"]


def test_catalog_mistakes(cli: Cli) -> None:
    cli("projects", "add", "Website")
    assert cli("projects", "add", "website").err == (
        "tracker: A project named 'Website' already exists.\n"
    )
    assert cli("tasks", "add", "Backend").err.startswith("tracker: Say which project")
    assert cli("projects", "add", "X", "--color", "blue").code == 1
    assert cli("projects", "add", "X", "--client", "Nobody").err == (
        "tracker: No client matches 'Nobody'. Create it with `tracker clients add Nobody`.\n"
    )


def test_workspace_without_an_account(cli: Cli) -> None:
    assert cli("workspace").out.startswith("No workspaces known")
    assert cli("workspace", "--json").json() == []


def test_doctor_offline(cli: Cli) -> None:
    cli("start", "x")
    result = cli("doctor")
    assert result.code == 0
    text = result.out
    assert "Store        " in text
    assert "Account      none (local only)" in text
    assert "Waiting      1 changes, 0 need attention" in text
    assert "Budget       30 of 30 requests left this hour" in text
    data = cli("doctor", "--json").json()
    assert data["pending"] == 1
    assert data["store"].endswith("tracker.sqlite3")
    online = cli("doctor", "--online", "--json").json()
    assert online["server"].startswith("not checked: No API key yet")


def test_sync_and_check_need_a_key(cli: Cli) -> None:
    assert cli("sync").err.startswith("tracker: No API key yet: run `tracker login`")
    assert cli("check").code == 1
    assert cli("whoami").code == 1


@pytest.fixture
def server(clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch) -> FakeClockify:
    monkeypatch.setenv("TRACKER_API_URL", clockify.base_url)
    monkeypatch.setenv("TRACKER_REPORTS_URL", clockify.reports_url)
    return clockify


def test_login_reads_the_key_from_stdin_and_keeps_it(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("start", "offline work")
    monkeypatch.setattr(sys, "stdin", io.StringIO(server.api_key + "\n"))
    result = cli("login")
    assert result.code == 0, result.err
    assert result.out.splitlines()[:3] == [
        "Logged in as Alex Morgan <alex.morgan@example.com>",
        "Workspace    Morgan Digital",
        "Key          memory (not persisted)",
    ]
    assert "1 local entries will be sent" in result.out
    assert cli.secrets.accounts() == [key_account(server.base_url, server.user_id)]
    assert cli.secrets.get(key_account(server.base_url, server.user_id)) == server.api_key
    with cli.store() as store:
        assert store.meta.get("workspace_id") == server.workspace_id
        assert store.meta.get("account")["api_url"] == server.base_url
        assert store.meta.profile().time_zone == "Europe/Berlin"
        assert [w.name for w in store.meta.workspaces()] == ["Morgan Digital", "Side Projects"]

    status = cli("status", "--json").json()
    assert (status["connected"], status["workspace"]) == (True, "Morgan Digital")
    assert status["running"]["description"] == "offline work"

    check = cli("check", "--json").json()
    assert check["email"] == "alex.morgan@example.com"
    assert cli("whoami").out.startswith("Alex Morgan <alex.morgan@example.com>")

    workspaces = cli("workspace", "--json").json()
    assert [(w["name"], w["current"]) for w in workspaces] == [
        ("Morgan Digital", True),
        ("Side Projects", False),
    ]
    used = cli("workspace", "use", "side")
    assert used.out.startswith("Now using workspace Side Projects.")

    logout = cli("logout")
    assert logout.code == 0
    assert cli.secrets.accounts() == []
    assert cli("status", "--json").json()["connected"] is False


class LockedKeyring(MemorySecretStore):
    """A keyring that refuses to keep anything (locked, or the person said no)."""

    def set(self, account: str, api_key: str) -> None:
        raise SecretStoreError("the keyring is locked")


def test_a_key_that_cannot_be_kept_leaves_the_store_as_it_was(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("start", "offline work")
    cli.secrets = LockedKeyring()
    monkeypatch.setattr(sys, "stdin", io.StringIO(server.api_key + "\n"))
    result = cli("login")
    assert result.code == 1
    assert result.err == (
        "tracker: The key is valid but could not be stored: the keyring is locked\n"
    )
    status = cli("status", "--json").json()
    assert status["connected"] is False  # not half connected: no account without its key
    assert status["running"]["description"] == "offline work"
    with cli.store() as store:
        assert store.meta.get("workspace_id") is None
        assert store.meta.workspaces() == []


def test_login_spends_its_requests_in_the_shared_budget(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(server.api_key + "\n"))
    assert cli("login").code == 0
    assert len(server.exchanges) == 3  # the user, the workspaces, the member profile
    with cli.store() as store:
        assert budget_for(store, None).spent() == 3
    assert cli("sync").code == 0
    paths = [x.path for x in server.exchanges]
    assert paths.count("/v1/user") == 1  # the round did not ask again
    assert paths.count("/v1/workspaces") == 1


def test_login_refuses_a_wrong_key(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("not-a-key\n"))
    result = cli("login")
    assert result.code == 1
    assert result.err.startswith("tracker: Clockify refused the API key")
    assert cli.secrets.accounts() == []


def test_login_with_the_environment_key_stores_nothing(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOCKIFY_API_KEY", server.api_key)
    cli.secrets = None  # type: ignore[assignment]  # choose as the app does: the env var
    result = cli("login", "--workspace", "Side Projects", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert (data["key_store"], data["workspace_id"]) == (
        "CLOCKIFY_API_KEY",
        server.second_workspace_id,
    )


def test_sync_sends_local_work(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch, contract: ContractLog
) -> None:
    cli.secrets = MemorySecretStore()
    with cli.store() as store:
        keep_key(cli.secrets, store, server.base_url, server.user_id, server.api_key)
    cli("add", "-2h", "-1h", "written offline")
    monkeypatch.setattr(sys, "stdin", io.StringIO(server.api_key + "\n"))
    assert cli("login").code == 0
    result = cli("sync", "--json")
    assert result.code == 0, result.err
    report = result.json()
    assert report["created"] == 1
    assert report["complete"] is True
    assert cli("status", "--json").json()["pending"] == 0
    assert len(cli("projects", "--json").json()) > 0


def test_logout_without_any_keyring_still_forgets_the_account(cli: Cli) -> None:
    with cli.store() as store:
        store.meta.set("account", {"user_id": "u", "name": "A", "email": "a@example.com"})
    cli.secrets = None  # type: ignore[assignment]  # the suite's keyring is the "fail" backend
    assert cli("logout").code == 0
    assert cli("status", "--json").json()["connected"] is False
    assert cli("login").err.startswith("tracker: No safe place for the API key")


def _login(cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(server.api_key + "\n"))
    assert cli("login").code == 0


def test_the_first_verb_that_names_projects_fetches_them(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(cli, server, monkeypatch)
    status = cli("status")
    assert "Sync     connected, not synced yet" in status.out
    assert "local only" not in status.out
    asked = len(server.exchanges)
    listing = cli("projects")
    assert listing.code == 0, listing.err
    assert "Website Redesign" in listing.out
    assert "No projects yet" not in listing.out
    fetched = [e.path for e in server.exchanges[asked:]]
    assert fetched, "nothing was fetched"
    assert not any("/time-entries" in path for path in fetched)  # names only, no entries
    with cli.store() as store:
        spent = budget_for(store, store.meta.workspace_id()).spent()
    assert spent == len(server.exchanges)  # every request counted in the ledger
    again = len(server.exchanges)
    assert "Website Redesign" in cli("projects").out
    assert cli("start", "Design work", "-p", "website").code == 0
    assert len(server.exchanges) == again  # once: later verbs read what was fetched


def test_a_key_in_the_environment_counts_as_connected(
    cli: Cli,
    server: FakeClockify,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CLOCKIFY_API_KEY", server.api_key)
    assert "Sync     connected, not synced yet" in cli("status").out
    capsys.readouterr()
    # The store the CLI chooses when the variable is set.
    code = main(["start", "Homepage", "-p", "Website Redesign"], secret_store=EnvSecretStore())
    started = capsys.readouterr()
    assert code == 0, started.err
    assert "Website Redesign" in started.out


def test_fetching_names_offline_says_so_and_goes_on(
    cli: Cli, server: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(cli, server, monkeypatch)
    server.stop()
    listing = cli("projects")
    assert listing.code == 0
    assert listing.err.startswith("tracker: could not fetch projects and tags from Clockify (")
    assert "No projects yet" in listing.out
    assert cli("projects").err == ""  # not again at once: each verb would wait for it
    cli.advance(minutes=6)
    assert cli("projects").err.startswith("tracker: could not fetch")


def test_projects_and_tasks_are_pinned_as_favourites(cli: Cli) -> None:
    cli("projects", "add", "Website")
    cli("projects", "add", "Internal")
    cli("tasks", "add", "-p", "Website", "Design")
    pinned = cli("projects", "--favourite", "intern")
    assert pinned.out == (
        "Pinned Internal on top of the project pickers (this computer, this workspace).\n"
    )
    listing = {p["name"]: p["favourite"] for p in cli("projects", "--json").json()}
    assert listing == {"Internal": True, "Website": False}
    assert "favourite" in cli("projects").out.splitlines()[1]  # Internal, listed first
    task = cli("tasks", "-p", "website", "--favourite", "design", "--json").json()
    assert (task["name"], task["favourite"]) == ("Design", True)
    assert cli("projects", "--unfavourite", "Internal").out == "Unpinned Internal.\n"
    assert [p["favourite"] for p in cli("projects", "--json").json()] == [False, False]
    assert cli("projects", "--favourite", "Nowhere").code == 1
    assert cli("projects", "--favourite", "a", "--unfavourite", "b").code == 2
