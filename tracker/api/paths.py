"""Build every API path, with each id checked and escaped, in this one place.

Ids come from the server (an entry's id, the user's workspace) and go back into URL paths.
An id such as ``../../../../etc/passwd?x=`` would otherwise turn an update of one entry into a
request for another path on the host, with the API key attached. So every id segment must look
like an id before it is put in a path: letters and digits only (Clockify's are 24 lowercase hex
digits, FACTS §4; a little leniency costs nothing), never ``/``, ``.``, ``?``, ``#``, ``%`` or
white space, and it is percent-encoded as well, so the check and the escaping each suffice.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from tracker.api.errors import InvalidIdError
from tracker.api.redaction import sanitize_server_text

__all__ = ["ID_PATTERN", "api_path", "check_id", "is_id"]

ID_PATTERN = re.compile(r"[A-Za-z0-9]{1,64}")
"""What an id segment may be."""


def is_id(value: Any) -> bool:
    """Whether ``value`` may stand in a URL path as an id."""
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def check_id(value: Any, what: str = "id") -> str:
    """``value`` itself when it is a valid id.

    Raises:
        InvalidIdError: it is not; the message names ``what`` and shows the value safely.
    """
    if not is_id(value):
        shown = sanitize_server_text(repr(value), limit=80)
        raise InvalidIdError(
            f"tracker refused to use {shown} as the {what}: a Clockify id has only letters and "
            "digits. Nothing was sent."
        )
    return str(value)


def api_path(template: str, **ids: str) -> str:
    """Fill ``template``'s ``{name}`` fields with checked, percent-encoded ids.

    ``api_path("/v1/workspaces/{workspace_id}/tags/{tag_id}", workspace_id=w, tag_id=t)``.
    The template is the caller's constant; only the ids come from outside.

    Raises:
        InvalidIdError: an id is not valid.
    """
    safe = {
        name: quote(check_id(value, name.removesuffix("_id").replace("_", " ") + " id"), safe="")
        for name, value in ids.items()
    }
    return template.format(**safe)
