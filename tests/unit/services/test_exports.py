"""``tracker.services`` exports what it lists, each from the module it names, and loads
lazily: the views do not pull in the editing services."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import tracker.services
from tests.helpers.exports import type_checking_imports


def test_all_the_type_checker_and_the_loader_name_the_same_things() -> None:
    declared = type_checking_imports(tracker.services)
    assert sorted(tracker.services.__all__) == sorted(declared)
    homes = {name: f"tracker.services.{home}" for name, home in tracker.services._HOMES.items()}
    assert declared == homes  # each from the module the type checker reads


@pytest.mark.parametrize("name", tracker.services.__all__)
def test_each_name_is_the_object_from_its_home(name: str) -> None:
    home = importlib.import_module(f"tracker.services.{tracker.services._HOMES[name]}")
    assert getattr(tracker.services, name) is getattr(home, name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    unknown = "Nope"
    with pytest.raises(AttributeError, match=r"'tracker\.services' has no attribute 'Nope'"):
        getattr(tracker.services, unknown)


def test_the_views_do_not_load_the_editing_services() -> None:
    """``tracker status`` needs only the views; the package docstring promises it is cheap."""
    code = (
        "import sys\n"
        "from tracker.services import Views, StatusView\n"
        "editing = {'tracker.services.tracker', 'tracker.services.entries',"
        " 'tracker.services.timer', 'tracker.services.undo'}\n"
        "assert not editing & set(sys.modules), sorted(editing & set(sys.modules))\n"
        "from tracker.services import *\n"
        "assert Tracker.__module__ == 'tracker.services.tracker'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
