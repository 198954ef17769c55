"""``tracker admin users`` and ``tracker admin groups`` against the test server, as several
people with their own stores and keys: an admin filters and changes people, the person
changed sees it in their week and in reports, a member is refused in one sentence, offline
reads show when they were fetched, a Free workspace cannot invite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify
from tests.fakeclockify.seeds import TEAM_GROUP
from tests.unit.cli.conftest import Cli, People, Result, people_of
from tracker.store import Store


def names(result: Result) -> list[str]:
    assert result.code == 0, result.err
    return sorted(p["name"] for p in result.json()["people"])


def test_an_admin_filters_people_by_role_project_email_status_and_group(
    clockify: FakeClockify, people: People
) -> None:
    ws = clockify.workspace_id
    priya_id = next(u.user_id for u in clockify.users if u.name == "Priya Shah")
    with clockify.state.lock:
        data = clockify.state.workspaces[ws]
        mobile = next(p for p in data.projects.values() if p.name == "Mobile App")
        mobile.public = False
        mobile.member_ids = [data.workspace.owner_id, priya_id]
    jordan = people("Jordan Lee")
    everyone = jordan("admin", "users", "--json")
    assert names(everyone) == [
        "Alex Morgan",
        "Chen Wei",
        "Jordan Lee",
        "Priya Shah",
        "Sam Rivera",
    ]
    priya = next(p for p in everyone.json()["people"] if p["name"] == "Priya Shah")
    assert priya["hourly_rate_cents"] == 7000
    assert priya["groups"] == [TEAM_GROUP, "Product team"]
    assert priya["capacity_seconds"] == 8 * 3600
    assert names(jordan("admin", "users", "--role", "admin", "--json")) == [
        "Alex Morgan",
        "Jordan Lee",
    ]
    managers = jordan("admin", "users", "--role", "manager", "--json")
    assert names(managers) == ["Sam Rivera"]
    assert managers.json()["filtered"] == "clockify"
    assert names(jordan("admin", "users", "--role", "member", "--json")) == [
        "Chen Wei",
        "Priya Shah",
    ]
    assert names(jordan("admin", "users", "--project", "mobile app", "--json")) == [
        "Alex Morgan",
        "Priya Shah",
    ]
    assert names(jordan("admin", "users", "--email", "chen.", "--json")) == ["Chen Wei"]
    assert names(jordan("admin", "users", "--group", "mobile", "--json")) == ["Priya Shah"]
    assert names(jordan("admin", "users", "--status", "inactive", "--json")) == []
    off = jordan("admin", "users", "set", "chen", "--status", "inactive", "--yes")
    assert off.code == 0, off.err
    assert "Chen Wei is inactive." in off.out
    assert names(jordan("admin", "users", "--status", "inactive", "--json")) == ["Chen Wei"]
    shown = jordan("admin", "users", "--role", "manager")
    assert shown.code == 0, shown.err
    assert "People as of" in shown.out
    assert "Sam Rivera" in shown.out
    assert "filtered by Clockify" in shown.out


def test_an_admin_sets_a_rate_and_capacity_and_the_person_sees_them(
    cli: Cli, clockify: FakeClockify, people: People
) -> None:
    jordan = people("Jordan Lee")
    today = cli.now.date()
    period = ["--from", str(today - timedelta(days=20)), "--to", str(today - timedelta(days=1))]
    report = ["report", *period, "--user", "Priya Shah", "--refresh", "--json"]
    before = jordan(*report)
    assert before.code == 0, before.err
    changed = jordan(
        "admin",
        "users",
        "set",
        "priya",
        "--hourly-rate",
        "140",
        "--capacity",
        "6",
        "--working-days",
        "mon,tue,wed,thu",
    )
    assert changed.code == 0, changed.err
    assert "Priya Shah's hourly rate is 140.00." in changed.out
    after = jordan(*report)
    assert after.code == 0, after.err
    assert after.json()["amount"] > before.json()["amount"]
    listed = jordan("admin", "users", "--email", "priya", "--json").json()["people"][0]
    assert listed["hourly_rate_cents"] == 14000
    assert listed["capacity_seconds"] == 6 * 3600
    assert listed["working_days"] == ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"]
    week = people("Priya Shah")("week", "--json")
    assert week.code == 0, week.err
    days = week.json()["days"]
    assert [d["capacity_seconds"] for d in days] == [6 * 3600] * 4 + [0] * 3


def test_a_member_is_refused_in_one_sentence_and_bad_input_sends_nothing(
    clockify: FakeClockify, people: People
) -> None:
    chen = people("Chen Wei")
    listed = chen("admin", "users", "--json")
    assert listed.code == 0, listed.err  # members may read who is in the workspace
    sent = len(clockify.exchanges)
    refused = chen("admin", "users", "set", "priya", "--hourly-rate", "1")
    assert refused.code == 1
    assert refused.err.count("\n") == 1
    assert "does not let you set Priya Shah's hourly rate" in refused.err
    assert "Traceback" not in refused.err
    assert [e.method for e in clockify.exchanges[sent:]] == ["PUT"]
    for bad, said in (
        (["--hourly-rate", "ten"], "not an amount"),
        (["--working-days", "mon,funday"], "not a day of the week"),
        (["--capacity", "30"], "at most 24 hours"),
        (["--role", "manager"], "--group"),
        (["--field", "nothing"], "NAME=VALUE"),
        ([], "Say what to change"),
    ):
        before = len(clockify.exchanges)
        wrong = chen("admin", "users", "set", "priya", *bad)
        assert wrong.code == 1
        assert said in wrong.err
        assert len(clockify.exchanges) == before
    nobody = chen("admin", "users", "set", "nobody", "--hourly-rate", "1")
    assert nobody.code == 1
    assert "No one in this workspace is called 'nobody'" in nobody.err


def test_offline_the_kept_team_is_shown_with_its_time(
    clockify: FakeClockify, people: People
) -> None:
    sam = people("Sam Rivera")
    first = sam("admin", "groups", "--json")
    assert first.code == 0, first.err
    mobile = next(g for g in first.json()["groups"] if g["name"] == TEAM_GROUP)
    assert mobile == {
        "id": mobile["id"],
        "name": TEAM_GROUP,
        "members": ["Priya Shah"],
        "managers": ["Sam Rivera"],
    }
    online = sam("admin", "users", "--project", "mobile app", "--json")
    assert names(online) == ["Alex Morgan", "Chen Wei", "Jordan Lee", "Priya Shah", "Sam Rivera"]
    clockify.stop()  # Clockify cannot be reached
    offline = sam("admin", "users", "--refresh", "--role", "manager")
    assert offline.code == 0, offline.err
    assert "Clockify cannot be reached; showing what was fetched at" in offline.err
    assert "filtered on the kept copy" in offline.out
    assert "Sam Rivera" in offline.out
    project = sam("admin", "users", "--refresh", "--project", "mobile app")
    assert project.code == 1
    assert "Who has access to a project is known only to Clockify" in project.err
    change = sam("admin", "groups", "add", "Night shift")
    assert change.code == 1
    assert "nothing was sent" in change.err


def test_groups_are_made_filled_and_deleted_after_asking(
    clockify: FakeClockify, people: People
) -> None:
    alex = people("Alex Morgan")
    made = alex("admin", "groups", "add", "Platform", "--json")
    assert made.code == 0, made.err
    assert made.json()["members"] == []
    joined = alex("admin", "groups", "add-member", "platform", "chen")
    assert joined.code == 0, joined.err
    assert "Chen Wei is now in Platform." in joined.out
    members = alex("admin", "groups", "members", "platform", "--json")
    assert members.json()["members"] == ["Chen Wei"]
    renamed = alex("admin", "groups", "rename", "platform", "Platform team")
    assert renamed.code == 0, renamed.err
    dry = alex("admin", "groups", "delete", "platform team", "--dry-run")
    assert dry.code == 0, dry.err
    assert "Would delete the group Platform team (1 person stays)" in dry.out
    unasked = alex("admin", "groups", "delete", "platform team")
    assert unasked.code == 1
    assert "--yes" in unasked.err
    gone = alex("admin", "groups", "delete", "platform team", "--yes")
    assert gone.code == 0, gone.err
    left = alex("admin", "groups", "--json").json()["groups"]
    assert [g["name"] for g in left] == [TEAM_GROUP, "Product team"]


def test_invitations_say_their_cost_and_a_free_workspace_cannot_invite(
    cli: Cli,
    clockify_factory: Callable[..., FakeClockify],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    people: People,
) -> None:
    alex = people("Alex Morgan")
    dry = alex("admin", "users", "add", "a@example.com", "b@example.com", "--dry-run")
    assert dry.code == 0, dry.err
    assert "Would invite 2 people to the workspace (3 requests)" in dry.out
    added = alex("admin", "users", "add", "a@example.com", "priya.shah@example.com", "--yes")
    assert added.code == 0, added.err
    assert "Invited a@example.com (pending until they accept)." in added.out
    assert "priya.shah@example.com is already in the workspace." in added.out
    pending = alex("admin", "users", "--status", "pending", "--json").json()["people"]
    assert [(p["email"], p["status"]) for p in pending] == [("a@example.com", "PENDING")]
    free = clockify_factory(seed="demo", plan="FREE")
    owner = people_of(cli, free, monkeypatch, tmp_path / "free")("Alex Morgan")
    before = len(free.exchanges)
    refused = owner("admin", "users", "add", "c@example.com", "--yes")
    assert refused.code == 1
    assert "paid plans only" in refused.err
    assert len(free.exchanges) == before


def test_a_member_or_manager_known_as_such_is_refused_without_a_request(
    clockify: FakeClockify, people: People, tmp_path: Path
) -> None:
    from tracker.services.abilities import ACCESS_KEY, ELEVATED

    for name, role in (("Chen Wei", "member"), ("Sam Rivera", ELEVATED)):
        person = people(name)
        assert person("admin", "users", "--json").code == 0  # reading is for everyone
        with Store(tmp_path / name.replace(" ", "-") / "tracker.sqlite3") as store:
            at = datetime.now(UTC).timestamp()
            known = {"role": role, "sees_team": role != "member", "admin": False, "at": at}
            store.meta.set(ACCESS_KEY + clockify.workspace_id, known)
        for argv in (
            ("users", "set", "priya", "--hourly-rate", "1"),
            ("users", "set", "priya", "--role", "admin"),
            ("users", "add", "someone.new@example.com", "--yes"),
            ("groups", "add", "Platform"),
            ("groups", "rename", TEAM_GROUP, "Mobile crew"),
            ("groups", "delete", TEAM_GROUP, "--yes"),
            ("groups", "add-member", TEAM_GROUP, "chen"),
        ):
            before = len(clockify.exchanges)
            refused = person("admin", *argv)
            assert refused.code == 1, (name, argv)
            assert refused.err.count("\n") == 1, refused.err
            assert "Only the workspace's owner and admins" in refused.err, refused.err
            assert len(clockify.exchanges) == before, (name, argv)  # nothing asked


def test_a_ten_kilobyte_name_with_newlines_and_escapes_is_one_short_plain_line(
    clockify: FakeClockify, people: People
) -> None:
    chen_id = next(u.user_id for u in clockify.users if u.name == "Chen Wei")
    hostile = "Chen\n\u202eWei\x1b[2J " + "x" * 10_000
    with clockify.state.lock:
        clockify.state.users[chen_id].name = hostile
    listed = people("Alex Morgan")("admin", "users", "--refresh")
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert len(lines) == 2 + 5  # the "as of" line, the headers, five people
    assert max(len(line) for line in lines) < 400  # not every row padded to 10 KB
    chen = next(line for line in lines if line.startswith("Chen"))
    assert "\x1b" not in chen
    assert "\u202e" not in chen
    assert "…" in chen
    whole = people("Alex Morgan")("admin", "users", "--json")
    assert any(p["name"].endswith("x" * 10_000) for p in whole.json()["people"])  # JSON: all
