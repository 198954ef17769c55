"""The ``tracker`` command line.

It never imports Qt, and a verb imports only what it needs (the API client only for the verbs
that talk to Clockify), so ``tracker status`` answers at once. Exit codes (also in ``--help``):
0 success, 1 a refusal with a message for the person (on stderr), 2 a usage error, 70 an
internal error (a bug; see :mod:`tracker.cli.crash`), 130 interrupted. Everything printed
passes :mod:`tracker.cli.safe_output`, so server text cannot drive the terminal.

For tests, :func:`main` takes the clock and the secret store: ``main(argv, clock=...,
secret_store=MemorySecretStore())`` keeps the real keyring out of it.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tracker.cli.crash import EXIT_INTERNAL, internal_error
from tracker.cli.parser import FREE_TEXT, VERBS, CommandParser, build_parser
from tracker.cli.runtime import Runtime, UserError
from tracker.cli.safe_output import OutputError, safe_streams
from tracker.domain.timeutil import TimeParseError
from tracker.services.context import system_clock
from tracker.services.errors import ServiceError
from tracker.services.telling import Telling, telling
from tracker.store import StoreError

if TYPE_CHECKING:
    from tracker.integrations.secrets import SecretStore

__all__ = ["EXIT_ALREADY_DONE", "EXIT_INTERNAL", "EXIT_REFUSED", "EXIT_USAGE", "main"]

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_ALREADY_DONE = 3
"""The same workspace change was made moments ago by a run that was stopped before it said
so; nothing was sent (``--again`` makes it once more)."""
EXIT_INTERRUPTED = 130

_UNDECODED = re.compile("[\ud800-\udfff]")
"""What Python makes of argv bytes that are not UTF-8 (``surrogateescape``)."""


def main(
    argv: Sequence[str] | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    secret_store: SecretStore | None = None,
) -> int:
    """Run one command and return its exit code; any exception left over is a bug."""
    words = list(sys.argv[1:] if argv is None else argv)
    with safe_streams():
        try:
            code = _run(words, clock or system_clock, secret_store)
            sys.stdout.flush()  # a full disk shows here, not after the exit code is chosen
        except KeyboardInterrupt:  # before or after the verb ran
            return _fail("interrupted.", code=EXIT_INTERRUPTED)
        except BrokenPipeError:  # `tracker --help | head -1`
            _silence_stdout()
            return 0
        except OutputError as exc:
            _silence_stdout()
            return _fail(f"could not write the output: {exc.strerror or exc}.")
        except Exception as exc:  # anything else is a bug: reported, never a traceback
            return internal_error(exc, words)
        return code


def _run(words: list[str], clock: Callable[[], datetime], secret_store: SecretStore | None) -> int:
    undecoded = next((word for word in words if _UNDECODED.search(word)), None)
    if undecoded is not None:
        return _fail(
            f"an argument is not valid UTF-8 text: {undecoded[:40]!r}; "
            "check the terminal's character set (the locale)",
            code=EXIT_USAGE,
        )
    first = next((word for word in words if not word.startswith("-")), None)
    parser = build_parser(first if first in VERBS else None)
    try:
        args = parse(parser, words)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help()
        return 0
    module_name, function_name = VERBS[args.command]
    runtime = Runtime(args, clock=clock, secret_store=secret_store)
    command = Telling()
    try:
        if _names_references(args):
            runtime.fetch_references_once()
        verb = getattr(importlib.import_module(module_name), function_name)
        with telling(again=bool(getattr(args, "again", False))) as command:
            code: int = verb(runtime)
            sys.stdout.flush()  # said before the landed changes are forgotten
            command.told()
    except ServiceError as exc:
        return _fail(exc.message)
    except (UserError, TimeParseError, StoreError) as exc:
        return _fail(str(exc), code=EXIT_ALREADY_DONE if command.already else EXIT_REFUSED)
    except KeyboardInterrupt:
        return _fail("interrupted; nothing half-done was stored.", code=EXIT_INTERRUPTED)
    except BrokenPipeError:  # `tracker log | head`: the reader left; that is not an error
        _silence_stdout()
        return 0
    finally:
        runtime.close()
        if runtime.changed_store:
            runtime.tell_app("refresh")  # the tray app, if one runs, re-reads and syncs
    return code


REFERENCE_VERBS = frozenset({"projects", "tasks", "tags", "clients"})
"""Verbs that list or create reference data (a create must know what Clockify has)."""


def _names_references(args: argparse.Namespace) -> bool:
    """Whether the verb lists reference data or names a project, task or tag."""
    if args.command in REFERENCE_VERBS:
        return True
    return any(getattr(args, name, None) for name in ("project", "task", "tag"))


def parse(parser: CommandParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse, letting free text continue after options: ``tracker add 9:00 -d 1h Standup``.

    argparse fills a ``nargs="*"`` positional from the first run of words only; the words
    after an option come back as extras and are appended to the verb's free text.
    """
    args, extras = parser.parse_known_args(argv)
    if "--again" in extras:  # a workspace change's actions (invoice pay...) take it too
        extras = [word for word in extras if word != "--again"]
        args.again = True
    if not extras:
        return args
    field = FREE_TEXT.get(args.command or "")
    current = getattr(args, field) if field else None
    if field is not None and not any(word.startswith("--") for word in extras):
        if isinstance(current, list):
            current.extend(extras)
            return args
        if current is None and len(extras) == 1:
            setattr(args, field, extras[0])
            return args
    parser.verbs.get(args.command or "", parser).error(
        f"unrecognized arguments: {' '.join(extras)}"
    )
    raise AssertionError("error() exits")  # pragma: no cover


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _fail(message: str, *, code: int = EXIT_REFUSED) -> int:
    with contextlib.suppress(OSError):  # stderr itself may be gone; the exit code still says it
        print(f"tracker: {message}", file=sys.stderr)
    return code
