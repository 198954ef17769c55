"""Seed data, bulk data, wire formats and the ``python -m tests.fakeclockify`` process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.fakeclockify import FakeClockify
from tests.fakeclockify.wire import format_duration, parse_instant, parse_wall_clock

from .conftest import ManualClock, client_for, http_client

REPO = Path(__file__).resolve().parents[3]
BERLIN = ZoneInfo("Europe/Berlin")


def test_demo_seed_content(clock: ManualClock) -> None:
    server = FakeClockify("demo", clock=clock)
    state, ws = server.state, server.workspace_id
    assert server.second_workspace_id is not None
    assert len(state.clients(ws)) == 3
    projects = state.projects(ws)
    assert len(projects) == 8
    assert sum(p["archived"] for p in projects) == 1
    assert sum(p["clientId"] == "" for p in projects) == 1
    assert any(p["hourlyRate"] is None for p in projects)
    tasks = state.tasks(ws)
    assert tasks
    assert [t["status"] for t in tasks].count("DONE") == 1
    tags = state.tags(ws)
    assert len(tags) == 6
    assert sum(t["archived"] for t in tags) == 1
    assert len(state.custom_fields(ws)) == 1
    assert len(state.projects(server.second_workspace_id)) < len(projects)

    entries = state.time_entries(ws, server.user_id)  # Alex's own three weeks
    today = datetime.fromtimestamp(clock.now, BERLIN).date()
    days = {
        datetime.fromisoformat(e["timeInterval"]["start"]).astimezone(BERLIN).date()
        for e in entries
    }
    last_working_day = next(
        today - timedelta(days=back)
        for back in range(1, 8)
        if (today - timedelta(days=back)).weekday() < 5
    )
    assert max(days) == last_working_day  # "ending yesterday", weekends skipped
    assert min(days) >= today - timedelta(days=21)
    assert all(day.weekday() < 5 for day in days)
    assert len(days) >= 14
    assert all(e["timeInterval"]["end"] for e in entries)  # nothing running
    assert {type(e["tagIds"]) for e in entries} == {type(None), list}
    assert any(e["tagIds"] == [] for e in entries)
    assert any(e["taskId"] for e in entries)
    assert any(e["customFieldValues"][0]["value"] for e in entries)


def test_demo_seed_is_deterministic_for_a_day(clock: ManualClock) -> None:
    def shape(server: FakeClockify) -> list[tuple[str, str, str, str | None]]:
        """Everyone's entries: Alex's three weeks and the team's months."""
        names = {u.user_id: u.name for u in server.users}
        return sorted(
            (
                names[e["userId"]],
                e["description"],
                e["timeInterval"]["start"],
                e["timeInterval"]["duration"],
            )
            for e in server.state.time_entries(server.workspace_id)
        )

    first = shape(FakeClockify("demo", clock=clock))
    clock.advance(60)
    assert shape(FakeClockify("demo", clock=clock)) == first
    clock.advance(86_400 * 3)
    assert shape(FakeClockify("demo", clock=clock)) != first


def test_empty_seed() -> None:
    server = FakeClockify("empty")
    assert server.second_workspace_id is None
    assert list(server.state.workspaces) == [server.workspace_id]
    ws = server.workspace_id
    assert server.state.time_entries(ws) == []
    assert server.state.projects(ws) == server.state.tags(ws) == server.state.clients(ws) == []
    with pytest.raises(ValueError, match="unknown seed"):
        FakeClockify("huge")


def test_large_seed_builds_fast_and_pages_fast() -> None:
    started = time.monotonic()
    server = FakeClockify(
        "demo", large_projects=5000, large_tasks_per_project=4, large_entries=50_000
    )
    assert time.monotonic() - started < 5.0
    data = server.state.workspaces[server.workspace_id]
    assert len(data.projects) == 5008
    assert len(data.tasks) >= 20_000
    assert len(data.entries) >= 50_000
    with server, client_for(server) as api:
        path = f"/v1/workspaces/{server.workspace_id}/user/{server.user_id}/time-entries"
        started = time.monotonic()
        deep = api.get(path, params={"page": 900, "page-size": 50})
        first = api.get(path, params={"page-size": 50})
        assert time.monotonic() - started < 1.0
        assert len(deep.json()) == 50
        assert deep.headers["last-page"] == "false"
        newest = [e["timeInterval"]["start"] for e in first.json()]
        assert newest == sorted(newest, reverse=True)
        projects = api.get(
            f"/v1/workspaces/{server.workspace_id}/projects", params={"page": 102, "page-size": 50}
        )
        assert projects.json() == []
        assert projects.headers["last-page"] == "true"


def test_wire_formats() -> None:
    assert format_duration(0) == "PT0S"
    assert format_duration(10440) == "PT2H54M"
    assert format_duration(561 * 3600 + 13 * 60 + 28) == "PT561H13M28S"  # no day part
    assert format_duration(16) == "PT16S"
    assert parse_instant("2026-05-20T14:00:00Z") == parse_instant("2026-05-20T14:00:00.123Z")
    assert parse_instant("2026-05-20T16:00:00+02:00") == parse_instant("2026-05-20T14:00:00Z")
    midnight = parse_wall_clock("2026-07-01T00:00:00Z", BERLIN)
    assert midnight == parse_instant("2026-06-30T22:00:00Z")  # CEST, UTC+2
    with pytest.raises(ValueError, match="not a date-time"):
        parse_instant("yesterday")


def _start_process(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.fakeclockify", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_announces_serves_and_exits_cleanly(signum: int) -> None:
    process = _start_process(
        "--seed",
        "empty",
        "--plan",
        "FREE",
        "--port",
        "0",
        "--rate-limit-per-hour",
        "100",
        "--fault",
        "status:status=503,times=1,path=/v1/user$",
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        announced = json.loads(line)
        assert set(announced) == {
            "base_url",
            "reports_url",
            "audit_url",
            "api_key",
            "plan",
            "users",
        }
        assert announced["base_url"].endswith("/api")
        assert announced["audit_url"] == announced["base_url"].removesuffix("/api") + "/audit"
        assert announced["plan"] == "FREE"
        assert announced["users"] == [
            {
                "role": "OWNER",
                "name": "Test User",
                "user_id": announced["users"][0]["user_id"],
                "api_key": announced["api_key"],
            }
        ]
        headers = {"X-Api-Key": announced["api_key"]}
        with http_client(base_url=announced["base_url"], headers=headers) as api:
            assert api.get("/v1/user").status_code == 503
            assert api.get("/v1/user").status_code == 200
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert stdout == ""  # exactly one line was printed, and it was read above
    assert "serving on" in stderr


def test_cli_rejects_a_bad_fault() -> None:
    process = _start_process("--fault", "explode")
    _stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 2
    assert "unknown fault kind" in stderr
