"""The small window that stands in for the tray icon where there is no tray (stock GNOME).

It shows what the tray's tooltip would (the running entry, elapsed time, today's total), a
Start/Stop button, and a button that opens the tray's menu. The tray owns the texts and
tells the window; the window only lays them out. Closing it minimises it instead: it is the
app's only handle, and quitting is in the menu.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.ui.appearance import set_tone
from tracker.ui.screen import fit_to_screen

__all__ = ["TimerWindow"]


class TimerWindow(QWidget):
    """A compact always-available timer window.

    Signals:
        toggle_clicked: the Start/Stop button was pressed.
    """

    toggle_clicked = Signal()

    def __init__(self, menu: QMenu, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("")  # the platform shows the app's name
        self.setObjectName("timerWindow")

        self.icon_label = QLabel()
        self.icon_label.setFixedSize(32, 32)
        self.title_label = _plain_label()
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.detail_label = _plain_label()
        set_tone(self.detail_label, "muted")
        self.message_label = _plain_label()
        self.message_label.setWordWrap(True)
        self.message_label.setObjectName("timerWindowMessage")
        self.message_label.setStyleSheet(
            "#timerWindowMessage { background: palette(alternate-base);"
            " border: 1px solid palette(mid); border-radius: 4px; padding: 4px 6px; }"
        )
        self.message_label.hide()

        self.toggle_button = QPushButton("Start")
        self.toggle_button.setDefault(True)
        self.toggle_button.clicked.connect(self.toggle_clicked)
        self.menu_button = QToolButton()
        self.menu_button.setText("☰")
        self.menu_button.setToolTip("More")
        self.menu_button.setAccessibleName("Menu")
        self.menu_button.setMenu(menu)
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")

        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.title_label)
        texts.addWidget(self.detail_label)
        row = QHBoxLayout()
        row.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)
        row.addWidget(self.toggle_button)
        row.addWidget(self.menu_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(row)
        layout.addWidget(self.message_label)
        self.setMinimumWidth(360)

    def set_state(self, icon: QIcon, title: str, detail: str, *, running: bool) -> None:
        """Show the current timer; ``title`` and ``detail`` are plain text."""
        self.icon_label.setPixmap(icon.pixmap(32, 32))
        self.setWindowIcon(icon)
        self.title_label.setText(title)
        self.detail_label.setText(detail)
        self.toggle_button.setText("Stop" if running else "Start")
        self.setWindowTitle(title if running else "")
        self.adjustSize()
        fit_to_screen(self)

    def show_message(self, title: str, text: str) -> None:
        """A notification where no tray can show one: a line under the timer, until replaced."""
        self.message_label.setText(f"{title}: {text}" if text else title)
        self.message_label.show()
        self.adjustSize()
        fit_to_screen(self)

    def clear_message(self) -> None:
        """Hide the notification line."""
        self.message_label.clear()
        self.message_label.hide()
        self.adjustSize()
        fit_to_screen(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Minimise instead of closing: without a tray this window is the app's only handle."""
        event.ignore()
        self.showMinimized()


def _plain_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label
