"""The administration services' shared ground: kept copies with their age, a change shown
at once and read back next, and Clockify's failures as one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.clock import FakeClock
from tracker.api import (
    ApiConnectionError,
    ApiStatusError,
    BadRequestError,
    ClockifyClient,
    ForbiddenError,
    NotFoundError,
)
from tracker.services.admin_base import (
    FRESH_SECONDS,
    AdminError,
    AdminOffline,
    AdminUnclear,
    ServerFirst,
    speaking,
)
from tracker.services.context import Context
from tracker.store import Store


class Team(ServerFirst):
    area = "team"


def _service(tmp_path: Path, clock: FakeClock, *, online: bool) -> Team:
    store = Store(tmp_path / "s.sqlite3")
    store.meta.set_workspace_id("w1")
    api = ClockifyClient("k" * 48) if online else None
    return Team(Context(store, clock), api)


def test_a_kept_copy_is_reused_while_fresh_and_always_offline(tmp_path: Path) -> None:
    clock = FakeClock.starting_now()
    team = _service(tmp_path, clock, online=True)
    assert team.reuse() is None
    kept = team.keep({"people": [{"name": "Priya"}]})
    assert team.key() == "admin:team:w1"
    reused = team.reuse()
    assert reused is not None
    assert reused.value == kept.value
    assert reused.as_of == kept.as_of
    assert team.reuse(refresh=True) is None
    clock.advance(seconds=FRESH_SECONDS + 1)
    assert team.reuse() is None
    offline = Team(team.context)
    assert offline.reuse() is not None  # however old, without a client


def test_a_change_made_here_shows_at_once_and_is_read_back_next(tmp_path: Path) -> None:
    clock = FakeClock.starting_now()
    team = _service(tmp_path, clock, online=True)
    team.keep({"people": [{"name": "Priya", "rate": 10}]})
    team.amend(lambda data: data["people"][0].update(rate=20))
    kept = team.kept()
    assert kept is not None
    assert kept.stale
    assert kept.value["people"][0]["rate"] == 20
    assert team.reuse() is None  # stale: the next read asks
    assert Team(team.context).reuse() is not None  # offline it is still shown


def test_without_a_client_a_change_says_nothing_was_sent(tmp_path: Path) -> None:
    team = _service(tmp_path, FakeClock.starting_now(), online=False)
    with pytest.raises(AdminOffline, match="nothing was sent"):
        _ = team.api


def _status(kind: type[ApiStatusError], status: int, said: str) -> ApiStatusError:
    return kind(
        f"Clockify answered {status}",
        status=status,
        code=None,
        server_message=said,
        method="PUT",
        path="/v1/workspaces/w1/users/u1/hourly-rate",
    )


def test_failures_are_one_sentence_each() -> None:
    refusal = pytest.raises(AdminError, match="does not let you set a rate")
    with refusal as refused, speaking("set a rate", change=True):
        raise _status(ForbiddenError, 403, "Forbidden")
    assert not isinstance(refused.value, AdminOffline)
    with pytest.raises(AdminError, match="no longer exists"), speaking("rename the group"):
        raise _status(NotFoundError, 404, "Not found")
    refusal = pytest.raises(AdminError, match=r"refused to add a user: Bad name[.]$")
    with refusal, speaking("add a user", change=True):
        raise _status(BadRequestError, 400, "Bad\nname.")
    with pytest.raises(AdminUnclear, match="read back"), speaking("set a rate", change=True):
        raise ApiConnectionError("dropped", maybe_committed=True)
    offline = pytest.raises(AdminOffline, match="nothing was sent")
    with offline, speaking("set a rate", change=True):
        raise ApiConnectionError("refused", maybe_committed=False)
