"""Guards and fixtures shared by the whole suite.

The guards keep every test away from the machine's real resources: no network beyond
loopback, no real keyring outside desktop tests, and no real user data (``TRACKER_HOME``
points at a fresh folder). A log record at WARNING or above that a test did not declare
fails it (``tests/helpers/logfail.py``), and so does a Qt warning (``qt_log_level_fail`` in
pyproject.toml). Desktop tests declare what they need with
``@pytest.mark.desktop("display", "secret-service", ...)``; when it is missing they are
skipped, or fail when ``CI=true`` so a broken CI machine cannot pass by skipping.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import shutil
import socket
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import keyring
import keyring.core
import pytest
from hypothesis import settings
from keyring.backends import fail

from tests.contract import ContractLog
from tests.fakeclockify import FakeClockify
from tests.helpers.clock import FakeClock
from tests.helpers.logfail import LogFailHandler
from tracker.domain.model import Profile
from tracker.store import Store

# Qt widgets need a platform before the first QApplication: offscreen unless a desktop run
# (tests/run sets QT_QPA_PLATFORM=xcb there) chose a real one.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.core.qobject.connect=false")

DESKTOP_NEEDS_HELP = (
    "display (an X server in DISPLAY), dbus (a D-Bus session bus), "
    "secret-service (a Secret Service on that bus), cmd:NAME (a program on PATH)"
)


def in_ci() -> bool:
    """``CI=true`` turns 'cannot run here' into a failure instead of a skip."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# Property tests explore new examples on every developer run, but CI replays a fixed set:
# a landing must not depend on whether today's random draw finds an old bug.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if in_ci() else "dev")


# --- network guard -------------------------------------------------------------------------


class NetworkAccessForbidden(RuntimeError):
    """A test tried to reach beyond loopback.

    Not an ``OSError`` on purpose: code under test that treats ``OSError`` as "offline"
    must not swallow it and pass.
    """


def _loopback_host(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host.lower() in {"", "localhost", "localhost.localdomain"}:
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


@pytest.fixture(autouse=True)
def _network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refuse connections and name lookups beyond loopback; Unix sockets (D-Bus) stay allowed."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) and address else address
            if not _loopback_host(host):
                attempts.append(f"connect to {address!r}")
                raise NetworkAccessForbidden(
                    f"test tried to connect to {address!r}: only loopback is allowed in tests"
                )

    def connect(self: socket.socket, address: Any) -> None:
        check(self, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and not _loopback_host(name):
            attempts.append(f"resolve {name!r}")
            raise NetworkAccessForbidden(
                f"test tried to resolve {name!r}: only loopback names are allowed in tests"
            )
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    if attempts:
        pytest.fail(
            "network access beyond loopback (even if the code under test caught the error): "
            + "; ".join(attempts),
            pytrace=False,
        )


# --- surprises in the log ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fail_on_unexpected_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A record at WARNING or above that the test did not declare fails it (see logfail)."""

    def current_capture() -> logging.Handler | None:
        try:
            return caplog.handler
        except KeyError:  # between pytest's phases there is no capture handler
            return None

    handler = LogFailHandler(current_capture)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if handler.unexpected:
        pytest.fail(handler.report(), pytrace=False)


# --- user data and secrets -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Point ``TRACKER_HOME`` at a fresh folder and drop the user's API settings."""
    home = tmp_path_factory.mktemp("tracker-home")
    monkeypatch.setenv("TRACKER_HOME", str(home))
    for name in ("CLOCKIFY_API_KEY", "TRACKER_API_URL", "TRACKER_REPORTS_URL"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(autouse=True)
def _no_real_keyring(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside desktop tests, any use of the global keyring raises instead of touching it."""
    if request.node.get_closest_marker("desktop") is not None:
        return
    # Registers the current backend (possibly not yet detected) for restoring at teardown.
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    keyring.set_keyring(fail.Keyring())
    # The same for the processes a test starts (the app's keyring helper among them).
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


# --- desktop prerequisites -----------------------------------------------------------------


def _missing_display() -> str | None:
    display = os.environ.get("DISPLAY", "")
    if not display:
        return "no X display (DISPLAY is not set)"
    local = re.fullmatch(r":(\d+)(\.\d+)?", display)
    if local and not Path(f"/tmp/.X11-unix/X{local.group(1)}").exists():
        return f"no X server listening on DISPLAY={display}"
    return None


def _missing_dbus() -> str | None:
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not address:
        return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
    path = re.search(r"unix:path=([^,;]+)", address)
    if path and not Path(path.group(1)).exists():
        return f"D-Bus session bus socket {path.group(1)} does not exist"
    return None


def _missing_secret_service() -> str | None:
    if reason := _missing_dbus():
        return reason
    try:
        import secretstorage
    except ImportError:
        return "the secretstorage package is not installed"
    try:
        connection = secretstorage.dbus_init()
    except secretstorage.exceptions.SecretStorageException as exc:
        return f"cannot connect to the D-Bus session bus: {exc}"
    try:
        if not secretstorage.check_service_availability(connection):
            return "no Secret Service (org.freedesktop.secrets) on the session bus"
    finally:
        connection.close()
    return None


_PROBES: dict[str, Callable[[], str | None]] = {
    "display": _missing_display,
    "dbus": _missing_dbus,
    "secret-service": _missing_secret_service,
}


def desktop_missing(need: str) -> str | None:
    """Why ``need`` is unavailable here, or ``None`` when it is available."""
    if need.startswith("cmd:"):
        program = need.removeprefix("cmd:")
        return None if shutil.which(program) else f"program {program!r} is not installed"
    probe = _PROBES.get(need)
    if probe is None:
        raise ValueError(f"unknown desktop need {need!r}; known: {DESKTOP_NEEDS_HELP}")
    return probe()


def _require_desktop(*needs: str) -> None:
    """Skip the running test (fail it under ``CI=true``) unless every need is available."""
    reasons = [reason for need in needs if (reason := desktop_missing(need))]
    if not reasons:
        return
    message = "desktop test cannot run: " + "; ".join(reasons)
    if in_ci():
        pytest.fail(message + " (CI=true: desktop tests must run, not skip)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def require_desktop() -> Callable[..., None]:
    """``require_desktop("cmd:xdotool")`` checks, inside a test, a need known only at run time."""
    return _require_desktop


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Check the needs a ``desktop`` marker declares; a bare marker needs an X display."""
    marker = item.get_closest_marker("desktop")
    if marker is not None:
        _require_desktop(*(marker.args or ("display",)))


# --- time and the store ----------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    """The time the code under test sees (Monday 2026-03-02 09:00 UTC); tests move it.

    A folder whose tests need another start overrides this fixture with ``FakeClock(start)``.
    """
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A migrated store in a real SQLite file, with a UTC profile and an 8-hour working day.

    UTC, so wall-clock times in tests read as written; the capacity gives "today" a goal.
    """
    with Store(tmp_path / "tracker.sqlite3") as opened:
        opened.meta.save_profile(Profile(time_zone="UTC", daily_capacity=timedelta(hours=8)))
        yield opened


# --- the Clockify test server ----------------------------------------------------------------


@pytest.fixture
def contract() -> Iterator[ContractLog]:
    """Records the test's exchanges; at teardown fails on any violation the allow-list lacks.

    ``contract.allow(...)`` tolerates a deviation in one test (e.g. a deliberately bad request).
    """
    log = ContractLog()
    yield log
    if report := log.report():
        pytest.fail(report, pytrace=False)


@pytest.fixture
def clockify_factory(contract: ContractLog) -> Iterator[Callable[..., FakeClockify]]:
    """Start more contract-checked test servers: ``clockify_factory(seed="empty", ...)``."""
    with ExitStack() as stack:

        def start(**kwargs: Any) -> FakeClockify:
            server = stack.enter_context(FakeClockify(**kwargs))
            server.add_listener(contract.record)
            return server

        yield start


@pytest.fixture
def clockify(clockify_factory: Callable[..., FakeClockify]) -> FakeClockify:
    """A running test server with the ``demo`` seed; every exchange is contract-checked."""
    return clockify_factory(seed="demo")


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Show how desktop tests will behave, so a skip is never a surprise."""
    mode = "fail" if in_ci() else "skip"
    return [f"desktop tests {mode} when their needs are missing (CI={os.environ.get('CI', '')!r})"]
