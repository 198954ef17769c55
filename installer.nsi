; Windows installer for tracker, built with makensis from the PyInstaller bundle.
; Not written yet: it comes with the packaging work (see packaging/README.md), once there is
; a tray app to ship. Until then this file is intentionally empty of instructions.
