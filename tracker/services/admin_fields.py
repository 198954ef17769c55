"""What projects and entries are labelled with, as an administrator keeps it: clients, tags
and custom fields (their allowed values, and each project's own default and visibility).

Client and tag ``PUT`` are full replaces (FACTS §6: an omitted ``archived`` un-archives, an
omitted ``ccEmails`` is cleared), so every change is built from the whole kept record. The
three lists are kept as ``admin:fields:<ws>`` (one paged read each, custom fields one
unpaged read, skipped on a plan known to lack them). Creates are never sent twice (see
:class:`~tracker.services.admin_projects.CreatesOnce`) and a change the picker shows marks
the timer's catalog due.
"""

from __future__ import annotations

import builtins
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, TypeVar

from tracker.api.models.admin_projects import (
    FieldCreate,
    FieldDefinition,
    FieldUpdate,
    ProjectFieldChange,
)
from tracker.api.models.catalog import Client, ClientCreate, ClientUpdate, Tag, TagUpdate
from tracker.services.abilities import plan_lacks
from tracker.services.admin_base import AdminError, Kept, speaking
from tracker.services.admin_projects_once import CreatesOnce
from tracker.services.admin_projects_views import valid

__all__ = [
    "CUSTOM_FIELDS",
    "AdminFields",
    "ClientView",
    "FieldView",
    "LabelKind",
    "TagView",
]

CUSTOM_FIELDS = "CUSTOM_FIELDS"
"""The plan feature custom fields need (Standard and up)."""

LabelKind = Literal["clients", "tags", "fields"]

V = TypeVar("V", "ClientView", "TagView", "FieldView")


@dataclass(frozen=True)
class ClientView:
    """A client, whole (its ``PUT`` replaces every field)."""

    id: str
    name: str
    archived: bool
    email: str | None = None
    address: str | None = None
    note: str | None = None
    cc_emails: tuple[str, ...] = ()
    currency_id: str | None = None


@dataclass(frozen=True)
class TagView:
    """A tag."""

    id: str
    name: str
    archived: bool


@dataclass(frozen=True)
class FieldView:
    """A custom field and each project's own (project id, default value, status)."""

    id: str
    name: str
    type: str
    status: str
    required: bool
    allowed_values: tuple[str, ...]
    placeholder: str
    description: str
    only_admin_can_edit: bool
    default: Any
    project_defaults: tuple[tuple[str, Any, str], ...] = ()

    @property
    def archived(self) -> bool:
        """An ``INACTIVE`` field is shown nowhere (the lists treat it as archived)."""
        return self.status == "INACTIVE"


def _client(wire: Client) -> ClientView:
    return ClientView(
        wire.id,
        wire.name,
        wire.archived,
        wire.email,
        wire.address,
        wire.note,
        tuple(wire.cc_emails),
        wire.currency_id,
    )


def _field(wire: FieldDefinition) -> FieldView:
    return FieldView(
        id=wire.id,
        name=wire.name,
        type=wire.type or "TXT",
        status=wire.status or "VISIBLE",
        required=wire.required,
        allowed_values=tuple(wire.allowed_values),
        placeholder=wire.placeholder or "",
        description=wire.description or "",
        only_admin_can_edit=bool(wire.only_admin_can_edit),
        default=wire.workspace_default_value,
        project_defaults=tuple(
            (d.project_id, d.value, d.status or "VISIBLE") for d in wire.project_default_values
        ),
    )


def _thaw(kind: LabelKind, raw: dict[str, Any]) -> Any:
    if kind == "clients":
        return ClientView(**{**raw, "cc_emails": tuple(raw.get("cc_emails", ()))})
    if kind == "tags":
        return TagView(**raw)
    return FieldView(
        **{
            **raw,
            "allowed_values": tuple(raw.get("allowed_values", ())),
            "project_defaults": tuple(tuple(d) for d in raw.get("project_defaults", ())),
        }
    )


def pick_label(items: builtins.list[Any], wanted: str, what: str) -> Any:
    """The one client, tag or field ``wanted`` names (id, start of one, name, part)."""
    text = wanted.strip()
    folded = text.casefold()
    for found in (
        [i for i in items if i.id == text],
        [i for i in items if len(text) >= 6 and i.id.startswith(text)],
        [i for i in items if i.name.casefold() == folded],
        [i for i in items if folded and folded in i.name.casefold()],
    ):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(sorted(i.name for i in found)[:5])
            raise AdminError(f"{wanted!r} matches several {what}s ({names}); say which.")
    raise AdminError(f"No {what} here is called {wanted!r}.")


class AdminFields(CreatesOnce):
    """Clients, tags and custom fields of the workspace."""

    area = "fields"

    async def labels(self, kind: LabelKind, *, refresh: bool = False) -> Kept[builtins.list[Any]]:
        """Every client, tag or custom field (active and archived), kept per kind."""
        kept = self.reuse(kind, refresh=refresh)
        if kept is None:
            kept = self.keep({"items": [asdict(i) for i in await self._read(kind)]}, kind)
        items = [_thaw(kind, raw) for raw in kept.value.get("items", [])]
        items.sort(key=lambda i: (i.archived, i.name.casefold()))
        return Kept(items, kept.as_of, kept.stale)

    def kept_labels(self, kind: LabelKind) -> Kept[builtins.list[Any]] | None:
        """What is kept of a kind, however old, without a request."""
        kept = self.kept(kind)
        if kept is None:
            return None
        items = [_thaw(kind, raw) for raw in kept.value.get("items", [])]
        items.sort(key=lambda i: (i.archived, i.name.casefold()))
        return Kept(items, kept.as_of, kept.stale)

    async def _read(self, kind: LabelKind) -> builtins.list[Any]:
        api = self.api
        ws = self.workspace_id
        if kind == "clients":
            with speaking("list the clients"):
                return [_client(c) async for c in api.clients.list(ws)]
        if kind == "tags":
            with speaking("list the tags"):
                return [TagView(t.id, t.name, t.archived) async for t in api.tags.list(ws)]
        if plan_lacks(self.context.store, CUSTOM_FIELDS):
            raise AdminError("This workspace's Clockify plan does not include custom fields.")
        with speaking("list the custom fields"):
            return [_field(f) for f in await api.admin_projects.fields(ws)]

    def _put(self, kind: LabelKind, view: V) -> V:
        def put(data: dict[str, Any]) -> None:
            kept: list[dict[str, Any]] = [i for i in data.get("items", []) if i["id"] != view.id]
            data["items"] = [*kept, asdict(view)]

        self.amend(put, kind)
        if kind != "fields":
            self.catalog_due()
        return view

    def _drop(self, kind: LabelKind, item_id: str) -> None:
        def drop(data: dict[str, Any]) -> None:
            data["items"] = [i for i in data.get("items", []) if i["id"] != item_id]

        self.amend(drop, kind)
        if kind != "fields":
            self.catalog_due()

    # --- clients -------------------------------------------------------------------------

    async def add_client(self, name: str, *, email: str | None = None) -> ClientView:
        """Create a client (looked for by name first when an earlier try was lost)."""
        name = name.strip()  # as Clockify keeps it, so a lost create is found
        api = self.api
        ws = self.workspace_id
        body = valid(lambda: ClientCreate(name=name, email=email))

        async def look() -> Client | None:
            async for found in api.clients.list(ws, name=name):
                if found.name.casefold() == name.casefold():
                    return found
            return None

        made, _ = await self.create_once(
            f"client:{name.casefold()}",
            f"create the client {name}",
            look,
            lambda: api.clients.create(ws, body),
        )
        return self._put("clients", _client(made))

    async def edit_client(self, client: ClientView, **changes: Any) -> ClientView:
        """Change a client (name, email, address, note, archived): sent whole."""
        whole = replace(client, **changes)
        body = valid(
            lambda: ClientUpdate(
                name=whole.name,
                archived=whole.archived,
                email=whole.email or None,
                address=whole.address,
                note=whole.note,
                currency_id=whole.currency_id,
                cc_emails=list(whole.cc_emails),
            )
        )
        with self.changing(f"change the client {client.name}", "clients"):
            made = await self.api.clients.update(self.workspace_id, client.id, body)
        return self._put("clients", _client(made))

    async def delete_client(self, client: ClientView) -> None:
        """Delete a client, archiving it first (Clockify deletes only archived ones)."""
        if not client.archived:
            client = await self.edit_client(client, archived=True)
        async with self.deleting(f"delete the client {client.name}", "clients"):
            await self.api.clients.delete(self.workspace_id, client.id)
        self._drop("clients", client.id)

    # --- tags ----------------------------------------------------------------------------

    async def add_tag(self, name: str) -> TagView:
        """Create a tag (looked for by name first when an earlier try was lost)."""
        name = name.strip()  # as Clockify keeps it, so a lost create is found
        api = self.api
        ws = self.workspace_id

        async def look() -> Tag | None:
            async for found in api.tags.list(ws, name=name):
                if found.name.casefold() == name.casefold():
                    return found
            return None

        made, _ = await self.create_once(
            f"tag:{name.casefold()}",
            f"create the tag {name}",
            look,
            lambda: api.tags.create(ws, name),
        )
        return self._put("tags", TagView(made.id, made.name, made.archived))

    async def edit_tag(
        self, tag: TagView, *, name: str | None = None, archived: bool | None = None
    ) -> TagView:
        """Rename or (un)archive a tag: sent whole, since an omitted ``archived`` un-archives."""
        body = valid(
            lambda: TagUpdate(
                name=name or tag.name, archived=tag.archived if archived is None else archived
            )
        )
        with self.changing(f"change the tag {tag.name}", "tags"):
            made = await self.api.tags.update(self.workspace_id, tag.id, body)
        return self._put("tags", TagView(made.id, made.name, made.archived))

    async def delete_tag(self, tag: TagView) -> None:
        """Delete a tag (entries lose it)."""
        async with self.deleting(f"delete the tag {tag.name}", "tags"):
            await self.api.tags.delete(self.workspace_id, tag.id)
        self._drop("tags", tag.id)

    # --- custom fields -------------------------------------------------------------------

    async def add_field(
        self,
        name: str,
        kind: str,
        *,
        allowed: builtins.list[str] | None = None,
        default: Any = None,
        placeholder: str | None = None,
    ) -> FieldView:
        """Define a custom field for time entries."""
        name = name.strip()  # as Clockify keeps it, so a lost create is found
        api = self.api.admin_projects
        ws = self.workspace_id
        body = valid(
            lambda: FieldCreate(
                name=name,
                type=kind.upper(),
                entity_type="TIMEENTRY",
                allowed_values=allowed or None,
                placeholder=placeholder,
                workspace_default_value=default,
            )
        )

        async def look() -> FieldDefinition | None:
            folded = name.casefold()
            return next((f for f in await api.fields(ws) if f.name.casefold() == folded), None)

        made, _ = await self.create_once(
            f"field:{name.casefold()}",
            f"create the custom field {name}",
            look,
            lambda: api.create_field(ws, body),
        )
        return self._put("fields", _field(made))

    async def edit_field(self, field: FieldView, **changes: Any) -> FieldView:
        """Change a field (name, allowed values, status, required, default, placeholder):
        sent whole."""
        whole = replace(field, **changes)
        body = valid(
            lambda: FieldUpdate(
                name=whole.name,
                type=whole.type,
                allowed_values=list(whole.allowed_values) or None,
                status=whole.status,
                placeholder=whole.placeholder or None,
                description=whole.description or None,
                only_admin_can_edit=whole.only_admin_can_edit,
                required=whole.required,
                workspace_default_value=whole.default,
            )
        )
        with self.changing(f"change the custom field {field.name}", "fields"):
            made = await self.api.admin_projects.update_field(self.workspace_id, field.id, body)
        return self._put("fields", _field(made))

    async def delete_field(self, field: FieldView) -> None:
        """Delete a custom field (entries lose its values)."""
        async with self.deleting(f"delete the custom field {field.name}", "fields"):
            await self.api.admin_projects.delete_field(self.workspace_id, field.id)
        self._drop("fields", field.id)

    async def project_field(
        self,
        field: FieldView,
        project_id: str,
        *,
        default: Any = None,
        status: str | None = None,
        remove: bool = False,
    ) -> FieldView:
        """A project's own default value and visibility of the field, or (``remove``) the
        field taken off the project."""
        api = self.api.admin_projects
        ws = self.workspace_id
        with self.changing(f"change the custom field {field.name} on the project", "fields"):
            if remove:
                made = await api.remove_project_field(ws, project_id, field.id)
            else:
                body = valid(
                    lambda: ProjectFieldChange(
                        default_value=default,
                        status=status.upper() if status else None,
                    )
                )
                made = await api.project_field(ws, project_id, field.id, body)
        return self._put("fields", _field(made))
