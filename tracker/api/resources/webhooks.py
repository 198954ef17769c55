"""Webhooks (``/v1/workspaces/{ws}/webhooks``; FACTS §2, §6).

The list is an envelope ``{webhooks, workspaceWebhookCount}``, read whole. Logs (``POST``
with a filter in the body) and statuses page with ``page`` counted from **0** and ``size``,
and answer bare arrays without ``Last-Page``; both go through the same page guards as every
list. A create is not resent after an unclear outcome (a second create is a second webhook,
counted against the plan's few); the service above looks before it asks again. A replace,
a delete and a token rotation are resent freely only where that is harmless: a replace sets
the same fields, a delete of a deleted webhook is a 404, a second rotation only makes
another token.
"""

from __future__ import annotations

import builtins

from tracker.api.errors import ResponseFormatError
from tracker.api.models.base import decode, decode_list
from tracker.api.models.webhooks import (
    Webhook,
    WebhookDelivery,
    WebhookList,
    WebhookLog,
    WebhookLogFilter,
    WebhookWrite,
)
from tracker.api.pagination import Page, guarded_pages
from tracker.api.paths import api_path
from tracker.api.session import ApiSession

__all__ = ["PAGE_SIZE", "WebhooksResource"]

PAGE_SIZE = 50
"""The default ``size`` of the logs and statuses."""

_BASE = "/v1/workspaces/{workspace_id}/webhooks"
_ONE = _BASE + "/{webhook_id}"


class WebhooksResource:
    """The webhooks of one workspace."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session

    async def list(self, workspace_id: str) -> WebhookList:
        """Every webhook made by people (not add-ons), and the workspace's count."""
        path = api_path(_BASE, workspace_id=workspace_id)
        data, _ = await self.session.get_json(path, params={"type": "USER_CREATED"})
        return decode(WebhookList, data, what="webhooks")

    async def get(self, workspace_id: str, webhook_id: str) -> Webhook:
        path = api_path(_ONE, workspace_id=workspace_id, webhook_id=webhook_id)
        data, _ = await self.session.get_json(path)
        return decode(Webhook, data, what="webhook")

    async def create(self, workspace_id: str, write: WebhookWrite) -> Webhook:
        """A new webhook; never resent after an unclear outcome."""
        path = api_path(_BASE, workspace_id=workspace_id)
        data = await self.session.send_json("POST", path, json_body=write.body())
        return decode(Webhook, data, what="webhook")

    async def replace(self, workspace_id: str, webhook_id: str, write: WebhookWrite) -> Webhook:
        path = api_path(_ONE, workspace_id=workspace_id, webhook_id=webhook_id)
        data = await self.session.send_json("PUT", path, json_body=write.body())
        return decode(Webhook, data, what="webhook")

    async def delete(self, workspace_id: str, webhook_id: str) -> None:
        path = api_path(_ONE, workspace_id=workspace_id, webhook_id=webhook_id)
        await self.session.send_json("DELETE", path)

    async def rotate_token(self, workspace_id: str, webhook_id: str) -> Webhook:
        """A new token for the webhook; the old one stops being sent."""
        path = api_path(_ONE + "/token", workspace_id=workspace_id, webhook_id=webhook_id)
        data = await self.session.send_json("PATCH", path, idempotent=True)
        return decode(Webhook, data, what="webhook")

    async def logs(
        self,
        workspace_id: str,
        webhook_id: str,
        query: WebhookLogFilter | None = None,
        *,
        limit: int = PAGE_SIZE,
        page_size: int = PAGE_SIZE,
    ) -> builtins.list[WebhookLog]:
        """Up to ``limit`` deliveries (newest first by default), page by page.

        Raises:
            PaginationError: the server repeated a page or did not end.
        """
        path = api_path(_ONE + "/logs", workspace_id=workspace_id, webhook_id=webhook_id)
        body = (query or WebhookLogFilter()).body()

        async def fetch(number: int, size: int) -> Page:
            params = {"page": number - 1, "size": size}
            data = await self.session.send_json(
                "POST", path, params=params, json_body=body, idempotent=True
            )
            return Page(_listed(data, "webhook deliveries"))

        found: builtins.list[WebhookLog] = []
        async for page in guarded_pages(fetch, what="webhook deliveries", page_size=page_size):
            found.extend(decode_list(WebhookLog, page.items, what="webhook deliveries"))
            if len(found) >= limit:
                break
        return found[:limit]

    async def statuses(
        self, workspace_id: str, webhook_id: str, *, limit: int = PAGE_SIZE
    ) -> builtins.list[WebhookDelivery]:
        """Up to ``limit`` deliveries' states, newest first."""
        path = api_path(_ONE + "/statuses", workspace_id=workspace_id, webhook_id=webhook_id)

        async def fetch(number: int, size: int) -> Page:
            data, _ = await self.session.get_json(path, params={"page": number - 1, "size": size})
            return Page(_listed(data, "webhook statuses"))

        found: builtins.list[WebhookDelivery] = []
        async for page in guarded_pages(fetch, what="webhook statuses", page_size=PAGE_SIZE):
            found.extend(decode_list(WebhookDelivery, page.items, what="webhook statuses"))
            if len(found) >= limit:
                break
        return found[:limit]


def _listed(data: object, what: str) -> builtins.list[object]:
    if not isinstance(data, builtins.list):
        raise ResponseFormatError(f"Clockify sent {type(data).__name__} instead of {what}.")
    return data
