"""``tracker admin``: asking before a destructive or bulk change, and a missing area."""

from __future__ import annotations

import argparse
import io
from typing import cast

import pytest

from tracker.cli.admin_verbs import cmd_admin, confirm
from tracker.cli.runtime import Runtime, UserError


class _Rt:
    def __init__(self, **args: object) -> None:
        self.args = argparse.Namespace(**args)


def test_dry_run_says_and_sends_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    rt = cast(Runtime, _Rt(dry_run=True, yes=True))
    assert confirm(rt, "deactivate 3 people") is False
    assert "Would deactivate 3 people (dry run" in capsys.readouterr().out


def test_yes_goes_on_and_a_script_without_it_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert confirm(cast(Runtime, _Rt(dry_run=False, yes=True)), "delete the project") is True
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # not a terminal
    with pytest.raises(UserError, match="run again with --yes"):
        confirm(cast(Runtime, _Rt()), "delete the project")


def test_no_area_lists_what_there_is() -> None:
    with pytest.raises(UserError, match="tracker admin AREA"):
        cmd_admin(cast(Runtime, _Rt(area=None)))
