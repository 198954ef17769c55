"""Clockify's wire formats: ids, instants, durations and compact JSON.

Kept in one place so every response the test server sends writes times, durations and ids the
way the live API does (FACTS §4): ``yyyy-MM-ddTHH:mm:ssZ`` instants, Java ``Duration`` strings
with hours never rolled into days, and 24-character lowercase hex ObjectIds.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "dumps",
    "format_duration",
    "format_instant",
    "is_object_id",
    "new_object_id",
    "parse_instant",
    "parse_wall_clock",
]

_OBJECT_ID = re.compile(r"[0-9a-f]{24}")

# Lenient like Jackson: optional fraction, "Z" or a numeric offset.
_INSTANT = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d{1,9})?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)


def new_object_id(epoch_seconds: float) -> str:
    """A fresh id shaped like a MongoDB ObjectId: 4 bytes of time, then 8 random bytes."""
    stamp = int(epoch_seconds) & 0xFFFFFFFF
    return f"{stamp:08x}{secrets.token_hex(8)}"


def is_object_id(text: str) -> bool:
    """Whether ``text`` has the 24-hex-digit shape of a Clockify id."""
    return _OBJECT_ID.fullmatch(text) is not None


def format_instant(epoch_seconds: int) -> str:
    """An instant as the main API writes it, e.g. ``2026-05-20T14:00:00Z``."""
    return datetime.fromtimestamp(epoch_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _split(text: str) -> tuple[datetime, str | None]:
    match = _INSTANT.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a date-time: {text!r}")
    time_part = match["time"] if match["time"].count(":") == 2 else match["time"] + ":00"
    naive = datetime.fromisoformat(f"{match['date']}T{time_part}")
    return naive, match["zone"]


def parse_instant(text: str) -> int:
    """Epoch seconds of a request timestamp; fractions are dropped like Clockify does.

    A timestamp without any zone designator is read as UTC.
    """
    naive, zone = _split(text)
    if zone is None or zone.upper() == "Z":
        return int(naive.replace(tzinfo=UTC).timestamp())
    sign = 1 if zone[0] == "+" else -1
    digits = zone[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return int((naive.replace(tzinfo=UTC) - sign * offset).timestamp())


def parse_wall_clock(text: str, zone: ZoneInfo) -> int:
    """Epoch seconds of a filter bound read as wall-clock time in the account's zone.

    FACTS §4: the ``start``/``end`` filters of the user time-entry list drop the ``Z`` and read
    the digits as local time of the profile's zone, so ``T00:00:00Z`` means local midnight.
    """
    naive, _zone = _split(text)
    return int(naive.replace(tzinfo=zone).timestamp())


def format_duration(seconds: int) -> str:
    """A Java ``Duration`` string: ``PT2H54M``, ``PT561H13M28S``, ``PT0S``; no day part."""
    seconds = max(0, int(seconds))
    if seconds == 0:
        return "PT0S"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = ["PT"]
    if hours:
        parts.append(f"{hours}H")
    if minutes:
        parts.append(f"{minutes}M")
    if secs:
        parts.append(f"{secs}S")
    return "".join(parts)


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, the way Spring writes it (no spaces, non-ASCII kept)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
