"""Name the failures that point at the wrong server rather than a bad network.

A refused certificate and a redirect both mean that the answer did not come from the Clockify
the person configured, or not only from it: someone may be in the middle, or the URL is wrong.
Neither is an outage to wait out, so each gets its own sentence, saying what happened and that
the API key was not sent on.
"""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

from tracker.api.errors import TlsError
from tracker.api.redaction import sanitize_server_text

__all__ = ["describe_redirect", "tls_error"]

_CHECK = (
    "Someone may be intercepting the connection, or a proxy or antivirus program replaces "
    "certificates, or the server URL is wrong."
)
_NOTHING_SENT = (
    "Nothing was sent, the API key included; your changes stay saved locally until this is fixed."
)


def tls_error(exc: BaseException, host: str) -> TlsError | None:
    """A :class:`TlsError` when ``exc`` was caused by TLS, else ``None``."""
    failure = _ssl_cause(exc)
    if failure is None:
        return None
    if isinstance(failure, ssl.SSLCertVerificationError):
        reason = failure.verify_message or failure.reason or "no reason given"
        return TlsError(
            f"The certificate of {host} was refused: {sanitize_server_text(str(reason))}. "
            f"{_CHECK} {_NOTHING_SENT}"
        )
    reason = failure.reason or type(failure).__name__
    return TlsError(
        f"The secure connection to {host} failed ({sanitize_server_text(str(reason))}). "
        f"{_CHECK} {_NOTHING_SENT}"
    )


def describe_redirect(status: int | None, location: str | None, method: str, path: str) -> str:
    """Say that the server sent ``method path`` elsewhere and that tracker did not follow."""
    target = _origin(location)
    where = f" to {target}" if target else ""
    plain = " (plain http, unencrypted)" if target.startswith("http://") else ""
    code = f" (HTTP {status})" if status is not None else ""
    return (
        f"The server answered {method} {path} with a redirect{code}{where}{plain}. "
        "tracker never follows redirects, so the API key was not sent there. Check the "
        "server URL (Settings > Server, or TRACKER_API_URL)."
    )


def _ssl_cause(exc: BaseException) -> ssl.SSLError | None:
    """The ``ssl.SSLError`` behind ``exc``: httpx and httpcore wrap it, in causes or args."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ssl.SSLError):
            return current
        linked = (current.__cause__, current.__context__, *current.args)
        todo.extend(item for item in linked if isinstance(item, BaseException))
    return None


def _origin(location: str | None) -> str:
    """``scheme://host`` of a ``Location`` header, shown safely; ``""`` when unreadable."""
    if not location:
        return ""
    try:
        parts = urlsplit(location.strip())
        host = parts.hostname
    except ValueError:
        return ""
    if not host or parts.scheme not in ("http", "https"):
        return ""
    return sanitize_server_text(f"{parts.scheme}://{host}", limit=120)
