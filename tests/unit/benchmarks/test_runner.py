"""The benchmark runner runs registered benchmarks and reports their figures."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.benchmarks import Figure, Registry
from tests.benchmarks.runner import main

ROOT = Path(__file__).resolve().parents[3]


def dummy_registry() -> Registry:
    registry = Registry()

    @registry.benchmark("dummy")
    def dummy() -> Iterator[Figure]:
        """Two figures, one of them fractional."""
        yield Figure("requests", 100, "count")
        yield Figure("median", 0.4213, "ms", "loopback")

    @registry.benchmark("broken")
    def broken() -> list[Figure]:
        raise RuntimeError("boom")

    return registry


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), registry=dummy_registry(), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_table_lists_every_figure() -> None:
    code, out, _ = call("dummy")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["benchmark", "figure", "value", "unit", "note"]
    assert lines[1].split() == ["dummy", "requests", "100", "count"]
    assert lines[2].split() == ["dummy", "median", "0.421", "ms", "loopback"]
    assert lines[1].index("100") + len("100") == lines[2].index("0.421") + len("0.421")


def test_no_benchmarks_says_so() -> None:
    out = io.StringIO()
    assert main([], registry=Registry(), out=out, err=io.StringIO()) == 0
    assert "no benchmarks" in out.getvalue()


def test_json_output() -> None:
    code, out, _ = call("--json", "dummy")
    assert code == 0
    document = json.loads(out)
    (result,) = document["benchmarks"]
    assert result["name"] == "dummy"
    assert result["error"] is None
    assert result["figures"][1] == {
        "name": "median",
        "value": 0.4213,
        "unit": "ms",
        "note": "loopback",
    }


def test_failing_benchmark_is_reported_and_the_others_still_run() -> None:
    code, out, err = call()
    assert code == 1
    assert "RuntimeError: boom" in err
    assert "broken" in out
    assert "FAILED" in out
    assert "median" in out


def test_unknown_name_exits_2() -> None:
    code, out, err = call("dummy", "nope")
    assert code == 2
    assert out == ""
    assert "unknown benchmark(s): nope" in err
    assert "known: broken, dummy" in err


def test_list_shows_names_and_first_doc_line() -> None:
    code, out, _ = call("--list")
    assert code == 0
    assert out.splitlines() == ["broken", "dummy  Two figures, one of them fractional."]


def test_module_entry_point_discovers_bench_modules() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks", "--list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
