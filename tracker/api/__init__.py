"""The Clockify REST client: async, budgeted, retrying, with typed errors and models.

Names are loaded on first use (PEP 562): the app's log setup needs only the redaction
helpers, and must not pay for httpx and pydantic before the tray is on screen.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

# httpx imports its command-line client, and with it click, rich and pygments (about 10 MiB),
# whenever those happen to be installed beside it (developer tools pull them in). The app never
# runs that client; a None entry makes the import fail, and httpx then defines a stub instead.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

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
    from tracker.api.retry import RetryPolicy
    from tracker.api.servers import REGIONS, InsecureServerError, Servers
    from tracker.api.session import REQUEST_DEADLINE

__all__ = [
    "FREE_PLAN",
    "PAID_PLAN",
    "REGIONS",
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
    "ForbiddenError",
    "InsecureServerError",
    "InvalidIdError",
    "MemoryLedger",
    "NotFoundError",
    "PaginationError",
    "RateLimitedError",
    "RateLimits",
    "RequestBudget",
    "ResponseFormatError",
    "RetryPolicy",
    "ServerError",
    "Servers",
    "TlsError",
    "TransportError",
    "UnauthorizedError",
]

_HOMES = {
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
