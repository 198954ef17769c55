"""Answers a hostile or broken server gives: bodies too big, too deep, of the wrong shape.

The test server uses these for the faults ``huge_body``, ``gzip_bomb``, ``nested_json``,
``wrong_types`` and ``bad_ids``. The big ones are produced piece by piece, so a test server
that offers a 400 MB answer or a gzip stream of 1 GiB spends a few MB itself.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Iterator
from typing import Any

__all__ = [
    "BAD_ID",
    "DEFAULT_SIZES",
    "bad_ids",
    "gzip_bomb",
    "huge_json",
    "nested_json",
    "wrong_types",
]

BAD_ID = "../../../../etc/passwd?x="
"""An id that walks out of its URL path when a client puts it there unescaped."""

DEFAULT_SIZES = {
    "huge_body": 400 * 1000 * 1000,  # bytes sent
    "gzip_bomb": 1 << 30,  # bytes after decompression
    "nested_json": 100_000,  # levels of nesting
}
"""What ``size=0`` means per fault kind: the figures of the attacks this reproduces."""

_PIECE = 64 * 1024


def huge_json(size: int) -> Iterator[bytes]:
    """``size`` bytes of one valid JSON array holding one long string, in 64 KiB pieces."""
    filler = max(0, size - 4)
    yield b'["'
    full, rest = divmod(filler, _PIECE)
    piece = b"x" * _PIECE
    for _ in range(full):
        yield piece
    yield b"x" * rest + b'"]'


@functools.lru_cache(maxsize=4)
def gzip_bomb(size: int) -> bytes:
    """A gzip stream that expands to ``size`` bytes of valid JSON (``[``, spaces, ``]``).

    About 1 MB of gzip per GiB expanded; compressed once per size and kept, since building
    the 1 GiB one takes a few seconds.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(b"[")]
    block = b" " * (1 << 20)
    remaining = max(0, size - 2)
    while remaining:
        step = min(remaining, len(block))
        parts.append(packer.compress(block[:step]))
        remaining -= step
    parts.append(packer.compress(b"]"))
    parts.append(packer.flush())
    return b"".join(parts)


def nested_json(depth: int) -> bytes:
    """``depth`` arrays inside each other: valid JSON that a recursive parser cannot take."""
    return b"[" * depth + b"]" * depth


def wrong_types(body: bytes) -> bytes:
    """The same answer with every string turned into a number and every number into a string."""
    return json.dumps(_retype(json.loads(body)), separators=(",", ":")).encode()


def bad_ids(body: bytes) -> bytes:
    """The same answer with every ``id`` replaced by :data:`BAD_ID`."""
    return json.dumps(_with_bad_ids(json.loads(body)), separators=(",", ":")).encode()


def _retype(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _retype(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_retype(item) for item in value]
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


def _with_bad_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: BAD_ID if key == "id" else _with_bad_ids(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_bad_ids(item) for item in value]
    return value
