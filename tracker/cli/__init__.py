"""The ``tracker`` command line.

It never imports Qt, so a call starts fast. Exit codes: 0 success, 1 a failure with a message
for the person, 2 a usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from tracker import __version__
from tracker.api import ClockifyClient, ClockifyError, Servers
from tracker.integrations.secrets import SecretStoreError, choose_secret_store

__all__ = ["main"]

ACCOUNT = "default"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return _check(as_json=args.json)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracker", description="A tray time tracker for Clockify that keeps working offline."
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser(
        "check", help="check the API key with Clockify and show the account it belongs to"
    )
    check.add_argument("--json", action="store_true", help="print JSON")
    return parser


def servers_from_env() -> Servers:
    """The Clockify hosts: ``TRACKER_API_URL`` / ``TRACKER_REPORTS_URL`` or the global ones."""
    api = os.environ.get("TRACKER_API_URL")
    if not api:
        return Servers()
    return Servers.custom(api, os.environ.get("TRACKER_REPORTS_URL") or None)


def _check(*, as_json: bool) -> int:
    choice = choose_secret_store()
    if choice.store is None:
        return _fail(f"No place to read the API key from: {choice.reason}.")
    try:
        api_key = choice.store.get(ACCOUNT)
    except SecretStoreError as exc:
        return _fail(str(exc))
    if not api_key:
        return _fail("No API key yet. Set CLOCKIFY_API_KEY to your Clockify API key.")
    try:
        report = asyncio.run(_account_report(api_key, servers_from_env()))
    except ClockifyError as exc:
        return _fail(exc.message)
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{report['name'] or '(no name)'} <{report['email']}>")
        print(f"time zone  {report['time_zone']}, week starts {report['week_start']}")
        for ws in report["workspaces"]:
            marker = "*" if ws["id"] == report["active_workspace"] else " "
            print(f"{marker} {ws['name']}  ({ws['id']})")
    return 0


async def _account_report(api_key: str, servers: Servers) -> dict[str, Any]:
    async with ClockifyClient(api_key, servers=servers) as api:
        user = await api.user.current()
        workspaces = await api.workspaces.list()
    settings = user.settings
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "time_zone": settings.time_zone if settings else None,
        "week_start": settings.week_start if settings else None,
        "active_workspace": user.active_workspace,
        "workspaces": [{"id": ws.id, "name": ws.name} for ws in workspaces],
    }


def _fail(message: str) -> int:
    print(f"tracker: {message}", file=sys.stderr)
    return 1
