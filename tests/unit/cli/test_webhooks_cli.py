"""``tracker webhooks`` against the test server as the owner and a member, each with their own
store and key: add one webhook per event (the token shown once), list without tokens, edit,
rotate the token, read the deliveries, delete only after asking; the help and every listing
say that this app cannot receive webhooks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import Cli, Person
from tracker.cli import main

URL = "https://hooks.example.com/clockify"


def test_the_help_says_a_desktop_app_cannot_receive_webhooks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["webhooks", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "this desktop app cannot receive them" in shown
    assert "local hooks or `tracker events`" in shown


def test_the_owner_adds_lists_edits_rotates_reads_and_deletes(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people("Alex Morgan")
    added = alex("webhooks", "add", URL, "--event", "new-tag", "--event", "NEW_PROJECT", "--json")
    assert added.code == 0, added.err
    made = added.json()
    assert [h["event"] for h in made] == ["NEW_TAG", "NEW_PROJECT"]
    assert all(h["token"] for h in made)
    listed = alex("webhooks")
    assert listed.code == 0, listed.err
    assert "NEW_TAG" in listed.out
    assert "cannot receive them" in listed.out
    assert made[0]["token"] not in listed.out
    as_json = alex("webhooks", "list", "--json").json()
    assert as_json["count"] == 2
    assert "token" not in as_json["webhooks"][0]
    short = made[0]["id"][-6:]
    edited = alex("webhooks", "edit", short, "--url", URL + "/tags", "--json")
    assert edited.code == 0, edited.err
    assert edited.json()["url"] == URL + "/tags"
    rotated = alex("webhooks", "rotate-token", short, "--json")
    assert rotated.json()["token"] != made[0]["token"]
    assert alex("tags", "add", "hooked").code == 0
    assert alex("sync").code == 0
    logs = alex("webhooks", "logs", short, "--json")
    assert logs.code == 0, logs.err
    deliveries = logs.json()["deliveries"]
    assert [d["status_code"] for d in deliveries] == [200]
    assert '"name":"hooked"' in deliveries[0]["request_body"]
    refused = alex("webhooks", "delete", short)
    assert refused.code == 1
    assert "--yes" in refused.err
    assert alex("webhooks", "list", "--json").json()["count"] == 2
    gone = alex("webhooks", "delete", short, "--yes")
    assert gone.code == 0, gone.err
    assert alex("webhooks", "list", "--json").json()["count"] == 1


def test_mistakes_are_one_sentence(cli: Cli, people: Callable[[str], Person]) -> None:
    alex = people("Alex Morgan")
    no_event = alex("webhooks", "add", URL)
    assert no_event.code == 1
    assert "--event" in no_event.err
    unknown = alex("webhooks", "add", URL, "--event", "project")
    assert unknown.code == 1
    assert "no webhook event 'project'" in unknown.err
    assert "NEW_PROJECT" in unknown.err
    bad_url = alex("webhooks", "add", "ftp://x.example.com", "--event", "new-tag")
    assert bad_url.code == 1
    assert "Clockify refused to add the webhook" in bad_url.err
    missing = alex("webhooks", "logs", "abcdef")
    assert missing.code == 1
    assert "No webhook 'abcdef'" in missing.err
    for result in (no_event, unknown, bad_url, missing):
        assert "Traceback" not in result.err


def test_a_member_is_refused(cli: Cli, people: Callable[[str], Person]) -> None:
    priya = people("Priya Shah")
    refused = priya("webhooks")
    assert refused.code == 1
    assert "does not let you list the webhooks" in refused.err


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://alex:s3cr3t-pass@hooks.example.com/in", "user name and password"),
        ("https://:s3cr3t-pass@hooks.example.com/in", "user name and password"),
        ("http://hooks.example.com/in?key=s3cr3t-pass", "https://"),
        ("HTTP://hooks.example.com/in?key=s3cr3t-pass", "https://"),
    ],
)
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_url_with_credentials_or_plain_http_is_refused_and_never_echoed(  # noqa: PLR0917
    cli: Cli,
    clockify: FakeClockify,
    people: Callable[[str], Person],
    url: str,
    says: str,
    dry_run: bool,
) -> None:
    """Events (descriptions, names) and the signing token would cross the internet in the
    clear over http; a password in the URL would be kept and shown in every listing."""
    alex = people("Alex Morgan")
    asked = len(clockify.exchanges)
    result = alex("webhooks", "add", url, "--event", "new-tag", *(["--dry-run"] * dry_run))
    assert result.code == 1, result.out
    assert says in result.err
    assert "s3cr3t" not in result.out + result.err
    assert "Traceback" not in result.err
    assert not [e for e in clockify.exchanges[asked:] if e.method == "POST"]


def test_a_password_in_a_url_made_elsewhere_is_not_printed(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    """A webhook set up in Clockify's web app with ``user:password@`` in its URL is listed
    and confirmed without the password."""
    from tests.fakeclockify.webhooks import webhook_book

    alex = people("Alex Morgan")
    made = alex("webhooks", "add", URL, "--event", "new-tag", "--json").json()[0]
    book = webhook_book(clockify.state.workspaces[clockify.workspace_id])
    book.hooks[made["id"]].url = "https://alex:s3cr3t-pass@hooks.example.com/in"
    listed = alex("webhooks")
    assert listed.code == 0, listed.err
    assert "https://***@hooks.example.com/in" in listed.out
    asked = alex("webhooks", "delete", made["id"][-6:])
    assert asked.code == 1
    for result in (listed, asked):
        assert "s3cr3t" not in result.out + result.err


def test_json_shows_a_password_made_elsewhere_as_stars(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    """``--json`` lists and answers a webhook whose URL holds ``user:password@`` (set up in
    Clockify's web app) with ``***`` in their place, as the listing and the page do."""
    from tests.fakeclockify.webhooks import webhook_book

    alex = people("Alex Morgan")
    made = alex("webhooks", "add", URL, "--event", "new-tag", "--json").json()[0]
    book = webhook_book(clockify.state.workspaces[clockify.workspace_id])
    book.hooks[made["id"]].url = "https://alex:s3cr3t-pass@hooks.example.com/in"
    listed = alex("webhooks", "list", "--json")
    assert listed.code == 0, listed.err
    assert [h["url"] for h in listed.json()["webhooks"]] == ["https://***@hooks.example.com/in"]
    rotated = alex("webhooks", "rotate-token", made["id"][-6:], "--json")
    assert rotated.code == 0, rotated.err
    assert rotated.json()["url"] == "https://***@hooks.example.com/in"
    for result in (listed, rotated):
        assert "s3cr3t" not in result.out + result.err
