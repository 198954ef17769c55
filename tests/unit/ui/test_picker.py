"""The project/task picker: the model, the keyboard, and a large catalog indexed off the GUI
thread while the picker stays usable (the ranking itself: tests/unit/services/test_search.py)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tracker.domain.model import Project, Task
from tracker.services.search_candidates import NO_PROJECT, Candidate, candidates
from tracker.ui import picker_index, picker_model
from tracker.ui.picker import ProjectPicker
from tracker.ui.picker_model import PickerModel
from tracker.ui.picker_rows import LOADING

SHOTS = Path("/tmp/shots-tray")


def _projects(*names: str, client: str | None = None) -> list[Project]:
    return [
        Project(f"p{i}", "w", name, client_id=client, color="#e91e63")
        for i, name in enumerate(names)
    ]


def _labels(found: list[Candidate]) -> list[str]:
    return [c.label for c in found]


def test_model_passes_the_model_tester(qtmodeltester: ModelTester, qtbot: QtBot) -> None:
    model = PickerModel()
    model.set_candidates(
        candidates(
            _projects("Website", "Internal"),
            [Task("t", "w", "p0", "Design", estimate=timedelta(hours=2))],
            {},
        )
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.candidate(0) == NO_PROJECT
    model.set_query("des")
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    index = model.index(0)
    assert index.data() == "Website: Design"
    assert index.data(PickerModel.EstimateRole) == "2:00"
    assert index.data(PickerModel.TaskIdRole) == "t"
    assert "&lt;" not in str(index.data(Qt.ItemDataRole.ToolTipRole))


def _picker(qtbot: QtBot) -> ProjectPicker:
    picker = ProjectPicker()
    qtbot.addWidget(picker)
    picker.set_candidates(
        candidates(
            [
                Project("p1", "w", "Website", color="#03a9f4", client_id="c"),
                Project("p2", "w", "Internal", color="#8bc34a"),
            ],
            [Task("t1", "w", "p1", "Design", estimate=timedelta(hours=3))],
            {"c": "Acme"},
        )
    )
    picker.resize(380, 240)
    picker.show()
    qtbot.waitExposed(picker)
    picker.edit.setFocus()
    return picker


def test_typing_filters_and_enter_picks(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    qtbot.keyClicks(picker.edit, "webdes")
    assert picker.is_open()
    assert picker.model.rowCount() == 1
    with qtbot.waitSignal(picker.picked) as picked:
        qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert picked.args == ["p1", "t1"]
    assert picker.selection() == ("p1", "t1")
    assert picker.edit.text() == "Website: Design"
    assert not picker.is_open()


def test_arrows_move_and_escape_restores(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)  # opens the full list
    assert picker.is_open()
    assert picker.current_row() == 0
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Up)
    # Grouped by client: the headings are passed over by the arrows.
    assert _shown(picker) == [
        "No project",
        "Without client",
        "Internal",
        "Acme",
        "Website",
        "Website: Design",
    ]
    assert picker.current_row() == 2
    assert picker.model.candidate(2).label == "Internal"
    assert not picker.model.pickable(1)
    assert not picker.model.flags(picker.model.index(3)) & Qt.ItemFlag.ItemIsSelectable
    with qtbot.waitSignal(picker.picked) as picked:
        qtbot.keyClick(picker.edit, Qt.Key.Key_Enter)
    assert picked.args == ["p2", None]
    qtbot.keyClicks(picker.edit, "x")
    assert picker.is_open()
    qtbot.keyClick(picker.edit, Qt.Key.Key_Escape)
    assert not picker.is_open()
    assert picker.edit.text() == "Internal"
    assert picker.selection() == ("p2", None)


def test_no_project_clears_the_choice(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    picker.set_selection("p1", None, "Website")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
    assert picker.model.candidate(0) == NO_PROJECT
    with qtbot.waitSignal(picker.picked) as picked:
        qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert picked.args == [None, None]
    assert picker.edit.text() == ""


def test_screenshot(qtbot: QtBot) -> None:
    picker = _picker(qtbot)
    picker.open_list()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert picker.grab().save(str(SHOTS / "picker.png"))


# --- a large catalog: indexed off the GUI thread --------------------------------------------


def _many(count: int, *extra: Project) -> list[Project]:
    return [Project(f"p{i}", "w", f"Project {i}") for i in range(count)] + list(extra)


def _shown(picker: ProjectPicker) -> list[str]:
    model = picker.model
    return [model.candidate(row).label for row in range(model.rowCount())]


def test_a_large_catalog_is_indexed_off_the_gui_thread_while_the_list_says_so(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    built_on: list[str] = []
    index_catalog = picker_index.index_catalog

    def recording(*args: Any) -> Any:
        built_on.append(threading.current_thread().name)
        return index_catalog(*args)

    monkeypatch.setattr(picker_model, "index_catalog", recording)
    picker = ProjectPicker(inline_limit=100)
    qtbot.addWidget(picker)
    picker.show()
    website = Project("web", "w", "Website", color="#03a9f4")
    with qtbot.waitSignal(picker.model.loaded, timeout=10_000):
        picker.set_catalog(_many(200, website), [Task("t1", "w", "web", "Design")], {})
        # Nothing has been delivered yet: no event was processed since.
        assert picker.is_loading()
        assert _shown(picker) == [LOADING.label]
        flags = picker.model.flags(picker.model.index(0))
        assert not flags & (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
        qtbot.keyClicks(picker.edit, "web des")  # typing goes on meanwhile
        assert picker.is_open()
        assert _shown(picker) == [LOADING.label]
        with qtbot.assertNotEmitted(picker.picked):
            qtbot.keyClick(picker.edit, Qt.Key.Key_Return)  # nothing is picked unseen
        assert picker.is_open()
    assert len(built_on) == 1
    assert built_on[0] != threading.main_thread().name
    assert not picker.is_loading()
    assert _shown(picker)[0] == "Website: Design"  # what was typed, applied to the index
    assert picker.current_row() == 0
    with qtbot.waitSignal(picker.picked) as picked:
        qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert picked.args == ["web", "t1"]


def test_a_small_catalog_is_indexed_at_once(qtbot: QtBot) -> None:
    picker = ProjectPicker(inline_limit=100)
    qtbot.addWidget(picker)
    picker.set_catalog(_many(99), [], {})
    assert not picker.is_loading()
    assert picker.model.candidate_count() == 99


def test_while_a_new_catalog_is_indexed_the_old_one_is_searched(qtbot: QtBot) -> None:
    picker = ProjectPicker(inline_limit=10)
    qtbot.addWidget(picker)
    picker.show()
    picker.set_catalog([Project("old", "w", "Old website")], [], {})
    with qtbot.waitSignal(picker.model.loaded, timeout=10_000):
        picker.set_catalog(_many(50, Project("new", "w", "New website")), [], {})
        assert picker.is_loading()
        qtbot.keyClicks(picker.edit, "website")
        assert _shown(picker) == ["Old website"]
    assert _shown(picker) == ["New website"]


def test_only_the_latest_catalog_is_used(qtbot: QtBot) -> None:
    model = PickerModel(inline_limit=0)
    model.set_candidates(candidates(_projects("Alpha", "Beta"), [], {}))
    model.set_candidates(candidates(_projects("Gamma"), [], {}))
    assert QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.waitUntil(lambda: not model.is_loading())
    QCoreApplication.processEvents()  # the other build's delivery, whichever came last
    assert model.candidate_count() == 1
    assert model.candidate(1).label == "Gamma"


def test_a_build_that_fails_is_logged_and_leaves_an_empty_list(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    model = PickerModel(inline_limit=0)
    broken = Candidate(None, None, None, None, None, None)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="tracker.ui"):
        model.set_candidates([broken])
        qtbot.waitUntil(lambda: not model.is_loading(), timeout=10_000)
    assert "building the project picker's index failed" in caplog.text
    assert model.candidate_count() == 0
    assert [model.candidate(row) for row in range(model.rowCount())] == [NO_PROJECT]


def test_a_rebuild_waits_while_someone_types(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build thread and the GUI thread share the interpreter: a build pauses between
    its steps while keys come, so each key is searched and painted at once."""
    monkeypatch.setattr(picker_index, "PAUSE", 1.5)
    picker = ProjectPicker(inline_limit=10)
    qtbot.addWidget(picker)
    picker.show()
    picker.set_catalog([Project("old", "w", "Old website")], [], {})
    qtbot.keyClicks(picker.edit, "web")
    picker.set_catalog(_many(50, Project("new", "w", "New website")), [], {})
    qtbot.wait(500)  # far longer than the build takes when nobody types
    assert picker.is_loading()
    assert _shown(picker) == ["Old website"]
    qtbot.waitUntil(lambda: not picker.is_loading(), timeout=10_000)
    assert _shown(picker) == ["New website"]
