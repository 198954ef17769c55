"""Read an answer's body with bounded memory, and decode its JSON with bounded depth.

A hostile or broken server (or something posing as Clockify) can send an endless body, a
small gzip stream that expands to gigabytes, or JSON nested deeper than any parser's stack.
So the body is read from the socket as raw bytes, decompressed here in steps of at most
:data:`STEP` bytes (httpx's own decoder expands a whole network chunk at once: one 64 KiB
chunk of a gzip bomb becomes 64 MiB, and a second ``gzip`` layer multiplies that again), and
reading stops as soon as the decoded size passes the cap. Only ``gzip`` and ``deflate`` are
asked for (``ACCEPT_ENCODING``), so only those need decoding.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = [
    "ACCEPT_ENCODING",
    "MAX_JSON_DEPTH",
    "MAX_RESPONSE_BYTES",
    "STEP",
    "BodyError",
    "JsonDepthError",
    "Reply",
    "parse_json",
    "read_body",
]

MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""The largest decoded body accepted (32 MiB).

Clockify's biggest answers are full pages: 200 hydrated time entries, or 200 projects with
all their tasks, a few MiB at the very most (a page of 200 entries is about 0.3 MiB). Lists
that ignore paging (workspaces, custom fields) are far smaller. 32 MiB leaves ample room for
any real workspace, while a hostile answer costs at most that much memory before it is cut.
"""

MAX_JSON_DEPTH = 64
"""The deepest nesting accepted; Clockify's answers nest about five levels."""

STEP = 64 * 1024
"""The most bytes one decompression step may produce, whatever the compressed input."""

ACCEPT_ENCODING = "gzip, deflate"
"""The encodings this module decodes; sent as ``Accept-Encoding`` on every request."""

_WBITS = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": 32 + zlib.MAX_WBITS,  # zlib-wrapped (the standard) or gzip, detected
}


_AFTER_END = "has data after the end of its compressed stream"


class BodyError(Exception):
    """The body cannot be read within the limits; the text completes "Clockify's answer ..."."""


class JsonDepthError(ValueError):
    """JSON nested deeper than :data:`MAX_JSON_DEPTH`: no real answer, and a parser's stack
    (or any later walk over the data) could overflow on it."""


@dataclass(frozen=True)
class Reply:
    """A complete answer: status, headers and the decoded body, read within the limits."""

    status_code: int
    headers: httpx.Headers
    content: bytes

    @property
    def is_success(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status_code < 300


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """Read and decode the body of a streamed ``response``, at most ``limit`` decoded bytes.

    Raises:
        BodyError: the body is larger than ``limit``, uses an encoding that was not asked
            for, or its compressed stream is corrupt or cut off.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit and _encoding(response) is None:
        raise BodyError(_too_large(limit))
    inflater = _inflater(_encoding(response))
    pieces: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        for piece in _decoded(inflater, chunk):
            size += len(piece)
            if size > limit:
                raise BodyError(_too_large(limit))
            pieces.append(piece)
    if inflater is not None and not inflater.eof:
        raise BodyError("was cut off in the middle of its compressed data")
    return b"".join(pieces)


def parse_json(content: bytes) -> Any:
    """Decode JSON that nests at most :data:`MAX_JSON_DEPTH` levels.

    Raises:
        JsonDepthError: nested too deeply.
        ValueError: not JSON, or not UTF-8.
    """
    try:
        data = json.loads(content)
    except RecursionError:
        raise JsonDepthError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    if _depth_exceeds(data, MAX_JSON_DEPTH):
        raise JsonDepthError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    return data


def _encoding(response: httpx.Response) -> str | None:
    """The one content coding of the body, ``None`` for none (identity)."""
    header = str(response.headers.get("content-encoding", ""))
    codings = [
        coding.strip().lower()
        for coding in header.split(",")
        if coding.strip() and coding.strip().lower() != "identity"
    ]
    if not codings:
        return None
    if len(codings) > 1 or codings[0] not in _WBITS:
        raise BodyError(
            f"uses the encoding {', '.join(codings)!r}, which tracker did not ask for "
            f"(it asks for {ACCEPT_ENCODING})"
        )
    return codings[0]


def _inflater(encoding: str | None) -> Any:
    return None if encoding is None else zlib.decompressobj(_WBITS[encoding])


def _decoded(inflater: Any, chunk: bytes) -> Iterator[bytes]:
    """The decoded bytes of one raw chunk: as it is, or inflated (:func:`_inflated`)."""
    if inflater is None:
        return iter([chunk] if chunk else [])
    return _inflated(inflater, chunk)


def _inflated(inflater: Any, chunk: bytes) -> Iterator[bytes]:
    """The inflated bytes of one compressed chunk, in pieces of at most :data:`STEP` bytes.

    A generator, so a caller that stops taking pieces stops the decompression too.
    """
    if inflater.eof:
        if chunk:
            raise BodyError(_AFTER_END)
        return
    data = chunk
    while True:
        piece = _inflate_step(inflater, data)
        if piece:
            yield piece
        data = inflater.unconsumed_tail
        if inflater.eof:
            if inflater.unused_data or data:
                raise BodyError(_AFTER_END)
            return
        if not data and len(piece) < STEP:
            return  # input used up and nothing more pending inside the decompressor


def _inflate_step(inflater: Any, data: bytes) -> bytes:
    """Decompress at most :data:`STEP` bytes of ``data``; the rest waits in the inflater."""
    try:
        piece: bytes = inflater.decompress(data, STEP)
    except zlib.error:
        raise BodyError("cannot be decompressed: its compressed data is corrupt") from None
    return piece


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether ``data`` nests deeper than ``limit`` (iterative: no recursion to overflow)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _too_large(limit: int) -> str:
    return (
        f"is larger than {limit / (1024 * 1024):g} MiB, far more than Clockify ever sends; "
        "reading stopped there"
    )
