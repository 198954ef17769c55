"""The suite's guards hold: run a small inner test session with a copy of tests/conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

INNER_TESTS = """
import logging
import os
import socket
import threading
from pathlib import Path

import keyring
import pytest
from keyring.errors import NoKeyringError


def test_connect_beyond_loopback():
    with socket.socket() as sock, pytest.raises(RuntimeError, match="only loopback"):
        sock.connect(("192.0.2.1", 443))


def test_swallowed_lookup():
    try:
        socket.getaddrinfo("example.com", 443)
    except Exception:
        pass  # code under test that hides the error must not pass


def test_loopback_and_unix_sockets_work(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(path)
        server.listen()
        client.connect(path)


def test_user_data_is_isolated():
    home = Path(os.environ["TRACKER_HOME"])
    assert home.is_dir()
    assert not any(home.iterdir())
    assert "CLOCKIFY_API_KEY" not in os.environ
    assert "TRACKER_API_URL" not in os.environ


def test_keyring_raises_outside_desktop_tests():
    with pytest.raises(NoKeyringError):
        keyring.get_password("tracker", "me")


def get(server, path):
    import httpx

    with httpx.Client(trust_env=False) as http:
        return http.get(server.base_url + path, headers={"X-Api-Key": server.api_key})


def test_contract_clean_exchange(clockify):
    assert get(clockify, "/v1/user").status_code == 200


def test_contract_violation(clockify):
    get(clockify, f"/v1/workspaces/{clockify.workspace_id}/projects?pageSize=5")


def test_contract_violation_allowed_in_this_test(clockify, contract):
    contract.allow(
        "GET", "/v1/workspaces/{workspaceId}/projects", "request", "query pageSize: *", "test"
    )
    get(clockify, f"/v1/workspaces/{clockify.workspace_id}/projects?pageSize=5")


@pytest.mark.desktop("secret-service")
def test_needs_a_secret_service():
    pass


def test_log_unexpected_warning():
    logging.getLogger("tracker.inner").warning("surprise %d", 1)


def test_log_error_in_a_thread():
    thread = threading.Thread(target=lambda: logging.getLogger("tracker.inner").error("far"))
    thread.start()
    thread.join()


def test_log_info_is_fine():
    logging.getLogger("tracker.inner").info("fine")


def test_log_declared_on_a_parent_logger(caplog):
    with caplog.at_level(logging.WARNING, logger="tracker"):
        logging.getLogger("tracker.inner").warning("expected")
    caplog.set_level(logging.ERROR, logger="tracker.inner")
    logging.getLogger("tracker.inner").critical("expected too")


def test_log_declared_for_another_logger(caplog):
    with caplog.at_level(logging.WARNING, logger="tracker.other"):
        logging.getLogger("tracker.inner").warning("not declared here")


def test_log_level_set_by_the_code_is_no_declaration():
    logger = logging.getLogger("tracker.quiet")
    logger.setLevel(logging.WARNING)  # as the app does for noisy libraries
    try:
        logger.warning("still a surprise")
    finally:
        logger.setLevel(logging.NOTSET)


@pytest.mark.desktop("cmd:sh")
def test_needs_only_a_program_that_exists():
    pass
"""


def run_inner(tmp_path: Path, *, ci: bool) -> dict[str, tuple[str, str]]:
    """Run the inner tests; map each test name to (outcome, message)."""
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    (tmp_path / "test_inner.py").write_text(INNER_TESTS)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    desktop: needs a desktop\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "CI", "PYTEST_ADDOPTS"}
    }
    env.update(PYTHONPATH=str(ROOT), CLOCKIFY_API_KEY="real-key", TRACKER_API_URL="https://x")
    if ci:
        env["CI"] = "true"
    report = tmp_path / "report.xml"
    plugins_off = ["-p", "no:cacheprovider", "-p", "no:pytest-qt", "-p", "no:hypothesispytest"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *plugins_off, f"--junitxml={report}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert report.exists(), result.stdout + result.stderr
    outcomes: dict[str, tuple[str, str]] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for child in case:
            if child.tag in {"failure", "error", "skipped"}:
                outcome, message = child.tag, f"{child.get('message', '')}\n{child.text or ''}"
        outcomes[case.get("name", "")] = (outcome, message)
    return outcomes


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    return run_inner(tmp_path_factory.mktemp("inner"), ci=False)


def test_network_beyond_loopback_is_refused_even_when_swallowed(
    local: dict[str, tuple[str, str]],
) -> None:
    outcome, message = local["test_connect_beyond_loopback"]
    assert outcome == "error"
    assert "connect to ('192.0.2.1', 443)" in message
    outcome, message = local["test_swallowed_lookup"]
    assert outcome == "error"
    assert "resolve 'example.com'" in message


def test_loopback_unix_sockets_user_data_and_keyring(local: dict[str, tuple[str, str]]) -> None:
    for name in (
        "test_loopback_and_unix_sockets_work",
        "test_user_data_is_isolated",
        "test_keyring_raises_outside_desktop_tests",
        "test_needs_only_a_program_that_exists",
    ):
        assert local[name][0] == "passed", local[name]


def test_clockify_fixture_checks_the_contract(local: dict[str, tuple[str, str]]) -> None:
    assert local["test_contract_clean_exchange"][0] == "passed", local
    assert local["test_contract_violation_allowed_in_this_test"][0] == "passed", local
    outcome, message = local["test_contract_violation"]
    assert outcome == "error"
    assert "query pageSize: undeclared" in message


def test_unexpected_log_records_fail_the_test(local: dict[str, tuple[str, str]]) -> None:
    for name, said in [
        ("test_log_unexpected_warning", "WARNING on logger 'tracker.inner': surprise 1"),
        ("test_log_error_in_a_thread", "ERROR on logger 'tracker.inner': far"),
        ("test_log_declared_for_another_logger", "not declared here"),
        ("test_log_level_set_by_the_code_is_no_declaration", "still a surprise"),
    ]:
        outcome, message = local[name]
        assert outcome == "error", (name, outcome, message)
        assert said in message, (name, message)
        assert "test_inner.py:" in message  # where it was logged


def test_declared_log_records_and_info_pass(local: dict[str, tuple[str, str]]) -> None:
    for name in ("test_log_info_is_fine", "test_log_declared_on_a_parent_logger"):
        assert local[name][0] == "passed", local[name]


def test_missing_desktop_needs_skip_locally(local: dict[str, tuple[str, str]]) -> None:
    outcome, message = local["test_needs_a_secret_service"]
    assert outcome == "skipped"
    assert "no D-Bus session bus" in message


def test_missing_desktop_needs_fail_in_ci(tmp_path: Path) -> None:
    outcome, message = run_inner(tmp_path, ci=True)["test_needs_a_secret_service"]
    assert outcome == "error"
    assert "CI=true" in message
