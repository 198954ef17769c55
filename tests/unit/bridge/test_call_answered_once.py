"""A call is answered exactly once when the worker's shutdown cuts it off and the person's
Cancel reaches its handle at that very moment: the loop side alone, no Qt, a real event loop
on this thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.unit.bridge.test_channel import Heard
from tracker.bridge.channel import Call, CallHandle, SyncChannel
from tracker.bridge.sync_loop import Runner
from tracker.bridge.worker import LoopSettings
from tracker.sync.schedule import SyncPolicy


class CancelAsAnswered(Heard):
    """Answers as the worker hears them, with the person's Cancel arriving just as the
    cut-off is said (the GUI thread's cancel, between the loop's answer and its task's end)."""

    def __init__(self) -> None:
        super().__init__()
        self.handle: CallHandle | None = None

    def deliver(self, done: Callable[[Any], None], result: object) -> None:
        super().deliver(done, result)
        if isinstance(result, asyncio.CancelledError) and self.handle is not None:
            self.handle.cancel()


def test_a_call_cut_off_at_shutdown_while_cancelled_is_answered_once(tmp_path: Path) -> None:
    heard = CancelAsAnswered()
    channel = SyncChannel(heard, push_delay=1.0)
    settings = LoopSettings(
        tmp_path / "tracker.sqlite3", None, SyncPolicy(), clock=lambda: datetime.now(UTC)
    )

    async def loop() -> None:
        channel.bind()
        runner = Runner(settings, channel)
        began = asyncio.Event()

        async def make() -> None:
            began.set()
            await asyncio.sleep(10)

        call = Call(make, lambda _result: None)
        heard.handle = call.handle
        runner._spawn_call(call)  # noqa: SLF001 - the loop's side, as _loop runs it
        await began.wait()
        (task,) = runner.tasks
        task.cancel()  # the shutdown's cut-off, not the person's Cancel
        await asyncio.wait({task})
        await asyncio.sleep(0.05)  # any second answer would be said by now

    asyncio.run(loop())
    assert len(heard.delivered) == 1, [result for _done, result in heard.delivered]
    assert isinstance(heard.delivered[0][1], asyncio.CancelledError)
