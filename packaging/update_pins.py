"""Write ``constraints.txt``: the exact version of every package CI and the bundle install.

    python3 packaging/update_pins.py             # the newest releases pyproject.toml allows
    .venv/bin/python packaging/update_pins.py --current   # what this environment has now

pyproject.toml keeps ranges, for people installing from source; ``tests/run`` and the bundle
build install with ``-c constraints.txt`` so a new release (a PySide6 that crashes, say) cannot
change a build between two runs of the same commit. Without ``--current`` the script installs
``.[test,package]`` into a throwaway virtual environment and pins what pip chose there; run
``bash tests/run`` afterwards and commit the file with the fix the new versions needed, if any.

Only packages installed on the system the script runs on are pinned (taken on Linux, the
Windows-only ``pywin32-ctypes`` or ``tzdata`` stay free). Run it by path, like build.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
PROJECT = "tracker"
EXTRAS = frozenset({"test", "package"})
UNPINNED = frozenset({"pip", "setuptools", "wheel"})
"""Build tools stay free, as in ``pip freeze``: a pin on setuptools would also bind the
isolated build of tracker itself (pyproject.toml asks for setuptools>=77 there)."""


def pinned_closure(project: str = PROJECT, extras: frozenset[str] = EXTRAS) -> dict[str, str]:
    """``name -> version`` of everything ``project[extras]`` needs, as installed here."""
    found: dict[str, str] = {}
    done: set[tuple[str, frozenset[str]]] = set()
    todo = [(project, extras)]
    while todo:
        name, wanted = todo.pop()
        key = canonicalize_name(name)
        if (key, wanted) in done:
            continue
        done.add((key, wanted))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # only another system (or Python) installs it
        if key != canonicalize_name(project) and key not in UNPINNED:
            found[dist.metadata["Name"]] = dist.version
        for text in dist.requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is not None and not any(
                marker.evaluate({"extra": extra}) for extra in (wanted or {""})
            ):
                continue
            todo.append((requirement.name, frozenset(requirement.extras)))
    return found


def render(pins: dict[str, str], how: str) -> str:
    """The constraints file's text, sorted, with a header that says how to renew it."""
    lines = [
        "# Exact versions for CI (tests/run) and the bundle (packaging/build.py); pyproject.toml",
        "# keeps the ranges. Renew with: python3 packaging/update_pins.py (see its docstring).",
        f"# {how}, Python {sys.version_info.major}.{sys.version_info.minor} on {sys.platform}.",
    ]
    lines += [f"{name}=={pins[name]}" for name in sorted(pins, key=str.lower)]
    return "\n".join(lines) + "\n"


def fresh_pins() -> str:
    """Install ``.[test,package]`` into a new environment and pin what it got."""
    with tempfile.TemporaryDirectory(prefix="tracker-pins-") as folder:
        env = Path(folder) / "venv"
        venv.create(env, with_pip=True)
        python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
        subprocess.run(  # noqa: S603 - our own interpreter and project, no shell
            [str(python), "-m", "pip", "install", "-q", f"{ROOT}[{','.join(sorted(EXTRAS))}]"],
            check=True,
        )
        done = subprocess.run(  # noqa: S603 - as above
            [str(python), str(Path(__file__).resolve()), "--print", "--how", "newest allowed"],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--current", action="store_true", help="pin this environment's versions")
    parser.add_argument("--print", action="store_true", help="print instead of writing the file")
    parser.add_argument("--how", default="this environment", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    text = render(pinned_closure(), args.how) if args.current or args.print else fresh_pins()
    if args.print:
        sys.stdout.write(text)
    else:
        CONSTRAINTS.write_text(text, encoding="utf-8")
        print(f"wrote {CONSTRAINTS} ({text.count('==')} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
