"""A CLI verb's one piece of work with a fresh client: its answer, or the area's own
"cannot be reached" error in one line."""

from __future__ import annotations

import pytest

from tests.fakeclockify import FakeClockify
from tests.helpers.served import closed_port
from tracker.api import ClockifyClient, RetryPolicy, Servers
from tracker.services.admin_base import AdminOffline
from tracker.services.fresh_client import run_with_client
from tracker.services.timeoff import TimeOffOffline

_FAST = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, max_retry_after=1)


def test_the_work_answers_with_a_client_that_reaches_clockify(clockify: FakeClockify) -> None:
    def connect() -> ClockifyClient:
        servers = Servers.custom(clockify.base_url, clockify.reports_url)
        return ClockifyClient(clockify.api_key, servers=servers, retry=_FAST)

    async def work(api: ClockifyClient) -> str:
        return (await api.user.current()).id

    assert run_with_client(connect, work, AdminOffline) == clockify.user_id


@pytest.mark.parametrize("offline", [AdminOffline, TimeOffOffline])
def test_an_unreachable_clockify_raises_the_areas_own_error_in_one_line(
    offline: type[AdminOffline] | type[TimeOffOffline],
) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"

    def connect() -> ClockifyClient:
        return ClockifyClient("k" * 48, servers=Servers.custom(dead, dead), retry=_FAST)

    async def work(api: ClockifyClient) -> str:
        return (await api.user.current()).id

    with pytest.raises(offline) as raised:
        run_with_client(connect, work, offline)
    assert type(raised.value) is offline
    assert raised.value.message.startswith("Clockify cannot be reached: ")
    assert "\n" not in raised.value.message
