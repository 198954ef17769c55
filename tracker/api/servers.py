"""Where Clockify lives: the global hosts, the regional ones, or a custom URL.

The main API base is given without ``/v1`` (``https://api.clockify.me/api``) and the Reports
base likewise (``https://reports.api.clockify.me``); paths in this package start at ``/v1``.
Regional Reports use the singular ``/report`` (FACTS §1). The audit log has a host of its own
(``https://auditlog-api.api.clockify.me``, the spec's ``servers`` of its one operation); the
spec names no regional or subdomain audit host, so those keep the global one, and a custom
server's defaults to ``<host>/audit``.

Every request carries the API key, so a custom URL must be ``https``: over plain ``http`` the
key travels readable by anyone on the way. Plain ``http`` is accepted for this machine itself
(127.0.0.0/8, ``::1``, ``localhost``: a test server or a local proxy), and elsewhere only when
the caller says the person opted in (``allow_insecure``).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["REGIONS", "InsecureServerError", "Servers", "is_loopback_host"]

REGIONS: tuple[str, ...] = ("euc1", "use2", "euw2", "apse2")

_SUBDOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
"""One DNS label: what may stand before ``.clockify.me``."""


class InsecureServerError(ValueError):
    """A plain ``http`` URL to another machine, which would send the API key unencrypted."""


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is this machine: ``localhost``, 127.0.0.0/8 or ``::1``."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _checked(url: str, *, allow_insecure: bool) -> str:
    """``url`` without a trailing slash, when it is one tracker may send the key to."""
    url = url.strip().rstrip("/")
    if any(char.isspace() for char in url):
        raise ValueError(f"not an http(s) URL: {url!r}")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise ValueError(f"not an http(s) URL: {url!r}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if parts.scheme == "http" and not allow_insecure and not is_loopback_host(host):
        raise InsecureServerError(
            f"{url} uses plain http, which would send your API key unencrypted to {host}; "
            "use https. (Plain http is accepted for this computer itself, or everywhere with "
            "TRACKER_ALLOW_INSECURE_HTTP=1 in the environment.)"
        )
    return url


@dataclass(frozen=True)
class Servers:
    """The base URLs one account talks to: the main API, Reports and the audit log."""

    api: str = "https://api.clockify.me/api"
    reports: str = "https://reports.api.clockify.me"
    audit: str = "https://auditlog-api.api.clockify.me"

    def base(self, host: str) -> str:
        """The base URL of ``host``: ``api``, ``reports`` or ``audit``."""
        return {"api": self.api, "reports": self.reports, "audit": self.audit}[host]

    @classmethod
    def region(cls, prefix: str) -> Servers:
        """The hosts of a data region such as ``euc1`` (EU) or ``use2`` (USA)."""
        if prefix not in REGIONS:
            raise ValueError(f"unknown Clockify region {prefix!r}; known: {', '.join(REGIONS)}")
        return cls(
            api=f"https://{prefix}.clockify.me/api",
            reports=f"https://{prefix}.clockify.me/report",
        )

    @classmethod
    def subdomain(cls, name: str) -> Servers:
        """The hosts of a workspace on its own subdomain (``acme.clockify.me``).

        Reports use the singular ``/report`` there too (FACTS §1); such a workspace needs an
        API key made in that workspace's own profile settings.
        """
        label = name.strip().lower()
        if not _SUBDOMAIN.fullmatch(label) or label in REGIONS:
            raise ValueError(f"not a Clockify subdomain: {name!r}")
        return cls(
            api=f"https://{label}.clockify.me/api",
            reports=f"https://{label}.clockify.me/report",
        )

    @classmethod
    def custom(
        cls,
        api: str,
        reports: str | None = None,
        audit: str | None = None,
        *,
        allow_insecure: bool = False,
    ) -> Servers:
        """A custom deployment or a test server; Reports default to ``<host>/report``, the
        audit log to ``<host>/audit``.

        Raises:
            InsecureServerError: a URL is plain ``http`` to another machine and
                ``allow_insecure`` is not set (the person did not opt in).
            ValueError: a URL is not an http(s) URL with a host.
        """
        api = _checked(api, allow_insecure=allow_insecure)
        if reports is None:
            reports = f"{api.removesuffix('/api')}/report"
        if audit is None:
            audit = f"{api.removesuffix('/api')}/audit"
        return cls(
            api=api,
            reports=_checked(reports, allow_insecure=allow_insecure),
            audit=_checked(audit, allow_insecure=allow_insecure),
        )
