"""Bodies are read with bounded memory and decoded with bounded depth, on real streams."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterable

import httpx
import pytest

from tracker.api.body import STEP, BodyError, JsonDepthError, parse_json, read_body


def _response(chunks: Iterable[bytes], **headers: str) -> httpx.Response:
    """A streamed response whose raw body arrives in ``chunks``, as from a socket."""

    class Stream(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            for chunk in chunks:
                yield chunk

    names = {name.replace("_", "-"): value for name, value in headers.items()}
    return httpx.Response(200, headers=names, stream=Stream())


def _read(response: httpx.Response, limit: int) -> bytes:
    return asyncio.run(read_body(response, limit))


def test_plain_body_within_the_limit() -> None:
    assert _read(_response([b'{"a":', b" 1}"]), 100) == b'{"a": 1}'


def test_plain_body_over_the_limit_stops_reading() -> None:
    taken: list[int] = []

    def chunks() -> Iterable[bytes]:
        for index in range(1000):
            taken.append(index)
            yield b"x" * 1000

    with pytest.raises(BodyError, match="larger than"):
        _read(_response(chunks()), 10_000)
    assert len(taken) == 11  # it stopped at the chunk that crossed the limit


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    with pytest.raises(BodyError, match="larger than"):
        _read(_response(iter(()), content_length="999999"), 1000)


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "GZIP"])
def test_compressed_bodies_are_decoded(encoding: str) -> None:
    data = b'[{"id":"abc"}]' * 1000
    packed = zlib.compress(data) if encoding == "deflate" else gzip.compress(data)
    pieces = [packed[i : i + 100] for i in range(0, len(packed), 100)]
    assert _read(_response(pieces, content_encoding=encoding), len(data)) == data


def test_a_bomb_in_one_network_chunk_expands_a_step_at_a_time() -> None:
    bomb = gzip.compress(b" " * (64 * 1024 * 1024))  # about 64 KiB: one socket read
    limit = 100_000
    response = _response([bomb], content_encoding="gzip")
    tracemalloc.start()
    try:
        with pytest.raises(BodyError, match="larger than"):
            _read(response, limit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit + 8 * STEP  # httpx's decoder expands that chunk to 64 MiB at once


def test_a_cut_off_compressed_body_is_an_error() -> None:
    packed = gzip.compress(b"[1,2,3]" * 100)
    with pytest.raises(BodyError, match="cut off"):
        _read(_response([packed[:-10]], content_encoding="gzip"), 10_000)


def test_corrupt_compressed_data_is_an_error() -> None:
    with pytest.raises(BodyError, match="corrupt"):
        _read(_response([b"not gzip at all"], content_encoding="gzip"), 10_000)


def test_data_after_the_compressed_stream_is_an_error() -> None:
    packed = gzip.compress(b"[]") + b"trailing"
    with pytest.raises(BodyError, match="after the end"):
        _read(_response([packed], content_encoding="gzip"), 10_000)


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "compress"])
def test_an_encoding_that_was_not_asked_for_is_refused(encoding: str) -> None:
    with pytest.raises(BodyError, match="did not ask for"):
        _read(_response([b"xx"], content_encoding=encoding), 10_000)


def test_json_depth_is_bounded() -> None:
    assert parse_json(b"[" * 64 + b"]" * 64) is not None
    with pytest.raises(JsonDepthError):
        parse_json(b"[" * 65 + b"]" * 65)
    with pytest.raises(JsonDepthError):
        parse_json(b'{"a":' * 100 + b"1" + b"}" * 100)
    with pytest.raises(JsonDepthError):
        parse_json(b"[" * 200_000 + b"]" * 200_000)  # past the parser's own recursion limit


def test_wide_json_is_fine() -> None:
    assert len(parse_json(b"[" + b",".join([b'{"a":[1,2]}'] * 50_000) + b"]")) == 50_000


def test_step_is_small() -> None:
    assert STEP <= 64 * 1024
