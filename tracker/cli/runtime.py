"""What one CLI call works with: its arguments, the store, the clock, and where output goes.

Everything is opened on first use, so a verb that needs no store (``--version``, ``logout``
without data) never touches SQLite, and none but the network verbs import the API client.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any, TextIO, TypeVar
from urllib.parse import urlsplit

from tracker.domain.timeutil import parse_day, parse_when
from tracker.integrations.paths import store_path
from tracker.services.context import Context, system_clock
from tracker.services.views import Views
from tracker.store import Store
from tracker.store.meta import REFS

if TYPE_CHECKING:
    from tracker.api import Servers
    from tracker.integrations.secrets import SecretStore
    from tracker.services.requests import Request
    from tracker.services.tracker import Tracker

__all__ = ["Runtime", "UserError"]

T = TypeVar("T")

REFERENCES_WAIT = 60.0
"""How long a verb waits for the tray app's round when it fetches the reference data."""

REFERENCES_RETRY = 300.0
"""Seconds after a failed fetch of the reference data before a verb tries again."""

REFERENCES_TRIED = "cli_refs_tried_at"
"""The store's meta key for when a verb last failed to fetch the reference data."""


class UserError(Exception):
    """Something the person can fix; the CLI prints the message and exits with 1."""


class Runtime:
    """One call's context.

    Args:
        args: the parsed command line.
        clock: the current time (aware UTC); tests pin it.
        secret_store: where the API key lives; ``None`` chooses as the app does
            (``CLOCKIFY_API_KEY``, else the OS keyring). Tests pass a ``MemorySecretStore``.
        out: where results go (stdout).
    """

    def __init__(
        self,
        args: argparse.Namespace,
        *,
        clock: Callable[[], datetime] = system_clock,
        secret_store: SecretStore | None = None,
        out: TextIO | None = None,
    ) -> None:
        self.args = args
        self.clock = clock
        self._secret_store = secret_store
        self.out = out or sys.stdout
        self._store: Store | None = None
        self.changed_store = False
        """Set by :meth:`close`: whether this call wrote to the store."""

    @property
    def as_json(self) -> bool:
        """Whether ``--json`` was given."""
        return bool(getattr(self.args, "json", False))

    @property
    def store(self) -> Store:
        """The store, opened on first use."""
        if self._store is None:
            path = store_path()
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError as exc:  # the folder cannot be made: TRACKER_HOME is a file, /proc
                from_env = bool(os.environ.get("TRACKER_HOME", "").strip())
                hint = "TRACKER_HOME" if from_env else "that folder"
                raise UserError(
                    f"Cannot keep the store in {str(path.parent)!r} "
                    f"({exc.strerror or exc}); check {hint}."
                ) from exc
            self._store = Store(path)
        return self._store

    @cached_property
    def context(self) -> Context:
        """The store, clock and current workspace the services share."""
        return Context(self.store, self.clock)

    @cached_property
    def views(self) -> Views:
        """The read-only views (all ``status`` needs)."""
        return Views(self.context)

    @cached_property
    def tracker(self) -> Tracker:
        """Every use case; imported on first use, since read-only verbs do not need it."""
        from tracker.services.tracker import Tracker  # noqa: PLC0415 - see docstring

        return Tracker(self.store, self.clock)

    def act(self, request: Request[T]) -> T:
        """Do what ``request`` asks (see :meth:`Tracker.act`); its result."""
        return self.tracker.act(request).value

    def zone(self) -> tzinfo:
        """The zone days and typed times are read in."""
        return self.context.zone()

    def when(self, text: str) -> datetime:
        """A typed time (``9:30``, ``-15m``, ``yesterday 17:00``, ISO) as aware UTC."""
        return parse_when(text, now=self.clock(), tz=self.zone())

    def day(self, text: str) -> date:
        """A typed day (``today``, ``-1``, ``mon``, ISO)."""
        return parse_day(text, now=self.clock(), tz=self.zone())

    def close(self) -> None:
        """Close the store if it was opened, noting whether this call changed it."""
        if self._store is not None:
            self.changed_store = self._store.conn.total_changes > 0
            self._store.close()
            self._store = None

    def tell_app(self, message: str, timeout: float = 0.5) -> str | None:
        """Send one line to the tray app of this store; its reply, or ``None`` when none runs.

        Costs well under a millisecond when no app runs (no socket to connect to), and never
        loads Qt.
        """
        from tracker.integrations.instance import address, send  # noqa: PLC0415 - rarely needed

        try:
            return send(address(store_path()), message, timeout)
        except OSError:
            return None

    # --- secrets and servers ----------------------------------------------------------------

    def secret_store(self) -> SecretStore:
        """Where the API key is kept (raises :class:`UserError` when there is no safe place)."""
        if self._secret_store is not None:
            return self._secret_store
        from tracker.integrations.secrets import choose_secret_store  # noqa: PLC0415 - keyring is slow to import

        choice = choose_secret_store()
        if choice.store is None:
            raise UserError(f"No safe place for the API key: {choice.reason}.")
        self._secret_store = choice.store
        return choice.store

    def api_key(self) -> str:
        """The API key of this folder's account on this folder's server (raises
        :class:`UserError` when there is none)."""
        from tracker.integrations.secrets import (  # noqa: PLC0415
            EnvSecretStore,
            SecretStoreError,
            api_key_problem,
        )

        secrets = self.secret_store()
        try:
            key = self._stored_key(secrets)
        except SecretStoreError as exc:
            raise UserError(str(exc)) from exc
        if not key:
            raise UserError(
                "No API key yet: run `tracker login`, or set CLOCKIFY_API_KEY to your Clockify "
                "API key."
            )
        problem = api_key_problem(key)
        if problem is not None:
            fix = (
                "set CLOCKIFY_API_KEY to the key exactly as Clockify shows it"
                if isinstance(secrets, EnvSecretStore)
                else "run `tracker login` with the key from Profile settings > API"
            )
            raise UserError(f"{problem}: {fix}.")
        from tracker.api.redaction import register_secret  # noqa: PLC0415 - network verbs only

        register_secret(key)  # masked in a crash report even before a client is built
        return key

    def _stored_key(self, secrets: SecretStore) -> str | None:
        """The key kept for this folder's account and server; a key under the keyring's old
        shared name is used (and moved under its own name) only once Clockify confirmed it
        belongs to this account: one request, in the budget."""
        from tracker.integrations.secrets import (  # noqa: PLC0415
            adopt_legacy,
            api_key_problem,
            find_key,
            key_account_of,
            legacy_may_be_ours,
        )

        account = self.store.meta.account()
        api_url = self.servers().api if account else ""
        name = key_account_of(account, api_url) if account else None
        found = find_key(secrets, name, legacy_ok=legacy_may_be_ours(account, api_url))
        if not found.legacy or found.key is None or name is None or account is None:
            return found.key
        if api_key_problem(found.key) is not None:
            return None  # could never be sent: not a key to confirm
        import asyncio  # noqa: PLC0415 - once, for the old entry

        from tracker.api import ClockifyError, UnauthorizedError  # noqa: PLC0415
        from tracker.sync.connect import key_owner  # noqa: PLC0415

        try:
            owner = asyncio.run(key_owner(self.store, found.key, self.servers()))
        except UnauthorizedError:
            return None  # not a key this server takes: not this account's
        except ClockifyError as exc:
            raise UserError(
                f"The saved API key is from an older version and must be confirmed with "
                f"Clockify first, which could not be reached: {exc.message}"
            ) from exc
        if owner != account.get("user_id"):
            return None  # another account's key, kept by another data folder
        adopt_legacy(secrets, name, found.key)
        return found.key

    def servers(self) -> Servers:
        """The Clockify hosts: ``TRACKER_API_URL`` / ``TRACKER_REPORTS_URL`` /
        ``TRACKER_AUDIT_URL``, else the server chosen in the app's settings (global by
        default)."""
        from tracker.services.preferences import load  # noqa: PLC0415 - network verbs only
        from tracker.sync.servers import servers_for  # noqa: PLC0415 - loads the API

        try:
            servers = servers_for(load(self.store))
        except ValueError as exc:
            raise UserError(str(exc)) from exc
        for url in (servers.api, servers.reports, servers.audit):
            _check_url(url)
        return servers

    # --- reference data -------------------------------------------------------------------

    def key_configured(self) -> bool:
        """Whether Clockify is meant to be used: an account connected, or a key in the
        environment (no keyring is read: the offline verbs never pay for it)."""
        return self.store.meta.account() is not None or bool(
            os.environ.get("CLOCKIFY_API_KEY", "").strip()
        )

    def references_fetched(self) -> bool:
        """Whether the current workspace's projects, tags and clients were ever fetched."""
        workspace = self.store.meta.workspace_id()
        return bool(workspace) and self.store.meta.fetched_at(REFS, str(workspace)) is not None

    def fetch_references_once(self) -> None:
        """Before a verb that lists or names projects, tasks, tags or clients: fetch them
        from Clockify when a key is there and they never were (otherwise the verb would say
        "No projects yet" about a workspace full of them).

        The tray app does it when it runs (one sender per store); else it is done here, in
        the shared request budget. A failure is said in one line on stderr and the verb goes
        on with what is known here.
        """
        if not self.key_configured() or self.references_fetched():
            return
        meta = self.store.meta
        tried = meta.get(REFERENCES_TRIED)
        now = self.clock().timestamp()
        if isinstance(tried, (int, float)) and 0 <= now - tried < REFERENCES_RETRY:
            return  # failed a moment ago: each verb would wait for the network again
        if self.tell_app("sync", timeout=REFERENCES_WAIT) is not None:
            return
        try:
            key = self.api_key()
        except UserError:
            return  # no usable key: the verb shows what is here, `tracker login` fixes it
        import asyncio  # noqa: PLC0415 - the offline verbs never load it

        from tracker.sync.runner import (  # noqa: PLC0415 - loads the API
            SyncBusyError,
            fetch_references,
        )

        try:
            report = asyncio.run(fetch_references(self.store, key, self.servers()))
        except SyncBusyError:
            return  # another process syncs right now: it fetches them
        problem = report.offline or report.error
        if report.auth_required:
            problem = "Clockify refused the API key; run `tracker login`"
        elif report.retry_in:
            problem = f"the request budget is spent for {report.retry_in:.0f} s"
        if problem:
            meta.set(REFERENCES_TRIED, now)
            print(
                f"tracker: could not fetch projects and tags from Clockify ({problem}); "
                "showing what is known here.",
                file=sys.stderr,
            )

    # --- output -----------------------------------------------------------------------------

    def emit(self, data: Any, lines: Iterable[str] = ()) -> None:
        """Print ``data`` as JSON under ``--json``, else the human ``lines``."""
        if self.as_json:
            print(json.dumps(data, indent=2, ensure_ascii=False), file=self.out)
        else:
            for line in lines:
                print(line, file=self.out)


def _check_url(url: str) -> None:
    """Refuse a server URL without a host or with a port no socket can use (``:99999``,
    ``[::1`` without its bracket): the HTTP stack would fail on it with no useful message."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for a port that is not a number in 0-65535
    except ValueError as exc:
        problem = str(exc)
    else:
        if parts.hostname:
            return
        problem = "it names no host"
    raise UserError(
        f"The Clockify server address {url[:100]!r} is not usable ({problem}); check "
        "TRACKER_API_URL and TRACKER_REPORTS_URL, or the server in the app's settings."
    )
