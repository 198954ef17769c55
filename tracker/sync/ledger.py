"""The request budget's state, kept in the store so every process spends one allowance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TypeVar

from tracker.api.budget import BudgetState
from tracker.store import Store
from tracker.store.meta import BUDGET

__all__ = ["StoreBudgetLedger"]

R = TypeVar("R")


class StoreBudgetLedger:
    """A :class:`~tracker.api.budget.BudgetLedger` on the store's ``meta`` table.

    The read-change-write runs in one ``BEGIN IMMEDIATE`` transaction, so the tray app and a
    CLI call cannot both take the last slot of the hour.
    """

    def __init__(self, store: Store, key: str = BUDGET) -> None:
        self._meta = store.meta
        self._key = key

    def update(self, change: Callable[[BudgetState], R]) -> R:
        def apply(raw: object) -> tuple[object, R]:
            state = BudgetState(**raw) if isinstance(raw, dict) else BudgetState()
            result = change(state)
            return asdict(state), result

        return self._meta.update(self._key, apply)
