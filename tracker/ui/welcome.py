"""The welcome window: what a first start shows beside the grey tray icon.

A new person sees only a grey icon and cannot tell whether anything works yet. This small
window says that tracking works now, offline, and how to connect Clockify; the app shows it
once on the first start (:meth:`tracker.app_windows.AppWindows.welcome_if_new`) and the tray
menu's "Getting started…" opens it again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

__all__ = ["WelcomeWindow"]

TRACKING_NOW = (
    "Tracking works now, even offline: click the tray icon, type what you work on and press "
    "Enter to start a timer. Everything is kept on this computer first."
)
CONNECT_HOW = (
    "To send your time to Clockify, connect your account: paste your API key (Clockify → "
    "Profile settings → API) under Settings → Account, or run `tracker login` in a terminal. "
    "What you tracked before is uploaded then."
)
CONNECTED = "This computer is connected to Clockify; your time is sent there in the background."
COMMANDS = 'From a terminal: `tracker start "Write report"`, `tracker stop`, `tracker status`.'


class WelcomeWindow(QWidget):
    """Says what works now and how to connect.

    Signals:
        connect_clicked: "Connect Clockify…" (the app opens Settings' account page).
        start_clicked: "Start a timer" (the app opens the timer popup).
    """

    connect_clicked = Signal()
    start_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("welcomeWindow")
        self.setWindowTitle("Welcome to Tracker")

        title = _plain("Tracker is ready")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        title.setFont(font)
        self.tracking = _plain(TRACKING_NOW)
        self.connect_text = _plain(CONNECT_HOW)
        self.connect_text.setObjectName("welcomeConnect")
        self.commands = _plain(COMMANDS)

        self.connect_button = QPushButton("Connect Clockify…")
        self.connect_button.setObjectName("welcomeConnectButton")
        self.connect_button.clicked.connect(self._on_connect)
        self.start_button = QPushButton("Start a timer")
        self.start_button.setObjectName("welcomeStartButton")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._on_start)
        close = QPushButton("Close")
        close.clicked.connect(self.close)

        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tracking)
        layout.addWidget(self.connect_text)
        layout.addWidget(self.commands)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def set_connected(self, connected: bool) -> None:
        """Connected: say so instead of how to connect, and drop the Connect button."""
        self.connect_text.setText(CONNECTED if connected else CONNECT_HOW)
        self.connect_button.setVisible(not connected)

    def _on_connect(self) -> None:
        self.close()
        self.connect_clicked.emit()

    def _on_start(self) -> None:
        self.close()
        self.start_clicked.emit()


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
