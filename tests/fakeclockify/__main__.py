"""Run the test server as a process: ``python -m tests.fakeclockify [options]``.

Prints one JSON line ``{"base_url", "reports_url", "audit_url", "api_key", "plan", "users"}``
on stdout once it is serving (``api_key`` is the owner's; ``users`` lists every seeded person
of the main workspace as ``{"role", "name", "user_id", "api_key"}``; with ``--tls KIND`` also
``"tls_authority"``: the file of the authority that signed the certificate), then serves
until SIGTERM or SIGINT and exits 0. Logs go to stderr only, so the one stdout line stays
machine-readable for tests that start the app and the server as subprocesses.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType

from tests.fakeclockify.access import PLANS
from tests.fakeclockify.model import FAULT_KINDS, Fault
from tests.fakeclockify.seeds import SEEDS
from tests.fakeclockify.server import FakeClockify
from tests.fakeclockify.tls import TLS_KINDS, server_context

__all__ = ["main", "parse_fault"]

_INT_FIELDS = {"status", "size"}
_FLOAT_FIELDS = {"delay"}
_STR_FIELDS = {"retry_after", "method", "path", "location"}


def parse_fault(text: str) -> Fault:
    """``KIND[:key=value,...]``, e.g. ``status:status=503,times=2,path=/time-entries``."""
    kind, _, rest = text.partition(":")
    if kind not in FAULT_KINDS:
        raise argparse.ArgumentTypeError(f"unknown fault kind {kind!r}")
    fields: dict[str, object] = {}
    for item in filter(None, rest.split(",")):
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep:
            raise argparse.ArgumentTypeError(f"fault option {item!r} is not key=value")
        if key in _INT_FIELDS:
            fields[key] = int(value)
        elif key in _FLOAT_FIELDS:
            fields[key] = float(value)
        elif key == "times":
            fields[key] = None if value.lower() in ("none", "inf", "always") else int(value)
        elif key in _STR_FIELDS:
            fields[key] = value
        else:
            raise argparse.ArgumentTypeError(f"unknown fault option {key!r}")
    return Fault(kind, **fields)  # type: ignore[arg-type]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.fakeclockify", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", choices=SEEDS, default="demo")
    parser.add_argument(
        "--plan",
        choices=PLANS,
        default=None,
        help="the main workspace's plan (default: the seed's paid bundle)",
    )
    parser.add_argument("--large-projects", type=int, default=0)
    parser.add_argument("--large-tasks-per-project", type=int, default=0)
    parser.add_argument("--large-entries", type=int, default=0)
    parser.add_argument("--rate-limit-per-second", type=int, default=None)
    parser.add_argument("--rate-limit-per-hour", type=int, default=None)
    parser.add_argument("--fault", type=parse_fault, action="append", default=[])
    parser.add_argument(
        "--tls", choices=TLS_KINDS, default=None, help="serve https with such a certificate"
    )
    parser.add_argument("--log-level", default="INFO")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Start, announce, serve until a termination signal, stop cleanly."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=args.log_level.upper(),
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    done = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    announcement: dict[str, object] = {}
    tls = None
    if args.tls is not None:
        folder = Path(tempfile.mkdtemp(prefix="fakeclockify-tls-"))
        tls, authority = server_context(args.tls, folder)
        announcement["tls_authority"] = str(authority)
    server = FakeClockify(
        args.seed,
        host=args.host,
        port=args.port,
        plan=args.plan,
        large_projects=args.large_projects,
        large_tasks_per_project=args.large_tasks_per_project,
        large_entries=args.large_entries,
        tls=tls,
    )
    for fault in args.fault:
        server.add_fault(fault)
    if args.rate_limit_per_second is not None or args.rate_limit_per_hour is not None:
        server.set_rate_limit(args.rate_limit_per_second, args.rate_limit_per_hour)
    server.start()
    try:
        announcement = {
            "base_url": server.base_url,
            "reports_url": server.reports_url,
            "audit_url": server.audit_url,
            "api_key": server.api_key,
            "plan": server.state.workspace(server.workspace_id)["featureSubscriptionType"],
            "users": server.announced_users(),
            **announcement,
        }
        sys.stdout.write(json.dumps(announcement) + "\n")
        sys.stdout.flush()
        logging.getLogger("tests.fakeclockify").info("serving on %s", server.origin)
        while not done.wait(0.5):
            pass
    finally:
        server.stop()
    logging.getLogger("tests.fakeclockify").info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
