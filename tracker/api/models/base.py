"""Base classes and field types shared by the wire models.

Responses are read tolerantly: Clockify sends ``null`` where the spec promises a value, adds
fields the spec does not know, and writes durations in several ISO shapes (FACTS §4, §8). So
response models ignore unknown fields, default almost everything, and turn ``null`` lists into
empty ones. Requests are the opposite: strict, complete and formatted exactly as Clockify
expects (``yyyy-MM-ddTHH:mm:ssZ``), because a full-replace PUT clears whatever we leave out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    ValidationError,
)
from pydantic.alias_generators import to_camel

from tracker.api.errors import ResponseFormatError
from tracker.api.paths import is_id
from tracker.domain.durations import DurationError, format_iso, parse_iso

__all__ = [
    "Instant",
    "IsoDuration",
    "LenientText",
    "NullableList",
    "Rejected",
    "RequestModel",
    "WireId",
    "WireModel",
    "decode",
    "decode_list",
    "format_instant",
]

T = TypeVar("T", bound="WireModel")


class WireModel(BaseModel):
    """A model of something Clockify sends: tolerant of nulls and unknown fields.

    Both bases build a model's validator and serializer on its first use (``defer_build``):
    a sync worker imports every model of its areas, and a round validates only a few.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
        defer_build=True,
    )


class RequestModel(BaseModel):
    """A model of something we send: unknown fields are a bug, so they are refused."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        defer_build=True,
    )

    def body(self) -> dict[str, Any]:
        """The JSON body: camelCase keys, ``None`` fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def format_instant(value: datetime) -> str:
    """Clockify's request format: UTC, whole seconds, ``Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a time without a time zone is ambiguous")
    return value.astimezone(UTC)


def _duration(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_iso(value)
        except DurationError as exc:
            raise ValueError(str(exc)) from exc
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return timedelta(seconds=value)
        except (OverflowError, ValueError) as exc:  # huge, infinite or NaN
            raise ValueError(f"duration out of range: {value!r}") from exc
    return value


def _none_to_empty(value: Any) -> Any:
    return [] if value is None else value


def _text_or_none(value: Any) -> Any:
    return value if isinstance(value, str) else None


Instant = Annotated[
    datetime, AfterValidator(_aware), PlainSerializer(format_instant, return_type=str)
]
"""An aware instant, always UTC; serialized as ``yyyy-MM-ddTHH:mm:ssZ``."""

IsoDuration = Annotated[
    timedelta, BeforeValidator(_duration), PlainSerializer(format_iso, return_type=str)
]
"""A duration read from any ISO shape Clockify uses, or from whole seconds (Reports)."""

NullableList = Annotated[list[str], BeforeValidator(_none_to_empty)]
"""A list of ids that Clockify may send as ``null``."""

LenientText = Annotated[str | None, BeforeValidator(_text_or_none)]
"""A text field whose documented shape is unreliable; anything but a string reads as ``None``."""


def _id(value: str) -> str:
    if not is_id(value):
        raise ValueError("not a Clockify id (letters and digits only)")
    return value


WireId = Annotated[str, AfterValidator(_id)]
"""An item's own ``id``: it goes back into URL paths, so anything but an id is malformed."""


def decode(model: type[T], data: Any, *, what: str) -> T:
    """Validate ``data`` into ``model``; any mismatch becomes a :class:`ResponseFormatError`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ResponseFormatError(_explain(exc, what)) from None


@dataclass(frozen=True)
class Rejected:
    """A list item that could not be read, skipped instead of failing the whole list."""

    id: str | None
    """The item's ``id`` when it had a readable one."""
    reason: str


def decode_list(
    model: type[T], data: Any, *, what: str, rejects: list[Rejected] | None = None
) -> list[T]:
    """Validate a JSON array of ``model`` items.

    Without ``rejects`` one bad item fails the list. With it, each bad item is appended there
    and left out, so one malformed entry (written by anyone in the workspace) cannot stop the
    others from being read.
    """
    if not isinstance(data, list):
        raise ResponseFormatError(
            f"Clockify sent {type(data).__name__} where a list of {what} was expected."
        )
    if rejects is None:
        return [decode(model, item, what=what) for item in data]
    items: list[T] = []
    for item in data:
        try:
            items.append(decode(model, item, what=what))
        except ResponseFormatError as exc:
            raw_id = item.get("id") if isinstance(item, dict) else None
            rejects.append(Rejected(raw_id if isinstance(raw_id, str) else None, exc.message))
    return items


def _explain(exc: ValidationError, what: str) -> str:
    first = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "the body"
    return f"Clockify sent an unexpected {what}: {where}: {first['msg']}."
