"""The Clockify REST client: async, budgeted, retrying, with typed errors and models.

Names are loaded on first use (PEP 562): the app's log setup needs only the redaction
helpers, and must not pay for httpx and pydantic before the tray is on screen.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

# httpx imports its command-line client, and with it click, rich and pygments (about 10 MiB),
# whenever those happen to be installed beside it (developer tools pull them in). The app never
# runs that client; a None entry makes the import fail, and httpx then defines a stub instead.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

# pydantic looks for plugins by reading the entry points of every installed distribution
# when it builds its first model: a scan of the whole environment, and any plugin found
# (a tracing or logging one a developer installed) would change how Clockify's answers are
# validated. The app uses none; pydantic's documented switch turns the scan off.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

if TYPE_CHECKING:
    from tracker.api.budget import (
        FREE_PLAN,
        PAID_PLAN,
        BudgetLedger,
        BudgetState,
        MemoryLedger,
        RateLimits,
        RequestBudget,
    )
    from tracker.api.client import ClockifyClient
    from tracker.api.errors import (
        ApiConnectionError,
        ApiStatusError,
        ApiTimeoutError,
        BadRequestError,
        BudgetExhaustedError,
        ClockifyError,
        ForbiddenError,
        InvalidIdError,
        NotFoundError,
        PaginationError,
        RateLimitedError,
        ResponseFormatError,
        ServerError,
        TlsError,
        TransportError,
        UnauthorizedError,
    )
    from tracker.api.pagination import CEILING, PAST_TOTAL, REPEATED_PAGE
    from tracker.api.resources.reports import (
        FREE_REPORT_DAYS,
        ExportCancelledError,
        ReportsResource,
        days_limit,
    )
    from tracker.api.retry import RetryPolicy
    from tracker.api.servers import REGIONS, InsecureServerError, Servers
    from tracker.api.session import REQUEST_DEADLINE

__all__ = [
    "CEILING",
    "FREE_PLAN",
    "FREE_REPORT_DAYS",
    "PAID_PLAN",
    "PAST_TOTAL",
    "REGIONS",
    "REPEATED_PAGE",
    "REQUEST_DEADLINE",
    "ApiConnectionError",
    "ApiStatusError",
    "ApiTimeoutError",
    "BadRequestError",
    "BudgetExhaustedError",
    "BudgetLedger",
    "BudgetState",
    "ClockifyClient",
    "ClockifyError",
    "ExportCancelledError",
    "ForbiddenError",
    "InsecureServerError",
    "InvalidIdError",
    "MemoryLedger",
    "NotFoundError",
    "PaginationError",
    "RateLimitedError",
    "RateLimits",
    "ReportsResource",
    "RequestBudget",
    "ResponseFormatError",
    "RetryPolicy",
    "ServerError",
    "Servers",
    "TlsError",
    "TransportError",
    "UnauthorizedError",
    "days_limit",
]

_HOMES = {
    "CEILING": "tracker.api.pagination",
    "ExportCancelledError": "tracker.api.resources.reports",
    "FREE_REPORT_DAYS": "tracker.api.resources.reports",
    "PAST_TOTAL": "tracker.api.pagination",
    "REPEATED_PAGE": "tracker.api.pagination",
    "ReportsResource": "tracker.api.resources.reports",
    "days_limit": "tracker.api.resources.reports",
    "ApiConnectionError": "tracker.api.errors",
    "ApiStatusError": "tracker.api.errors",
    "ApiTimeoutError": "tracker.api.errors",
    "BadRequestError": "tracker.api.errors",
    "BudgetExhaustedError": "tracker.api.errors",
    "BudgetLedger": "tracker.api.budget",
    "BudgetState": "tracker.api.budget",
    "ClockifyClient": "tracker.api.client",
    "ClockifyError": "tracker.api.errors",
    "FREE_PLAN": "tracker.api.budget",
    "ForbiddenError": "tracker.api.errors",
    "InsecureServerError": "tracker.api.servers",
    "InvalidIdError": "tracker.api.errors",
    "MemoryLedger": "tracker.api.budget",
    "NotFoundError": "tracker.api.errors",
    "PAID_PLAN": "tracker.api.budget",
    "PaginationError": "tracker.api.errors",
    "REGIONS": "tracker.api.servers",
    "REQUEST_DEADLINE": "tracker.api.session",
    "RateLimitedError": "tracker.api.errors",
    "RateLimits": "tracker.api.budget",
    "RequestBudget": "tracker.api.budget",
    "ResponseFormatError": "tracker.api.errors",
    "RetryPolicy": "tracker.api.retry",
    "ServerError": "tracker.api.errors",
    "Servers": "tracker.api.servers",
    "TlsError": "tracker.api.errors",
    "TransportError": "tracker.api.errors",
    "UnauthorizedError": "tracker.api.errors",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'tracker.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
