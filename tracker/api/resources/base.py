"""The calls every Clockify collection shares, written once for any model."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Generic, TypeVar

from tracker.api.models import Rejected, WireModel, decode
from tracker.api.pagination import iterate_items
from tracker.api.session import ApiSession, QueryValue

__all__ = ["Collection"]

T = TypeVar("T", bound=WireModel)


class Collection(Generic[T]):
    """List, get, create, replace and delete items of one model at paths the caller gives.

    Args:
        session: the session requests go through.
        model: the wire model of one item.
        what: how a person names one item ("project"), used in error messages.
        plural: how a person names several.
    """

    def __init__(self, session: ApiSession, model: type[T], what: str, plural: str) -> None:
        self.session = session
        self._model = model
        self._what = what
        self._plural = plural

    def iterate(
        self,
        path: str,
        params: Mapping[str, QueryValue],
        page_size: int,
        rejects: list[Rejected] | None = None,
    ) -> AsyncIterator[T]:
        """Every item of a paged list (unreadable ones go to ``rejects`` when given)."""
        return iterate_items(
            self.session,
            path,
            self._model,
            what=self._plural,
            params=params,
            page_size=page_size,
            rejects=rejects,
        )

    async def get(self, path: str, params: Mapping[str, QueryValue] | None = None) -> T:
        """One item."""
        data, _ = await self.session.get_json(path, params=params)
        return decode(self._model, data, what=self._what)

    async def send(self, method: str, path: str, body: Any = None) -> T:
        """Create (POST) or change (PUT, PATCH) an item and read back what the server made."""
        data = await self.session.send_json(method, path, json_body=body)
        return decode(self._model, data, what=self._what)

    async def delete(self, path: str) -> None:
        """Delete an item; the answer's body, if any, is not needed."""
        await self.session.send_json("DELETE", path)
