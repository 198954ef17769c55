"""What loading the client costs: httpx's command-line client stays out of the process."""

from __future__ import annotations

import subprocess
import sys


def test_the_client_does_not_load_httpx_command_line_dependencies() -> None:
    # click, rich and pygments are installed here (developer tools need them), which is
    # exactly when httpx would import them (about 10 MiB) for a client the app never runs.
    code = (
        "import sys, tracker.api.client, httpx;"
        "print(sorted(m for m in ('click', 'rich', 'pygments') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_httpx_still_has_its_main_name() -> None:
    # httpx defines a stub ``main`` when its command-line client cannot load.
    code = "import tracker.api.client, httpx; print(callable(httpx.main))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "True"


def test_pydantic_plugins_found_in_the_environment_are_not_used() -> None:
    # pydantic would scan every installed distribution for plugins, which could change how
    # Clockify's answers are validated; the client turns the scan off before any model.
    code = (
        "import tracker.api\n"
        "import pydantic.plugin._loader as loader\n"
        "def scan(**kw): raise AssertionError('the environment was scanned for plugins')\n"
        "loader.entry_points = scan\n"
        "from tracker.api.models.entries import TimeEntry\n"
        "print(list(loader.get_plugins()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_the_areas_sync_does_not_use_load_only_when_asked_for() -> None:
    # The worker builds a client for every round; reports, approvals, time off, holidays and
    # profiles bring their own models, which a timer's sync never validates.
    code = (
        "import sys\n"
        "from tracker.api.client import ClockifyClient\n"
        "api = ClockifyClient('k' * 48)\n"
        "areas = ('reports', 'approvals', 'timeoff', 'holidays')\n"
        "print(sorted(a for a in areas if f'tracker.api.resources.{a}' in sys.modules))\n"
        "api.time_off, api.reports\n"
        "print(sorted(a for a in areas if f'tracker.api.resources.{a}' in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split("\n")[:2] == ["[]", "['reports', 'timeoff']"]


def test_a_model_compiles_its_validator_on_first_use() -> None:
    # Of the 32 models a sync worker imports, a pull validates a handful and a push a few
    # more; each one's validator and serializer (about 0.7 MiB for the unused ones) is built
    # when first needed, not at import.
    code = (
        "from tracker.api.models import EntryCreate, StopRequest, TimeEntry, UsersFilter\n"
        "from tracker.api.models.base import decode\n"
        "models = (EntryCreate, StopRequest, TimeEntry, UsersFilter)\n"
        "print(sorted(m.__name__ for m in models if m.__pydantic_complete__))\n"
        "interval = {'start': '2024-03-01T09:00:00Z'}\n"
        "entry = {'id': 'a1', 'workspaceId': 'w1', 'timeInterval': interval}\n"
        "decode(TimeEntry, entry, what='time entry')\n"
        "print(sorted(m.__name__ for m in models if m.__pydantic_complete__))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split("\n")[:2] == ["[]", "['TimeEntry']"]
