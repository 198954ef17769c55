"""The Clockify REST client: async, budgeted, retrying, with typed errors and models."""

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
    NotFoundError,
    PaginationError,
    RateLimitedError,
    ResponseFormatError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from tracker.api.retry import RetryPolicy
from tracker.api.servers import REGIONS, Servers

__all__ = [
    "FREE_PLAN",
    "PAID_PLAN",
    "REGIONS",
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
    "TransportError",
    "UnauthorizedError",
]
