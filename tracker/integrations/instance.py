"""The single-instance channel, seen from a process that is not the app (the CLI).

The tray app listens on a local socket named after its store; any ``tracker`` process can
send it one line ("refresh", "show", "sync"...) and read one line back. This side uses only
the standard library, so a CLI call pays a millisecond or two and never loads Qt. When no app
runs, :func:`send` finds no listener at once (no socket file, or a refused connection).

Unix: an ``AF_UNIX`` socket in ``$XDG_RUNTIME_DIR`` when that folder is this user's alone,
else in a folder of our own under the temp folder (``/tmp/tracker-<uid>``, mode 0700). A
shared folder would let another local user squat the name (the app would believe another
instance runs and quit) or swap in a socket of theirs and read what the CLI sends; so the
folder is checked before each use, and a socket file another user owns is never talked to.

Windows: a named pipe (Qt's ``QLocalServer`` puts a plain name under ``\\\\.\\pipe\\``). The app's
pipe allows only its user (Qt's ``UserAccessOption``), but who created a pipe that already
exists under our name cannot be learnt with the standard library (that needs
``GetNamedPipeServerProcessId`` and the server's token), so no ownership check is made there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import stat
import sys
import threading
from pathlib import Path

__all__ = ["MESSAGES", "UnsafeChannelError", "address", "send", "verify"]

MESSAGES = ("show", "refresh", "toggle", "popup", "today", "sync")
"""The lines the app understands."""

MAX_UNIX_PATH = 100
"""AF_UNIX paths are limited to 108 bytes on Linux (104 on macOS); stay below both."""

MAX_REPLY = 64 * 1024

PRIVATE = 0o700
"""The mode of the folder that holds the socket: the user alone may list or enter it."""


class UnsafeChannelError(OSError):
    """The channel's folder or socket file is not this user's alone; the message says which
    and what to do. Nothing is sent there and no app listens there."""


def address(store_path: Path) -> str:
    """Where the app of ``store_path`` listens: a socket path (Unix) or a pipe name (Windows).

    The name comes from a hash of the resolved store path, so two stores (two ``TRACKER_HOME``
    folders) run two apps that never see each other's messages.

    Raises:
        UnsafeChannelError: (Unix) the private folder under the temp folder cannot be made,
            or something not ours sits where it should be.
    """
    digest = hashlib.sha256(str(store_path.expanduser().resolve()).encode()).hexdigest()[:16]
    if sys.platform == "win32":
        return f"tracker-{digest}"
    uid = os.getuid()
    name = f"tracker-{uid}-{digest}.sock"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and _fits(runtime, name) and _private(runtime, uid):
        return os.path.join(runtime, name)
    # The temp folder as tempfile would pick it, without importing tempfile (8 ms).
    folder = f"/tmp/tracker-{uid}"  # noqa: S108 - made 0700 and checked in _own_folder
    tmpdir = os.environ.get("TMPDIR")
    if tmpdir and os.path.isdir(tmpdir) and _fits(os.path.join(tmpdir, f"tracker-{uid}"), name):
        folder = os.path.join(tmpdir, f"tracker-{uid}")
    _own_folder(folder, uid)
    return os.path.join(folder, name)


def verify(address: str) -> None:
    """Refuse a socket file at ``address`` that another user owns (nothing there is fine).

    Raises:
        UnsafeChannelError: another user owns what sits at ``address``.
    """
    if sys.platform == "win32":
        return  # see the module's note on named pipes
    try:
        found = os.lstat(address)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UnsafeChannelError(
            f"Cannot check the tray app's socket {address}: {exc.strerror}."
        ) from exc
    if found.st_uid != os.getuid():
        raise UnsafeChannelError(
            f"The tray app's socket {address} belongs to another user (uid {found.st_uid}); "
            "tracker will not use it. Remove it (as that user or root) and start tracker again."
        )


def _fits(folder: str, name: str) -> bool:
    return len(os.path.join(folder, name).encode()) <= MAX_UNIX_PATH


def _private(folder: str, uid: int) -> bool:
    """Whether ``folder`` is a folder of ``uid`` that no one else may enter (what the XDG
    spec promises for ``XDG_RUNTIME_DIR``; a stale value after ``su`` names another's)."""
    try:
        found = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode) and found.st_uid == uid and not found.st_mode & 0o077


def _own_folder(folder: str, uid: int) -> None:
    """Make ``folder`` (mode 0700) or check the one there: a real folder (not a link), ours,
    and closed to others (a folder of ours that is not is closed: only we or root opened it).

    Checked through one descriptor opened without following links, so the folder checked is
    the folder fixed.
    """
    hint = "Remove it (as its owner or root), or set XDG_RUNTIME_DIR to a private folder."
    try:
        os.mkdir(folder, PRIVATE)
    except FileExistsError:
        pass  # made before (by us, we hope: checked below)
    except OSError as exc:
        raise UnsafeChannelError(
            f"Cannot make the folder {folder} for the tray app's socket: {exc.strerror}."
        ) from exc
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:
        raise UnsafeChannelError(
            f"{folder} should be a folder for the tray app's socket, but it is a link or a "
            f"file ({exc.strerror}); tracker will not use it. {hint}"
        ) from exc
    try:
        found = os.fstat(fd)
        if found.st_uid != uid:
            raise UnsafeChannelError(
                f"The folder {folder} for the tray app's socket belongs to another user "
                f"(uid {found.st_uid}); tracker will not use it. {hint}"
            )
        if stat.S_IMODE(found.st_mode) != PRIVATE:
            os.fchmod(fd, PRIVATE)
    finally:
        os.close(fd)


def send(address: str, message: str, timeout: float = 1.0) -> str | None:
    """Send one line to the app and return its one-line reply.

    Returns ``None`` when no app listens there, and ``""`` when one took the message but gave
    no reply within ``timeout`` seconds (or hung up without one).
    """
    line = message.replace("\n", " ").strip() + "\n"
    if sys.platform == "win32":
        return _send_pipe(address, line, timeout)
    return _send_unix(address, line, timeout)


def _send_unix(path: str, line: str, timeout: float) -> str | None:
    try:
        verify(path)
    except UnsafeChannelError:
        return None  # never talk to another user's socket
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        try:
            sock.connect(path)
        except OSError:
            return None  # a stale socket file from an app that was killed
        try:
            sock.sendall(line.encode())
            return _read_line(sock)
        except OSError:
            return ""
    finally:
        sock.close()


def _read_line(sock: socket.socket) -> str:
    received = b""
    while b"\n" not in received and len(received) < MAX_REPLY:
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    if b"\n" not in received:
        return ""
    return received.split(b"\n", 1)[0].decode(errors="replace")


def _send_pipe(name: str, line: str, timeout: float) -> str | None:
    """The Windows side: the pipe is a file; the read runs in a thread to honour ``timeout``."""
    try:
        pipe = open(rf"\\.\pipe\{name}", "r+b", buffering=0)  # noqa: SIM115 - closed below
    except OSError:
        return None
    reply: list[str] = []

    def exchange() -> None:
        with contextlib.suppress(OSError):
            pipe.write(line.encode())
            received = b""
            while b"\n" not in received and len(received) < MAX_REPLY:
                chunk = pipe.read(4096)
                if not chunk:
                    break
                received += chunk
            if b"\n" in received:
                reply.append(received.split(b"\n", 1)[0].decode(errors="replace"))

    worker = threading.Thread(target=exchange, daemon=True)
    worker.start()
    worker.join(timeout)
    with contextlib.suppress(OSError):
        pipe.close()
    return reply[0] if reply else ""
