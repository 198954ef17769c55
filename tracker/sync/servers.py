"""Which Clockify hosts to talk to: the environment's override, else the saved choice.

The app and the CLI both ask here, so ``tracker sync`` reaches the same server the tray app
does. The choice arrives as anything with the preferences' three server fields, since the
preferences live in a layer above this one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol

from tracker.api import REGIONS, Servers

__all__ = ["API_URL_VAR", "REPORTS_URL_VAR", "ServerChoice", "servers_for"]

API_URL_VAR = "TRACKER_API_URL"
REPORTS_URL_VAR = "TRACKER_REPORTS_URL"


class ServerChoice(Protocol):
    """The server fields of :class:`tracker.services.preferences.Preferences`."""

    @property
    def server(self) -> str: ...

    @property
    def api_url(self) -> str: ...

    @property
    def reports_url(self) -> str: ...


def servers_for(prefs: ServerChoice | None, environ: Mapping[str, str] | None = None) -> Servers:
    """``TRACKER_API_URL`` (with ``TRACKER_REPORTS_URL``) when set, else the saved choice.

    Raises:
        ValueError: a URL is not http(s) or the region is unknown; the message names where
            the bad value came from.
    """
    env = os.environ if environ is None else environ
    api = env.get(API_URL_VAR, "").strip()
    if api:
        try:
            return Servers.custom(api, env.get(REPORTS_URL_VAR, "").strip() or None)
        except ValueError as exc:
            raise ValueError(f"{API_URL_VAR}: {exc}") from exc
    if prefs is None or prefs.server == "global":
        return Servers()
    if prefs.server in REGIONS:
        return Servers.region(prefs.server)
    if prefs.server == "custom":
        try:
            return Servers.custom(prefs.api_url.strip(), prefs.reports_url.strip() or None)
        except ValueError as exc:
            raise ValueError(f"the custom server in the settings: {exc}") from exc
    raise ValueError(f"unknown server choice {prefs.server!r} in the settings")
