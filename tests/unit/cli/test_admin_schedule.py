"""``tracker admin schedule`` against the test server, as people with their own stores and
keys: an admin books Priya, sees her week against capacity, copies and publishes; Priya is
refused the changes in one sentence and sees her published week; offline reads say "as of";
a Free workspace is told without a request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify
from tests.unit.cli.conftest import Cli, Person, people_of
from tracker.services.abilities import ACCESS_KEY
from tracker.store import Store


def next_monday(cli: Cli) -> datetime:
    today = cli.now.astimezone(UTC)
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


def requests_to(server: FakeClockify, part: str) -> int:
    return sum(1 for e in server.exchanges if part in e.path)


def test_an_admin_books_priya_sees_her_week_copies_and_publishes(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    jordan, priya = people("Jordan Lee"), people("Priya Shah")
    monday = next_monday(cli).date()
    friday = monday + timedelta(days=4)
    booked = jordan(
        "admin", "schedule", "add", "Priya", "Website", str(monday), str(friday),
        "--hours", "4", "--weeks", "2", "--note", "launch", "--json",
    )  # fmt: skip
    assert booked.code == 0, booked.err
    made = booked.json()["assignments"]
    assert [a["first"] for a in made] == [str(monday), str(monday + timedelta(days=7))]
    assert {a["user"] for a in made} == {"Priya Shah"}

    week = jordan("admin", "schedule", "next", "--user", "Priya", "--json")
    assert week.code == 0, week.err
    (her,) = week.json()["people"]
    assert (her["scheduled_hours"], her["capacity_hours"], her["over_booked"]) == (20, 40, False)
    assert her["unpublished_hours"] == 20
    assert [d["scheduled_hours"] for d in her["days"]] == [4, 4, 4, 4, 4, 0, 0]
    shown = jordan("admin", "schedule", "next", "--user", "Priya")
    assert "Priya Shah" in shown.out
    assert "4/8" in shown.out
    assert "20/40" in shown.out
    assert f"#{made[0]['short_id']}" in shown.out
    assert "not published yet" in shown.out

    more = jordan(
        "admin", "schedule", "add", "Priya", "Mobile App", str(monday), str(monday),
        "--hours", "5",
    )  # fmt: skip
    assert more.code == 0, more.err
    busy = jordan("admin", "schedule", "next", "--user", "Priya")
    assert "9/8!" in busy.out
    assert "Over-booked: Priya Shah (Mon" in busy.out

    copied = jordan("admin", "schedule", "copy", made[0]["short_id"], "--user", "Chen", "--json")
    assert copied.code == 0, copied.err
    assert [a["user"] for a in copied.json()["assignments"]] == ["Chen Wei"]

    assert jordan("admin", "schedule", "publish", "next").code == 1  # a script must say --yes
    published = jordan("admin", "schedule", "publish", "next", "--yes")
    assert published.code == 0, published.err
    mine = priya("admin", "schedule", "next", "--json")
    assert mine.code == 0, mine.err
    assert [p["name"] for p in mine.json()["people"]] == ["Priya Shah"]
    assert {a["project"] for a in mine.json()["assignments"]} == {"Website Redesign", "Mobile App"}


def test_priya_is_refused_the_changes_in_one_sentence(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person], tmp_path: Path
) -> None:
    priya = people("Priya Shah")
    monday = next_monday(cli).date()
    refused = priya(
        "admin", "schedule", "add", "Priya", "Website", str(monday), str(monday), "--hours", "2"
    )
    assert refused.code == 1
    assert "does not let you schedule this" in refused.err
    assert refused.err.count("\n") == 1
    assert "Traceback" not in refused.err

    with Store(tmp_path / "Priya-Shah" / "tracker.sqlite3") as store:
        store.meta.set(
            ACCESS_KEY + clockify.workspace_id,
            {"role": "member", "sees_team": False, "at": cli.now.timestamp()},
        )
    sent = len(clockify.exchanges)
    for argv in (
        ("delete", "abc123", "--yes"),
        ("publish", "--yes"),
        ("copy", "x", "--to", "next"),
    ):
        again = priya("admin", "schedule", *argv)
        assert again.code == 1
        assert "Only the workspace's owner, admins and managers" in again.err
        assert again.err.count("\n") == 1
    assert len(clockify.exchanges) == sent  # known to be a member: no request


def test_offline_the_kept_week_is_shown_with_its_time(
    cli: Cli,
    clockify: FakeClockify,
    people: Callable[[str], Person],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alex = people("Alex Morgan")
    first = alex("admin", "schedule", "--json")
    assert first.code == 0, first.err
    assert "Chen Wei" in {p["name"] for p in first.json()["people"]}
    monkeypatch.setenv("TRACKER_API_URL", "http://127.0.0.1:9")  # nothing listens there
    cli.advance(minutes=30)
    offline = alex("admin", "schedule")
    assert offline.code == 0, offline.err
    assert "showing what was read at" in offline.err
    assert "Chen Wei" in offline.out
    assert "as of" in offline.out


def test_a_free_workspace_is_told_without_a_request(
    cli: Cli,
    clockify_factory: Callable[..., FakeClockify],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    server = clockify_factory(seed="demo", plan="FREE")
    alex = people_of(cli, server, monkeypatch, tmp_path)("Alex Morgan")
    sent = requests_to(server, "/scheduling/")
    for argv in (
        (),
        ("publish", "--yes"),
        ("add", "Chen", "Website", "mon", "fri", "--hours", "2"),
    ):
        told = alex("admin", "schedule", *argv)
        assert told.code == 1
        assert "plan has no Scheduling" in told.err
    assert requests_to(server, "/scheduling/") == sent == 0


def test_dry_run_and_bad_input_send_nothing(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people("Alex Morgan")
    monday = str(next_monday(cli).date())
    dry = alex(
        "admin", "schedule", "add", "Chen", "Website", monday, monday, "--hours", "3", "--dry-run"
    )
    assert dry.code == 0, dry.err
    assert "Would book Chen on Website Redesign 3 h a day" in dry.out
    for argv, said in (
        (("add", "Chen", "Website", monday, monday), "--hours 4"),
        (("add", "Chen", "Website", monday, monday, "--hours", "30"), "at most 24"),
        (("add", "Chen", "Website", monday), "add USER PROJECT FROM TO"),
        (("edit", "nothing"), "No assignment"),
        (("next", "last"), "Give one week"),
    ):
        bad = alex("admin", "schedule", *argv)
        assert bad.code in (1, 2), bad.err
        assert said in bad.err
        assert "Traceback" not in bad.err
    assert requests_to(clockify, "/recurring") == 0


def test_edit_and_delete_reach_this_one_or_the_whole_series(
    cli: Cli, clockify: FakeClockify, people: Callable[[str], Person]
) -> None:
    alex = people("Alex Morgan")
    monday = next_monday(cli).date()
    booked = alex(
        "admin", "schedule", "add", "Chen", "Website", str(monday), str(monday + timedelta(days=2)),
        "--hours", "3", "--weeks", "3", "--json",
    )  # fmt: skip
    assert booked.code == 0, booked.err
    second = booked.json()["assignments"][1]
    moved = alex(
        "admin", "schedule", "edit", second["short_id"], "--hours", "2", "--series", "following",
        "--json",
    )  # fmt: skip
    assert moved.code == 0, moved.err
    assert sorted(a["first"] for a in moved.json()["assignments"]) == [
        str(monday + timedelta(days=7)),
        str(monday + timedelta(days=14)),
    ]
    assert {a["hours_per_day"] for a in moved.json()["assignments"]} == {2}
    asked = alex("admin", "schedule", "delete", second["short_id"], "--series", "all")
    assert asked.code == 1
    assert "run again with --yes" in asked.err
    gone = alex("admin", "schedule", "delete", second["short_id"], "--series", "all", "--yes")
    assert gone.code == 0, gone.err
    assert "Deleted 3 assignments" in gone.out
    left = alex(
        "admin", "schedule", "next", "--weeks", "3", "--user", "Chen", "--refresh", "--json"
    )
    assert left.json()["people"][0]["scheduled_hours"] == 0
