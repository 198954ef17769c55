"""The errors a service raises: each is the person's to fix, and its message says how."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["AmbiguousName", "NotFound", "ServiceError"]


class ServiceError(Exception):
    """A request the service refused; nothing was stored. ``message`` is for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """No project, task, tag, client or entry matches what was typed."""


class AmbiguousName(ServiceError):
    """What was typed matches several items; ``matches`` lists them as the person sees them."""

    def __init__(
        self, kind: str, text: str, matches: Sequence[str], *, plural: str | None = None
    ) -> None:
        listed = "\n".join(f"  {match}" for match in matches)
        super().__init__(
            f"{text!r} matches {len(matches)} {plural or kind + 's'}; "
            f"be more specific, or use one of these:\n{listed}"
        )
        self.kind = kind
        self.text = text
        self.matches = tuple(matches)
