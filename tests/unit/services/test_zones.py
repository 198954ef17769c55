"""The system's zone comes from tzlocal: TZ in its accepted forms, a POSIX rule that has no
name falls back to the C library's local time, and a changed TZ is seen at once."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest
import tzlocal

from tracker.domain.timeutil import LOCAL_TIME, day_bounds
from tracker.services.zones import REREAD_AFTER, system_zone

needs_tzset = pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset is Unix-only")


@pytest.fixture
def tz_variable(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set ``TZ`` for the C library too; the original comes back afterwards."""
    yield monkeypatch
    monkeypatch.undo()
    if hasattr(time, "tzset"):
        time.tzset()


def key(tz: object) -> str | None:
    """A ZoneInfo's name (one read from a file is not the cached instance ``==`` wants)."""
    return getattr(tz, "key", None)


def use(tz_variable: pytest.MonkeyPatch, value: str) -> None:
    tz_variable.setenv("TZ", value)
    if hasattr(time, "tzset"):
        time.tzset()


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("Europe/Paris", "Europe/Paris"),
        (":Europe/Paris", "Europe/Paris"),
        ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
    ],
)
def test_tz_names_the_zone(tz_variable: pytest.MonkeyPatch, value: str, name: str) -> None:
    if value.startswith("/") and not os.path.exists(value):
        pytest.skip(f"no {value} on this system")
    use(tz_variable, value)
    assert key(system_zone()) == name


@needs_tzset
def test_a_rule_without_a_name_is_the_c_library_local_time(
    tz_variable: pytest.MonkeyPatch,
) -> None:
    use(tz_variable, "CET-1CEST,M3.5.0,M10.5.0/3")  # Berlin's rules, no zone name
    tz = system_zone()
    assert tz is LOCAL_TIME
    berlin = ZoneInfo("Europe/Berlin")
    assert day_bounds(date(2026, 3, 29), tz) == day_bounds(date(2026, 3, 29), berlin)


def test_a_changed_tz_is_seen_at_once_and_a_reading_is_reused(
    tz_variable: pytest.MonkeyPatch,
) -> None:
    use(tz_variable, "Asia/Tokyo")
    first = system_zone()
    assert key(first) == "Asia/Tokyo"
    assert system_zone() is first  # no second read within REREAD_AFTER
    use(tz_variable, "America/New_York")
    assert key(system_zone()) == "America/New_York"


def test_a_reading_expires(tz_variable: pytest.MonkeyPatch) -> None:
    use(tz_variable, "Asia/Tokyo")
    system_zone()
    calls: list[bool] = []
    real = tzlocal.reload_localzone

    def counted() -> tzinfo:
        calls.append(True)
        return real()

    tz_variable.setattr(tzlocal, "reload_localzone", counted)
    assert key(system_zone()) == "Asia/Tokyo"
    assert calls == []  # still fresh
    later = time.monotonic() + REREAD_AFTER + 1
    assert key(system_zone(monotonic=lambda: later)) == "Asia/Tokyo"
    assert calls == [True]


def test_the_profile_zone_wins_over_the_system_zone(tz_variable: pytest.MonkeyPatch) -> None:
    from tracker.domain.timeutil import zone

    use(tz_variable, "Asia/Tokyo")
    assert zone("Europe/Berlin", system_zone()) == ZoneInfo("Europe/Berlin")
    assert key(zone(None, system_zone())) == "Asia/Tokyo"
    assert datetime(2026, 3, 2, tzinfo=UTC).astimezone(system_zone()).hour == 9
