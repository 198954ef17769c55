"""Verbs that talk to Clockify or about the setup: login, logout, workspace, whoami, sync,
doctor. Only these load the API client and the keyring (this module is imported for them
alone), so the offline verbs stay fast."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import json
import sys
import time
from collections.abc import Coroutine
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from tracker.api import ClockifyClient, ClockifyError, UnauthorizedError
from tracker.cli.output import table
from tracker.cli.runtime import Runtime, UserError
from tracker.domain.model import WorkspaceRules
from tracker.integrations.paths import store_path
from tracker.integrations.secrets import (
    LEGACY_ACCOUNT,
    EnvSecretStore,
    SecretStoreError,
    adopt_legacy,
    api_key_problem,
    choose_secret_store,
    find_key,
    key_account,
    key_account_of,
)
from tracker.services import LOCAL_WORKSPACE
from tracker.services.health import health
from tracker.store import StoreError
from tracker.store.report_cache import ReportCache
from tracker.sync.account import (
    WorkspaceChoiceError,
    choose_workspace,
    keep_workspace_rates,
    workspace_info,
)
from tracker.sync.connect import connect_key
from tracker.sync.runner import SyncBusyError, budget_for, report_json, sync_now

__all__ = [
    "cmd_doctor",
    "cmd_login",
    "cmd_logout",
    "cmd_sync",
    "cmd_whoami",
    "cmd_workspace",
]

T = TypeVar("T")


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run a network coroutine; Clockify's failures become user errors with its message."""
    try:
        return asyncio.run(work)
    except UnauthorizedError as exc:
        raise UserError(
            f"Clockify refused the API key ({exc.message}). Get a new key under Profile "
            "settings > API in Clockify and run `tracker login`."
        ) from exc
    except ClockifyError as exc:
        raise UserError(exc.message) from exc


def _client(rt: Runtime, api_key: str) -> ClockifyClient:
    budget = budget_for(rt.store, rt.store.meta.workspace_id())
    return ClockifyClient(api_key, servers=rt.servers(), budget=budget)


# --- login and logout -----------------------------------------------------------------------


def _read_key() -> str:
    try:
        if sys.stdin.isatty():
            return getpass.getpass("Clockify API key (Profile settings > API): ").strip()
        return sys.stdin.readline().strip()
    except EOFError:  # Ctrl+D at the prompt
        return ""
    except UnicodeDecodeError as exc:
        raise UserError(
            "The API key given is not text in the terminal's character set; paste the key "
            "from Clockify's Profile settings > API."
        ) from exc


def cmd_login(rt: Runtime) -> int:
    """Check an API key with Clockify, keep it in the keyring, and connect the workspace.

    The key comes from ``CLOCKIFY_API_KEY`` when set (then it is not stored: it already lives
    in the environment), else from a hidden prompt, or from stdin when that is not a terminal.
    Connecting is :func:`tracker.sync.connect.connect_key`, the same as in the settings.
    """
    secrets = rt.secret_store()
    from_env = isinstance(secrets, EnvSecretStore)
    key = find_key(secrets, None).key if from_env else _read_key()
    if not key:
        raise UserError("No API key given.")
    problem = api_key_problem(key)
    if problem is not None:
        where = "set CLOCKIFY_API_KEY to" if from_env else "paste"
        raise UserError(f"{problem}: {where} the key exactly as Clockify shows it.")

    servers = rt.servers()

    def keep(checked: str, user_id: str) -> None:
        adopt_legacy(secrets, key_account(servers.api, user_id), checked)

    work = connect_key(
        rt.store, key, servers, keep=None if from_env else keep, wanted=rt.args.workspace
    )
    try:
        connected = _run(work)
    except WorkspaceChoiceError as exc:
        raise UserError(str(exc)) from exc
    except SecretStoreError as exc:
        raise UserError(f"The key is valid but could not be stored: {exc}") from exc
    where = "CLOCKIFY_API_KEY" if from_env else secrets.backend_name()
    account = dict(rt.store.meta.account() or {})
    lines = [
        f"Logged in as {connected.name or '(no name)'} <{connected.email}>",
        f"Workspace    {connected.workspace_name()}",
        f"Key          {where}",
    ]
    if connected.moved:
        lines.append(
            f"{connected.moved} local entries will be sent to this workspace by `tracker sync`."
        )
    lines.append("Run `tracker sync` to fetch projects and entries.")
    data = {
        **account,
        "workspace_id": connected.workspace_id,
        "key_store": where,
        "moved_entries": connected.moved,
    }
    rt.emit(data, lines)
    return 0


def cmd_logout(rt: Runtime) -> int:
    """Forget the API key and the account; entries stay, and unsent ones wait for a login."""
    lines = []
    try:
        secrets = rt.secret_store()
    except UserError:
        secrets = None  # no keyring here, so no key was kept in one
    if isinstance(secrets, EnvSecretStore):
        lines.append("The key comes from CLOCKIFY_API_KEY; unset it to log out fully.")
    elif secrets is not None:
        try:
            for name in _key_names(rt):
                secrets.delete(name)
            shared = secrets.get(LEGACY_ACCOUNT) is not None
        except SecretStoreError as exc:
            raise UserError(str(exc)) from exc
        if shared:
            lines.append(
                "A key an older version kept under one shared name stays in the keyring: "
                "another data folder may use it (this one no longer does)."
            )
    store = rt.store
    workspace = rt.context.workspace_id
    pending, _ = store.entries.counts(workspace)
    store.meta.set_account(None)
    ReportCache(store.conn).clear()  # Clockify's reports leave with the account
    lines.insert(0, "Logged out; the API key was removed.")
    if pending and workspace != LOCAL_WORKSPACE:
        lines.append(f"{pending} changes were not sent yet; they are kept for the next login.")
    rt.emit({"logged_out": True, "unsent": pending}, lines)
    return 0


def _key_names(rt: Runtime) -> set[str]:
    """Where this folder's key may be kept: its account on the server chosen now, and on the
    server it was connected on (another folder's keys are never touched)."""
    account = rt.store.meta.account()
    urls = {str(account.get("api_url") or "")} if account else set()
    with contextlib.suppress(UserError):  # not usable: the recorded one still names the key
        urls.add(rt.servers().api)
    names = {key_account_of(account, url) for url in urls if url}
    return {name for name in names if name}


# --- workspaces and account -----------------------------------------------------------------


def cmd_workspace(rt: Runtime) -> int:
    """List workspaces, or switch with ``workspace use NAME|ID``."""
    args = rt.args
    store = rt.store
    if args.refresh or (args.action == "use" and not store.meta.workspaces()):
        _run(_refresh_workspaces(rt, rt.api_key()))
    known = store.meta.workspaces()
    if args.action == "use":
        try:
            chosen = choose_workspace([(w.id, w.name) for w in known], args.name, fallback=[])
        except WorkspaceChoiceError as exc:
            raise UserError(str(exc)) from exc
        store.meta.set_workspace_id(chosen)
        info = store.meta.workspace(chosen)
        name = info.name if info else chosen
        rt.emit(
            {"workspace_id": chosen, "name": name},
            [f"Now using workspace {name}. `tracker sync` fetches its projects and entries."],
        )
        return 0
    current = rt.context.workspace_id
    data = [
        {
            "id": w.id,
            "name": w.name,
            "current": w.id == current,
            "free_plan": w.free_plan,
            "rules": {
                key: (value.isoformat() if isinstance(value, datetime) else value)
                for key, value in asdict(w.rules).items()
            },
        }
        for w in known
    ]
    rows = [["*" if w.id == current else "", w.name, _rules_text(w.rules), w.id] for w in known]
    lines = (
        table(["", "workspace", "requires", "id"], rows)
        if rows
        else ["No workspaces known: `tracker login` connects Clockify (local-only until then)."]
    )
    rt.emit(data, lines)
    return 0


async def _refresh_workspaces(rt: Runtime, key: str) -> None:
    async with _client(rt, key) as api:
        for workspace in await api.workspaces.list():
            rt.store.meta.save_workspace(workspace_info(workspace))
            keep_workspace_rates(rt.store, workspace)


def _rules_text(rules: WorkspaceRules) -> str:
    words = [
        word
        for word, on in (
            ("project", rules.require_project),
            ("task", rules.require_task),
            ("tags", rules.require_tags),
            ("description", rules.require_description),
        )
        if on
    ]
    if rules.locked_before is not None:
        words.append(f"locked before {rules.locked_before:%Y-%m-%d}")
    return ", ".join(words) or "-"


def cmd_whoami(rt: Runtime) -> int:
    """Check the API key with Clockify and show the account it belongs to."""
    report = _run(_account_report(rt, rt.api_key()))
    lines = [
        f"{report['name'] or '(no name)'} <{report['email']}>",
        f"time zone  {report['time_zone']}, week starts {report['week_start']}",
    ]
    for ws in report["workspaces"]:
        marker = "*" if ws["id"] == report["active_workspace"] else " "
        lines.append(f"{marker} {ws['name']}  ({ws['id']})")
    rt.emit(report, lines)
    return 0


async def _account_report(rt: Runtime, api_key: str) -> dict[str, Any]:
    async with _client(rt, api_key) as api:
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


# --- sync and doctor ------------------------------------------------------------------------


APP_SYNC_WAIT = 60.0
"""How long ``tracker sync`` waits for the tray app's round."""

LEASE_WAIT = 5.0
"""How long ``tracker sync`` waits for another process's round to end before giving up."""


def cmd_sync(rt: Runtime) -> int:
    """One sync round: send what changed here, fetch what changed in Clockify.

    When the tray app runs on this store, it runs the round (one sender per store) and this
    prints its summary; otherwise the round runs here.
    """
    key = rt.api_key()
    data = _sync_by_app(rt)
    if data is None:
        report = _run_sync(lambda: sync_now(rt.store, key, rt.servers(), lease_wait=LEASE_WAIT))
        data = report_json(report)
    rt.emit(data, _sync_lines(data))
    if data.get("auth_required"):
        raise UserError("Clockify refused the API key; run `tracker login` with a new key.")
    if data.get("offline"):
        raise UserError(f"Clockify could not be reached: {data['offline']}")
    if data.get("error"):
        raise UserError(f"Sync stopped: {data['error']}")
    return 0


def _sync_lines(data: dict[str, Any]) -> list[str]:
    """The round's summary, then one line for each thing worth a look."""
    counts = ", ".join(
        f"{data.get(key, 0)} {word}"
        for key, word in (
            ("created", "created"),
            ("updated", "updated"),
            ("deleted", "deleted"),
            ("pulled", "fetched"),
        )
    )
    by_app = " by the tray app" if data.get("by_app") else ""
    lines = [f"Sync: {counts} ({data.get('requests', 0)} requests){by_app}"]
    for entry_id, reason in data.get("parked") or ():
        lines.append(f"  needs attention {entry_id[:8]}: {reason}")
    if data.get("conflicts"):
        lines.append(
            f"  {data['conflicts']} fields changed on both sides: the local value was kept"
        )
    if data.get("retry_in"):
        lines.append(f"  The request budget is spent; the rest goes in {data['retry_in']:.0f} s.")
    lines.extend(_unclear_lines(data))
    rejected = data.get("rejected") or ()
    if rejected:
        lines.append(
            f"  Skipped {len(rejected)} item(s) Clockify sent that tracker cannot read "
            "(see `tracker doctor`):"
        )
        lines.extend(f"    {item or 'no id'}: {reason}" for item, reason in rejected[:5])
    if data.get("pending"):
        lines.append(f"  {data['pending']} changes still waiting")
    return lines


def _unclear_lines(data: dict[str, Any]) -> list[str]:
    if not data.get("unclear"):
        return []
    recheck = f" (next look in {data['recheck_in']:.0f} s)" if data.get("recheck_in") else ""
    return [
        f"  {data['unclear']} sent without a clear answer: tracker looks for them on "
        f"Clockify before sending anything again{recheck}"
    ]


def _sync_by_app(rt: Runtime) -> dict[str, Any] | None:
    """Ask the tray app for a round and wait for its summary; ``None`` when no app runs."""
    reply = rt.tell_app("sync", timeout=APP_SYNC_WAIT)
    if reply is None:
        return None
    if not reply:
        raise UserError(
            f"The tray app took the request but gave no summary within {APP_SYNC_WAIT:.0f} s; "
            "it goes on syncing in the background."
        )
    try:
        data = json.loads(reply)
    except ValueError as exc:
        raise UserError(f"The tray app answered something unexpected: {reply[:200]!r}") from exc
    if not isinstance(data, dict):
        raise UserError(f"The tray app answered something unexpected: {reply[:200]!r}")
    if data.get("error"):
        raise UserError(f"The tray app could not sync: {data['error']}")
    data.setdefault("complete", bool(data.get("ok")))
    data["by_app"] = True
    return data


def _run_sync(call: Any) -> Any:
    try:
        return call()
    except SyncBusyError as exc:
        raise UserError(str(exc)) from exc
    except ClockifyError as exc:
        raise UserError(exc.message) from exc
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def cmd_doctor(rt: Runtime) -> int:
    """What the tracker knows about its setup, and what looks wrong.

    A store that cannot be opened or read, or that holds damaged rows, is reported (what is
    wrong, which file, the way out) beside everything else, and the exit code is 1.
    """
    from tracker.integrations.autostart import probe as autostart_probe  # noqa: PLC0415
    from tracker.integrations.hotkeys import probe as hotkeys_probe  # noqa: PLC0415 - doctor only
    from tracker.integrations.idle import probe as idle_probe  # noqa: PLC0415 - doctor only
    from tracker.integrations.notify import probe as notify_probe  # noqa: PLC0415

    probes = {
        "hotkeys": hotkeys_probe().line(),
        "idle": idle_probe().line(),
        "autostart": autostart_probe().line(),
        "notifications": notify_probe().line(),
    }
    key_store = choose_secret_store().reason
    path = store_path()
    try:
        found = health(rt.context, path, key_store, **probes)
        problems = rt.store.check()
    except StoreError as exc:
        report, lines = _unreadable_store(path, key_store, str(exc), probes)
        rt.emit(report, lines)
        return 1
    report = found.report()
    lines = found.lines()
    if channel := _channel_problem():
        report["instance"] = channel
        lines.append(f"Problem      {channel}")
    hooks_report, hooks_lines, hooks_problem = _hooks()
    report["hooks"] = hooks_report
    lines.extend(hooks_lines)
    if problems:
        report["store_problems"] = problems
        lines.extend(f"Problem      {problem}" for problem in problems)
    if rt.args.online:
        report["server"] = _reachability(rt)
        lines.append(f"Server       {report['server']}")
    rt.emit(report, lines)
    return 1 if problems or hooks_problem else 0


def _hooks() -> tuple[dict[str, Any], list[str], bool]:
    """The hooks the app runs (from the hooks file), or why that file cannot be used."""
    from tracker.integrations.hooks import HookError, hooks_path, load  # noqa: PLC0415

    path = hooks_path()
    try:
        hooks = load(path)
    except HookError as exc:
        return {"file": str(path), "problem": str(exc)}, [f"Problem      {exc}"], True
    report: dict[str, Any] = {
        "file": str(path),
        "hooks": [{"on": h.on, "run": list(h.command), "timeout": h.timeout} for h in hooks],
    }
    if not hooks:
        return report, [f"Hooks        none ({path})"], False
    lines = [f"Hooks        {len(hooks)} in {path}"]
    lines.extend(f"  {h.on:<16} {h.text()}  (timeout {h.timeout:g} s)" for h in hooks)
    return report, lines, False


def _unreadable_store(
    path: Path, key_store: str, problem: str, probes: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """The doctor's report when the store cannot be read: the problem, and what needs no
    store."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    report: dict[str, Any] = {
        "store": str(path),
        "store_bytes": size,
        "store_problems": [problem],
        "key_store": key_store,
        **probes,
    }
    lines = [
        f"Store        {path} ({size // 1024} KiB)",
        f"Problem      {problem}",
        f"API key      {key_store}",
        f"Hotkeys      {probes['hotkeys']}",
        f"Idle         {probes['idle']}",
        f"Autostart    {probes['autostart']}",
        f"Notify       {probes['notifications']}",
    ]
    return report, lines


def _channel_problem() -> str | None:
    """Why the tray app could not use its single-instance socket here, or ``None``."""
    from tracker.integrations.instance import UnsafeChannelError, address, verify  # noqa: PLC0415

    try:
        verify(address(store_path()))
    except UnsafeChannelError as exc:
        return str(exc)
    return None


def _reachability(rt: Runtime) -> str:
    try:
        key = rt.api_key()
    except UserError as exc:
        return f"not checked: {exc}"

    async def probe() -> float:
        began = time.monotonic()
        async with _client(rt, key) as api:
            await api.user.current()
        return time.monotonic() - began

    try:
        took = asyncio.run(probe())
    except ClockifyError as exc:
        return f"unreachable or refused: {exc.message}"
    return f"reachable, key accepted ({took * 1000:.0f} ms)"
