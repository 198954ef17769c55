"""Sync: sends local changes to Clockify and brings remote ones back, within the request budget."""
