"""A real HTTP/1.1 server on a loopback socket that behaves like Clockify.

Clients under test talk to it with their real HTTP stack, so keep-alive, timeouts, dropped
connections and malformed answers are real. Faults are injected at the socket (each connection
is served by :mod:`tests.fakeclockify.connection`), and every exchange is logged here. A small
control plane under ``/__control`` lets tests in another process steer a server started with
``python -m tests.fakeclockify``.
"""

from __future__ import annotations

import json
import logging
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from types import TracebackType
from typing import Any, ClassVar

from tests.fakeclockify.app import App
from tests.fakeclockify.connection import ClockifyHttpServer
from tests.fakeclockify.model import Exchange, Fault
from tests.fakeclockify.seeds import seed as seed_world
from tests.fakeclockify.state import State

__all__ = ["FakeClockify"]

logger = logging.getLogger("tests.fakeclockify")

Listener = Callable[[Exchange], None]

_FAULT_FIELDS = {
    "kind",
    "status",
    "retry_after",
    "delay",
    "method",
    "path",
    "times",
    "size",
    "location",
}


def exchange_to_json(exchange: Exchange) -> dict[str, Any]:
    """An exchange as plain JSON (bodies as text) for the control plane."""
    return {
        "method": exchange.method,
        "host": exchange.host,
        "path": exchange.path,
        "query": [list(pair) for pair in exchange.query],
        "request_headers": dict(exchange.request_headers),
        "request_body": exchange.request_body.decode("utf-8", "replace"),
        "status": exchange.status,
        "response_headers": dict(exchange.response_headers),
        "response_body": exchange.response_body.decode("utf-8", "replace"),
        "fault": exchange.fault,
        "committed": exchange.committed,
    }


class FakeClockify:
    """A Clockify look-alike on a loopback port, seeded with data and steerable by tests.

    Use as a context manager or call :meth:`start` and :meth:`stop`. ``exchanges`` is appended
    before the response bytes are written, so a test that has just received an answer can read
    its exchange at once; listeners are called after the response was sent or dropped.
    """

    def __init__(
        self,
        seed: str = "demo",
        *,
        clock: Callable[[], float] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        plan: str | None = None,
        large_projects: int = 0,
        large_tasks_per_project: int = 0,
        large_entries: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.state = State(clock or time.time)
        seeded = seed_world(
            self.state,
            seed,
            plan=plan,
            large_projects=large_projects,
            large_tasks_per_project=large_tasks_per_project,
            large_entries=large_entries,
        )
        self.user_id = seeded.user_id
        self.api_key = seeded.api_key
        self.workspace_id = seeded.workspace_id
        self.second_workspace_id = seeded.second_workspace_id
        self.users = seeded.users
        """Everyone seeded in the main workspace (owner first), each with role and key."""
        self.app = App(self.state)
        self.exchanges: list[Exchange] = []
        self._host = host
        self._port = port
        self._server: ClockifyHttpServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._log_lock = threading.RLock()
        self._logged = threading.Condition(self._log_lock)
        self._faults: list[Fault] = []
        self._listeners: list[Listener] = []
        self._tls = tls
        self.stopping = threading.Event()
        """Set by :meth:`stop`: handlers that stall on purpose (a trickle) end at once."""

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> FakeClockify:
        """Bind the port and serve in a daemon thread."""
        if self._server is not None:
            return self
        self.stopping.clear()
        server = ClockifyHttpServer((self._host, self._port), self, self._tls)
        self._server = server
        self._port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fakeclockify:{self._port}",
            daemon=True,
        )
        self._thread.start()
        logger.debug("serving on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving, cut open connections and release the port (about 0.1 s)."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self.stopping.set()
        server.shutdown()
        server.close_client_sockets()
        server.server_close()
        if thread is not None:
            thread.join(timeout=1.0)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeClockify:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (known from :meth:`start` on, and kept after :meth:`stop`).

        Keeping it after ``stop()`` lets a test point a client at a server that went away
        and see a real "connection refused".
        """
        if self._port == 0:
            raise RuntimeError("FakeClockify is not started")
        return self._port

    @property
    def origin(self) -> str:
        """``http://host:port`` of the running server (``https`` when it speaks TLS)."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Main API base without ``/v1``, like ``https://api.clockify.me/api``."""
        return f"{self.origin}/api"

    @property
    def reports_url(self) -> str:
        """Reports base, like ``https://reports.api.clockify.me``."""
        return f"{self.origin}/reports"

    @property
    def audit_url(self) -> str:
        """Audit log base, like ``https://auditlog-api.api.clockify.me``."""
        return f"{self.origin}/audit"

    def announced_users(self) -> list[dict[str, str]]:
        """The seeded people as the startup line and the control plane list them."""
        return [
            {"role": u.role, "name": u.name, "user_id": u.user_id, "api_key": u.api_key}
            for u in self.users
        ]

    def key_for(self, role: str) -> str:
        """The API key of the first seeded person with ``role`` (``OWNER``, ``MEMBER``...)."""
        for user in self.users:
            if user.role == role:
                return user.api_key
        raise KeyError(f"no seeded user with role {role!r}")

    # --- steering ----------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> None:
        """Queue a fault; faults apply in the order added."""
        with self._lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        """Remove every queued fault."""
        with self._lock:
            self._faults.clear()

    def faults(self) -> list[Fault]:
        """The faults still waiting to apply."""
        with self._lock:
            return list(self._faults)

    def take_fault(self, method: str, path: str) -> Fault | None:
        """Consume the first matching fault for a request, if any."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def revoke_key(self, key: str | None = None) -> None:
        """Make a key (default: the seeded one) answer 401 ``Api key does not exist``."""
        self.state.revoke_key(self.api_key if key is None else key)

    def set_rate_limit(self, per_second: int | None = None, per_hour: int | None = None) -> None:
        """Enforce a request limit per workspace (per key outside workspaces); None = off."""
        self.app.set_rate_limit(per_second=per_second, per_hour=per_hour)

    def set_force(
        self,
        workspace_id: str,
        projects: bool = False,
        tasks: bool = False,
        tags: bool = False,
        description: bool = False,
    ) -> None:
        """Set ``forceProjects``/``forceTasks``/``forceTags``/``forceDescription``."""
        self.state.set_force(
            workspace_id, projects=projects, tasks=tasks, tags=tags, description=description
        )

    def advance(self, seconds: float) -> None:
        """Move the server's clock forward (rate-limit windows, ``now``)."""
        with self.state.lock:
            self.state.offset += seconds

    # --- the request log ---------------------------------------------------------------

    def add_listener(self, callback: Listener) -> None:
        """Call ``callback(exchange)`` after every API exchange."""
        with self._lock:
            self._listeners.append(callback)

    def remove_listener(self, callback: Listener) -> None:
        """Stop calling a listener."""
        with self._lock:
            if callback in self._listeners:
                self._listeners.remove(callback)

    def clear_exchanges(self) -> None:
        """Forget the request log."""
        with self._logged:
            self.exchanges.clear()

    def record(self, exchange: Exchange) -> None:
        """Append to the request log (handler threads call this)."""
        with self._logged:
            self.exchanges.append(exchange)
            self._logged.notify_all()
        logger.debug(
            "%s %s %s -> %s%s",
            exchange.method,
            exchange.host,
            exchange.path,
            exchange.status,
            f" [{exchange.fault}]" if exchange.fault else "",
        )

    def wait_for(
        self, predicate: Callable[[list[Exchange]], bool], timeout: float = 5.0
    ) -> list[Exchange]:
        """Block until ``predicate(exchanges)`` holds; returns the log then.

        The predicate is checked now, after each logged exchange and after listeners ran.
        Useful for requests still being handled when the client gave up (a ``delay`` fault
        outliving a client timeout): their exchange is logged only once the server finished.

        Raises:
            TimeoutError: the predicate did not hold within ``timeout`` seconds.
        """
        with self._logged:
            if not self._logged.wait_for(lambda: predicate(list(self.exchanges)), timeout):
                raise TimeoutError(f"exchange log did not reach the condition in {timeout} s")
            return list(self.exchanges)

    def notify(self, exchange: Exchange) -> None:
        """Tell listeners about a finished exchange; a failing listener is only logged."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(exchange)
            except Exception:
                logger.exception("exchange listener failed")
        with self._logged:
            self._logged.notify_all()

    # --- control plane -----------------------------------------------------------------

    def control(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        """Serve one ``/__control`` request; returns (status, JSON payload)."""
        payload: Any = json.loads(body) if body.strip() else {}
        if method == "POST" and not isinstance(payload, dict):
            raise ValueError("control body must be a JSON object")
        action = self._CONTROLS.get((method, path.rstrip("/")))
        if action is None:
            return 404, {"message": f"no control route {method} {path}"}
        return action(self, payload)

    def _post_faults(self, payload: dict[str, Any]) -> tuple[int, Any]:
        if payload.get("clear"):
            self.clear_faults()
        else:
            unknown = set(payload) - _FAULT_FIELDS
            if unknown:
                raise ValueError(f"unknown fault fields: {sorted(unknown)}")
            self.add_fault(Fault(**payload))
        return 200, {"faults": len(self.faults())}

    def _get_faults(self, payload: Any) -> tuple[int, Any]:
        return 200, [
            {k: v for k, v in asdict(f).items() if k in _FAULT_FIELDS} for f in self.faults()
        ]

    def _post_revoke(self, payload: dict[str, Any]) -> tuple[int, Any]:
        self.revoke_key(payload.get("key"))
        return 200, {"revoked": True}

    def _post_rate_limit(self, payload: dict[str, Any]) -> tuple[int, Any]:
        self.set_rate_limit(payload.get("per_second"), payload.get("per_hour"))
        return 200, {"per_second": payload.get("per_second"), "per_hour": payload.get("per_hour")}

    def _post_advance(self, payload: dict[str, Any]) -> tuple[int, Any]:
        self.advance(float(payload["seconds"]))
        return 200, {"offset": self.state.offset}

    def _post_force(self, payload: dict[str, Any]) -> tuple[int, Any]:
        self.set_force(
            payload.get("workspace_id") or self.workspace_id,
            projects=bool(payload.get("projects", False)),
            tasks=bool(payload.get("tasks", False)),
            tags=bool(payload.get("tags", False)),
            description=bool(payload.get("description", False)),
        )
        return 200, {"ok": True}

    def _get_state(self, payload: Any) -> tuple[int, Any]:
        dump = self.state.dump()
        dump.update(
            user_id=self.user_id,
            workspace_id=self.workspace_id,
            second_workspace_id=self.second_workspace_id,
            api_key=self.api_key,
            seeded_users=self.announced_users(),
        )
        return 200, dump

    def _get_exchanges(self, payload: Any) -> tuple[int, Any]:
        with self._logged:
            log = list(self.exchanges)
        return 200, [exchange_to_json(e) for e in log]

    def _delete_exchanges(self, payload: Any) -> tuple[int, Any]:
        self.clear_exchanges()
        return 200, {"cleared": True}

    _CONTROLS: ClassVar[dict[tuple[str, str], Callable[[FakeClockify, Any], tuple[int, Any]]]] = {
        ("POST", "/__control/faults"): _post_faults,
        ("GET", "/__control/faults"): _get_faults,
        ("POST", "/__control/revoke"): _post_revoke,
        ("POST", "/__control/rate-limit"): _post_rate_limit,
        ("POST", "/__control/advance"): _post_advance,
        ("POST", "/__control/force"): _post_force,
        ("GET", "/__control/state"): _get_state,
        ("GET", "/__control/exchanges"): _get_exchanges,
        ("DELETE", "/__control/exchanges"): _delete_exchanges,
    }
    """The control plane's routes: (method, path) to the action that serves it."""
