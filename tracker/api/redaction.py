"""Keep the API key out of every message, log line and error text.

Keys are registered process-wide when a client is built, because anything can end up in a log
(an exception's repr, a URL, a server message that echoes input): the filter has to know every
secret, not just the one a given object holds.
"""

from __future__ import annotations

import logging
import re
import threading

__all__ = ["RedactingFilter", "redact", "register_secret", "sanitize_server_text"]

_MASK = "***"
_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()
_HEADER = re.compile(r"(?i)(x-api-key|x-addon-token)(['\"]?\s*[:=]\s*['\"]?)([^\s'\",}]+)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def register_secret(secret: str) -> None:
    """Remember a secret so that :func:`redact` masks it from now on."""
    global _secrets
    if len(secret) < 4:
        return
    with _lock:
        _secrets = _secrets | {secret}


def redact(text: str) -> str:
    """Mask every registered secret and any ``X-Api-Key: value`` pair in ``text``."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, _MASK)
    return _HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{_MASK}", text)


def sanitize_server_text(text: str, *, limit: int = 300) -> str:
    """Make server-provided text safe to show: no control characters, bounded length."""
    cleaned = _CONTROL.sub(" ", redact(text)).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in the final message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True
