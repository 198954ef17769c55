"""The Hooks page of the settings: commands to run when the timer starts or stops, an entry
changes, a sync fails or idle time is found.

One hook a line, ``EVENT  COMMAND``; the page reads and writes the hooks file
(:mod:`tracker.integrations.hooks`), so what is typed here and what is edited in the file by
hand are the same hooks. The command is split into words, never given to a shell.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from tracker.integrations.hooks import (
    Hook,
    HookError,
    hooks_path,
    load,
    parse_lines,
    save,
    to_lines,
)
from tracker.services.events import KINDS
from tracker.ui.settings.common import error_label, note, plain, show_text

__all__ = ["HooksPage"]

EXAMPLE = "timer.started  notify-send Tracker 'Timer started'"


class HooksPage(QWidget):
    """The hooks as lines to edit; :meth:`apply` writes them when they changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = hooks_path()
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("hooks")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setPlaceholderText(EXAMPLE)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setTabChangesFocus(True)
        self.editor.setAccessibleName("Hooks, one a line: event, then the command")
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain(
                "Run a command of yours when something happens, one a line: the event, then "
                "the command. The event comes on the command's standard input as JSON, the "
                "entry as `tracker today --json` shows it; the command is stopped after 10 "
                'seconds (or the "timeout" the file gives it).'
            )
        )
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error)
        layout.addWidget(note("Events: " + ", ".join(KINDS) + ", or * for all."))
        layout.addWidget(note(f"Kept in {self.path}; `tracker doctor` lists them."))
        self._loaded = ""
        self._hooks: list[Hook] = []

    def load(self) -> None:
        """Show the hooks file as it is now (or why it cannot be used)."""
        try:
            self._hooks = load(self.path)
        except HookError as exc:
            self._hooks = []
            show_text(self.error, f"{exc} Saving here replaces it.")
        else:
            show_text(self.error, "")
        self._loaded = to_lines(self._hooks)
        self.editor.setPlainText(self._loaded)

    def changed(self) -> bool:
        """Whether the lines differ from the hooks shown by :meth:`load`."""
        return self.editor.toPlainText().strip() != self._loaded.strip()

    def apply(self) -> bool:
        """Write the hooks when they changed; ``False`` (with the reason shown) when a line
        cannot be a hook or the file cannot be written."""
        if not self.changed():
            return True
        try:
            hooks = parse_lines(self.editor.toPlainText(), KINDS, self._hooks)
            save(hooks, self.path)
        except HookError as exc:
            show_text(self.error, str(exc))
            return False
        except OSError as exc:
            show_text(self.error, f"The hooks file {self.path} cannot be written: {exc}.")
            return False
        show_text(self.error, "")
        self._hooks = hooks
        self._loaded = to_lines(hooks)
        return True
