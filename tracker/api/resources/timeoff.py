"""Time off: policies, requests and balances (``/v1/workspaces/{ws}/time-off/...``).

On the main host (FACTS line 24: the 2026 spec dropped the separate PTO host). Two lists are
shaped unlike the rest (FACTS §2): requests are listed with a ``POST`` paged in its body and
answer ``{requests, count}``; balances answer ``{balances, count}``. Both are read through
the same page guards as every list, so a server that never ends a list cannot loop us.
Creating a request is not retried on an unclear outcome (a second send would ask twice); the
service above settles such a request by looking for it.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator

from tracker.api.errors import ResponseFormatError
from tracker.api.models.base import decode
from tracker.api.models.timeoff import (
    Balance,
    BalanceChange,
    BalancePage,
    Policy,
    PolicyStatusChange,
    PolicyWrite,
    TimeOffRequest,
    TimeOffRequestCreate,
    TimeOffRequestPage,
    TimeOffRequestsFilter,
    TimeOffStatusChange,
)
from tracker.api.pagination import Page, guarded_pages
from tracker.api.paths import api_path
from tracker.api.resources.base import Collection
from tracker.api.session import ApiSession

__all__ = ["MAX_PAGE_SIZE", "TimeOffResource"]

MAX_PAGE_SIZE = 200
"""The documented largest page of time-off lists (FACTS §2)."""

_BASE = "/v1/workspaces/{workspace_id}/time-off"
_POLICIES = _BASE + "/policies"
_POLICY = _POLICIES + "/{policy_id}"
_MY_REQUESTS = _POLICY + "/requests"
_USER_REQUESTS = _POLICY + "/users/{user_id}/requests"
_REQUEST = _MY_REQUESTS + "/{request_id}"
_REQUESTS = _BASE + "/requests"
_USER_BALANCES = _BASE + "/balance/user/{user_id}"
_POLICY_BALANCES = _BASE + "/balance/policy/{policy_id}"


class TimeOffResource:
    """Policies, requests and balances of one workspace."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session
        self._policies = Collection(session, Policy, "time-off policy", "time-off policies")
        self._requests = Collection(session, TimeOffRequest, "time-off request", "requests")

    # --- policies ------------------------------------------------------------------------

    def policies(
        self, workspace_id: str, *, status: str | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> AsyncIterator[Policy]:
        """Policies (``status``: ``ACTIVE``, ``ARCHIVED``; all when left out)."""
        path = api_path(_POLICIES, workspace_id=workspace_id)
        return self._policies.iterate(path, {"status": status}, page_size)

    async def policy(self, workspace_id: str, policy_id: str) -> Policy:
        """One policy."""
        return await self._policies.get(
            api_path(_POLICY, workspace_id=workspace_id, policy_id=policy_id)
        )

    async def create_policy(self, workspace_id: str, policy: PolicyWrite) -> Policy:
        """Create a policy (owner and admins)."""
        path = api_path(_POLICIES, workspace_id=workspace_id)
        return await self._policies.send("POST", path, policy.body())

    async def replace_policy(
        self, workspace_id: str, policy_id: str, policy: PolicyWrite
    ) -> Policy:
        """Replace a policy (every field is sent: a ``PUT`` clears what is left out)."""
        path = api_path(_POLICY, workspace_id=workspace_id, policy_id=policy_id)
        return await self._policies.send("PUT", path, policy.body())

    async def set_policy_status(
        self, workspace_id: str, policy_id: str, *, archived: bool
    ) -> Policy:
        """Archive or restore a policy."""
        path = api_path(_POLICY, workspace_id=workspace_id, policy_id=policy_id)
        change = PolicyStatusChange(status="ARCHIVED" if archived else "ACTIVE")
        return await self._policies.send("PATCH", path, change.body())

    async def delete_policy(self, workspace_id: str, policy_id: str) -> None:
        """Delete an archived policy."""
        await self._policies.delete(
            api_path(_POLICY, workspace_id=workspace_id, policy_id=policy_id)
        )

    # --- requests ------------------------------------------------------------------------

    async def request(
        self,
        workspace_id: str,
        policy_id: str,
        body: TimeOffRequestCreate,
        *,
        user_id: str | None = None,
    ) -> TimeOffRequest:
        """Ask for time off (for ``user_id`` when given: someone one may approve for)."""
        if user_id is None:
            path = api_path(_MY_REQUESTS, workspace_id=workspace_id, policy_id=policy_id)
        else:
            path = api_path(
                _USER_REQUESTS, workspace_id=workspace_id, policy_id=policy_id, user_id=user_id
            )
        return await self._requests.send("POST", path, body.body())

    async def set_status(
        self,
        workspace_id: str,
        policy_id: str,
        request_id: str,
        *,
        status: str,
        note: str | None = None,
    ) -> TimeOffRequest:
        """Approve (``APPROVED``) or reject (``REJECTED``) a pending request."""
        path = api_path(
            _REQUEST, workspace_id=workspace_id, policy_id=policy_id, request_id=request_id
        )
        change = TimeOffStatusChange(status=status, note=note)
        return await self._requests.send("PATCH", path, change.body())

    async def withdraw(self, workspace_id: str, policy_id: str, request_id: str) -> None:
        """Withdraw (delete) a request. Not resent after an unclear outcome: a second
        ``DELETE`` of a request already gone is refused ("doesn't belong to Workspace"),
        which would read as a refusal of what was done; the service looks instead."""
        path = api_path(
            _REQUEST, workspace_id=workspace_id, policy_id=policy_id, request_id=request_id
        )
        await self.session.send_json("DELETE", path, idempotent=False)

    async def requests(
        self, workspace_id: str, query: TimeOffRequestsFilter
    ) -> builtins.list[TimeOffRequest]:
        """Every request matching ``query`` that the person may see, page by page."""
        path = api_path(_REQUESTS, workspace_id=workspace_id)
        size = min(max(query.page_size, 1), MAX_PAGE_SIZE)

        async def fetch(page: int, page_size: int) -> Page:
            asked = query.model_copy(update={"page": page, "page_size": page_size})
            data = await self.session.send_json(
                "POST", path, json_body=asked.body(), idempotent=True
            )
            found = decode(TimeOffRequestPage, data, what="time-off requests")
            return Page(found.requests, total=found.count)

        items: builtins.list[TimeOffRequest] = []
        async for one in guarded_pages(fetch, what="time-off requests", page_size=size):
            items.extend(one.items)
        return items

    # --- balances ------------------------------------------------------------------------

    async def balances_of_user(self, workspace_id: str, user_id: str) -> builtins.list[Balance]:
        """The person's balance on each policy that covers them."""
        return await self._balances(
            api_path(_USER_BALANCES, workspace_id=workspace_id, user_id=user_id)
        )

    async def balances_of_policy(self, workspace_id: str, policy_id: str) -> builtins.list[Balance]:
        """Everyone's balance on a policy (what the person may see)."""
        return await self._balances(
            api_path(_POLICY_BALANCES, workspace_id=workspace_id, policy_id=policy_id)
        )

    async def _balances(self, path: str) -> builtins.list[Balance]:
        async def fetch(page: int, size: int) -> Page:
            data, response = await self.session.get_json(
                path, params={"page": page, "page-size": size}
            )
            found = decode(BalancePage, data, what="time-off balances")
            last = response.headers.get("last-page", "").strip().lower()
            return Page(found.balances, last=True if last == "true" else None, total=found.count)

        items: builtins.list[Balance] = []
        async for one in guarded_pages(fetch, what="time-off balances", page_size=MAX_PAGE_SIZE):
            items.extend(one.items)
        return items

    async def change_balances(
        self, workspace_id: str, policy_id: str, change: BalanceChange
    ) -> None:
        """Add ``change.value`` (negative: take away) to the people's balances (admins)."""
        path = api_path(_POLICY_BALANCES, workspace_id=workspace_id, policy_id=policy_id)
        data = await self.session.send_json("PATCH", path, json_body=change.body())
        if data is not None and not isinstance(data, dict):
            raise ResponseFormatError("Clockify sent an unexpected answer to a balance change.")
