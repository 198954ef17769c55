"""The seam between the GUI thread and the sync loop, on its own: no Qt, a real event loop
on this thread and asks from another thread."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from tracker.api import Servers
from tracker.bridge.channel import ConnectRequest, Requests, SyncChannel
from tracker.bridge.status import Notice, NoticeKind, SyncPhase, SyncStatus
from tracker.sync.engine import SyncReport


class Heard:
    """The answers, as the worker would turn them into signals."""

    def __init__(self) -> None:
        self.statuses: list[SyncStatus] = []
        self.notices: list[Notice] = []
        self.reports: list[SyncReport] = []
        self.data_changes = 0
        self.delivered: list[tuple[Callable[[Any], None], object]] = []

    def status(self, status: SyncStatus) -> None:
        self.statuses.append(status)

    def data_changed(self) -> None:
        self.data_changes += 1

    def notice(self, notice: Notice) -> None:
        self.notices.append(notice)

    def round_finished(self, report: SyncReport) -> None:
        self.reports.append(report)

    def deliver(self, done: Callable[[Any], None], result: object) -> None:
        self.delivered.append((done, result))


def test_asks_from_another_thread_wake_the_loop_and_are_taken_once() -> None:
    channel = SyncChannel(Heard(), push_delay=2.0, monotonic=lambda: 100.0)

    async def loop() -> tuple[Requests, Requests]:
        channel.bind()
        channel.take()
        waiting = asyncio.ensure_future(channel.wait())

        def ask() -> None:
            channel.look()
            channel.ask_round(False)

        asker = threading.Thread(target=ask)
        asker.start()
        await asyncio.wait_for(waiting, 5)
        asker.join()
        first = channel.take()
        return first, channel.take()

    first, second = asyncio.run(loop())
    assert first.looked
    assert first.round_asked is False
    assert second == Requests()


def test_an_ask_before_the_wait_is_not_lost() -> None:
    channel = SyncChannel(Heard(), push_delay=2.0)

    async def loop() -> Requests:
        channel.bind()
        channel.take()
        channel.account_changed()  # between taking and waiting
        await asyncio.wait_for(channel.wait(), 5)
        return channel.take()

    taken = asyncio.run(loop())
    assert taken.account_changed
    assert taken.round_asked is True


def test_a_burst_keeps_the_first_push_deadline_until_a_round_takes_it() -> None:
    now = [100.0]
    channel = SyncChannel(Heard(), push_delay=2.0, monotonic=lambda: now[0])
    channel.local_change()
    now[0] = 101.0
    channel.local_change()
    assert channel.push_deadline() == 102.0
    channel.pushed(101.5)  # a round began before the deadline: the burst is not all in it
    assert channel.push_deadline() == 102.0
    channel.pushed(102.0)
    assert channel.push_deadline() is None


def test_away_stays_until_it_changes_and_a_return_is_said_once() -> None:
    channel = SyncChannel(Heard(), push_delay=2.0)

    async def loop() -> list[Requests]:
        channel.bind()
        channel.set_away("lock", True)
        channel.set_away("idle", True)
        channel.set_away("lock", False)
        taken = [channel.take()]
        channel.set_away("idle", False)
        channel.set_away("sleep", True)  # left again before the loop looked
        taken += [channel.take(), channel.take()]
        return taken

    away, back, later = asyncio.run(loop())
    assert (away.away, away.came_back) == (frozenset({"idle"}), False)
    assert (back.away, back.came_back) == (frozenset({"sleep"}), True)
    assert (later.away, later.came_back) == (frozenset({"sleep"}), False)
    with pytest.raises(ValueError, match="unknown away source"):
        channel.set_away("lunch", True)


def test_after_stop_calls_and_connects_are_refused_and_stop_stays() -> None:
    heard = Heard()
    channel = SyncChannel(heard, push_delay=2.0)
    channel.stop(3.0)
    channel.call(lambda: asyncio.sleep(0), print)
    channel.connect(ConnectRequest("k" * 40, Servers.custom("http://127.0.0.1:9"), print))
    assert [type(result) for _, result in heard.delivered] == [RuntimeError, RuntimeError]
    assert channel.stopping
    assert channel.grace == 3.0

    async def loop() -> tuple[Requests, Requests]:
        channel.bind()
        return channel.take(), channel.take()

    first, second = asyncio.run(loop())
    assert first.stopping
    assert second.stopping
    assert first.calls == ()


def test_answers_reach_the_listener_and_a_status_is_said_once() -> None:
    heard = Heard()
    channel = SyncChannel(heard, push_delay=2.0)
    syncing = SyncStatus(SyncPhase.SYNCING)
    channel.answer_status(syncing)
    channel.answer_status(syncing)
    assert heard.statuses == [syncing]
    assert channel.status == syncing
    channel.answer_notice(Notice(NoticeKind.AUTH, "t", "x"))
    channel.answer_data_changed()
    channel.answer_round(SyncReport(created=1))
    assert (len(heard.notices), heard.data_changes, heard.reports) == (
        1,
        1,
        [SyncReport(created=1)],
    )
    assert channel.clean
    channel.cut_off()
    assert not channel.clean


def test_a_connect_request_never_shows_its_key() -> None:
    key = "a-secret-key-0123456789abcdef"
    request = ConnectRequest(key, Servers.custom("http://127.0.0.1:9"), print)
    assert key not in repr(request)
    assert key not in str(request)
