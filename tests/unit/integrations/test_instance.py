"""The single-instance channel: one app per store, and one line each way with the CLI."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tracker.bridge.instance import InstanceServer, Reply, claim
from tracker.integrations.instance import MAX_UNIX_PATH, address, send

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="socket files are a Unix thing")


def in_thread(qtbot: QtBot, work: Callable[[], object]) -> object:
    """Run ``work`` (a blocking client call) while the Qt loop serves; return its result."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=10_000)
    return result[0]


@pytest.fixture
def channel(tmp_path: Path) -> str:
    return address(tmp_path / "tracker.sqlite3")


@pytest.fixture
def claimed(channel: str, qtbot: QtBot) -> InstanceServer:
    server = claim(channel)
    assert server is not None
    assert server.is_listening()
    yield server
    server.close()


def test_address_names_the_store_and_fits_a_unix_socket(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    one = address(tmp_path / "a" / "tracker.sqlite3")
    assert one == address(tmp_path / "a" / ".." / "a" / "tracker.sqlite3")
    assert one != address(tmp_path / "b" / "tracker.sqlite3")
    if sys.platform != "win32":
        assert len(one.encode()) <= MAX_UNIX_PATH
        assert str(os.getuid()) in Path(one).name


@unix_only
def test_address_prefers_the_private_runtime_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = Path("/tmp") / f"rt-{os.getpid()}"  # short, like /run/user/1000
    runtime.mkdir(exist_ok=True)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    try:
        assert Path(address(tmp_path / "t.sqlite3")).parent == runtime
    finally:
        runtime.rmdir()


def test_nobody_listening_answers_none_at_once(channel: str) -> None:
    began = time.perf_counter()
    assert send(channel, "refresh") is None
    assert time.perf_counter() - began < 0.01


@unix_only
def test_a_stale_socket_file_counts_as_nobody(channel: str) -> None:
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(channel)  # bound, never listening: what a killed app leaves behind
    stale.close()
    assert Path(channel).exists()
    try:
        assert send(channel, "show") is None
    finally:
        Path(channel).unlink()


def test_one_line_each_way(claimed: InstanceServer, channel: str, qtbot: QtBot) -> None:
    heard: list[str] = []

    def answer(line: str, reply: Reply) -> None:
        heard.append(line)
        reply(f"ok {line}")

    claimed.message_received.connect(answer)
    assert in_thread(qtbot, lambda: send(channel, "refresh")) == "ok refresh"
    assert in_thread(qtbot, lambda: send(channel, "toggle\nmore")) == "ok toggle more"
    assert heard == ["refresh", "toggle more"]


def test_a_reply_may_come_later(claimed: InstanceServer, channel: str, qtbot: QtBot) -> None:
    def later(line: str, reply: Reply) -> None:
        QTimer.singleShot(200, lambda: reply(f'{{"done": "{line}"}}'))

    claimed.message_received.connect(later)
    assert in_thread(qtbot, lambda: send(channel, "sync", timeout=5.0)) == '{"done": "sync"}'


def test_no_reply_in_time_is_an_empty_answer(
    claimed: InstanceServer, channel: str, qtbot: QtBot
) -> None:
    heard: list[str] = []

    def listen_only(line: str) -> None:  # takes the line alone, never replies
        heard.append(line)

    claimed.message_received.connect(listen_only)
    assert in_thread(qtbot, lambda: send(channel, "show", timeout=0.3)) == ""
    qtbot.waitUntil(lambda: heard == ["show"])


def test_a_second_app_on_the_same_store_finds_the_first(
    claimed: InstanceServer, channel: str, qtbot: QtBot
) -> None:
    assert claim(channel) is None
    assert claimed.is_listening()


def test_another_store_gets_its_own_app(claimed: InstanceServer, tmp_path: Path) -> None:
    other = claim(address(tmp_path / "other" / "tracker.sqlite3"))
    assert other is not None
    other.close()


@unix_only
def test_a_killed_apps_socket_is_taken_over(channel: str, qtbot: QtBot) -> None:
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(channel)
    stale.close()
    server = claim(channel)
    assert server is not None
    assert server.is_listening()
    server.message_received.connect(lambda line, reply: reply("here"))
    try:
        assert in_thread(qtbot, lambda: send(channel, "show")) == "here"
    finally:
        server.close()
    assert not Path(channel).exists()
