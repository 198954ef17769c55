"""The single-instance channel, seen from a process that is not the app (the CLI).

The tray app listens on a local socket named after its store; any ``tracker`` process can
send it one line ("refresh", "show", "sync"...) and read one line back. This side uses only
the standard library, so a CLI call pays a millisecond or two and never loads Qt. When no app
runs, :func:`send` finds no listener at once (no socket file, or a refused connection).

Unix: an ``AF_UNIX`` socket in ``$XDG_RUNTIME_DIR`` (private to the user) or the temp folder.
Windows: a named pipe (Qt's ``QLocalServer`` puts a plain name under ``\\\\.\\pipe\\``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import sys
import threading
from pathlib import Path

__all__ = ["MESSAGES", "address", "send"]

MESSAGES = ("show", "refresh", "toggle", "popup", "today", "sync")
"""The lines the app understands."""

MAX_UNIX_PATH = 100
"""AF_UNIX paths are limited to 108 bytes on Linux (104 on macOS); stay below both."""

MAX_REPLY = 64 * 1024


def address(store_path: Path) -> str:
    """Where the app of ``store_path`` listens: a socket path (Unix) or a pipe name (Windows).

    The name comes from a hash of the resolved store path, so two stores (two ``TRACKER_HOME``
    folders) run two apps that never see each other's messages.
    """
    digest = hashlib.sha256(str(store_path.expanduser().resolve()).encode()).hexdigest()[:16]
    if sys.platform == "win32":
        return f"tracker-{digest}"
    name = f"tracker-{os.getuid()}-{digest}.sock"
    # The temp folder as tempfile would pick it, without importing tempfile (8 ms).
    env = os.environ
    for folder in (env.get("XDG_RUNTIME_DIR"), env.get("TMPDIR"), "/tmp"):  # noqa: S108 - the name carries the uid
        if folder and os.path.isdir(folder):
            path = os.path.join(folder, name)
            if len(path.encode()) <= MAX_UNIX_PATH:
                return path
    return os.path.join("/tmp", name)  # noqa: S108 - see above


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
        owner = os.stat(path).st_uid
    except OSError:
        return None  # no socket file: no app
    if owner != os.getuid():
        return None  # not ours: never talk to another user's socket
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
