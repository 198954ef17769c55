"""Operating-system services behind small interfaces: keyring, hotkeys, idle time, autostart.

Each integration says why it is unavailable instead of silently degrading, so the app and
``tracker doctor`` can tell the user. This layer imports only the stdlib, the OS binding
libraries and ``tracker.domain``; never the api, store, sync or ui layers.
"""
