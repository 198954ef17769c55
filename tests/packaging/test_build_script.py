"""packaging/build.py's own pieces, without building anything (the main suite runs these)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build() -> ModuleType:
    """build.py loaded by path: ``packaging/`` is deliberately not an importable package."""
    spec = importlib.util.spec_from_file_location("tracker_build", REPO / "packaging" / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("version", "numeric"),
    [
        ("0.1.0", "0.1.0.0"),
        ("1.2", "1.2.0.0"),
        ("0.2.0rc1", "0.2.0.0"),
        ("1.0.0+local.5", "1.0.0.0"),
    ],
)
def test_numeric_version_fits_the_windows_version_resource(
    build: ModuleType, version: str, numeric: str
) -> None:
    assert build.numeric_version(version) == numeric


def test_ico_holds_one_png_per_size_and_256_is_written_as_zero(build: ModuleType) -> None:
    pngs = {16: b"\x89PNG-a", 256: b"\x89PNG-bbb"}
    data = build.ico_bytes(pngs)
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 2)
    entries = [struct.unpack("<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]) for i in range(2)]
    assert [(e[0], e[1]) for e in entries] == [(16, 16), (0, 0)]
    for entry, blob in zip(entries, (pngs[16], pngs[256]), strict=True):
        size, offset = entry[6], entry[7]
        assert data[offset : offset + size] == blob


def test_the_version_comes_from_pyproject(build: ModuleType) -> None:
    import tracker

    assert build.project_version() == tracker.__version__


def test_the_installer_and_the_app_share_one_run_value() -> None:
    script = (REPO / "installer.nsi").read_text(encoding="utf-8")
    assert '!define RUN_KEY "Software\\Microsoft\\Windows\\CurrentVersion\\Run"' in script
    assert '!define RUN_VALUE "Tracker"' in script
    assert "RequestExecutionLevel user" in script


# --- pinned versions ---------------------------------------------------------------------------


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"tracker_{name}", REPO / "packaging" / name)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_version_other_than_the_pin_is_named(build: ModuleType, tmp_path: Path) -> None:
    pluggy = importlib.metadata.version("pluggy")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(
        "# a comment\n"
        "pytest==0.0.1\n"
        f"pluggy=={pluggy}  # the installed one\n"
        "surely-not-installed-here==1.0\n",
        encoding="utf-8",
    )
    installed = importlib.metadata.version("pytest")
    assert build.pin_mismatches(constraints) == [f"pytest {installed} (pinned 0.0.1)"]


def test_the_build_refuses_unpinned_versions(
    build: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("pytest==0.0.1\n", encoding="utf-8")
    monkeypatch.setattr(build, "CONSTRAINTS", constraints)
    with pytest.raises(build.BuildError, match=r"pytest .* \(pinned 0\.0\.1\).*--unpinned"):
        build.check_pins()


def test_the_pins_cover_everything_ci_installs_and_nothing_else() -> None:
    """constraints.txt is what packaging/update_pins.py makes of this environment, which
    tests/run installs from constraints.txt: a dependency added to pyproject.toml without
    renewing the pins fails here."""
    pins = _load("update_pins.py")
    wanted = pins.pinned_closure()
    assert "PySide6_Essentials" in wanted
    assert "tracker" not in wanted
    assert "setuptools" not in wanted  # build tools stay free
    written = (REPO / "constraints.txt").read_text(encoding="utf-8")
    body = [line for line in written.splitlines() if not line.startswith("#")]
    assert body == [line for line in pins.render(wanted, "").splitlines() if "==" in line], (
        "constraints.txt differs from this environment: "
        ".venv/bin/python -m pip install -c constraints.txt -e '.[test,package]', "
        "or renew the pins (README, Development)"
    )
