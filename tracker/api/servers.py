"""Where Clockify lives: the global hosts, the regional ones, or a custom URL.

The main API base is given without ``/v1`` (``https://api.clockify.me/api``) and the Reports
base likewise (``https://reports.api.clockify.me``); paths in this package start at ``/v1``.
Regional Reports use the singular ``/report`` (FACTS §1).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REGIONS", "Servers"]

REGIONS: tuple[str, ...] = ("euc1", "use2", "euw2", "apse2")


@dataclass(frozen=True)
class Servers:
    """The two base URLs one account talks to."""

    api: str = "https://api.clockify.me/api"
    reports: str = "https://reports.api.clockify.me"

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
    def custom(cls, api: str, reports: str | None = None) -> Servers:
        """A custom deployment or a test server; Reports default to ``<host>/report``."""
        api = api.rstrip("/")
        if not api.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {api!r}")
        if reports is None:
            host = api.removesuffix("/api")
            reports = f"{host}/report"
        return cls(api=api, reports=reports.rstrip("/"))
