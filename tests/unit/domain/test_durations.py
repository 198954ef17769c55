"""Durations: every ISO shape Clockify sends, and what people type."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.durations import (
    DurationError,
    DurationTooLong,
    format_clock,
    format_iso,
    parse_human,
    parse_iso,
    shown_length,
    shown_seconds,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT8H", timedelta(hours=8)),
        ("PT2H54M", timedelta(hours=2, minutes=54)),
        ("PT16S", timedelta(seconds=16)),
        ("PT0S", timedelta(0)),
        ("PT561H13M28S", timedelta(hours=561, minutes=13, seconds=28)),
        ("P120H", timedelta(hours=120)),  # no "T": seen in real payloads
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("P2D", timedelta(days=2)),
        ("P1W", timedelta(weeks=1)),
        ("PT1.5S", timedelta(seconds=1.5)),
        ("pt1h", timedelta(hours=1)),
        ("-PT5M", timedelta(minutes=-5)),
    ],
)
def test_parse_iso_accepts_clockify_shapes(text: str, expected: timedelta) -> None:
    assert parse_iso(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "8000", "1h", "PTXH", "PT1H junk", "P1Y"])
def test_parse_iso_refuses_garbage_with_a_typed_error(text: str) -> None:
    with pytest.raises(DurationError):
        parse_iso(text)


def test_parse_iso_refuses_overflow() -> None:
    with pytest.raises(DurationError, match="out of range"):
        parse_iso("P99999999999D")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(hours=26, minutes=5), "PT26H5M"),  # hours are not rolled into days
        (timedelta(seconds=59.6), "PT1M"),
        (timedelta(minutes=-90), "-PT1H30M"),
    ],
)
def test_format_iso_is_java_style(value: timedelta, expected: str) -> None:
    assert format_iso(value) == expected


@given(st.integers(min_value=-(10**8), max_value=10**8))
def test_iso_round_trip(seconds: int) -> None:
    value = timedelta(seconds=seconds)
    assert parse_iso(format_iso(value)) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1h30", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("1:30", timedelta(hours=1, minutes=30)),
        ("0:05:30", timedelta(minutes=5, seconds=30)),
        ("90m", timedelta(minutes=90)),
        ("90 min", timedelta(minutes=90)),
        ("45", timedelta(minutes=45)),
        ("1.5h", timedelta(hours=1.5)),
        ("1,5h", timedelta(hours=1.5)),
        ("2h", timedelta(hours=2)),
        ("PT1H", timedelta(hours=1)),
        ("10s", timedelta(seconds=10)),
    ],
)
def test_parse_human(text: str, expected: timedelta) -> None:
    assert parse_human(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1:75", "h", "1h30x", "--"])
def test_parse_human_explains_what_it_wants(text: str) -> None:
    with pytest.raises(DurationError, match=r"1h30|below 60"):
        parse_human(text)


@pytest.mark.parametrize(
    "text",
    ["1000h", "999h1m", "P42D", "99999999h", "P999999999D", "PT99999999999999999999H", "9" * 30],
)
def test_parse_human_refuses_more_than_an_entry_can_last(text: str) -> None:
    with pytest.raises(DurationTooLong, match="999 hours"):
        parse_human(text)


def test_parse_human_limits() -> None:
    assert parse_human("999h") == timedelta(hours=999)
    assert parse_human("1000h", limit=None) == timedelta(hours=1000)
    with pytest.raises(DurationTooLong, match="2 hours"):
        parse_human("3h", limit=timedelta(hours=2))


@given(st.text(max_size=30))
def test_parse_human_never_fails_untyped(text: str) -> None:
    try:
        value = parse_human(text)
    except DurationError:
        return
    assert isinstance(value, timedelta)


def test_format_clock() -> None:
    assert format_clock(timedelta(hours=1, minutes=2, seconds=3)) == "1:02:03"
    assert format_clock(timedelta(hours=30, minutes=5), seconds=False) == "30:05"
    assert format_clock(timedelta(seconds=-61)) == "-0:01:01"


def test_a_shown_length_runs_from_minute_to_minute_as_the_times_are_shown() -> None:
    def at(hour: int, minute: int, second: int) -> datetime:
        return datetime(2026, 3, 2, hour, minute, second, tzinfo=UTC)

    assert shown_length(at(8, 45, 40), at(9, 15, 10)) == timedelta(minutes=30)
    assert shown_length(at(8, 45, 0), at(9, 15, 59)) == timedelta(minutes=30)
    assert shown_length(at(8, 45, 10), at(8, 45, 50)) == timedelta(0)
    assert shown_length(at(9, 0, 0), at(8, 0, 0)) == timedelta(0)  # never negative
    assert shown_seconds(3599, 3659) == 60 == shown_seconds(3540, 3600)
