"""The workspace's webhooks: events Clockify sends to a URL on the internet.

A webhook is for a server that is always reachable: Clockify posts each event to its URL as
it happens. A desktop app cannot receive them (it is off, asleep, behind a router, without a
public address), so tracker only manages them for such a server; what happens on this
computer is available to local hooks and ``tracker events`` instead.

The owner and admins manage webhooks; the plan limits how many (3 on a Free workspace).
The list is kept in the store without the tokens (a token is a secret), so the Workspace
window opens on it offline. Changes go to Clockify at once. A create whose answer was lost
is looked for (same URL and event) before it is asked again, since a second would be a
second webhook; a token is only shown when it is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from tracker.api.models.webhooks import (
    EVENTS,
    Webhook,
    WebhookDelivery,
    WebhookLog,
    WebhookLogFilter,
    WebhookWrite,
)
from tracker.services.abilities import ROLE_ADMIN, abilities
from tracker.services.admin_base import AdminError, AdminUnclear, ServerFirst, speaking

__all__ = [
    "DESKTOP_NOTE",
    "EVENTS",
    "Webhooks",
    "WebhooksView",
    "event_named",
    "shown_url",
    "url_problem",
]

DESKTOP_NOTE = (
    "Webhooks are sent by Clockify to a server on the internet; this desktop app cannot "
    "receive them. To act on what happens here, use local hooks or `tracker events`."
)
"""Said wherever webhooks are offered."""


def event_named(text: str) -> str:
    """The event a person typed (any case, ``-`` or ``_``), e.g. ``new-project``.

    Raises:
        AdminError: no such event; the message lists close ones.
    """
    wanted = text.strip().upper().replace("-", "_").replace(" ", "_")
    if wanted in EVENTS:
        return wanted
    close = [e for e in EVENTS if wanted and wanted in e]
    hint = f" Did you mean {', '.join(close[:6])}?" if close else " See `tracker webhooks --help`."
    raise AdminError(f"Clockify has no webhook event {text!r}.{hint}")


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a webhook's, in a sentence that never repeats it (it may hold a
    password), or ``None``.

    Plain http would carry every event (descriptions, names) and its signing token across
    the internet in the clear; a user name and password in the URL would be kept and shown
    in every listing, while the receiver can check the token Clockify signs each event with.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() == "http":
        return (
            "A webhook's URL must start with https://: over plain http its events and token "
            "would cross the internet readable by anyone on the way."
        )
    if "@" in parts.netloc:
        return (
            "Leave the user name and password out of the webhook's URL (they would be kept "
            "and shown in lists); the receiver checks the token each event is signed with."
        )
    return None


def shown_url(url: str) -> str:
    """``url`` as lists show it: a user name and password (set up in Clockify's web app)
    become ``***``."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


@dataclass(frozen=True)
class WebhooksView:
    """The workspace's webhooks and how many it holds."""

    webhooks: tuple[Webhook, ...]
    count: int
    as_of: datetime


class Webhooks(ServerFirst):
    """Webhooks of the connected workspace."""

    area = "webhooks"

    def refusal(self) -> str | None:
        """Why this person cannot manage webhooks, when known without a request."""
        role = abilities(self.context.store).role
        if role is not None and role != ROLE_ADMIN:
            return "Only the workspace's owner and admins manage its webhooks."
        return None

    def _check(self) -> None:
        said = self.refusal()
        if said is not None:
            raise AdminError(said)

    async def view(self) -> WebhooksView:
        """Every webhook of the workspace (one request); kept without their tokens."""
        self._check()
        with speaking("list the webhooks"):
            found = await self.api.webhooks.list(self.workspace_id)
        hooks = tuple(found.webhooks)
        self.keep(
            {
                "webhooks": [h.model_dump(mode="json", exclude={"auth_token"}) for h in hooks],
                "count": found.workspace_webhook_count,
            }
        )
        return WebhooksView(hooks, found.workspace_webhook_count, self.now())

    def kept_view(self) -> WebhooksView | None:
        """What was listed last (without tokens) and when, or ``None``; no request."""
        kept = self.kept()
        if kept is None:
            return None
        hooks = tuple(Webhook.model_validate(h) for h in kept.value.get("webhooks", ()))
        return WebhooksView(hooks, int(kept.value.get("count", len(hooks))), kept.as_of)

    async def find(self, text: str) -> Webhook:
        """The webhook whose id (or its end, six characters or more) is ``text``."""
        wanted = text.strip().lower()
        view = await self.view()
        found = [w for w in view.webhooks if w.id == wanted]
        found = found or [w for w in view.webhooks if len(wanted) >= 6 and w.id.endswith(wanted)]
        if len(found) != 1:
            raise AdminError(f"No webhook {text!r} in this workspace (see `tracker webhooks`).")
        return found[0]

    def _write(self, url: str, event: str, name: str | None) -> WebhookWrite:
        problem = url_problem(url)
        if problem is not None:
            raise AdminError(problem)
        try:
            return WebhookWrite(
                url=url.strip(),
                webhook_event=event,
                trigger_source=[self.workspace_id],
                name=name.strip() if name else None,
            )
        except ValueError as exc:
            raise AdminError(f"Not a webhook Clockify takes: {_first_error(exc)}") from exc

    async def add(self, url: str, event: str, name: str | None = None) -> Webhook:
        """A new webhook for the whole workspace; looked for before it is asked again."""
        self._check()
        write = self._write(url, event, name)
        try:
            with speaking("add the webhook", change=True):
                return await self.api.webhooks.create(self.workspace_id, write)
        except AdminUnclear:
            with speaking("look for the webhook"):
                found = await self.api.webhooks.list(self.workspace_id)
            for hook in found.webhooks:
                if hook.url == write.url and hook.webhook_event == event:
                    return hook
            raise

    async def edit(
        self, hook: Webhook, *, url: str | None, event: str | None, name: str | None
    ) -> Webhook:
        """Change the URL, event or name (the rest stays)."""
        self._check()
        write = self._write(
            url or hook.url, event or hook.webhook_event, name if name else hook.name
        )
        write = write.model_copy(
            update={
                "trigger_source_type": hook.trigger_source_type or "WORKSPACE_ID",
                "trigger_source": list(hook.trigger_source) or [self.workspace_id],
            }
        )
        with speaking("change the webhook", change=True):
            return await self.api.webhooks.replace(self.workspace_id, hook.id, write)

    async def delete(self, hook: Webhook) -> None:
        self._check()
        with speaking("delete the webhook", change=True):
            await self.api.webhooks.delete(self.workspace_id, hook.id)

    async def rotate_token(self, hook: Webhook) -> Webhook:
        """A new signing token; the receiver must be given it."""
        self._check()
        with speaking("make a new token for the webhook", change=True):
            return await self.api.webhooks.rotate_token(self.workspace_id, hook.id)

    async def logs(
        self, hook: Webhook, *, failed_only: bool = False, limit: int = 50
    ) -> list[WebhookLog]:
        """The latest deliveries, newest first."""
        self._check()
        query = WebhookLogFilter(status="FAILED" if failed_only else "ALL")
        with speaking("read the webhook's deliveries"):
            return await self.api.webhooks.logs(self.workspace_id, hook.id, query, limit=limit)

    async def statuses(self, hook: Webhook, *, limit: int = 50) -> list[WebhookDelivery]:
        """The latest deliveries' states (succeeded, retrying, failed), newest first."""
        self._check()
        with speaking("read the webhook's deliveries"):
            return await self.api.webhooks.statuses(self.workspace_id, hook.id, limit=limit)


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            where = ".".join(str(p) for p in found[0].get("loc", ()))
            return f"{where}: {found[0].get('msg', '')}".strip(": ")
    return str(exc).splitlines()[0]
