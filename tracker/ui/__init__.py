"""The widgets: tray, timer popup, today window, entry editor, settings, notifications."""
