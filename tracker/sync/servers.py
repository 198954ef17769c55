"""Which Clockify hosts to talk to: the environment's override, else the saved choice.

The app and the CLI both ask here, so ``tracker sync`` reaches the same server the tray app
does. The choice arrives as anything with the preferences' three server fields, since the
preferences live in a layer above this one.

A custom URL must be ``https`` unless it is this machine: the API key goes with every request.
``TRACKER_ALLOW_INSECURE_HTTP=1`` is the person's explicit opt-in to plain ``http`` elsewhere
(a server on the local network, say), for the environment's URL and the saved one alike.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol

from tracker.api import REGIONS, Servers

__all__ = [
    "ALLOW_INSECURE_VAR",
    "API_URL_VAR",
    "AUDIT_URL_VAR",
    "REPORTS_URL_VAR",
    "ServerChoice",
    "insecure_allowed",
    "servers_for",
]

API_URL_VAR = "TRACKER_API_URL"
REPORTS_URL_VAR = "TRACKER_REPORTS_URL"
AUDIT_URL_VAR = "TRACKER_AUDIT_URL"
ALLOW_INSECURE_VAR = "TRACKER_ALLOW_INSECURE_HTTP"


class ServerChoice(Protocol):
    """The server fields of :class:`tracker.services.preferences.Preferences`."""

    @property
    def server(self) -> str: ...

    @property
    def api_url(self) -> str: ...

    @property
    def reports_url(self) -> str: ...


def insecure_allowed(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the person opted in to plain ``http`` to other machines."""
    env = os.environ if environ is None else environ
    return env.get(ALLOW_INSECURE_VAR, "").strip() == "1"


def servers_for(
    prefs: ServerChoice | None,
    environ: Mapping[str, str] | None = None,
    *,
    override: bool = True,
) -> Servers:
    """``TRACKER_API_URL`` (with ``TRACKER_REPORTS_URL`` and ``TRACKER_AUDIT_URL``) when set,
    else the saved choice.

    ``override=False`` checks the saved choice alone (the settings dialog validating what the
    person typed), still honouring the opt-in to plain ``http``.

    Raises:
        ValueError: a URL is not http(s) or the region is unknown, or (``InsecureServerError``)
            a URL is plain http to another machine without the opt-in; the message names
            where the bad value came from.
    """
    env = os.environ if environ is None else environ
    allow_insecure = insecure_allowed(env)
    api = env.get(API_URL_VAR, "").strip() if override else ""
    if api:
        reports = env.get(REPORTS_URL_VAR, "").strip() or None
        audit = env.get(AUDIT_URL_VAR, "").strip() or None
        try:
            return Servers.custom(api, reports, audit, allow_insecure=allow_insecure)
        except ValueError as exc:
            raise type(exc)(f"{API_URL_VAR}: {exc}") from exc
    if prefs is None or prefs.server == "global":
        return Servers()
    if prefs.server in REGIONS:
        return Servers.region(prefs.server)
    if prefs.server == "custom":
        reports = prefs.reports_url.strip() or None
        try:
            return Servers.custom(prefs.api_url.strip(), reports, allow_insecure=allow_insecure)
        except ValueError as exc:
            raise type(exc)(f"the custom server in the settings: {exc}") from exc
    raise ValueError(f"unknown server choice {prefs.server!r} in the settings")
