"""The HTTP-free core of the test server: auth, rate limits, workspace access, dispatch.

Order mirrors what a client meets on the live API: authentication first (401 with code 1000 or
4003 before anything else), then the rate limit (429 code 429), then routing (404/405 code
3000), then workspace access, then the route's own validation (400 code 501/3000/3002).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

# Importing the handler modules registers their routes.
from tests.fakeclockify import (  # noqa: F401
    handlers_account,
    handlers_approvals,
    handlers_audit,
    handlers_catalog,
    handlers_entries,
    handlers_fields,
    handlers_groups,
    handlers_holidays,
    handlers_invoices,
    handlers_profile,
    handlers_projects,
    handlers_projects_admin,
    handlers_reports,
    handlers_schedule,
    handlers_shared_reports,
    handlers_team,
    handlers_timeoff,
    handlers_webhooks,
)
from tests.fakeclockify.audit import before_change, record_change
from tests.fakeclockify.model import ApiError
from tests.fakeclockify.records import User, WorkspaceData
from tests.fakeclockify.routing import Reply, Request, find_route
from tests.fakeclockify.state import State
from tests.fakeclockify.wire import dumps, is_object_id

__all__ = ["App", "Outcome"]

logger = logging.getLogger("tests.fakeclockify")

_WORKSPACE_IN_PATH = re.compile(r"/v1/workspaces/([^/]+)")


@dataclass(frozen=True)
class Outcome:
    """A finished API answer, ready to be written to the socket."""

    status: int
    headers: dict[str, str]
    body: bytes
    committed: bool


class App:
    """Answers API requests against a :class:`State`; thread-safe."""

    def __init__(self, state: State) -> None:
        self.state = state
        self._limit_lock = threading.Lock()
        self._per_second: int | None = None
        self._per_hour: int | None = None
        self._hits: dict[tuple[str, float], deque[float]] = {}

    def set_rate_limit(self, per_second: int | None = None, per_hour: int | None = None) -> None:
        """Enforce limits per workspace (or per key outside workspaces); None disables."""
        with self._limit_lock:
            self._per_second = per_second
            self._per_hour = per_hour
            self._hits.clear()

    def handle(
        self,
        method: str,
        host: str,
        path: str,
        *,
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
        routable: bool = True,
    ) -> Outcome:
        """Answer one request (``path`` starts at ``/v1``; ``routable`` False = bad prefix).

        Every successful change a route in :mod:`tests.fakeclockify.audit` knows is written
        to the workspace's audit log here, the one place every request passes.
        """
        version = self.state.version
        try:
            user, key = self._authenticate(headers)
            self._check_rate_limit(path, key)
            if not routable:
                raise ApiError(404, f"No static resource {path.lstrip('/')}.", 3000)
            found, params = find_route(method, path, host)
            with self.state.lock:
                version = self.state.version
                request = Request(
                    method=method,
                    path=path,
                    query=query,
                    headers=headers,
                    body=body,
                    state=self.state,
                    user=user,
                    params=params,
                )
                if "workspaceId" in params:
                    request.data = self._workspace(params["workspaceId"], user)
                before = before_change(request, found.template)
                try:
                    reply = found.handler(request)
                finally:
                    committed = self.state.version != version
                if before is not None and 200 <= reply.status < 300:
                    record_change(request, found.template, before, reply.body)
        except ApiError as error:
            reply = Reply(error.status, error.body(), dict(error.headers))
            committed = self.state.version != version
        except Exception:
            # A bug in the test server must be loud, not look like a dropped connection.
            logger.exception("test server failed on %s %s", method, path)
            reply = Reply(500, {"message": "Internal server error", "code": 500})
            committed = self.state.version != version
        return _outcome(reply, committed)

    def _authenticate(self, headers: Mapping[str, str]) -> tuple[User, str]:
        api_key = headers.get("x-api-key", "").strip()
        addon = headers.get("x-addon-token", "").strip()
        bearer = headers.get("authorization", "").strip()
        present = [value for value in (api_key, addon, bearer) if value]
        if len(present) != 1 or bearer:
            raise ApiError(401, "Multiple or none auth tokens present", 1000)
        if addon:
            raise ApiError(401, "Token is not valid", 4017)
        with self.state.lock:
            user_id = self.state.keys.get(api_key)
            user = self.state.users.get(user_id) if user_id else None
        if user is None:
            raise ApiError(401, "Api key does not exist", 4003)
        return user, api_key

    def _check_rate_limit(self, path: str, key: str) -> None:
        with self._limit_lock:
            limits = [(1.0, self._per_second), (3600.0, self._per_hour)]
            active = [(window, limit) for window, limit in limits if limit is not None]
            if not active:
                return
            match = _WORKSPACE_IN_PATH.match(path)
            bucket = f"workspace:{match.group(1)}" if match else f"key:{key}"
            now = self.state.now_float()
            queues = []
            for window, limit in active:
                hits = self._hits.setdefault((bucket, window), deque())
                while hits and hits[0] <= now - window:
                    hits.popleft()
                if limit is not None and len(hits) >= limit:
                    raise ApiError(429, "Too many requests", 429)
                queues.append(hits)
            for hits in queues:
                hits.append(now)

    def _workspace(self, workspace_id: str, user: User) -> WorkspaceData:
        if not is_object_id(workspace_id):
            # Live probe: a malformed workspace id is 400 "Access Denied" (code 501).
            raise ApiError(400, "Access Denied", 501)
        data = self.state.workspaces.get(workspace_id)
        if data is None:
            # Live probe: an unknown (well-formed) workspace id is a 404 with an empty body.
            raise ApiError(404, "", None, empty=True)
        if user.id not in data.workspace.members:
            raise ApiError(403, "Access Denied", 501)
        return data


def _outcome(reply: Reply, committed: bool) -> Outcome:
    headers = dict(reply.headers)
    if reply.body is None:
        return Outcome(reply.status, headers, b"", committed)
    if isinstance(reply.body, bytes):  # an export file; the handler set its content type
        return Outcome(reply.status, headers, reply.body, committed)
    headers["Content-Type"] = "application/json"
    return Outcome(reply.status, headers, dumps(reply.body), committed)
