"""tracker: a tray time tracker for Clockify that keeps working offline."""

__version__ = "0.1.0"
