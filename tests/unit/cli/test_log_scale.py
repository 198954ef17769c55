"""``tracker log`` on a store of years: the work follows the range listed, not the store's
size, and memory stays flat however long the range (the ``log_year_100k`` benchmark at a
tenth of its size).

The figures compared are CPU time and peak memory of the real command, which other work on
the machine hardly moves; the listing of one year would take several CPU seconds if each day
walked every entry before it, and the ten-year ``--json`` tens of MiB if it were built whole.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.benchmarks.bench_log import STORE_FILE, build_log_store, run_cli
from tests.unit.cli.conftest import Cli
from tracker.services import Tracker


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_log_over_a_year_of_a_big_store_is_quick_and_flat(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    today = now.date()
    build_log_store(tmp_path / STORE_FILE, 30_000, 3, now)  # ~27 entries a day
    floor = run_cli(tmp_path, "status")

    year = run_cli(tmp_path, "log", "--from", str(today - timedelta(days=365)), "--to", "today")
    everything = run_cli(tmp_path, "log", "--json", "--from", "2000-01-01", "--to", "today")

    assert year.cpu_seconds < floor.cpu_seconds + 2.0, (floor, year)
    assert everything.peak_mib < floor.peak_mib + 12, (floor, everything)
    assert everything.out_bytes > 20 * 2**20  # it did list all 30,000 entries


def test_streamed_log_is_the_whole_log(cli: Cli) -> None:
    """Printed day by day, the log says what the whole view says: JSON and text alike."""
    assert cli("add", "2026-02-25 23:00", "2026-02-26 01:00", "across midnight").code == 0
    cli("add", "2026-02-27 09:00", "2026-02-27 10:00", "friday")
    cli("start", "running")
    cli.advance(hours=2)

    streamed = cli("log", "--json", "--from", "2026-02-20", "--to", "2026-03-04").json()
    with cli.store() as store:
        whole = Tracker(store, lambda: cli.now).views.log(date(2026, 2, 20), date(2026, 3, 4))
    assert streamed == whole.to_json()
    assert [d["day"] for d in streamed["days"]] == [
        "2026-02-25",
        "2026-02-26",
        "2026-02-27",
        "2026-03-02",
    ]
    assert cli("log", "--json", "--from", "2027-01-01", "--to", "2027-01-09").json() == {
        "from": "2027-01-01",
        "to": "2027-01-09",
        "days": [],
        "total_seconds": 0,
    }

    text = cli("log", "--from", "2026-02-20", "--to", "2026-03-04").out.splitlines()
    assert text[0] == "Wed 25 Feb 2026 (UTC)"
    assert text[-1] == "Total 5:00:00 from 2026-02-20 to 2026-03-04"
    assert text.count("") == 4  # a blank line after each day
    assert "running" not in cli("log", "--from", "2026-03-03", "--to", "2026-03-04").out
