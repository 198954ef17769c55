"""Helpers shared by the whole suite: the fake clock and the log-fail handler."""
