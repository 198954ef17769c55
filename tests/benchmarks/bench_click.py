"""What one tray Start/Stop costs with the today window open, in counts that a busy machine
does not move: the SQL statements the GUI thread's connection runs, and the GUI thread's own
CPU time (``time.thread_time``: time waiting for the CPU or the GIL is not in it). The wall
time is ``click_to_ui_latency``'s; this says where it goes.

Same scene as ``click_to_ui_latency``: the real app (tray, worker, reminders, idle watch)
on the demo store and a large one, every server answer taking 2 s, sync rounds in flight.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from tests.benchmarks import Figure, benchmark
from tests.benchmarks.bench_gui import (
    LARGE_NAME,
    LARGE_SERVER_ARGS,
    _connect,
    _control,
    _until_idle,
    _wait,
)
from tests.benchmarks.gui_helpers import (
    LARGE_ENTRIES,
    STORE_FILE,
    add_synced_history,
    offscreen_app,
    percentile,
)
from tests.benchmarks.server_process import server_process
from tracker.store import Store

CLICKS = 60
"""Start/Stop clicks per store (half start a timer, half stop it)."""


@benchmark("click_cost")
def click_cost() -> Iterator[Figure]:
    """Statements and GUI-thread CPU per click, on the demo store and on a large one."""
    for store_name, server_args, history in (
        ("demo store", ("--seed", "demo"), 0),
        (LARGE_NAME, ("--seed", "demo", *LARGE_SERVER_ARGS), LARGE_ENTRIES),
    ):
        yield from _series(store_name, server_args, history)


def _series(store_name: str, server_args: tuple[str, ...], history: int) -> Iterator[Figure]:
    from tracker.app import App
    from tracker.bridge.status import SyncPhase
    from tracker.integrations.secrets import MemorySecretStore, key_account
    from tracker.services.requests import Toggle

    qapp = offscreen_app()
    statements: dict[bool, list[int]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        info = stack.enter_context(server_process(*server_args))
        store_file = tmp / STORE_FILE
        _connect(store_file, info)
        if history:
            add_synced_history(store_file, history)
        _control(info, "faults", {"kind": "delay", "delay": 2.0, "times": None})
        secrets = MemorySecretStore()
        with Store(store_file) as store:
            user_id = str((store.meta.account() or {}).get("user_id"))
        secrets.set(key_account(info.base_url, user_id), info.api_key)
        app = App(store_file, choose_secrets=lambda: secrets)
        stack.callback(app.close)
        app.start(rest=False)
        app.start_rest()
        worker = app.worker
        _wait(lambda: worker.status.state is SyncPhase.SYNCING, "the first round to start")
        start_stop = next(a for a in app.tray.menu().actions() if a.objectName() == "startStop")
        app.controller.act(Toggle())  # warm: the first use of each request and view
        app.controller.act(Toggle())
        app.windows.show_today()
        _until_idle(qapp)
        ran: list[str] = []
        conn = app.controller.tracker.store.conn
        for _ in range(CLICKS):
            _until_idle(qapp)
            starts = app.controller.running() is None
            conn.set_trace_callback(ran.append)
            began = time.thread_time()
            start_stop.trigger()
            _until_idle(qapp)  # the views take the change in and paint it
            cpu[starts].append(time.thread_time() - began)
            conn.set_trace_callback(None)
            statements[starts].append(len(ran))
            ran.clear()
    for starts, kind in ((True, "start"), (False, "stop")):
        name = f"app, {store_name}, tray + today window, {kind}"
        yield Figure(
            f"{name}: statements",
            statistics.mean(statements[starts]),
            "per click",
            f"mean of {len(statements[starts])}; max {max(statements[starts])}",
        )
        yield Figure(
            f"{name}: GUI thread CPU: median",
            statistics.median(cpu[starts]) * 1000,
            "ms",
            "time.thread_time, painting included",
        )
        yield Figure(f"{name}: GUI thread CPU: p90", percentile(cpu[starts], 90) * 1000, "ms", "")
