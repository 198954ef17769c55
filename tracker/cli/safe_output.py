"""What the command line prints can never drive the terminal.

Names and descriptions come from Clockify, written by anyone in the workspace. Printed raw,
an escape sequence in a project name could retitle or clear the terminal, and a bidi
override could make text read differently than it is. So :func:`safe_streams` puts a
filter in front of stdout and stderr for the whole call: every character that a terminal
may act on is written as a visible ``\\uXXXX`` escape instead. That form is also a valid JSON
escape, so ``--json`` output stays valid and decodes to the same text (``json.dumps`` with
``ensure_ascii=False`` escapes only U+0000-U+001F: DEL and the C1 controls would pass raw).
Characters the stream's encoding cannot hold become the same escapes instead of an error.
"""

from __future__ import annotations

import codecs
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["OutputError", "SafeWriter", "clean", "one_line", "safe_streams"]

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 but tab and newline, DEL, C1 (U+009B is CSI)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides
    "\ud800-\udfff]"  # lone surrogates (undecodable bytes): no terminal can show them
)
_ESCAPE_ERRORS = "tracker-json-escape"


def _escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:  # JSON spells these as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_escape(char) for char in bad), error.end


codecs.register_error(_ESCAPE_ERRORS, _escape_unencodable)


def clean(text: str) -> str:
    """``text`` with every character a terminal may act on written as ``\\uXXXX``."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda match: _escape(match.group()), text)


def one_line(text: str) -> str:
    """Server text for a table cell or a one-line summary, escaped already so that columns
    are as wide as what is shown; its own line breaks and tabs appear as ``\\n`` and ``\\t``,
    so it cannot fake a line of the listing."""
    return clean(text).replace("\n", "\\n").replace("\t", "\\t")


class OutputError(OSError):
    """The output could not be written (a full disk, a closed terminal): the person's
    setup, not a bug. A reader that left (:class:`BrokenPipeError`) is not this."""


class SafeWriter(io.TextIOBase):
    """A text stream that passes everything written through :func:`clean`.

    ``stream`` may be ``None`` (Python's stand-in for a closed stdout): output is then
    dropped, as ``print`` itself does.
    """

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__()
        self.stream = stream
        self._encoding = getattr(stream, "encoding", None) or "utf-8"
        self._narrow = codecs.lookup(self._encoding).name not in ("utf-8", "utf-16", "utf-32")
        """Whether some characters have no encoding here (``LANG=C`` without UTF-8 mode)."""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def write(self, text: str) -> int:
        safe = clean(text)
        if self._narrow:
            safe = safe.encode(self._encoding, _ESCAPE_ERRORS).decode(self._encoding)
        if self.stream is not None:
            with _output_errors():
                self.stream.write(safe)
        return len(text)

    def flush(self) -> None:
        if self.stream is not None:
            with _output_errors():
                self.stream.flush()

    def fileno(self) -> int:
        if self.stream is None:
            raise io.UnsupportedOperation("stdout is closed")
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def writable(self) -> bool:
        return True


@contextmanager
def _output_errors() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(exc.errno, exc.strerror) from exc


@contextmanager
def safe_streams() -> Iterator[None]:
    """Filter ``sys.stdout`` and ``sys.stderr`` through :class:`SafeWriter` meanwhile: the
    one place every line the command line prints passes, its own and argparse's alike."""
    saved = sys.stdout, sys.stderr
    sys.stdout = SafeWriter(saved[0])
    sys.stderr = SafeWriter(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
