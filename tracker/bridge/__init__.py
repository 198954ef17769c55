"""The only code that knows about threads: the GUI thread's controller, the sync worker
thread, and the single-instance channel the CLI talks to."""
