"""Local days and typed times: DST days, midnight crossings, zones other than the system's."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.timeutil import (
    LOCAL_TIME,
    TimeOutOfRange,
    TimeParseError,
    day_bounds,
    format_local,
    local_day,
    parse_day,
    parse_when,
    split_by_day,
    to_clockify_filter,
    week_bounds,
    zone,
    zone_named,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
H = timedelta(hours=1)

# 2026: Europe springs forward on 29 March and falls back on 25 October (at 01:00 UTC);
# the US on 8 March and 1 November (at 02:00 local).
EU_SPRING, EU_FALL = date(2026, 3, 29), date(2026, 10, 25)
US_SPRING, US_FALL = date(2026, 3, 8), date(2026, 11, 1)

# Zones with odd rules: 30-minute DST (Lord Howe), a skipped day (Apia, 2011-12-30), negative
# DST (Dublin), DST at midnight (Santiago, Havana), Ramadan DST (Casablanca), +5:45, +13:45.
ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "Europe/Dublin",
    "America/Santiago",
    "America/Havana",
    "Africa/Casablanca",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "America/St_Johns",
]


def utc(  # noqa: PLR0917 - mirrors datetime()
    y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0
) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC)


def local(  # noqa: PLR0917 - mirrors datetime()
    tz: ZoneInfo, y: int, mo: int, d: int, h: int = 0, mi: int = 0, fold: int = 0
) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=tz, fold=fold)


# --- day_bounds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (BERLIN, EU_SPRING, 23),
        (BERLIN, EU_FALL, 25),
        (BERLIN, date(2026, 3, 28), 24),
        (NEW_YORK, US_SPRING, 23),
        (NEW_YORK, US_FALL, 25),
        (NEW_YORK, EU_SPRING, 24),
    ],
)
def test_day_length_follows_dst(tz: ZoneInfo, day: date, hours: int) -> None:
    start, end = day_bounds(day, tz)
    assert end - start == timedelta(hours=hours)
    assert start.tzinfo is UTC
    assert end.tzinfo is UTC
    assert start.astimezone(tz).replace(tzinfo=None) == datetime(day.year, day.month, day.day)


def test_day_bounds_are_the_utc_instants_of_local_midnight() -> None:
    assert day_bounds(EU_SPRING, BERLIN) == (utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))
    assert day_bounds(US_FALL, NEW_YORK) == (utc(2026, 11, 1, 4), utc(2026, 11, 2, 5))


def test_a_skipped_midnight_starts_the_day_at_the_change() -> None:
    # Havana springs forward at midnight: 00:00 on 8 March 2026 does not exist.
    havana = ZoneInfo("America/Havana")
    start, end = day_bounds(date(2026, 3, 8), havana)
    assert start.astimezone(havana).hour == 1
    assert end - start == 23 * H


def test_a_skipped_day_has_no_length() -> None:
    apia = ZoneInfo("Pacific/Apia")  # 30 December 2011 never happened in Samoa
    start, end = day_bounds(date(2011, 12, 30), apia)
    assert start == end
    entry = (local(apia, 2011, 12, 29, 23), local(apia, 2011, 12, 31, 1))
    assert split_by_day(*entry, apia) == [(date(2011, 12, 29), H), (date(2011, 12, 31), H)]


# --- split_by_day ------------------------------------------------------------------------------


def test_an_entry_across_midnight_counts_toward_both_days() -> None:
    start = local(BERLIN, 2026, 3, 10, 23)
    end = local(BERLIN, 2026, 3, 11, 1)
    assert split_by_day(start, end, BERLIN) == [(date(2026, 3, 10), H), (date(2026, 3, 11), H)]


@pytest.mark.parametrize(
    ("tz", "start", "end", "expected"),
    [
        # 23:00 -> 03:00 local, but 02:00-03:00 never happened: 3 real hours.
        (
            BERLIN,
            local(BERLIN, 2026, 3, 28, 23),
            local(BERLIN, 2026, 3, 29, 3),
            [(date(2026, 3, 28), H), (EU_SPRING, 2 * H)],
        ),
        # 23:00 -> 03:00 local with 02:00-03:00 twice: 5 real hours.
        (
            BERLIN,
            local(BERLIN, 2026, 10, 24, 23),
            local(BERLIN, 2026, 10, 25, 3),
            [(date(2026, 10, 24), H), (EU_FALL, 4 * H)],
        ),
        (
            NEW_YORK,
            local(NEW_YORK, 2026, 3, 7, 23),
            local(NEW_YORK, 2026, 3, 8, 4),
            [(date(2026, 3, 7), H), (US_SPRING, 3 * H)],
        ),
        (
            NEW_YORK,
            local(NEW_YORK, 2026, 10, 31, 23),
            local(NEW_YORK, 2026, 11, 1, 1, 30, fold=1),  # the second 01:30
            [(date(2026, 10, 31), H), (US_FALL, 2.5 * H)],
        ),
    ],
)
def test_midnight_and_dst_in_one_entry(
    tz: ZoneInfo, start: datetime, end: datetime, expected: list[tuple[date, timedelta]]
) -> None:
    parts = split_by_day(start, end, tz)
    assert parts == expected
    assert sum((part for _, part in parts), timedelta()) == end.astimezone(UTC) - start.astimezone(
        UTC
    )


@pytest.mark.parametrize(
    ("tz", "day"), [(BERLIN, EU_SPRING), (BERLIN, EU_FALL), (NEW_YORK, US_FALL)]
)
def test_a_whole_dst_day_is_one_part_of_its_real_length(tz: ZoneInfo, day: date) -> None:
    start, end = day_bounds(day, tz)
    assert split_by_day(start, end, tz) == [(day, end - start)]
    before, after = start - H, end + H
    assert split_by_day(before, after, tz) == [
        (day - timedelta(days=1), H),
        (day, end - start),
        (day + timedelta(days=1), H),
    ]


def test_split_of_a_long_entry_sums_exactly() -> None:
    start = utc(2026, 3, 27, 8, 0, 0, 1)
    end = utc(2026, 4, 2, 17, 59, 59, 999999)
    parts = split_by_day(start, end, BERLIN)
    assert [day for day, _ in parts] == [date(2026, 3, d) for d in range(27, 32)] + [
        date(2026, 4, 1),
        date(2026, 4, 2),
    ]
    assert sum((part for _, part in parts), timedelta()) == end - start


def test_split_edge_cases() -> None:
    at = utc(2026, 5, 1, 12)
    assert split_by_day(at, at, BERLIN) == []
    midnight = day_bounds(date(2026, 5, 2), BERLIN)[0]
    assert split_by_day(at, midnight, BERLIN) == [(date(2026, 5, 1), midnight - at)]
    with pytest.raises(ValueError, match="ends before"):
        split_by_day(at, at - H, BERLIN)
    with pytest.raises(ValueError, match="aware"):
        split_by_day(datetime(2026, 5, 1), at, BERLIN)


# --- other zones than the system's -------------------------------------------------------------


def test_a_zone_other_than_the_system_zone_decides_the_day() -> None:
    system = ZoneInfo("UTC")
    assert zone(None, system) is system
    auckland = zone("Pacific/Auckland", system)
    assert auckland == ZoneInfo("Pacific/Auckland")
    instant = utc(2026, 3, 29, 20)
    assert local_day(instant, zone(None, system)) == date(2026, 3, 29)
    assert local_day(instant, auckland) == date(2026, 3, 30)
    assert local_day(instant, zone("America/Los_Angeles", system)) == date(2026, 3, 29)
    kathmandu = zone("Asia/Kathmandu", system)
    assert day_bounds(date(2026, 3, 29), kathmandu)[0] == datetime(2026, 3, 28, 18, 15, tzinfo=UTC)
    assert format_local(instant, kathmandu, with_date=True) == "2026-03-30 01:45"


def test_the_system_zone_is_not_assumed() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    assert zone(None, tokyo) == tokyo
    assert day_bounds(EU_SPRING, zone("Europe/Berlin", tokyo))[0] == utc(2026, 3, 28, 23)


def test_zone_falls_back_to_the_system_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    assert zone("Mars/Olympus_Mons", tokyo) == tokyo
    assert zone("", tokyo) == tokyo
    assert zone("Europe", tokyo) == tokyo  # a folder, not a zone
    assert zone(" Europe/Berlin ", tokyo) == BERLIN
    assert zone_named("../../etc/passwd") is None
    assert zone_named("Mars/Olympus_Mons") is None


@contextmanager
def c_library_zone(rule: str) -> Iterator[None]:
    """Point the C library at a POSIX TZ rule that has no zoneinfo name."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = rule
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


needs_tzset = pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset is Unix-only")
CET_RULE = "CET-1CEST,M3.5.0,M10.5.0/3"  # Berlin's current rules


@needs_tzset
def test_a_system_zone_without_a_name_still_follows_dst() -> None:
    with c_library_zone(CET_RULE):
        tz = LOCAL_TIME
        assert not isinstance(tz, ZoneInfo)
        assert day_bounds(EU_SPRING, tz) == day_bounds(EU_SPRING, BERLIN)
        assert day_bounds(EU_FALL, tz) == day_bounds(EU_FALL, BERLIN)
        now = utc(2026, 3, 29, 12)
        assert parse_when("2:30", now=now, tz=tz) == utc(2026, 3, 29, 1, 30)
        now = utc(2026, 10, 25, 12)
        assert parse_when("2:30", now=now, tz=tz) == utc(2026, 10, 25, 0, 30)
        second = utc(2026, 10, 25, 1, 30).astimezone(tz)  # 02:30 for the second time
        assert (second.hour, second.minute, second.fold) == (2, 30, 1)
        assert second.astimezone(UTC) == utc(2026, 10, 25, 1, 30)
        first = utc(2026, 10, 25, 0, 30).astimezone(tz)
        assert (first.hour, first.minute, first.fold) == (2, 30, 0)
        assert utc(2026, 1, 5).astimezone(tz).tzname() == "CET"
        assert utc(2026, 7, 5).astimezone(tz).tzname() == "CEST"


@needs_tzset
@pytest.mark.parametrize("rule", ["UTC+99", "UTC-25", "UTC+24"])
def test_a_c_library_offset_of_a_day_or_more_is_read_as_utc(rule: str) -> None:
    with c_library_zone(rule):
        tz = LOCAL_TIME
        assert day_bounds(date(2026, 3, 2), tz) == (utc(2026, 3, 2), utc(2026, 3, 3))
        assert parse_when("9:00", now=utc(2026, 3, 2, 12), tz=tz) == utc(2026, 3, 2, 9)


@needs_tzset
@given(
    instant=st.datetimes(datetime(2000, 1, 1), datetime(2037, 12, 31), timezones=st.just(UTC)),
    fold=st.sampled_from([0, 1]),
)
def test_the_c_library_zone_agrees_with_zoneinfo(instant: datetime, fold: int) -> None:
    with c_library_zone(CET_RULE):
        tz = LOCAL_TIME
        ours, theirs = instant.astimezone(tz), instant.astimezone(BERLIN)
        assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None)
        assert ours.fold == theirs.fold
        assert ours.utcoffset() == theirs.utcoffset()
        wall = theirs.replace(tzinfo=None, fold=fold)  # also reads walls in gaps and repeats
        assert wall.replace(tzinfo=tz).astimezone(UTC) == wall.replace(tzinfo=BERLIN).astimezone(
            UTC
        )


# --- week_bounds -------------------------------------------------------------------------------


def test_week_bounds_monday_start_in_a_dst_week() -> None:
    for day in (date(2026, 3, 23), date(2026, 3, 25), date(2026, 3, 29)):
        start, end = week_bounds(day, BERLIN)
        assert start == local(BERLIN, 2026, 3, 23).astimezone(UTC)
        assert end == local(BERLIN, 2026, 3, 30).astimezone(UTC)
        assert end - start == timedelta(days=7) - H


def test_week_bounds_sunday_start() -> None:
    start, end = week_bounds(date(2026, 3, 25), BERLIN, "SUNDAY")
    assert (start, end) == (utc(2026, 3, 21, 23), utc(2026, 3, 28, 23))
    start, end = week_bounds(EU_SPRING, BERLIN, "sunday")  # the start day itself
    assert start == utc(2026, 3, 28, 23)
    assert end - start == timedelta(days=7) - H
    start, _ = week_bounds(date(2026, 3, 28), NEW_YORK, "SUNDAY")  # a Saturday
    assert start == local(NEW_YORK, 2026, 3, 22).astimezone(UTC)


def test_week_bounds_rejects_unknown_week_starts() -> None:
    with pytest.raises(ValueError, match="MONDAY"):
        week_bounds(EU_SPRING, BERLIN, "FUNDAY")


# --- parse_when --------------------------------------------------------------------------------

# Tuesday 12 May 2026, 14:20:45.123456 in Berlin (+02:00).
NOW = utc(2026, 5, 12, 12, 20, 45, 123456)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:30", utc(2026, 5, 12, 7, 30)),
        ("09:30", utc(2026, 5, 12, 7, 30)),
        ("9", utc(2026, 5, 12, 7)),
        ("9am", utc(2026, 5, 12, 7)),
        ("9 AM", utc(2026, 5, 12, 7)),
        ("5:15pm", utc(2026, 5, 12, 15, 15)),
        ("5:15 pm", utc(2026, 5, 12, 15, 15)),
        ("12am", utc(2026, 5, 11, 22)),
        ("12pm", utc(2026, 5, 12, 10)),
        ("17:05:30", utc(2026, 5, 12, 15, 5, 30)),
        ("23:59", utc(2026, 5, 12, 21, 59)),  # after now, still today: no guessing
        ("0:00", utc(2026, 5, 11, 22)),
        ("  yesterday 17:00 ", utc(2026, 5, 11, 15)),
        ("today 8", utc(2026, 5, 12, 6)),
        ("tomorrow 8:15am", utc(2026, 5, 13, 6, 15)),
        ("mon 9:00", utc(2026, 5, 11, 7)),
        ("-2 10:00", utc(2026, 5, 10, 8)),
        ("2026-05-01 14:00", utc(2026, 5, 1, 12)),
        ("2026-05-01 9:30am", utc(2026, 5, 1, 7, 30)),
        ("2026-05-01T14:00", utc(2026, 5, 1, 12)),
        ("2026-05-01T14:00:15", utc(2026, 5, 1, 12, 0, 15)),
        ("2026-05-01T14:00+05:30", utc(2026, 5, 1, 8, 30)),
        ("2026-05-01T14:00Z", utc(2026, 5, 1, 14)),
        ("2026-05-01t14:00z", utc(2026, 5, 1, 14)),
        ("2026-05-01 14:00:00-04:00", utc(2026, 5, 1, 18)),
        ("now", NOW),
        ("NOW", NOW),
        ("-15m", NOW - timedelta(minutes=15)),
        ("-1h30", NOW - timedelta(minutes=90)),
        ("-90m", NOW - timedelta(minutes=90)),
        ("-1h 30m", NOW - timedelta(minutes=90)),
        ("-1:30", NOW - timedelta(minutes=90)),
        ("-45", NOW - timedelta(minutes=45)),
        ("+10m", NOW + timedelta(minutes=10)),
    ],
)
def test_parse_when_forms(text: str, expected: datetime) -> None:
    parsed = parse_when(text, now=NOW, tz=BERLIN)
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_parse_when_takes_now_in_any_zone() -> None:
    now = NOW.astimezone(NEW_YORK)
    assert parse_when("now", now=now, tz=BERLIN) == NOW
    assert parse_when("now", now=now, tz=BERLIN).tzinfo is UTC
    assert parse_when("9:30", now=now, tz=BERLIN) == utc(2026, 5, 12, 7, 30)
    assert parse_when("9:30", now=now, tz=NEW_YORK) == utc(2026, 5, 12, 13, 30)


@pytest.mark.parametrize(
    ("text", "now", "tz", "expected"),
    [
        # Gaps move forward by the gap: 02:30 is read as 03:30.
        ("2:30", utc(2026, 3, 29, 12), BERLIN, utc(2026, 3, 29, 1, 30)),
        ("2026-03-29T02:30", NOW, BERLIN, utc(2026, 3, 29, 1, 30)),
        ("2026-03-29 02:30", NOW, BERLIN, utc(2026, 3, 29, 1, 30)),
        ("2:30am", utc(2026, 3, 8, 18), NEW_YORK, utc(2026, 3, 8, 7, 30)),
        # Repeated hours take the first occurrence (summer time).
        ("2:30", utc(2026, 10, 25, 12), BERLIN, utc(2026, 10, 25, 0, 30)),
        ("2026-10-25T02:30", NOW, BERLIN, utc(2026, 10, 25, 0, 30)),
        ("1:30", utc(2026, 11, 1, 18), NEW_YORK, utc(2026, 11, 1, 5, 30)),
        ("2026-11-01 1:30am", NOW, NEW_YORK, utc(2026, 11, 1, 5, 30)),
        # An explicit offset picks either side.
        ("2026-10-25T02:30+01:00", NOW, BERLIN, utc(2026, 10, 25, 1, 30)),
    ],
)
def test_parse_when_in_dst_gaps_and_repeats(
    text: str, now: datetime, tz: ZoneInfo, expected: datetime
) -> None:
    assert parse_when(text, now=now, tz=tz) == expected


def test_a_time_in_the_gap_shows_as_the_hour_after() -> None:
    parsed = parse_when("2026-03-29 2:30", now=NOW, tz=BERLIN)
    assert format_local(parsed, BERLIN) == "03:30"
    parsed = parse_when("2026-03-08 2:30", now=NOW, tz=NEW_YORK)
    assert format_local(parsed, NEW_YORK) == "03:30"


def test_relative_times_ignore_dst() -> None:
    # 03:10 CEST just after spring-forward; 15 minutes earlier is 01:55 CET.
    now = utc(2026, 3, 29, 1, 10)
    earlier = parse_when("-15m", now=now, tz=BERLIN)
    assert earlier == utc(2026, 3, 29, 0, 55)
    assert format_local(earlier, BERLIN) == "01:55"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "soon",
        "25:00",
        "24:00",
        "9:60",
        "9:5",
        "9:30:61",
        "13pm",
        "0am",
        "123",
        "yesterday",
        "2026-03-29",
        "someday 9:00",
        "2026-13-01 10:00",
        "2026-02-30T10:00",
        "-abc",
        "-",
        "+",
        "-1 day",
        "17:00 yesterday",
        "1" * 30,  # Python's ISO parser read this as 1111-11-11 11:11
        "9" * 12,
        "20260302T0900",
        "111111111111T1111",
        "2026-W10-1T09:00",
        "2026-061T09:00",
        "2026-03-02T09:00:00+99:00",
    ],
)
def test_parse_when_rejects_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_when(text, now=NOW, tz=BERLIN)
    message = str(caught.value)
    for form in ("9:30", "5:15pm", "yesterday 17:00", "-15m", "now", "2026-03-29T14:00"):
        assert form in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01 00:00",
        "9999-12-31 23:59",
        "9999-12-31T23:59:59+14:00",
        "0001-01-01T00:00-14:00",
        "1969-12-31 23:59",
        "2100-01-01 00:00",
        "-99999 9:00",
        "-99999999999h",
        "+99999999h",
        "-P999999999D",
        "-999999999:00",
        "-" + "9" * 30 + "m",
    ],
)
def test_parse_when_refuses_times_outside_the_range_and_says_so(text: str) -> None:
    with pytest.raises(TimeOutOfRange, match="1970-01-01 to 2099-12-31"):
        parse_when(text, now=NOW, tz=BERLIN)


def test_parse_when_range_edges_are_local_days() -> None:
    assert parse_when("1970-01-01 00:00", now=NOW, tz=BERLIN) == utc(1969, 12, 31, 23)
    assert parse_when("2099-12-31 23:59", now=NOW, tz=BERLIN) == utc(2099, 12, 31, 22, 59)
    # An offset may be longer than an entry can last; only where it lands is checked.
    assert parse_when("-1000h", now=NOW, tz=BERLIN) == NOW - timedelta(hours=1000)


@given(st.text(max_size=40))
def test_parse_when_and_parse_day_fail_only_with_their_own_error(text: str) -> None:
    for parse in (parse_when, parse_day):
        with suppress(TimeParseError):
            parse(text, now=NOW, tz=BERLIN)


def test_parse_when_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("9:30", now=datetime(2026, 5, 12, 12), tz=BERLIN)


# --- parse_day ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 5, 12)),
        ("Today", date(2026, 5, 12)),
        ("yesterday", date(2026, 5, 11)),
        ("tomorrow", date(2026, 5, 13)),
        ("-2", date(2026, 5, 10)),
        ("-0", date(2026, 5, 12)),
        ("+1", date(2026, 5, 13)),
        ("-30", date(2026, 4, 12)),
        ("2026-03-29", date(2026, 3, 29)),
        ("mon", date(2026, 5, 11)),
        ("monday", date(2026, 5, 11)),
        ("tue", date(2026, 5, 12)),  # today counts
        ("Tuesday", date(2026, 5, 12)),
        ("wed", date(2026, 5, 6)),
        ("thu", date(2026, 5, 7)),
        ("fri", date(2026, 5, 8)),
        ("sat", date(2026, 5, 9)),
        ("SUN", date(2026, 5, 10)),
    ],
)
def test_parse_day_forms(text: str, expected: date) -> None:
    assert parse_day(text, now=NOW, tz=BERLIN) == expected


def test_parse_day_uses_the_zone_for_today() -> None:
    late = utc(2026, 5, 12, 23, 30)  # already Wednesday in Berlin
    assert parse_day("today", now=late, tz=BERLIN) == date(2026, 5, 13)
    assert parse_day("today", now=late, tz=ZoneInfo("UTC")) == date(2026, 5, 12)
    assert parse_day("tue", now=late, tz=BERLIN) == date(2026, 5, 12)


@pytest.mark.parametrize(
    "text",
    ["", "someday", "2", "2026-02-30", "mo", "-999999", "last monday", "20260302", "2026-W10-1"],
)
def test_parse_day_rejects_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(TimeParseError, match="yesterday"):
        parse_day(text, now=NOW, tz=BERLIN)


@pytest.mark.parametrize(
    "text", ["0001-01-01", "9999-12-31", "1969-12-31", "2100-01-01", "-99999", "+99999"]
)
def test_parse_day_refuses_days_outside_the_range_and_says_so(text: str) -> None:
    with pytest.raises(TimeOutOfRange, match="1970-01-01 to 2099-12-31"):
        parse_day(text, now=NOW, tz=BERLIN)


def test_parse_day_range_edges() -> None:
    assert parse_day("1970-01-01", now=NOW, tz=BERLIN) == date(1970, 1, 1)
    assert parse_day("2099-12-31", now=NOW, tz=BERLIN) == date(2099, 12, 31)


# --- Clockify filters and display --------------------------------------------------------------


def test_to_clockify_filter_is_the_profile_wall_clock_marked_utc() -> None:
    instant = utc(2026, 5, 12, 7, 30)
    assert to_clockify_filter(instant, BERLIN) == utc(2026, 5, 12, 9, 30)
    assert to_clockify_filter(instant, NEW_YORK) == utc(2026, 5, 12, 3, 30)
    assert to_clockify_filter(instant, ZoneInfo("UTC")) == instant
    assert to_clockify_filter(instant.astimezone(NEW_YORK), BERLIN).tzinfo is UTC
    # Local midnight of a DST day is what Clockify calls T00:00:00Z.
    assert to_clockify_filter(day_bounds(EU_SPRING, BERLIN)[0], BERLIN) == utc(2026, 3, 29)
    assert to_clockify_filter(day_bounds(EU_SPRING, BERLIN)[1], BERLIN) == utc(2026, 3, 30)


@pytest.mark.parametrize(
    ("instant", "kwargs", "expected"),
    [
        (utc(2026, 3, 29, 7, 5), {}, "09:05"),
        (utc(2026, 3, 29, 7, 5, 59, 999999), {}, "09:05"),  # cut, not rounded
        (utc(2026, 3, 29, 7, 5), {"with_date": True}, "2026-03-29 09:05"),
        (utc(2026, 3, 28, 23, 30), {"with_date": True}, "2026-03-29 00:30"),
        (utc(2026, 3, 29, 7, 5), {"hour24": False}, "9:05 AM"),
        (utc(2026, 3, 29, 10), {"hour24": False}, "12:00 PM"),
        (utc(2026, 3, 28, 23, 30), {"hour24": False}, "12:30 AM"),
        (utc(2026, 3, 29, 21, 45), {"hour24": False, "with_date": True}, "2026-03-29 11:45 PM"),
    ],
)
def test_format_local(instant: datetime, kwargs: dict[str, bool], expected: str) -> None:
    assert format_local(instant, BERLIN, **kwargs) == expected


def test_format_local_and_local_day_refuse_naive_instants() -> None:
    naive = datetime(2026, 3, 29, 9)
    with pytest.raises(ValueError, match="aware"):
        format_local(naive, BERLIN)
    with pytest.raises(ValueError, match="aware"):
        local_day(naive, BERLIN)


def test_local_day_with_fixed_offsets() -> None:
    instant = datetime(2026, 3, 29, 23, 30, tzinfo=timezone(timedelta(hours=-3)))
    assert local_day(instant, ZoneInfo("UTC")) == date(2026, 3, 30)
    assert local_day(instant, timezone(timedelta(hours=-3))) == date(2026, 3, 29)


# --- properties --------------------------------------------------------------------------------

WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
instants = st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC))
zones = st.sampled_from(ZONES).map(ZoneInfo)


@given(
    start=instants,
    length=st.timedeltas(timedelta(0), timedelta(days=9)),
    tz=zones,
    given_in=zones,
)
def test_split_by_day_sums_to_the_elapsed_time(
    start: datetime, length: timedelta, tz: ZoneInfo, given_in: ZoneInfo
) -> None:
    end = start + length
    parts = split_by_day(start.astimezone(given_in), end.astimezone(given_in), tz)
    assert sum((part for _, part in parts), timedelta()) == length
    assert all(part > timedelta(0) for _, part in parts)
    days = [day for day, _ in parts]
    assert days == sorted(set(days))
    if parts:
        assert days[0] == local_day(start, tz)
        for day, part in parts:
            day_start, day_end = day_bounds(day, tz)
            assert part <= day_end - day_start


@given(day=st.dates(date(1990, 1, 1), date(2040, 1, 1)), tz=zones)
def test_day_bounds_are_contiguous(day: date, tz: ZoneInfo) -> None:
    start, end = day_bounds(day, tz)
    following = day_bounds(day + timedelta(days=1), tz)
    assert end == following[0]
    assert start <= end
    if start < end:
        assert local_day(start, tz) == day
        assert local_day(end - timedelta(microseconds=1), tz) == day
        assert timedelta(hours=22) <= end - start <= timedelta(hours=26)


@given(
    day=st.dates(date(1990, 1, 1), date(2040, 1, 1)),
    tz=zones,
    week_start=st.sampled_from(WEEKDAYS),
)
def test_week_bounds_hold_the_day(day: date, tz: ZoneInfo, week_start: str) -> None:
    start, end = week_bounds(day, tz, week_start)
    day_start, day_end = day_bounds(day, tz)
    assert start <= day_start <= day_end <= end
    first = local_day(start, tz)
    assert first.weekday() == WEEKDAYS.index(week_start)
    assert day_bounds(first + timedelta(days=7), tz)[0] == end


@given(instant=instants, tz=zones)
def test_parse_when_reads_back_what_iso_and_format_local_write(
    instant: datetime, tz: ZoneInfo
) -> None:
    assert parse_when(instant.isoformat(), now=NOW, tz=tz) == instant
    whole_minute = instant.replace(second=0, microsecond=0)
    shown = format_local(whole_minute, tz, with_date=True)
    wall = whole_minute.astimezone(tz)
    assert parse_when(shown, now=NOW, tz=tz) == wall.replace(fold=0).astimezone(UTC)
