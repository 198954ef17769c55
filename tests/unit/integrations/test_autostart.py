"""Start at login: the XDG entry as real files under a temporary XDG_CONFIG_HOME, the Windows
Run value against a fake winreg, the macOS LaunchAgent in a temporary home, and the doctor
probe."""

from __future__ import annotations

import plistlib
import shlex
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from tracker.integrations.autostart import (
    APP_ID,
    AutostartBackend,
    choose_backend,
    launch_command,
    probe,
)
from tracker.integrations.autostart.macos import MacAutostart
from tracker.integrations.autostart.null import NullAutostart
from tracker.integrations.autostart.windows import RUN_KEY, RUN_VALUE, WindowsAutostart
from tracker.integrations.autostart.xdg import XdgAutostart, exec_line

# --- the launcher ----------------------------------------------------------------------------


def test_the_launcher_is_this_interpreter_running_the_gui() -> None:
    assert launch_command() == [sys.executable, "-m", "tracker", "gui"]


def test_a_frozen_bundle_starts_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/tracker/tracker")
    assert launch_command() == ["/opt/tracker/tracker"]


# --- XDG -------------------------------------------------------------------------------------


def _exec(path: Path) -> str:
    lines = [line for line in path.read_text().splitlines() if line.startswith("Exec=")]
    assert len(lines) == 1
    return lines[0].removeprefix("Exec=")


def test_xdg_writes_and_removes_the_entry(tmp_path: Path) -> None:
    config = tmp_path / "config"
    backend = XdgAutostart(env={"XDG_CONFIG_HOME": str(config)})
    entry = config / "autostart" / "tracker.desktop"
    assert backend.location == str(entry)
    assert not backend.is_enabled()

    backend.enable(["/usr/bin/python3", "-m", "tracker", "gui"])
    assert backend.is_enabled()
    text = entry.read_text()
    assert text.startswith("[Desktop Entry]\n")
    assert "Type=Application\n" in text
    assert "X-GNOME-Autostart-enabled=true\n" in text
    assert f"Icon={APP_ID}\n" in text
    assert _exec(entry) == "/usr/bin/python3 -m tracker gui"
    assert not list(entry.parent.glob("*.tmp"))

    backend.disable()
    assert not entry.exists()
    assert not backend.is_enabled()
    backend.disable()  # already off: fine


def test_xdg_defaults_to_dot_config_and_ignores_a_relative_config_home(tmp_path: Path) -> None:
    for env in ({}, {"XDG_CONFIG_HOME": "relative/dir"}, {"XDG_CONFIG_HOME": ""}):
        backend = XdgAutostart(env=env, home=tmp_path)
        assert backend.path == tmp_path / ".config" / "autostart" / "tracker.desktop"


def test_xdg_entry_switched_off_by_the_desktop_counts_as_off(tmp_path: Path) -> None:
    backend = XdgAutostart(env={"XDG_CONFIG_HOME": str(tmp_path)})
    backend.enable(["tracker"])
    text = backend.path.read_text()
    backend.path.write_text(text.replace("enabled=true", "enabled=false"))
    assert not backend.is_enabled()
    backend.path.write_text(text + "Hidden=true\n")
    assert not backend.is_enabled()
    backend.enable(["tracker"])  # switching on again rewrites the entry
    assert backend.is_enabled()


def test_xdg_exec_quotes_paths_with_spaces_and_specials() -> None:
    assert exec_line(["/opt/My Apps/tracker"]) == '"/opt/My Apps/tracker"'
    assert exec_line(["/a/$HOME/x"]) == '"/a/\\\\$HOME/x"'
    assert exec_line(["/a%b/t"]) == "/a%%b/t"
    # Undo the string-level escape, then the Exec quoting as a shell would: the same argv.
    tricky = ["/opt/My Apps/py", "-m", "tracker", "gui"]
    assert shlex.split(exec_line(tricky).replace("\\\\", "\\")) == tricky


def test_xdg_entry_is_valid_for_desktop_file_validate(tmp_path: Path) -> None:
    validate = "/usr/bin/desktop-file-validate"
    if not Path(validate).exists():
        pytest.skip("desktop-file-validate is not installed")
    backend = XdgAutostart(env={"XDG_CONFIG_HOME": str(tmp_path)})
    backend.enable(["/opt/My Apps/tracker", "gui"])
    done = subprocess.run(
        [validate, str(backend.path)], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- Windows against a fake winreg ----------------------------------------------------------


class FakeKey:
    def __init__(self, registry: FakeWinreg, path: str) -> None:
        self.registry = registry
        self.path = path

    def __enter__(self) -> FakeKey:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class FakeWinreg:
    """The few winreg calls the backend makes, over a dict of (key path, value name)."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_QUERY_VALUE = 1
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], tuple[object, int]] = {}
        self.keys: set[str] = set()
        self.calls: list[str] = []

    def OpenKey(self, root: str, path: str, reserved: int, access: int) -> FakeKey:
        self.calls.append(f"open {root}\\{path} {access}")
        if f"{root}\\{path}" not in self.keys:
            raise FileNotFoundError(path)
        return FakeKey(self, f"{root}\\{path}")

    def CreateKeyEx(self, root: str, path: str, reserved: int, access: int) -> FakeKey:
        self.keys.add(f"{root}\\{path}")
        return FakeKey(self, f"{root}\\{path}")

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[object, int]:
        try:
            return self.values[(key.path, name)]
        except KeyError:
            raise FileNotFoundError(name) from None

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, value: str) -> None:
        self.values[(key.path, name)] = (value, kind)

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        if (key.path, name) not in self.values:
            raise FileNotFoundError(name)
        del self.values[(key.path, name)]


def test_windows_run_value_is_written_quoted_and_deleted() -> None:
    registry = FakeWinreg()
    backend = WindowsAutostart(registry)
    assert not backend.is_enabled()  # no Run key at all yet
    backend.disable()  # nothing to delete: fine

    exe = r"C:\Users\Ann Lee\AppData\Local\Programs\Tracker\tracker.exe"
    backend.enable([exe])
    run = f"HKCU\\{RUN_KEY}"
    assert registry.values == {(run, RUN_VALUE): (f'"{exe}"', FakeWinreg.REG_SZ)}
    assert backend.is_enabled()

    backend.disable()
    assert registry.values == {}
    assert not backend.is_enabled()
    backend.disable()


def test_windows_value_name_matches_the_installer() -> None:
    script = (Path(__file__).parents[3] / "installer.nsi").read_text(encoding="utf-8")
    assert f'!define RUN_VALUE "{RUN_VALUE}"' in script
    assert f'!define RUN_KEY "{RUN_KEY}"' in script
    assert 'DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"' in script  # removed on uninstall


def test_windows_value_set_by_the_installer_counts_as_on() -> None:
    registry = FakeWinreg()
    registry.keys.add(f"HKCU\\{RUN_KEY}")
    registry.values[(f"HKCU\\{RUN_KEY}", RUN_VALUE)] = ('"C:\\T\\tracker.exe"', 1)
    assert WindowsAutostart(registry).is_enabled()


def test_windows_backend_is_not_imported_for_linux() -> None:
    backend = choose_backend(platform="win32")
    assert isinstance(backend, WindowsAutostart)
    assert backend._registry is None  # winreg only on first use


# --- macOS against a temporary home ---------------------------------------------------------


def test_macos_agent_is_written_and_removed(tmp_path: Path) -> None:
    backend = MacAutostart(home=tmp_path)
    agent = tmp_path / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    assert backend.location == str(agent)
    assert not backend.is_enabled()
    backend.enable(["/Applications/Tracker.app/Contents/MacOS/tracker"])
    with agent.open("rb") as file:
        data = plistlib.load(file)
    assert data["Label"] == APP_ID
    assert data["ProgramArguments"] == ["/Applications/Tracker.app/Contents/MacOS/tracker"]
    assert data["RunAtLoad"] is True
    assert backend.is_enabled()
    agent.write_bytes(b"not a plist")
    assert not backend.is_enabled()
    backend.disable()
    assert not agent.exists()
    backend.disable()


def test_macos_id_matches_the_bundle() -> None:
    spec = (Path(__file__).parents[3] / "packaging" / "tracker.spec").read_text(encoding="utf-8")
    assert f'APP_ID = "{APP_ID}"' in spec


# --- the choice and the doctor probe --------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "kind"),
    [
        ("linux", XdgAutostart),
        ("freebsd14", XdgAutostart),
        ("win32", WindowsAutostart),
        ("darwin", MacAutostart),
        ("emscripten", NullAutostart),
    ],
)
def test_the_backend_per_platform(platform: str, kind: type[Any], tmp_path: Path) -> None:
    backend: AutostartBackend = choose_backend(platform=platform, env={}, home=tmp_path)
    assert isinstance(backend, kind)


def test_null_backend_says_why_and_refuses() -> None:
    backend = NullAutostart("no start-at-login support on emscripten")
    assert not backend.is_enabled()
    with pytest.raises(OSError, match="emscripten"):
        backend.enable(["x"])
    backend.disable()
    assert probe(platform="emscripten").line() == "none (no start-at-login support on emscripten)"


def test_probe_names_the_entry_and_its_state(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / ".config")}
    assert probe("linux", env, tmp_path).line() == (
        "XDG autostart (~/.config/autostart/tracker.desktop, off)"
    )
    XdgAutostart(env=env).enable(["tracker"])
    assert probe("linux", env, tmp_path).line() == (
        "XDG autostart (~/.config/autostart/tracker.desktop, on)"
    )
    elsewhere = {"XDG_CONFIG_HOME": str(tmp_path.parent / "elsewhere")}
    assert probe("linux", elsewhere, tmp_path).location.startswith(str(tmp_path.parent))


def test_probe_does_not_import_qt() -> None:
    code = (
        "import sys; from tracker.integrations.autostart import probe; probe().line(); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
