"""Finding a person of the workspace by the name someone typed.

Reports (``--user NAME``) and time-off balances (``--person NAME``) both name people; one rule
picks them: the exact name (any case), else the only one whose name contains it.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.api.models.account import User

__all__ = ["only_match"]


def only_match(found: Sequence[User], name: str) -> User:
    """The one person among ``found`` (Clockify's answer to a name search) called ``name``.

    Raises:
        LookupError: nobody, or several people, match; the message says which.
    """
    wanted = name.strip().casefold()
    exact = [u for u in found if (u.name or "").casefold() == wanted]
    matches = exact or list(found)
    if not matches:
        raise LookupError(f"No one in this workspace is called {name!r}.")
    if len(matches) > 1:
        names = ", ".join(sorted(u.name or u.email or u.id for u in matches))
        raise LookupError(f"{name!r} matches several people ({names}); give a full name.")
    return matches[0]
