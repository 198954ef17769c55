"""``tracker report`` and ``tracker export``: the same total as ``tracker log``, in every
format, and one clear line for bad input or a full disk."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.unit.cli.conftest import ROOT, Cli, run_tracker
from tracker.domain.model import LOCAL_WORKSPACE, Entry, Profile
from tracker.services.admin_base import admin_key
from tracker.store import Store
from tracker.store.report_cache import ReportCache


@pytest.fixture
def week(cli: Cli) -> Cli:
    """A week with entries across both of its edges, a project, a tag and a running timer."""
    assert cli("projects", "add", "Website", "--billable").code == 0
    assert cli("tags", "add", "dev").code == 0
    for argv in (
        ("add", "2026-03-01 22:00", "2026-03-02 02:00", "across the start"),
        ("add", "2026-03-02 09:00", "2026-03-02 10:30", "design", "-p", "Website", "--tag", "dev"),
        ("add", "2026-03-03 23:30", "2026-03-04 00:45", "=cmd|' /C calc'!A0", "-p", "Website"),
        ("add", "2026-03-08 23:00", "2026-03-09 01:00", "across the end"),
    ):
        assert cli(*argv).code == 0, argv
    cli.now = cli.now.replace(day=8, hour=12)  # Sunday noon
    assert cli("start", "running", "--at", "11:00").code == 0
    return cli


WEEK_SECONDS = 2 * 3600 + 5400 + 4500 + 3600 + 3600


def log_total(cli: Cli, *argv: str) -> int:
    result = cli("log", *argv, "--json")
    assert result.code == 0, result.err
    return int(result.json()["total_seconds"])


def test_report_total_equals_the_log(week: Cli) -> None:
    result = week("report", "this-week", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["source"] == "local"
    assert data["label"] == "Your entries on this computer"
    assert data["total_seconds"] == WEEK_SECONDS
    assert data["total_seconds"] == log_total(week, "--from", "2026-03-02", "--to", "2026-03-08")
    assert sum(g["seconds"] for g in data["groups"]) == WEEK_SECONDS
    assert all("amount" in g for g in data["groups"])
    assert data["running"] is True
    other = week("report", "--from", "2026-03-03", "--to", "2026-03-04", "--json").json()
    assert other["total_seconds"] == log_total(week, "--from", "2026-03-03", "--to", "2026-03-04")


def test_report_text_csv_and_filters(week: Cli) -> None:
    text = week("report", "--group-by", "project,tag")
    assert text.code == 0, text.err
    assert text.out.startswith("Your entries on this computer: 2026-03-02 to 2026-03-08")
    assert "Website" in text.out
    assert "  dev" in text.out
    assert "Total 6:45:00" in text.out
    table = list(csv.reader(io.StringIO(week("report", "--csv").out)))
    assert table[0][:2] == ["Project", "Seconds"]
    assert table[-1][:2] == ["Total", str(WEEK_SECONDS)]
    only = week("report", "-p", "web", "--json").json()
    assert only["total_seconds"] == 5400 + 4500
    billable = week("report", "--billable", "--tag", "dev", "--json").json()
    assert billable["total_seconds"] == 5400


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_durations_add_up_to_the_report(week: Cli, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"week.{fmt}"
    result = week("export", str(path), "this-week")
    assert result.code == 0, result.err
    assert "your entries on this computer" in result.out
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        hours = [r["Duration (h)"] for r in rows]
        # A description that starts like a formula is written as text.
        assert any(r["Description"].startswith("'=cmd") for r in rows)
    elif fmt == "json":
        rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
        hours = [r["Duration (h)"] for r in rows]
    else:
        book = load_workbook(path, read_only=True)
        values = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
        column = values[0].index("Duration (h)")
        hours = [str(row[column]) for row in values[1:]]
        described = [row[values[0].index("Description")] for row in values[1:]]
        assert "=cmd|' /C calc'!A0" in described  # kept as text, never a formula
    seconds = 0
    for text in hours:
        h, m, s = (int(part) for part in text.split(":"))
        seconds += h * 3600 + m * 60 + s
    assert seconds == WEEK_SECONDS
    assert len(hours) == 5
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_summary_and_weekly_exports(week: Cli, tmp_path: Path) -> None:
    summary = tmp_path / "s.csv"
    assert week("export", str(summary), "--kind", "summary").code == 0
    rows = list(csv.reader(io.StringIO(summary.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Project", "Duration (h)", "Duration (decimal)", "Amount"]
    weekly = tmp_path / "w.json"
    assert week("export", str(weekly), "--kind", "weekly").code == 0
    data = json.loads(weekly.read_text(encoding="utf-8"))
    assert data["rows"][-1]["Project"] == "Total"
    assert data["rows"][-1]["Total"] == "6:45:00"
    long = week("export", str(tmp_path / "y.csv"), "this-year", "--kind", "weekly")
    assert long.code == 1
    assert "at most 31 days" in long.err


@pytest.mark.parametrize(
    ("argv", "code", "says"),
    [
        (("report", "--from", "2026-03-09", "--to", "2026-03-02"), 2, "before --from"),
        (("report", "--group-by", "project,colour"), 2, "Cannot group by 'colour'"),
        (("report", "--group-by", "project,task,tag,date"), 2, "one to three"),
        (("report", "fortnight"), 2, "unknown period 'fortnight'"),
        (("report", "today", "--from", "mon"), 2, "not both"),
        (("report", "--from", "2026-02-30"), 1, "2026-02-30"),
        (("report", "--from", "1969-12-31"), 1, "1970-01-01"),
        (("report", "-p", "nosuch"), 1, "No project matches 'nosuch'"),
        (("export", "out.txt"), 2, "Cannot tell the format from 'out.txt'"),
        (("export", "/nonexistent-folder/x.csv"), 1, "no folder"),
    ],
)
def test_bad_input_is_one_clear_line(cli: Cli, argv: tuple[str, ...], code: int, says: str) -> None:
    result = cli(*argv)
    assert result.code == code, (result.out, result.err)
    assert says in result.err
    assert "Traceback" not in result.err
    assert result.err.count("\n") <= 2


def test_dst_day_and_midnight_in_berlin(cli: Cli, home: Path) -> None:
    with Store(home / "tracker.sqlite3") as store:
        store.meta.save_profile(Profile(time_zone="Europe/Berlin"))
    cli.now = cli.now.replace(month=4, day=1)
    assert cli("add", "2026-03-28 23:00", "2026-03-29 05:00", "night").code == 0
    report = cli("report", "--from", "2026-03-29", "--to", "2026-03-29", "--json").json()
    assert report["total_seconds"] == 4 * 3600  # 00:00-05:00 local: the clock skipped 02:00
    assert report["total_seconds"] == log_total(cli, "--from", "2026-03-29", "--to", "2026-03-29")


def test_an_export_that_fails_leaves_the_old_file(week: Cli, tmp_path: Path) -> None:
    path = tmp_path / "keep.csv"
    path.write_text("old", encoding="utf-8")
    result = week("export", str(path), "this-year", "--kind", "weekly")
    assert result.code == 1
    assert path.read_text(encoding="utf-8") == "old"


def _can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
         "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
        timeout=30,
    )  # fmt: skip
    return probe.returncode == 0


def test_a_full_disk_says_so_and_leaves_no_file(home: Path) -> None:
    """A real full disk: a 64 KiB tmpfs in a private mount namespace, filled by the export."""
    if not _can_mount_tmpfs():
        pytest.skip("this system does not let a test mount a small tmpfs (unshare)")
    with Store(home / "tracker.sqlite3") as store:  # about 150 KiB of CSV
        start = datetime(2026, 3, 2, tzinfo=UTC)
        for n in range(1000):
            began = start + timedelta(minutes=n)
            store.entries.save(
                Entry(f"e{n}", LOCAL_WORKSPACE, began, began + timedelta(seconds=50), "x" * 80)
            )
    script = (
        "mount -t tmpfs -o size=64k tmpfs /mnt && "
        f"{sys.executable} -m tracker export /mnt/out.csv --from 2026-03-02 --to 2026-03-03; "
        'echo "rc=$?"; ls -a /mnt'
    )
    completed = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert "rc=1" in completed.stdout, (completed.stdout, completed.stderr)
    assert "The disk is full" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stdout.split() == ["rc=1", ".", ".."]  # nothing left behind


def test_a_pdf_export_renders_and_shows_markup_as_text(home: Path, tmp_path: Path) -> None:
    """The real program (``python -m tracker``, which gives the CLI Qt's PDF writer) on the
    offscreen platform; poppler renders the file and reads its text back."""
    with Store(home / "tracker.sqlite3") as store:
        began = datetime(2026, 3, 2, 9, tzinfo=UTC)
        store.entries.save(
            Entry("e1", LOCAL_WORKSPACE, began, began + timedelta(hours=2), "<b>x</b><img src=y>")
        )
    path = tmp_path / "week.pdf"
    result = run_tracker("export", str(path), "--from", "2026-03-02", "--to", "2026-03-08")
    assert result.code == 0, result.err
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("poppler-utils (pdftoppm, pdftotext) is missing; tests/run installs it")
        pytest.skip("poppler-utils is not installed")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 1000
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Detailed report" in text
    assert "<b>x</b><img" in text
    assert "2:00:00" in text


def test_offline_report_carries_the_kept_amounts_and_says_which_entries_they_count(
    week: Cli,
) -> None:
    """My rates on Website are kept (the most specific level sets both, so no other level
    matters); the entries without a project need my team rate and the workspace's, which
    are not kept."""
    mine = {"user_id": "me", "name": "Me", "hourly_rate": 6000, "cost_rate": 2000}
    with week.store() as store:
        store.meta.set_account({"user_id": "me", "name": "Me", "email": "me@example.com"})
        website = store.catalog.named("project", LOCAL_WORKSPACE, "Website")[0]
        ReportCache(store.conn).put(
            admin_key("projects", LOCAL_WORKSPACE),
            LOCAL_WORKSPACE,
            {"projects": [{"id": website.id, "hourly_rate": 1, "cost_rate": 1, "members": [mine]}]},
            0.0,
        )
    data = week("report", "this-week", "--offline", "--json").json()
    # design 1:30 billable at 60.00 (9000) and 1:15 of the late entry; both cost 20.00/h.
    assert data["entries"] == 5
    assert data["priced_entries"] == 2
    assert data["amount"] == 9000 + 7500
    assert data["cost"] == 3000 + 2500
    assert data["profit"] == data["amount"] - data["cost"]
    website_group = next(g for g in data["groups"] if g["name"] == "Website")
    assert (website_group["amount"], website_group["cost"]) == (16500, 5500)
    assert next(g for g in data["groups"] if g["key"] is None)["amount"] is None
    text = week("report", "this-week", "--offline")
    assert "amount 165.00, cost 55.00, profit 110.00" in text.out
    assert "Amounts for 2 of 5 entries (the others' rates are not kept here);" in text.out
    assert "`tracker admin team` and `tracker admin projects` fetch them" in text.out
