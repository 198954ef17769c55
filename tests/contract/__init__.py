"""Contract checks of the suite's HTTP exchanges against the official Clockify OpenAPI document."""

from tests.contract.allowlist import ALLOWLIST, Allowance
from tests.contract.checker import (
    ContractChecker,
    ContractLog,
    ExchangeLike,
    SpecMissingError,
    Violation,
    not_allowed,
    shared_checker,
    spec_file,
)

__all__ = [
    "ALLOWLIST",
    "Allowance",
    "ContractChecker",
    "ContractLog",
    "ExchangeLike",
    "SpecMissingError",
    "Violation",
    "not_allowed",
    "shared_checker",
    "spec_file",
]
