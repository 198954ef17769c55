"""``python -m tracker`` and the ``tracker`` console script.

With no verb (or ``gui``) the tray app starts; every other word is a CLI verb. The choice is
made here, before anything heavy is imported, so a CLI call never loads Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

GUI_OPTIONS = frozenset({"--exit-when-ready"})


def wants_gui(words: Sequence[str]) -> bool:
    """Whether the words ask for the app rather than a CLI verb."""
    if words and words[0] == "gui":
        return True
    return all(word in GUI_OPTIONS for word in words)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the app or run one CLI verb; returns the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["--keyring-helper"]:  # the app's keyring calls, in a process of their own
        from tracker.integrations.secrets_helper import main as helper  # noqa: PLC0415

        return helper(words[1:])
    if wants_gui(words):
        from tracker.integrations.source_lines import bound_source_lines  # noqa: PLC0415

        bound_source_lines()  # before Qt: its import hook would keep every module's source
        try:
            from tracker.app import run  # noqa: PLC0415 - only the app pays for Qt
        except ImportError as exc:
            if ".so" not in str(exc):
                raise
            # Qt itself needs a system library that is not installed (libEGL, libfontconfig).
            from tracker.integrations.display import missing_library  # noqa: PLC0415

            print(f"tracker: {missing_library(str(exc), 'Qt')}", file=sys.stderr)
            return 1
        return run(words[1:] if words and words[0] == "gui" else words)
    from tracker.cli import main as cli_main  # noqa: PLC0415

    if "export" in words:
        _offer_pdf()
    return cli_main(words)


def _offer_pdf() -> None:
    """Give ``tracker export`` its PDF writer, which needs Qt (drawn with it only when a PDF
    is asked for): the CLI layer itself never imports Qt."""
    from tracker.cli.report_verbs import PDF_WRITER  # noqa: PLC0415

    def write_pdf(table: Any, out: Any, tick: Callable[[], None]) -> None:
        from tracker.integrations.pdf import write_pdf as draw  # noqa: PLC0415 - loads Qt

        draw(table, out, tick)

    PDF_WRITER["pdf"] = write_pdf


if __name__ == "__main__":
    sys.exit(main())
