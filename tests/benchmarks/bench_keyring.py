"""What keeping the key in the OS keyring costs the connected tray app, as a person runs it.

``rss_large_workspace`` connects with ``CLOCKIFY_API_KEY``, so the keyring never loads there.
This benchmark runs the app connected to the test server with its key in the OS keyring (on
Linux the Secret Service) beside the same app with the key from the environment and the floor,
all in the same run. It needs a usable keyring: on Linux run it in a D-Bus session with an
unlocked gnome-keyring, as the desktop tests do (README, "desktop suite"). The key is kept
under the run's own account and removed afterwards.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from tests.benchmarks import Figure, benchmark
from tests.benchmarks.bench_gui import SETTLE, _connect
from tests.benchmarks.gui_helpers import STORE_FILE, display, memory_kib, running_app, running_floor
from tests.benchmarks.server_process import server_process
from tracker.integrations.instance import address, send
from tracker.integrations.secrets import choose_secret_store, key_account
from tracker.store import Store


@benchmark("rss_keyring")
def rss_keyring() -> Iterator[Figure]:
    """RSS a few seconds after ready: the app with its key in the OS keyring, the app with
    the key from CLOCKIFY_API_KEY, and the floor (three starts each, interleaved)."""
    keys = choose_secret_store(environ={}).store
    if keys is None:
        raise RuntimeError("no OS keyring here: run this in a session with a Secret Service")
    shown = display()
    runs = 3
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        homes = {"key in the OS keyring": tmp / "keyring", "key from the environment": tmp / "env"}
        info = stack.enter_context(server_process("--seed", "demo"))
        for home in homes.values():
            home.mkdir()
            _connect(home / STORE_FILE, info)
        with Store(homes["key in the OS keyring"] / STORE_FILE) as store:
            name = key_account(info.base_url, store.meta.account_user_id() or "")
        keys.set(name, info.api_key)
        stack.callback(keys.delete, name)
        extra = {
            "key in the OS keyring": {"TRACKER_API_URL": info.base_url},
            "key from the environment": {
                "TRACKER_API_URL": info.base_url,
                "CLOCKIFY_API_KEY": info.api_key,
            },
        }
        readings: dict[str, list[int]] = {"floor": [], **{case: [] for case in homes}}
        for _ in range(runs):
            with running_floor(shown) as floor:
                time.sleep(SETTLE)
                readings["floor"].append(memory_kib(floor.pid)[0])
            for case, home in homes.items():
                with running_app(home, shown, **extra[case]) as app:
                    time.sleep(SETTLE)
                    readings[case].append(memory_kib(app.pid)[0])
                    _check_connected(home, case)
    how = f"median of {runs} starts, {shown.name}; /proc/PID/status {SETTLE:.0f} s after ready"
    floor_rss = statistics.median(readings["floor"])
    for case, values in readings.items():
        rss = statistics.median(values)
        label = case if case == "floor" else f"app, demo store, {case}"
        yield Figure(f"{label}: VmRSS", rss / 1024, "MiB", how)
        if case != "floor":
            yield Figure(f"{label}: VmRSS / floor", rss / floor_rss, "x", "target: 1.8 or less")


def _check_connected(home: Path, case: str) -> None:
    """The figure counts only if the app really reached its account with that key."""
    reply = send(address(home / STORE_FILE), "probe", timeout=5.0) or "{}"
    state = json.loads(reply).get("account")
    if state != "connected":
        raise RuntimeError(f"the app with the {case} is not connected (account: {state})")
