"""The single-instance channel, app side: one app per store, and a door for the CLI.

The first app to start listens on the store's address (:func:`tracker.integrations.instance.
address`); a second start finds it answering and only asks it to come forward. Each
connection carries one line in and at most one line out: the handler gets the line and a
``reply`` callable it may call now or later (``sync`` replies when the round ends).

A socket another user owns is never taken as "another instance": that user could otherwise
keep the app from starting (:func:`claim` raises instead, and the app says so and stops).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from tracker.integrations.instance import verify

__all__ = ["InstanceServer", "Reply", "claim"]

log = logging.getLogger(__name__)

Reply = Callable[[str], None]
"""Sends the one-line answer to the process that wrote the message."""

MAX_LINE = 64 * 1024
PROBE_TIMEOUT_MS = 500


class InstanceServer(QObject):
    """Listens on the store's address and turns each incoming line into a signal.

    Signals:
        message_received(str, object): the line (without its newline) and a :data:`Reply`.
            A slot may take the line alone; then the sender gets no answer.
    """

    message_received = Signal(str, object)

    def __init__(self, address: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening; a socket file left by a killed app is removed first."""
        if self._server.listen(self.address):
            return True
        if self._server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            QLocalServer.removeServer(self.address)
            if self._server.listen(self.address):
                return True
        log.warning("cannot listen on %s: %s", self.address, self._server.errorString())
        return False

    def is_listening(self) -> bool:
        """Whether other processes can reach this app."""
        return self._server.isListening()

    def close(self) -> None:
        """Stop listening and remove the socket file."""
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            if connection is not None:
                _Connection(connection, self, self.message_received.emit)


class _Connection(QObject):
    """One client: read a line, hand it over, write the reply when it comes, hang up."""

    def __init__(
        self, socket: QLocalSocket, server: InstanceServer, deliver: Callable[[str, Reply], None]
    ) -> None:
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
    probe = QLocalSocket()
    probe.connectToServer(address)
    answered = probe.waitForConnected(PROBE_TIMEOUT_MS)
    if answered:
        probe.disconnectFromServer()
        probe.abort()
        return None
    server = InstanceServer(address, parent)
    server.listen()
    return server
