"""The single-instance channel: one app per store, and one line each way with the CLI; and
no other local user can squat it (keep the app from starting) or listen in on it."""

from __future__ import annotations

import json
import os
import select
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tracker.bridge.instance import InstanceServer, Reply, claim
from tracker.cli import main
from tracker.integrations.instance import MAX_UNIX_PATH, UnsafeChannelError, address, send

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="socket files are a Unix thing")
as_root = pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() != 0,
    reason="playing another local user needs root (os.chown to another uid)",
)
NOBODY = 65534
"""The uid that plays another local user."""


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
def claimed(channel: str, qtbot: QtBot) -> Iterator[InstanceServer]:
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
    runtime.mkdir(mode=0o700, exist_ok=True)
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
def test_only_this_user_may_connect(claimed: InstanceServer, channel: str) -> None:
    assert not stat.S_IMODE(os.stat(channel).st_mode) & 0o077


@unix_only
def test_the_app_side_loads_no_qt_network(tmp_path: Path) -> None:
    """QtNetwork and the libraries it links (Kerberos, GSSAPI) cost the app about 3 MiB for
    one local socket; on Unix the standard library's socket serves instead."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from tracker.bridge.instance import claim\n"
        "from tracker.integrations.instance import address\n"
        "app = QCoreApplication([])\n"
        "server = claim(address(Path(sys.argv[1])))\n"
        "assert server is not None and server.is_listening()\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6.QtNetwork')))\n"
        "server.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "tracker.sqlite3")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


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


# --- another local user ----------------------------------------------------------------------


@pytest.fixture
def shared_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temp folder every user may write to (like /tmp), with no XDG_RUNTIME_DIR: where the
    socket lived in the open before. Short, so socket paths in it fit."""
    folder = Path(tempfile.mkdtemp(prefix="ti-", dir="/tmp"))
    folder.chmod(0o1777)
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    yield folder
    shutil.rmtree(folder)


def _private_folder(shared: Path) -> Path:
    return shared / f"tracker-{os.getuid()}"


@unix_only
def test_without_a_runtime_folder_the_socket_lives_in_a_folder_of_ours(
    shared_tmp: Path, tmp_path: Path
) -> None:
    old_umask = os.umask(0)  # the folder is private whatever the umask
    try:
        where = Path(address(tmp_path / "t.sqlite3"))
    finally:
        os.umask(old_umask)
    folder = os.lstat(where.parent)
    assert where.parent == _private_folder(shared_tmp)
    assert stat.S_ISDIR(folder.st_mode)
    assert folder.st_uid == os.getuid()
    assert stat.S_IMODE(folder.st_mode) == 0o700


@unix_only
def test_a_folder_of_ours_left_open_is_closed(shared_tmp: Path, tmp_path: Path) -> None:
    _private_folder(shared_tmp).mkdir(mode=0o755)
    _private_folder(shared_tmp).chmod(0o755)
    address(tmp_path / "t.sqlite3")
    assert stat.S_IMODE(os.lstat(_private_folder(shared_tmp)).st_mode) == 0o700


@unix_only
@pytest.mark.parametrize("squat", ["link", "file"])
def test_a_link_or_file_in_place_of_the_folder_is_refused(
    shared_tmp: Path, tmp_path: Path, squat: str
) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    if squat == "link":
        _private_folder(shared_tmp).symlink_to(target)
    else:
        _private_folder(shared_tmp).write_text("")
    with pytest.raises(UnsafeChannelError, match="link or a file"):
        address(tmp_path / "t.sqlite3")
    assert list(target.iterdir()) == []


@as_root
def test_a_folder_another_user_made_is_refused_and_doctor_says_so(
    shared_tmp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    squatted = _private_folder(shared_tmp)
    squatted.mkdir(mode=0o777)
    os.chown(squatted, NOBODY, NOBODY)
    with pytest.raises(UnsafeChannelError, match=r"belongs to another user \(uid 65534\)"):
        address(tmp_path / "t.sqlite3")
    assert main(["doctor", "--json"]) == 0
    assert "belongs to another user (uid 65534)" in json.loads(capsys.readouterr().out)["instance"]
    assert main(["doctor"]) == 0
    problem = [line for line in capsys.readouterr().out.splitlines() if "another user" in line]
    assert problem[0].startswith("Problem ")
    assert main(["popup"]) == 1  # no app is reached there, and no traceback


@unix_only
def test_a_runtime_folder_others_may_enter_is_not_used(
    shared_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = shared_tmp / "run"
    runtime.mkdir()
    runtime.chmod(0o755)  # not what XDG promises: others may list and reach its sockets
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert Path(address(tmp_path / "t.sqlite3")).parent == _private_folder(shared_tmp)


@as_root
def test_another_users_runtime_folder_is_not_used(
    shared_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = shared_tmp / "run"  # e.g. left in the environment by `su`
    runtime.mkdir(mode=0o700)
    os.chown(runtime, NOBODY, NOBODY)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert Path(address(tmp_path / "t.sqlite3")).parent == _private_folder(shared_tmp)


@pytest.fixture
def squatter(channel: str) -> Iterator[socket.socket]:
    """Another user listening on the app's socket path."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(channel)
    listener.listen()
    os.chown(channel, NOBODY, NOBODY)
    yield listener
    listener.close()
    Path(channel).unlink(missing_ok=True)


def _knocked(listener: socket.socket) -> bool:
    readable, _, _ = select.select([listener], [], [], 0.2)
    return bool(readable)


@as_root
def test_the_app_does_not_defer_to_another_users_socket(
    squatter: socket.socket, channel: str, qtbot: QtBot
) -> None:
    with pytest.raises(UnsafeChannelError, match=r"belongs to another user \(uid 65534\)"):
        claim(channel)
    assert send(channel, "sync") is None  # the CLI never talks to it either
    assert not _knocked(squatter)
    assert os.stat(channel).st_uid == NOBODY  # left alone, not taken over
