"""The floor for the GUI benchmarks: a bare PySide6 tray app and nothing else.

``python -m tests.benchmarks.floor_tray [--exit-when-ready]``: a QApplication, a
QSystemTrayIcon with a drawn icon and a three-item menu. Once the icon is shown it prints
``ready in N ms`` (N from the start of :func:`main`, after the imports, as the app counts); with
``--exit-when-ready`` it then leaves with 0, otherwise it runs until SIGTERM or SIGINT.
No store, no worker, no SVG: whatever the app costs above this is the app's own.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import time
from collections.abc import Sequence

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

__all__ = ["main"]


def ready(icon: QSystemTrayIcon) -> bool:
    """Shown; and docked (a real geometry) where a tray host exists, as a person sees it."""
    if not icon.isVisible():
        return False
    if QSystemTrayIcon.isSystemTrayAvailable():
        return not icon.geometry().isEmpty()
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Show the tray icon, say when it is ready, and run (or leave)."""
    began = time.perf_counter()
    parser = argparse.ArgumentParser(prog="floor_tray")
    parser.add_argument("--exit-when-ready", action="store_true")
    args = parser.parse_args(argv)

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    pixmap = QPixmap(22, 22)
    pixmap.fill(QColor("#2e7d32"))
    icon = QSystemTrayIcon(QIcon(pixmap))
    menu = QMenu()
    for label in ("Start", "Open today…", "Quit"):
        action = QAction(label, menu)
        menu.addAction(action)
    menu.actions()[-1].triggered.connect(app.quit)
    icon.setContextMenu(menu)
    icon.setToolTip("floor")
    icon.show()

    # SIGTERM wakes Qt's loop through a socket, as in the app: no polling timer.
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(app.quit)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)

    def check() -> None:
        if ready(icon):
            print(f"ready in {(time.perf_counter() - began) * 1000:.0f} ms", flush=True)
            if args.exit_when_ready:
                app.quit()
        else:
            QTimer.singleShot(10, check)

    QTimer.singleShot(0, check)
    code = app.exec()
    icon.hide()
    return code


if __name__ == "__main__":
    sys.exit(main())
