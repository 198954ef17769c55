"""What the Clockify client costs: time per request over raw httpx, memory over long lists."""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
import tracemalloc
from collections.abc import Iterator

import httpx

from tests.benchmarks import Figure, benchmark
from tests.benchmarks.server_process import ServerInfo, server_process
from tracker.api import ClockifyClient, RateLimits, RequestBudget, Servers

REQUESTS = 1500


def _client(info: ServerInfo, transport: httpx.AsyncBaseTransport | None = None) -> ClockifyClient:
    return ClockifyClient(
        info.api_key,
        servers=Servers.custom(info.base_url, info.reports_url),
        budget=RequestBudget(RateLimits()),
        transport=transport,
    )


async def _overhead(
    info: ServerInfo, transport: httpx.AsyncBaseTransport | None = None
) -> tuple[list[float], list[float]]:
    raw_times: list[float] = []
    client_times: list[float] = []
    url = f"{info.base_url}/v1/user"
    async with (
        httpx.AsyncClient(headers={"X-Api-Key": info.api_key}, transport=transport) as raw,
        _client(info, transport) as api,
    ):
        for _ in range(10):  # warm both connection pools
            (await raw.get(url)).json()
            await api.user.current()
        for _ in range(REQUESTS):  # alternate single requests, so drift hits both alike
            started = time.perf_counter()
            response = await raw.get(url)
            response.raise_for_status()
            response.json()
            raw_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            await api.user.current()
            client_times.append(time.perf_counter() - started)
    return raw_times, client_times


@benchmark("client_overhead")
def client_overhead() -> Iterator[Figure]:
    """GET /v1/user through ClockifyClient against raw httpx + json.

    Measured twice: over loopback to the test server (the issue's figure; the server's own
    time dominates and varies), and over an in-process transport that answers at once with
    the same body, which isolates what the client adds: budget, retry loop, error mapping,
    pydantic model.
    """
    with server_process("--seed", "demo") as info:
        raw_times, client_times = asyncio.run(_overhead(info))
        body = httpx.get(f"{info.base_url}/v1/user", headers={"X-Api-Key": info.api_key}).content
    note = f"median of {REQUESTS}, alternating"
    raw = statistics.median(raw_times) * 1e6
    client = statistics.median(client_times) * 1e6
    yield Figure("loopback: raw httpx", raw, "us/request", note)
    yield Figure("loopback: ClockifyClient", client, "us/request", note)
    yield Figure("loopback: overhead", client - raw, "us/request", "server time varies")
    instant = ServerInfo("http://client.test/api", "http://client.test/reports", info.api_key)
    transport = httpx.MockTransport(
        lambda _: httpx.Response(200, content=body, headers={"content-type": "application/json"})
    )
    raw_times, client_times = asyncio.run(_overhead(instant, transport))
    raw = statistics.median(raw_times) * 1e6
    client = statistics.median(client_times) * 1e6
    yield Figure("in-process: raw httpx", raw, "us/request", note)
    yield Figure("in-process: ClockifyClient", client, "us/request", note)
    yield Figure("in-process: overhead", client - raw, "us/request", "what the client adds")


async def _walk(info: ServerInfo, *, keep: bool) -> tuple[int, int, float]:
    async with _client(info) as api:
        user = await api.user.current()
        workspace = user.active_workspace or user.default_workspace or ""
        kept = []
        count = 0
        gc.collect()
        tracemalloc.start()
        started = time.perf_counter()
        async for entry in api.time_entries.list(workspace, user.id):
            count += 1
            if keep:
                kept.append(entry)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return count, peak, seconds


@benchmark("entries_50k_memory")
def entries_memory() -> Iterator[Figure]:
    """Iterate 50,000 entries page by page (200 a page); peak Python memory while doing it."""
    with server_process("--seed", "empty", "--large-entries", "50000") as info:
        count, streamed_peak, seconds = asyncio.run(_walk(info, keep=False))
        _, kept_peak, _ = asyncio.run(_walk(info, keep=True))
    yield Figure("entries iterated", count, "entries")
    yield Figure("wall time", seconds, "s", "250 pages of 200, loopback")
    yield Figure("throughput", count / seconds, "entries/s")
    yield Figure("peak memory, streaming", streamed_peak / 2**20, "MiB", "tracemalloc")
    yield Figure("peak memory, keeping all", kept_peak / 2**20, "MiB", "for comparison")
