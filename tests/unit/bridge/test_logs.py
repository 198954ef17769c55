"""The log file: private, rotating, never holding the API key, fed by Qt and uncaught errors."""

from __future__ import annotations

import logging
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qWarning
from pytestqt.qtbot import QtBot

from tracker.api.redaction import register_secret
from tracker.bridge import logs

SECRET = "logs-test-key-0123456789abcdef"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Leave the root logger, the hooks and Qt's handler as the test found them."""
    root = logging.getLogger()
    level = root.level
    hooks = (sys.excepthook, threading.excepthook)
    yield
    logs.shutdown_logging()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


def test_log_dir_follows_tracker_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert logs.log_dir(tmp_path) == tmp_path / "logs"
    monkeypatch.setenv("TRACKER_HOME", str(tmp_path / "home"))
    assert logs.log_dir() == tmp_path / "home" / "logs"


def test_file_is_private_and_keyless(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    register_secret(SECRET)
    path = logs.setup_logging(tmp_path)
    assert path == tmp_path / "logs" / logs.LOG_FILE
    logging.getLogger("tracker.test").info("key is %s", SECRET)
    logging.getLogger("tracker.test").info("header X-Api-Key: %s", "unregistered-value-1")
    try:
        raise ValueError(f"failed with {SECRET}")
    except ValueError:
        with caplog.at_level(logging.ERROR, logger="tracker.test"):
            logging.getLogger("tracker.test").exception("boom")
    text = path.read_text()
    assert SECRET not in text
    assert "unregistered-value-1" not in text
    assert "key is ***" in text
    assert "ValueError: failed with ***" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert logs.recent_lines(2)[-1].endswith("ValueError: failed with ***")


def test_a_loose_existing_file_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / logs.LOG_FILE).write_text("old\n")
    (folder / logs.LOG_FILE).chmod(0o644)
    path = logs.setup_logging(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_rotated_generations_stay_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup_logging(tmp_path)
    for number in range(100):
        logging.getLogger("tracker.test").info("line %d %s", number, "x" * 50)
    rotated = sorted(path.parent.glob(logs.LOG_FILE + ".*"))
    assert [p.name for p in rotated] == [f"{logs.LOG_FILE}.{n}" for n in (1, 2, 3)]
    for file in [path, *rotated]:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_setup_again_replaces_its_handlers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = len(logging.getLogger().handlers)
    logs.setup_logging(tmp_path)
    logs.setup_logging(tmp_path)
    assert len(logging.getLogger().handlers) == before + 2
    with caplog.at_level(logging.WARNING, logger="tracker.test"):
        logging.getLogger("tracker.test").warning("once")
    assert logs.recent_lines().count(logs.recent_lines()[-1]) == 1


def test_warnings_go_to_stderr_redacted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    register_secret(SECRET)
    logs.setup_logging(tmp_path)
    logging.getLogger("tracker.test").info("quiet")
    with caplog.at_level(logging.WARNING, logger="tracker.test"):
        logging.getLogger("tracker.test").warning("loud %s", SECRET)
    err = capsys.readouterr().err
    assert "loud ***" in err
    assert "quiet" not in err
    assert SECRET not in err


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged(
    tmp_path: Path, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    register_secret(SECRET)
    path = logs.setup_logging(tmp_path)
    logs.install_excepthook()
    ran: list[bool] = []

    def slot() -> None:
        ran.append(True)
        raise RuntimeError(f"slot broke near {SECRET}")

    with caplog.at_level(logging.ERROR, logger="tracker"):
        QTimer.singleShot(0, slot)
        qtbot.waitUntil(lambda: "slot broke" in path.read_text())
    text = path.read_text()
    assert ran == [True]
    assert "uncaught exception" in text
    assert "RuntimeError: slot broke near ***" in text
    assert SECRET not in text


def test_an_exception_in_a_thread_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = logs.setup_logging(tmp_path)
    logs.install_excepthook()

    def work() -> None:
        raise LookupError("thread broke")

    thread = threading.Thread(target=work, name="worker-test")
    with caplog.at_level(logging.ERROR, logger="tracker"):
        thread.start()
        thread.join()
    text = path.read_text()
    assert "uncaught exception in worker-test" in text
    assert "LookupError: thread broke" in text


def test_qt_warnings_reach_the_log(
    tmp_path: Path, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    register_secret(SECRET)
    path = logs.setup_logging(tmp_path)
    with caplog.at_level(logging.WARNING, logger="qt"):
        qWarning(f"a qt warning with {SECRET}")
    text = path.read_text()
    assert "qt: a qt warning with ***" in text


def test_a_key_in_the_environment_is_masked_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "env-only-key-9d8c7b6a5f4e3d2c"
    monkeypatch.setenv("CLOCKIFY_API_KEY", key)
    path = logs.setup_logging(tmp_path)
    logging.getLogger("tracker.test").info("started with %s", key)
    assert key not in path.read_text()
    assert "started with ***" in path.read_text()
