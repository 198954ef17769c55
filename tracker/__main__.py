"""``python -m tracker`` and the ``tracker`` console script.

With no verb (or ``gui``) the tray app starts; every other word is a CLI verb. The choice is
made here, before anything heavy is imported, so a CLI call never loads Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

GUI_OPTIONS = frozenset({"--exit-when-ready"})


def wants_gui(words: Sequence[str]) -> bool:
    """Whether the words ask for the app rather than a CLI verb."""
    if words and words[0] == "gui":
        return True
    return all(word in GUI_OPTIONS for word in words)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the app or run one CLI verb; returns the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    if wants_gui(words):
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

    return cli_main(words)


if __name__ == "__main__":
    sys.exit(main())
