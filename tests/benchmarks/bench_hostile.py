"""What a hostile server costs the client with its real defaults: time to the error, and
peak memory on top of the loaded client, each case in a fresh child process."""

from __future__ import annotations

from collections.abc import Iterator

from tests.benchmarks import Figure, benchmark
from tests.integration.api.hostile_child import CASES, hostile_server, run_case


@benchmark("hostile_server")
def hostile_server_cases() -> Iterator[Figure]:
    """Each case of ``tests/integration/api/hostile_child.py``: trickle (a byte every 5 s),
    400 MB body, 1 GiB gzip bomb, 100,000-deep JSON, wrong types, path-traversal ids, a
    redirect to plain http elsewhere, a self-signed certificate, and a normal answer."""
    for case in CASES:
        with hostile_server(case) as server:
            outcome = run_case(case, server)
        note = outcome.error or "accepted"
        yield Figure(f"{case}: time to the error", outcome.seconds, "s", note)
        yield Figure(f"{case}: peak memory", outcome.peak_kib / 1024, "MiB", note)
        yield Figure(f"{case}: on top of the client", outcome.extra_mib, "MiB", note)
