"""Benchmarks: figures about speed and cost, printed by ``python -m tests.benchmarks``.

A benchmark is a function without arguments in a module ``tests/benchmarks/bench_*.py``,
registered with ``@benchmark("name")`` and returning its figures. Benchmarks are not part of
the test command: they measure, they do not pass or fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["REGISTRY", "BenchmarkFn", "Figure", "Registry", "benchmark"]


@dataclass(frozen=True)
class Figure:
    """One measured number, e.g. ``Figure("median", 0.42, "ms", "100 requests")``."""

    name: str
    value: float
    unit: str
    note: str = ""


BenchmarkFn = Callable[[], Iterable[Figure]]


class Registry:
    """Benchmarks by name; a separate instance keeps the runner's own tests isolated."""

    def __init__(self) -> None:
        self.benchmarks: dict[str, BenchmarkFn] = {}

    def benchmark(self, name: str) -> Callable[[BenchmarkFn], BenchmarkFn]:
        """Register the decorated function under ``name`` (names are unique)."""

        def register(fn: BenchmarkFn) -> BenchmarkFn:
            existing = self.benchmarks.get(name)
            if existing is not None and existing is not fn:
                raise ValueError(f"benchmark {name!r} is registered twice")
            self.benchmarks[name] = fn
            return fn

        return register


REGISTRY = Registry()
benchmark = REGISTRY.benchmark
