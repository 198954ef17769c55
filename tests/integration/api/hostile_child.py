"""One hostile case in a fresh process, with the client's real defaults, measured there.

Memory is measured in a child so that the figure is the client's alone: the test server (and
pytest) stay in the parent. The child reports its peak resident size before the request
(interpreter, httpx, pydantic, the client) and after it, so the difference is what the hostile
answer cost.

Parent side: :func:`run_case`. Child side: ``python -m tests.integration.api.hostile_child
CASE BASE_URL API_KEY`` prints one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.hostile import DEFAULT_SIZES, gzip_bomb
from tests.fakeclockify.tls import server_context

__all__ = ["CASES", "Outcome", "hostile_server", "run_case"]

ROOT = Path(__file__).resolve().parents[3]

CASES: dict[str, Fault | None] = {
    "normal": None,
    "trickle": Fault(kind="trickle", delay=5.0, times=None),
    "huge_body": Fault(kind="huge_body", times=None),  # 400 MB
    "gzip_bomb": Fault(kind="gzip_bomb", times=None),  # 1 GiB expanded
    "nested_json": Fault(kind="nested_json", times=None),  # 100,000 levels
    "wrong_types": Fault(kind="wrong_types", times=None),
    "bad_ids": Fault(kind="bad_ids", times=None),
    "redirect": Fault(kind="redirect", status=302, location="http://elsewhere.invalid/api"),
    "tls": None,  # a self-signed certificate
}
"""Each case and the fault that makes it; the defaults are the sizes of the original attacks."""


@dataclass(frozen=True)
class Outcome:
    """How one case ended in the child."""

    case: str
    error: str | None
    message: str
    seconds: float
    baseline_kib: int
    peak_kib: int

    @property
    def extra_mib(self) -> float:
        """What the answer cost on top of the loaded client, in MiB."""
        return (self.peak_kib - self.baseline_kib) / 1024


@contextmanager
def hostile_server(case: str) -> Iterator[FakeClockify]:
    """The test server set up for ``case`` (https with a self-signed certificate for ``tls``)."""
    with tempfile.TemporaryDirectory() as folder:
        tls = server_context("self-signed", Path(folder))[0] if case == "tls" else None
        with FakeClockify("demo", tls=tls) as server:
            yield server


def run_case(case: str, server: FakeClockify, *, timeout: float = 120.0) -> Outcome:
    """Run ``case`` against ``server`` in a child process and read its report."""
    fault = CASES[case]
    if fault is not None:
        if fault.kind == "gzip_bomb":
            gzip_bomb(fault.size or DEFAULT_SIZES["gzip_bomb"])  # compressed before the clock
        server.add_fault(replace(fault))  # a fresh copy: faults count down as they apply
    completed = subprocess.run(
        [sys.executable, "-m", "tests.integration.api.hostile_child", case, server.base_url],
        input=server.api_key,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the {case} child failed:\n{completed.stderr}")
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    return Outcome(case=case, **report)


def _peak_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux


def main(argv: list[str]) -> int:
    """The child: one request with the real defaults; print how it ended, as JSON."""
    import asyncio  # here: the child's own imports count in its baseline

    from tracker.api import ClockifyClient, ClockifyError, RateLimits, RequestBudget, Servers

    _case, base_url = argv  # the case is the parent's fault; named for `ps` and logs
    api_key = sys.stdin.read().strip()

    async def scenario() -> tuple[str | None, str, float, int]:
        async with ClockifyClient(
            api_key, servers=Servers.custom(base_url), budget=RequestBudget(RateLimits())
        ) as api:
            baseline = _peak_kib()
            began = time.perf_counter()
            try:
                await api.workspaces.list()
            except ClockifyError as exc:
                return type(exc).__name__, exc.message, time.perf_counter() - began, baseline
            return None, "accepted", time.perf_counter() - began, baseline

    error, message, seconds, baseline = asyncio.run(scenario())
    report = {
        "error": error,
        "message": message,
        "seconds": round(seconds, 3),
        "baseline_kib": baseline,
        "peak_kib": _peak_kib(),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
