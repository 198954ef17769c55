"""The single-instance channel, app side: one app per store, and a door for the CLI.

The first app to start listens on the store's address (:func:`tracker.integrations.instance.
address`); a second start finds it answering and only asks it to come forward. Each
connection carries one line in and at most one line out: the handler gets the line and a
``reply`` callable it may call now or later (``sync`` replies when the round ends).

A socket another user owns is never taken as "another instance": that user could otherwise
keep the app from starting (:func:`claim` raises instead, and the app says so and stops).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, Signal

from tracker.integrations.instance import verify

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

__all__ = ["InstanceServer", "Reply", "claim"]

log = logging.getLogger(__name__)

Reply = Callable[[str], None]
"""Sends the one-line answer to the process that wrote the message."""

MAX_LINE = 64 * 1024
PROBE_TIMEOUT_MS = 500
SOCKET_MODE = 0o600
"""The socket file's mode: only this user may connect (its folder is this user's alone too)."""

_Deliver = Callable[[str, Reply], None]


class InstanceServer(QObject):
    """Listens on the store's address and turns each incoming line into a signal.

    On Unix the socket is the standard library's, watched by a ``QSocketNotifier``: Qt's
    ``QLocalServer`` would load QtNetwork and its libraries (with Kerberos' and GSSAPI's)
    for the life of the app, about 3 MiB for one socket. Windows' named pipe stays Qt's.

    Signals:
        message_received(str, object): the line (without its newline) and a :data:`Reply`.
            A slot may take the line alone; then the sender gets no answer.
    """

    message_received = Signal(str, object)

    def __init__(self, address: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self._listener: _SocketListener | _PipeListener = (
            _PipeListener(self, self.message_received.emit)
            if sys.platform == "win32"
            else _SocketListener(self, self.message_received.emit)
        )

    def listen(self) -> bool:
        """Start listening; a socket file left by a killed app is removed first."""
        return self._listener.listen()

    def is_listening(self) -> bool:
        """Whether other processes can reach this app."""
        return self._listener.is_listening()

    def close(self) -> None:
        """Stop listening and remove the socket file."""
        self._listener.close()


class _SocketListener:
    """The Unix side: a listening ``AF_UNIX`` socket; each client is a :class:`_Client`."""

    def __init__(self, server: InstanceServer, deliver: _Deliver) -> None:
        self._server = server
        self._deliver = deliver
        self._socket: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None

    def listen(self) -> bool:
        path = self._server.address
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                listener.bind(path)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                os.unlink(path)  # claim() found nobody answering there
                listener.bind(path)
            os.chmod(path, SOCKET_MODE)
            listener.listen(16)
            listener.setblocking(False)
        except OSError as exc:
            listener.close()
            log.warning("cannot listen on %s: %s", path, exc.strerror or exc)
            return False
        self._socket = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self._server)
        self._notifier.activated.connect(self._accept)
        return True

    def is_listening(self) -> bool:
        return self._socket is not None

    def close(self) -> None:
        listener, self._socket = self._socket, None
        if listener is None:
            return
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        listener.close()
        with contextlib.suppress(OSError):  # already gone
            os.unlink(self._server.address)

    def _accept(self) -> None:
        while self._socket is not None:
            try:
                connection, _ = self._socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of descriptors: the client sees a closed connection
                log.warning("cannot accept a connection on %s: %s", self._server.address, exc)
                return
            _Client(connection, self._server, self._deliver)


class _Client(QObject):
    """One client on the Unix socket: read a line, hand it over, write the reply when it
    comes, hang up."""

    def __init__(
        self, connection: socket.socket, server: InstanceServer, deliver: _Deliver
    ) -> None:
        super().__init__(server)
        connection.setblocking(False)
        self._connection: socket.socket | None = connection
        self._deliver = deliver
        self._buffer = b""
        self._delivered = False
        self._replied = False
        self._notifier = QSocketNotifier(connection.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)

    def _read(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            chunk = connection.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client hung up (a probe, or it stopped waiting)
            self._close()
            return
        if self._delivered:
            return
        self._buffer += chunk
        if b"\n" not in self._buffer:
            if len(self._buffer) > MAX_LINE:
                self._close()
            return
        self._delivered = True
        line = self._buffer.split(b"\n", 1)[0].decode(errors="replace").strip()
        self._deliver(line, self.reply)

    def reply(self, text: str) -> None:
        """Send the one-line answer and hang up (a second call, or a gone client: ignored)."""
        if self._replied:
            return
        self._replied = True
        connection = self._connection
        if connection is None:
            return
        with contextlib.suppress(OSError):  # the client stopped waiting
            connection.settimeout(1.0)  # one line fits the socket's buffer; never hang here
            connection.sendall((text.replace("\n", " ") + "\n").encode())
        self._close()

    def _close(self) -> None:
        self._replied = True
        connection, self._connection = self._connection, None
        if connection is None:
            return
        self._notifier.setEnabled(False)
        connection.close()
        self.deleteLater()


class _PipeListener:
    """The Windows side: Qt's ``QLocalServer`` on a named pipe (user access only)."""

    def __init__(self, server: InstanceServer, deliver: _Deliver) -> None:
        from PySide6.QtNetwork import QLocalServer  # noqa: PLC0415 - Windows only

        self._server = server
        self._deliver = deliver
        self._local = QLocalServer(server)
        self._local.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._local.newConnection.connect(self._accept)

    def listen(self) -> bool:
        from PySide6.QtNetwork import QAbstractSocket, QLocalServer  # noqa: PLC0415

        if self._local.listen(self._server.address):
            return True
        if self._local.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            QLocalServer.removeServer(self._server.address)
            if self._local.listen(self._server.address):
                return True
        log.warning("cannot listen on %s: %s", self._server.address, self._local.errorString())
        return False

    def is_listening(self) -> bool:
        return bool(self._local.isListening())

    def close(self) -> None:
        self._local.close()

    def _accept(self) -> None:
        while self._local.hasPendingConnections():
            connection = self._local.nextPendingConnection()
            if connection is not None:
                _Connection(connection, self._server, self._deliver)


class _Connection(QObject):
    """One client on the named pipe: read a line, hand it over, write the reply when it
    comes, hang up."""

    def __init__(self, socket: QLocalSocket, server: InstanceServer, deliver: _Deliver) -> None:
        super().__init__(server)
        self._socket = socket
        self._deliver = deliver
        self._buffer = b""
        self._delivered = False
        self._replied = False
        socket.setParent(self)
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self._closed)
        self._read()

    def _read(self) -> None:
        if self._delivered:
            return
        self._buffer += bytes(self._socket.readAll().data())
        if b"\n" not in self._buffer:
            if len(self._buffer) > MAX_LINE:
                self._socket.abort()
            return
        self._delivered = True
        line = self._buffer.split(b"\n", 1)[0].decode(errors="replace").strip()
        self._deliver(line, self.reply)

    def reply(self, text: str) -> None:
        """Send the one-line answer and hang up (a second call, or a gone client: ignored)."""
        if self._replied:
            return
        self._replied = True
        from PySide6.QtNetwork import QLocalSocket  # noqa: PLC0415 - Windows only

        if self._socket.state() != QLocalSocket.LocalSocketState.ConnectedState:
            return
        self._socket.write((text.replace("\n", " ") + "\n").encode())
        self._socket.flush()
        self._socket.disconnectFromServer()

    def _closed(self) -> None:
        self._replied = True
        self.deleteLater()


def claim(address: str, parent: QObject | None = None) -> InstanceServer | None:
    """Listen as this store's app, or ``None`` when another app already answers there.

    A socket nobody answers on (the app was killed) is taken over. When listening fails for
    another reason the server comes back anyway, not listening (the app runs, the CLI just
    cannot reach it; the log says why).

    Raises:
        tracker.integrations.instance.UnsafeChannelError: another user owns the socket file
            there; whatever answers on it is not this user's app.
    """
    verify(address)
    if _answers(address):
        return None
    server = InstanceServer(address, parent)
    server.listen()
    return server


def _answers(address: str) -> bool:
    """Whether an app listens at ``address`` (it sees a client that hangs up at once)."""
    if sys.platform == "win32":
        from PySide6.QtNetwork import QLocalSocket  # noqa: PLC0415 - Windows only

        probe = QLocalSocket()
        probe.connectToServer(address)
        answered = bool(probe.waitForConnected(PROBE_TIMEOUT_MS))
        if answered:
            probe.disconnectFromServer()
            probe.abort()
        return answered
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(PROBE_TIMEOUT_MS / 1000)
        try:
            probe.connect(address)
        except OSError:
            return False  # no socket file, or one a killed app left
        return True
