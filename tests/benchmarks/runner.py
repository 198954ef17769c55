"""Find, run and report benchmarks.

Exit codes: 0 all selected benchmarks ran, 1 at least one raised (its traceback goes to
stderr, the others still run), 2 usage error such as an unknown name.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import platform
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TextIO

from tests.benchmarks import REGISTRY, Figure, Registry

PACKAGE = "tests.benchmarks"


def discover(package: str = PACKAGE) -> list[str]:
    """Import every ``bench_*`` module of ``package`` so that its benchmarks register."""
    module = importlib.import_module(package)
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(module.__path__)
        if info.name.startswith("bench_")
    )
    for name in names:
        importlib.import_module(f"{package}.{name}")
    return names


@dataclass
class Result:
    """What one benchmark produced, or how it failed."""

    name: str
    seconds: float
    figures: list[Figure] = field(default_factory=list)
    error: str | None = None


def run(registry: Registry, names: Sequence[str], err: TextIO) -> list[Result]:
    """Run the named benchmarks in order; a failure is reported and the rest still run."""
    results = []
    for name in names:
        started = time.perf_counter()
        try:
            figures = list(registry.benchmarks[name]())
        except Exception as exc:  # a broken benchmark must not hide the others' figures
            traceback.print_exc(file=err)
            results.append(Result(name, time.perf_counter() - started, error=repr(exc)))
        else:
            results.append(Result(name, time.perf_counter() - started, figures))
    return results


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def table(results: Sequence[Result]) -> str:
    """An aligned plain-text table, one row per figure."""
    rows = [("benchmark", "figure", "value", "unit", "note")]
    for result in results:
        if result.error is not None:
            rows.append((result.name, "FAILED", "", "", result.error))
        for figure in result.figures:
            row = (result.name, figure.name, _number(figure.value), figure.unit, figure.note)
            rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for row in rows:
        name, figure_name, value, unit, note = row
        line = (
            f"{name:<{widths[0]}}  {figure_name:<{widths[1]}}  "
            f"{value:>{widths[2]}}  {unit:<{widths[3]}}  {note}"
        )
        lines.append(line.rstrip())
    return "\n".join(lines)


def as_json(results: Sequence[Result]) -> str:
    """Machine-readable results, with enough context to compare runs."""
    document: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.system(),
        "benchmarks": [asdict(result) for result in results],
    }
    return json.dumps(document, indent=2)


def main(
    argv: Sequence[str] | None = None,
    *,
    registry: Registry | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Command-line entry; ``registry`` replaces discovery (for the runner's own tests)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks", description="Run benchmarks and print their figures."
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (all)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--list", action="store_true", help="list benchmark names and exit")
    args = parser.parse_args(argv)

    if registry is None:
        discover()
        registry = REGISTRY
    known = sorted(registry.benchmarks)
    if args.list:
        for name in known:
            doc = (registry.benchmarks[name].__doc__ or "").strip().splitlines()
            out.write(f"{name}  {doc[0] if doc else ''}".rstrip() + "\n")
        return 0
    unknown = [name for name in args.names if name not in registry.benchmarks]
    if unknown:
        err.write(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(known) or 'none'}\n"
        )
        return 2
    selected = list(dict.fromkeys(args.names)) or known
    results = run(registry, selected, err)
    if args.json:
        out.write(as_json(results) + "\n")
    elif results:
        out.write(table(results) + "\n")
    else:
        out.write("no benchmarks found (modules tests/benchmarks/bench_*.py)\n")
    return 1 if any(result.error for result in results) else 0
