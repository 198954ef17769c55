"""kill -9 at any moment never makes a workspace change twice, nor loses it.

Server-first changes (a project, a member with a rate, a group, a schedule assignment, an
invoice, a line, a payment) go to Clockify at once and are never sent twice
(``admin_base.ServerFirst.send_once`` and its kin). Each trial runs one ``tracker`` verb as a
real process against the test server and kills it (SIGKILL) at a seeded moment: before its
request, or while the server holds the request (``delay``: it commits late, after the kill);
or the server commits and drops the connection (``drop_after_commit``: the answer is lost,
as when the process dies right after the commit) and the verb finds out itself. Unless it
had said the change was made, the same verb runs again, after the late commit or racing it;
when that one is held back (the first may still land), once more after the unclear horizon
(in this process, with a clock 16 minutes on). The server must then hold the change exactly
once, every failure must be one sentence, and the store must read back sound.

A kill after the change was answered but before the verb said so (the person saw nothing)
keeps the mark as landed for ten minutes: the same verb again says it was already done
(exit 3) and sends nothing; ``--again`` makes it once more on purpose (shown for a payment).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakeclockify import FakeClockify, Fault
from tests.fakeclockify.groups import groups_of
from tests.fakeclockify.invoices import Invoice, Item, invoice_book
from tests.fakeclockify.records import WorkspaceData
from tests.fakeclockify.schedule import schedule_book
from tracker.cli import main
from tracker.domain.model import Profile
from tracker.integrations.secrets import EnvSecretStore
from tracker.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[3]
SEED = 20261206
MOMENTS = ("before", "held", "racing", "dropped")
"""Killed before the request; while the server holds it (run again once it committed, or at
once, racing the late commit); or not killed, its answer lost after the commit."""
HOLD = 1.5
"""How long the server holds a request before it commits and answers (``held``)."""
RACE_HOLD = 6.0
"""The same when the verb runs again at once (``racing``): long enough that the second run
looks before the first commits."""
LATER = timedelta(minutes=16)
"""Past the unclear horizon (15 minutes): a change held back may be sent again."""


@dataclass(frozen=True)
class Case:
    """One verb: how to prepare a trial, its arguments, its write request, and how many
    times the server holds the change the trial asked for."""

    name: str
    method: str
    path: str
    prepare: Callable[[FakeClockify, int], dict[str, str]]
    argv: Callable[[dict[str, str]], list[str]]
    count: Callable[[FakeClockify, dict[str, str]], int]


def _data(server: FakeClockify) -> WorkspaceData:
    return server.state.workspaces[server.workspace_id]


def _project(server: FakeClockify, trial: int) -> dict[str, str]:
    return {"name": f"Kill project {trial}"}


def _projects_named(server: FakeClockify, p: dict[str, str]) -> int:
    return sum(1 for x in server.state.projects(server.workspace_id) if x["name"] == p["name"])


def _member(server: FakeClockify, trial: int) -> dict[str, str]:
    project = server.state.add_project(server.workspace_id, f"Kill members {trial}")
    priya = next(u for u in server.users if u.name == "Priya Shah")
    return {"project": project.name, "project_id": project.id, "user_id": priya.user_id}


def _member_count(server: FakeClockify, p: dict[str, str]) -> int:
    with server.state.lock:
        project = _data(server).projects[p["project_id"]]
        times = project.member_ids.count(p["user_id"])
        rate = (project.member_rates.get(p["user_id"]) or {}).get("hourly")
        assert times == 0 or (rate is not None and rate["amount"] == 5500), rate
        return times


def _group(server: FakeClockify, trial: int) -> dict[str, str]:
    return {"name": f"Kill group {trial}"}


def _groups_named(server: FakeClockify, p: dict[str, str]) -> int:
    with server.state.lock:
        return sum(1 for g in groups_of(_data(server)).values() if g.name == p["name"])


def _assignment(server: FakeClockify, trial: int) -> dict[str, str]:
    first = date.today() + timedelta(days=7 * (trial % 20 + 1))
    return {"first": first.isoformat(), "last": (first + timedelta(days=2)).isoformat(),
            "note": f"kill {trial}"}  # fmt: skip


def _assignments(server: FakeClockify, p: dict[str, str]) -> int:
    with server.state.lock:
        found = schedule_book(_data(server)).assignments.values()
        return sum(1 for a in found if a.note == p["note"])


def _client(server: FakeClockify, trial: int) -> dict[str, str]:
    client = server.state.add_client(server.workspace_id, f"Kill client {trial}",
                                     currency_code="EUR")  # fmt: skip
    return {"client": client.name, "client_id": client.id}


def _invoices_of(server: FakeClockify, p: dict[str, str]) -> int:
    with server.state.lock:
        found = invoice_book(_data(server)).invoices.values()
        return sum(1 for i in found if i.client_id == p["client_id"])


def _invoice(server: FakeClockify, trial: int) -> dict[str, str]:
    """An invoice of 1,000.00 sent to a client, made on the server itself."""
    client = server.state.clients(server.workspace_id)[0]
    with server.state.lock:
        now = server.state.now()
        number = f"KILL-{trial:03d}"
        invoice = Invoice(
            id=server.state.new_id(),
            user_id=server.user_id,
            client_id=client["id"],
            currency="USD",
            number=number,
            issued=now,
            due=now + 30 * 86400,
            status="SENT",
            items=[Item(1, "Base", "Service", quantity=100, unit_price=100_000 * 100)],
        )
        invoice_book(_data(server)).invoices[invoice.id] = invoice
    return {"number": number, "invoice_id": invoice.id, "line": f"Kill line {trial}",
            "note": f"kill payment {trial}"}  # fmt: skip


def _lines(server: FakeClockify, p: dict[str, str]) -> int:
    with server.state.lock:
        invoice = invoice_book(_data(server)).invoices[p["invoice_id"]]
        return sum(1 for i in invoice.items if i.description == p["line"])


def _payments(server: FakeClockify, p: dict[str, str]) -> int:
    with server.state.lock:
        invoice = invoice_book(_data(server)).invoices[p["invoice_id"]]
        return sum(1 for i in invoice.payments if i.note == p["note"])


CASES = (
    Case("project", "POST", r"/projects$", _project,
         lambda p: ["admin", "projects", "add", p["name"]], _projects_named),
    Case("member", "POST", r"/memberships$", _member,
         lambda p: ["admin", "projects", "members", p["project"], "add", "Priya Shah",
                    "--rate", "55"], _member_count),
    Case("group", "POST", r"/user-groups$", _group,
         lambda p: ["admin", "groups", "add", p["name"]], _groups_named),
    Case("assignment", "POST", r"/scheduling/assignments/recurring$", _assignment,
         lambda p: ["admin", "schedule", "add", "Chen", "Website Redesign", p["first"],
                    p["last"], "--hours", "2", "--note", p["note"]], _assignments),
    Case("invoice", "POST", r"/invoices$", _client,
         lambda p: ["invoice", "create", p["client"]], _invoices_of),
    Case("line", "POST", r"/items$", _invoice,
         lambda p: ["invoice", "add-item", p["number"], p["line"], "--price", "10"], _lines),
    Case("payment", "POST", r"/payments$", _invoice,
         lambda p: ["invoice", "pay", p["number"], "1.00", "--note", p["note"]], _payments),
)  # fmt: skip


@dataclass
class Trial:
    """One kill and what the runs after it said."""

    case: str
    moment: str
    killed: bool
    again: tuple[int, str]
    later: tuple[int, str] | None


def _env(server: FakeClockify, home: Path) -> dict[str, str]:
    return {
        "TRACKER_HOME": str(home),
        "TRACKER_API_URL": server.base_url,
        "TRACKER_REPORTS_URL": server.reports_url,
        "CLOCKIFY_API_KEY": server.api_key,
    }


def _spawn(argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", *argv],
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", **env},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    child = _spawn(argv, env)
    _, err = child.communicate(timeout=120)
    return child.returncode, err


def _taken(server: FakeClockify, fault: Fault, within: float = 30.0) -> bool:
    """Wait until the server met the request ``fault`` is for (False: the child never sent
    it, e.g. it failed before)."""
    deadline = time.monotonic() + within
    while fault in server.faults():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _kill_at(
    server: FakeClockify, case: Case, moment: str, argv: list[str], env: dict[str, str],
    *, rng: random.Random,
) -> tuple[bool, bool, int]:  # fmt: skip
    """Run the verb and SIGKILL it at the moment: whether it was still running then, whether
    it had said the change was made (then it is not run again: a person would not), and how
    many exchanges the server had logged before it started."""
    fault: Fault | None = None
    if moment in ("held", "racing"):
        hold = HOLD if moment == "held" else RACE_HOLD
        fault = Fault(kind="delay", delay=hold, method=case.method, path=case.path)
    elif moment == "dropped":
        fault = Fault(kind="drop_after_commit", method=case.method, path=case.path)
    if fault is not None:
        server.add_fault(fault)
    seen = len(server.exchanges)
    child = _spawn(argv, env)
    if moment == "before":
        time.sleep(rng.uniform(0.0, 0.4))  # python and the imports take longer than that
    elif moment == "dropped":
        child.wait(timeout=120)  # it reads back what landed and says what it found
    elif fault is not None and _taken(server, fault):  # while the server holds it
        time.sleep(rng.uniform(0.0, HOLD * 0.8 if moment == "held" else 0.3))
    alive = child.poll() is None
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    if fault is not None:
        server.clear_faults()  # a fault the killed child never met must not hit the rerun
    if moment == "held":  # the late commit lands before the verb runs again
        _committed(server, seen)
    return alive, bool(out.strip()), seen


def _committed(server: FakeClockify, seen: int) -> None:
    """Wait until the request the server held since exchange ``seen`` has committed."""
    server.wait_for(lambda log: any(e.fault == "delay" for e in log[seen:]), RACE_HOLD + 30)


def _later(argv: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:  # fmt: skip
    """The same verb past the unclear horizon, in this process with a clock 16 minutes on."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    later = datetime.now(UTC) + LATER
    code = main(argv, clock=lambda: later, secret_store=EnvSecretStore())
    return code, capsys.readouterr().err


def _sound(home: Path) -> None:
    path = home / "tracker.sqlite3"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store(path) as store:
        store.meta.get("schema_version")


def _one_sentence(err: str) -> None:
    assert "Traceback" not in err, err
    assert err.startswith("tracker: "), err
    assert err.count("\n") == 1, err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_kill_at_any_moment_makes_the_change_exactly_once(
    case: Case,
    clockify: FakeClockify,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rng = random.Random(f"{SEED}:{case.name}")
    trials: list[Trial] = []
    wrong: list[str] = []
    for number, moment in enumerate(MOMENTS, 1):
        home = tmp_path / moment
        home.mkdir()
        with Store(home / "tracker.sqlite3") as store:
            store.meta.save_profile(Profile(time_zone="UTC"))
        env = _env(clockify, home)
        params = case.prepare(clockify, number)
        argv = case.argv(params)
        killed, told, seen = _kill_at(clockify, case, moment, argv, env, rng=rng)
        again = (0, "") if told else _run(argv, env)
        if moment == "racing":  # the held request commits late, after the rerun began
            _committed(clockify, seen)
        later = None
        if again[0] != 0:
            _one_sentence(again[1])
            later = _later(argv, env, monkeypatch, capsys)
        trial = Trial(case.name, moment, killed, again, later)
        trials.append(trial)
        held = case.count(clockify, params)
        if held != 1 or (later is not None and later[0] != 0):
            wrong.append(f"{held} on the server after {trial}")
        _sound(home)
    assert wrong == [], "\n".join(wrong)
    assert sum(t.killed for t in trials) >= 2, trials  # before, held and racing mostly kill


def test_a_payment_killed_after_its_answer_before_it_was_said_is_not_made_twice(
    clockify: FakeClockify, tmp_path: Path
) -> None:
    """Killed once the payment was answered (while the server holds the read-back that
    follows it), the person saw nothing; the same command again says it was already done
    (exit 3, nothing sent), and ``--again`` makes a second payment on purpose."""
    with Store(tmp_path / "tracker.sqlite3") as store:
        store.meta.save_profile(Profile(time_zone="UTC"))
    env = _env(clockify, tmp_path)
    params = _invoice(clockify, 1)
    argv = ["invoice", "pay", params["number"], "1.00", "--note", params["note"]]
    read_back = Fault(kind="delay", delay=RACE_HOLD, method="GET",
                      path=f"/invoices/{params['invoice_id']}$")  # fmt: skip
    clockify.add_fault(read_back)
    child = _spawn(argv, env)
    assert _taken(clockify, read_back), child.communicate(timeout=30)
    assert _payments(clockify, params) == 1  # answered: the read-back comes after it
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    assert out == ""  # the person was told nothing
    clockify.clear_faults()

    code, err = _run(argv, env)
    assert (code, _payments(clockify, params)) == (3, 1), err  # not paid twice
    _one_sentence(err)
    assert "already done at" in err
    assert "--again" in err
    code, err = _run([*argv, "--again"], env)
    assert (code, _payments(clockify, params)) == (0, 2), err
    code, err = _run(argv, env)  # the last one was said: the next is a new payment
    assert (code, _payments(clockify, params)) == (0, 3), err
    _sound(tmp_path)
