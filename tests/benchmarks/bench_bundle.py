"""What the PyInstaller bundle costs: its size on disk and its start-up beside
``python -m tracker gui``, on the same display in the same run.

The bundle is ``dist/tracker`` when it is there (built by ``packaging/build.py``), else it is
built into a temporary folder first (about a minute). ``TRACKER_BENCH_REBUILD=1`` builds
even when ``dist/tracker`` exists; ``TRACKER_BENCH_RUNS`` sets the start-up runs (default 5).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from tests.benchmarks import Figure, benchmark
from tests.benchmarks.gui_helpers import app_command, display, spawn_to_exit

REPO = Path(__file__).resolve().parents[2]


def _bundle(stack: ExitStack) -> tuple[Path, str]:
    """The bundle folder to measure, and where it came from."""
    existing = REPO / "dist" / "tracker"
    if (existing / "tracker").exists() and os.environ.get("TRACKER_BENCH_REBUILD") != "1":
        return existing, "dist/tracker as built"
    out = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py"), "--dist", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=900,
    )
    return out / "tracker", "built for this run"


def _disk_usage(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@benchmark("bundle_startup")
def bundle_startup() -> Iterator[Figure]:
    """Spawn to ``--exit-when-ready`` exit: the bundle against ``python -m tracker gui``."""
    shown = display()
    runs = max(1, int(os.environ.get("TRACKER_BENCH_RUNS", "5")))
    with ExitStack() as stack:
        bundle, origin = _bundle(stack)
        home = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = shown.environ(home)
        cases = {
            "bundle": [str(bundle / "tracker"), "gui", "--exit-when-ready"],
            "python -m tracker": app_command("--exit-when-ready"),
        }
        for command in cases.values():  # warm the page cache and the .pyc files
            spawn_to_exit(command, env)
        walls: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):  # interleaved, so drift in the machine hits both alike
            for name, command in cases.items():
                walls[name].append(spawn_to_exit(command, env).wall)
        size = _disk_usage(bundle)
    how = f"median of {runs}, {shown.name}; spawn to exit 0, warm cache"
    for name in cases:
        yield Figure(f"{name}: wall", statistics.median(walls[name]) * 1000, "ms", how)
    yield Figure("bundle size", size / 2**20, "MiB", f"{origin}; files, symlinks not followed")
