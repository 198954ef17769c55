"""``tracker.api`` exports what it lists, each from the module it names, and loads lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import tracker.api
from tests.helpers.exports import type_checking_imports


def test_all_the_type_checker_and_the_loader_name_the_same_things() -> None:
    declared = type_checking_imports(tracker.api)
    assert sorted(tracker.api.__all__) == sorted(declared)
    assert declared == tracker.api._HOMES  # each from the module the type checker reads


@pytest.mark.parametrize("name", tracker.api.__all__)
def test_each_name_is_the_object_from_its_home(name: str) -> None:
    home = importlib.import_module(tracker.api._HOMES[name])
    assert getattr(tracker.api, name) is getattr(home, name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    unknown = "Nope"
    with pytest.raises(AttributeError, match=r"'tracker\.api' has no attribute 'Nope'"):
        getattr(tracker.api, unknown)


def test_the_package_costs_nothing_until_a_name_is_used() -> None:
    """The log setup imports the redaction helpers before the tray shows: no httpx yet."""
    code = (
        "import sys, tracker.api, tracker.api.redaction\n"
        "assert 'httpx' not in sys.modules and 'pydantic' not in sys.modules, 'loaded early'\n"
        "from tracker.api import *\n"
        "assert ClockifyClient.__module__ == 'tracker.api.client'\n"
        "assert 'httpx' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
