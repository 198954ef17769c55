"""One connection to the test server: read a request, apply its fault at the socket, answer.

Faults live here because they are about bytes on the wire: a dropped connection, a redirect,
a trickled, flooded, cut or garbled body. Each exchange is logged with the server
(:class:`~tests.fakeclockify.server.FakeClockify`) before its answer goes out, and the
control plane under ``/__control`` is passed to it, for loopback callers only.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from tests.fakeclockify import hostile
from tests.fakeclockify.app import Outcome
from tests.fakeclockify.model import PAGING_FAULTS, Exchange, Fault, status_error_body
from tests.fakeclockify.paging_faults import misbehave
from tests.fakeclockify.wire import dumps

if TYPE_CHECKING:
    from tests.fakeclockify.server import FakeClockify

__all__ = ["ClockifyHttpServer"]

logger = logging.getLogger("tests.fakeclockify")

_HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><h1>Bad Gateway</h1><p>The proxy received an invalid response.</p></body></html>\n"
)
_LOOPBACK = ("127.", "::1", "::ffff:127.")


def _split_host(raw_path: str) -> tuple[str, str, bool]:
    """Map a request path to (host, spec path, routable) like the three Clockify hosts."""
    prefixes = (
        ("/api", "api"),
        ("/reports", "reports"),
        ("/report", "reports"),
        ("/audit", "audit"),
    )
    for prefix, host in prefixes:
        if raw_path == prefix or raw_path.startswith(prefix + "/"):
            return host, raw_path[len(prefix) :] or "/", True
    return "api", raw_path, False


def _malformed(body: bytes) -> bytes:
    """A JSON body cut in half (never valid JSON)."""
    if len(body) > 4:
        return body[: len(body) // 2]
    return b'{"id":'


def _bad_item(body: bytes) -> bytes:
    """A list whose first item has a start that is not a date (someone's broken entry)."""
    try:
        items = json.loads(body)
    except ValueError:
        return body
    if isinstance(items, list) and items and isinstance(items[0], dict):
        first = dict(items[0])
        first["timeInterval"] = {**(first.get("timeInterval") or {}), "start": "garbage"}
        items[0] = first
    return dumps(items)


class ClockifyHttpServer(ThreadingHTTPServer):
    """Threading server that remembers its client sockets so ``stop()`` can close them."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], owner: FakeClockify, tls: ssl.SSLContext | None
    ) -> None:
        self.owner = owner
        self.tls = tls
        self._sockets: set[socket.socket] = set()
        self._sockets_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call socket.getfqdn(), a reverse DNS lookup that can
        # stall on a machine without network; the name is never used here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def get_request(self) -> tuple[socket.socket, Any]:
        request, client_address = super().get_request()
        if self.tls is not None:
            # The handshake happens on the handler thread's first read, so a client that
            # refuses the certificate never blocks the accepting thread.
            request = self.tls.wrap_socket(request, server_side=True, do_handshake_on_connect=False)
        return request, client_address

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._sockets_lock:
            self._sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._sockets_lock:
            self._sockets.discard(request)
        super().shutdown_request(request)

    def close_client_sockets(self) -> None:
        """Cut every open keep-alive connection so handler threads end at once."""
        with self._sockets_lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("connection from %s ended with an error", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    """One connection: parses requests, applies faults, writes answers, logs exchanges."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY, Nagle plus delayed ACKs
    # would add ~40 ms to every answer.
    disable_nagle_algorithm = True
    server_version = "fakeclockify/1.0"
    sys_version = ""
    server: ClockifyHttpServer

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()  # a refused certificate ends the connection here
        super().setup()

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - %s", self.address_string(), format % args)

    # --- plumbing ----------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunk = self.rfile.read(size)
                if len(chunk) < size:
                    raise ValueError("the client went away in the middle of the body")
                chunks.append(chunk)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if len(body) < length:
            # Cut off (the client was killed while sending): no request arrived, as for
            # Clockify, which never sees a request whose body did not come whole.
            raise ValueError("the client went away in the middle of the body")
        return body

    def _request_headers(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        return merged

    def _send(self, status: int, headers: Mapping[str, str], body: bytes) -> dict[str, str]:
        """Write a full response; returns the headers sent (lower-case keys)."""
        sent = {name.lower(): value for name, value in headers.items()}
        sent["content-length"] = str(len(body))
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)
        except OSError:
            self.close_connection = True
        return sent

    def _head(self, status: int, headers: Mapping[str, str]) -> bytes:
        """The status line and headers of a response, as bytes."""
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        lines = [f"HTTP/1.1 {status} {phrase}", f"Date: {self.date_time_string()}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _trickle(self, status: int, headers: Mapping[str, str], body: bytes, pause: float) -> None:
        """Write a whole response one byte at a time, ``pause`` seconds apart.

        Every byte restarts a client's read timeout, so only a deadline on the whole request
        ends this. Stops when the client hangs up or the server stops.
        """
        self.close_connection = True
        length = {"Content-Length": str(len(body)), "Connection": "close"}
        data = self._head(status, {**headers, **length}) + body
        stopping = self.server.owner.stopping
        for index in range(len(data)):
            try:
                self.wfile.write(data[index : index + 1])
            except OSError:
                return
            if stopping.wait(pause):
                return

    def _stream(self, status: int, headers: Mapping[str, str], pieces: Iterable[bytes]) -> None:
        """Write a response whose body ends when the connection closes (no length given)."""
        self.close_connection = True
        try:
            self.wfile.write(self._head(status, {**headers, "Connection": "close"}))
            for piece in pieces:
                self.wfile.write(piece)
        except OSError:
            return

    def _drop(self) -> None:
        """Close the connection without sending a single response byte."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    # --- requests ----------------------------------------------------------------------

    def _dispatch(self) -> None:
        split = urlsplit(self.path)
        query = parse_qsl(split.query, keep_blank_values=True)
        headers = self._request_headers()
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        if split.path == "/__control" or split.path.startswith("/__control/"):
            self._control(split.path, body)
            return
        host, path, routable = _split_host(split.path)
        owner = self.server.owner
        fault = owner.take_fault(self.command, path)
        request = _Request(self.command, host, path, query, headers, body, fault)
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.delay)  # outside any lock: other requests keep flowing
        kind = fault.kind if fault is not None else ""
        instead = self._INSTEAD_OF_APP.get(kind)
        if instead is not None:
            owner.notify(instead(self, request))
            return
        outcome = owner.app.handle(
            self.command, host, path, query=query, headers=headers, body=body, routable=routable
        )
        if fault is not None and kind in PAGING_FAULTS:

            def ask(other_query: list[tuple[str, str]], other_body: bytes) -> Outcome:
                return owner.app.handle(
                    self.command,
                    host,
                    path,
                    query=other_query,
                    headers=headers,
                    body=other_body,
                    routable=routable,
                )

            outcome = misbehave(fault, ask, query, body, outcome)
        answer = self._ANSWERS.get(kind)
        if answer is not None:
            owner.notify(answer(self, request, outcome))
        else:
            owner.notify(self._answer(request, outcome))

    def _log(
        self,
        request: _Request,
        status: int | None,
        headers: Mapping[str, str],
        body: bytes,
        *,
        committed: bool,
    ) -> Exchange:
        """Record the exchange in the server's log (before it is sent: a test may look)."""
        exchange = request.exchange(status, headers, body, committed=committed)
        self.server.owner.record(exchange)
        return exchange

    # --- faults that answer instead of the app ---------------------------------------------

    def _drop_before_commit(self, request: _Request) -> Exchange:
        exchange = self._log(request, None, {}, b"", committed=False)
        self._drop()
        return exchange

    def _redirect(self, request: _Request) -> Exchange:
        fault = request.fault
        assert fault is not None
        target = fault.location or f"https://clockify.example.invalid/api{request.path}"
        moved = {"Location": target, "Content-Length": "0"}
        exchange = self._log(
            request, fault.status, {k.lower(): v for k, v in moved.items()}, b"", committed=False
        )
        self._send(fault.status, {"Location": target}, b"")
        return exchange

    def _error_status(self, request: _Request) -> Exchange:
        fault = request.fault
        assert fault is not None
        error_headers = {"Content-Type": "application/json"}
        if fault.retry_after is not None:
            error_headers["Retry-After"] = fault.retry_after
        error_body = dumps(status_error_body(fault.status))
        sent = {k.lower(): v for k, v in error_headers.items()}
        sent["content-length"] = str(len(error_body))
        exchange = self._log(request, fault.status, sent, error_body, committed=False)
        self._send(fault.status, error_headers, error_body)
        return exchange

    # --- answers: the app's outcome, as it is or as a fault bends it ---------------------

    def _answer(self, request: _Request, outcome: Outcome) -> Exchange:
        """The outcome sent whole, its body bent by a body fault, or trickled."""
        fault = request.fault
        outcome = _apply_body_fault(outcome, fault)
        sent = {k.lower(): v for k, v in outcome.headers.items()}
        sent["content-length"] = str(len(outcome.body))
        exchange = self._log(
            request, outcome.status, sent, outcome.body, committed=outcome.committed
        )
        if fault is not None and fault.kind == "trickle":
            self._trickle(outcome.status, outcome.headers, outcome.body, fault.delay)
        else:
            self._send(outcome.status, outcome.headers, outcome.body)
        return exchange

    def _drop_after_commit(self, request: _Request, outcome: Outcome) -> Exchange:
        exchange = self._log(request, None, {}, b"", committed=outcome.committed)
        self._drop()
        return exchange

    def _huge_body(self, request: _Request, outcome: Outcome) -> Exchange:
        fault = request.fault
        assert fault is not None
        size = fault.size or hostile.DEFAULT_SIZES["huge_body"]
        flood = {**outcome.headers, "Content-Type": "application/json"}
        status = 200 if outcome.status == 204 else outcome.status
        # The log keeps no copy of hundreds of MB: the body is recorded empty.
        exchange = self._log(
            request, status, {k.lower(): v for k, v in flood.items()}, b"", committed=True
        )
        self._stream(status, flood, hostile.huge_json(size))
        return exchange

    _INSTEAD_OF_APP: ClassVar[dict[str, Callable[[_Handler, _Request], Exchange]]] = {
        "drop_before_commit": _drop_before_commit,
        "redirect": _redirect,
        "status": _error_status,
    }
    """Faults answered without asking the app: nothing is committed."""

    _ANSWERS: ClassVar[dict[str, Callable[[_Handler, _Request, Outcome], Exchange]]] = {
        "drop_after_commit": _drop_after_commit,
        "huge_body": _huge_body,
    }
    """Faults that replace the app's answer whole; others go through :meth:`_answer`."""

    # --- control plane -----------------------------------------------------------------

    def _control(self, path: str, body: bytes) -> None:
        if not self.client_address[0].startswith(_LOOPBACK):
            self._control_reply(403, {"message": "control plane is loopback-only"})
            return
        owner = self.server.owner
        try:
            status, payload = owner.control(self.command, path, body)
        except (ValueError, TypeError, KeyError) as exc:
            status, payload = 400, {"message": str(exc)}
        self._control_reply(status, payload)

    def _control_reply(self, status: int, payload: Any) -> None:
        self._send(status, {"Content-Type": "application/json"}, dumps(payload))


@dataclass(frozen=True)
class _Request:
    """One API request (not the control plane), with the fault it drew, for the log."""

    method: str
    host: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    fault: Fault | None

    def exchange(
        self,
        status: int | None,
        response_headers: Mapping[str, str],
        response_body: bytes,
        *,
        committed: bool,
    ) -> Exchange:
        return Exchange(
            method=self.method,
            host=self.host,
            path=self.path,
            query=tuple(self.query),
            request_headers=MappingProxyType(self.headers),
            request_body=self.body,
            status=status,
            response_headers=MappingProxyType(dict(response_headers)),
            response_body=response_body,
            fault=self.fault.kind if self.fault else None,
            committed=committed,
        )


def _apply_body_fault(outcome: Outcome, fault: Fault | None) -> Outcome:
    if fault is None:
        return outcome
    if fault.kind == "malformed_json":
        status = 200 if outcome.status == 204 else outcome.status
        headers = dict(outcome.headers)
        headers["Content-Type"] = "application/json"
        return Outcome(status, headers, _malformed(outcome.body), outcome.committed)
    if fault.kind == "bad_item":
        return Outcome(outcome.status, outcome.headers, _bad_item(outcome.body), outcome.committed)
    if fault.kind == "wrong_content_type":
        headers = dict(outcome.headers)
        headers["Content-Type"] = "text/html; charset=utf-8"
        status = 200 if outcome.status == 204 else outcome.status
        return Outcome(status, headers, _HTML_PAGE, outcome.committed)
    json_headers = {**outcome.headers, "Content-Type": "application/json"}
    status = 200 if outcome.status == 204 else outcome.status
    if fault.kind == "gzip_bomb":
        bomb = hostile.gzip_bomb(fault.size or hostile.DEFAULT_SIZES["gzip_bomb"])
        headers = {**json_headers, "Content-Encoding": "gzip"}
        return Outcome(status, headers, bomb, outcome.committed)
    if fault.kind == "nested_json":
        depth = fault.size or hostile.DEFAULT_SIZES["nested_json"]
        return Outcome(status, json_headers, hostile.nested_json(depth), outcome.committed)
    if fault.kind in ("wrong_types", "bad_ids") and outcome.body:
        change = hostile.wrong_types if fault.kind == "wrong_types" else hostile.bad_ids
        return Outcome(outcome.status, json_headers, change(outcome.body), outcome.committed)
    return outcome
