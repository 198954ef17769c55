"""The project/task picker: ranking, a large catalog, the model and the keyboard."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tracker.domain.model import Project, Task
from tracker.ui.picker import (
    NO_PROJECT,
    Candidate,
    PickerModel,
    ProjectPicker,
    Search,
    SearchIndex,
    candidates,
    rank,
)

SHOTS = Path("/tmp/shots-tray")


def _projects(*names: str, client: str | None = None) -> list[Project]:
    return [
        Project(f"p{i}", "w", name, client_id=client, color="#e91e63")
        for i, name in enumerate(names)
    ]


def _labels(found: list[Candidate]) -> list[str]:
    return [c.label for c in found]


def test_candidates_list_projects_and_their_open_tasks() -> None:
    projects = _projects("Website", "Internal", client="c1")
    tasks = [
        Task("t1", "w", "p0", "Design", estimate=timedelta(hours=4)),
        Task("t2", "w", "p0", "Old", done=True),
        Task("t3", "w", "gone", "Orphan"),
    ]
    found = candidates(projects, tasks, {"c1": "Acme"})
    assert _labels(found) == ["Internal", "Website", "Website: Design"]
    design = found[2]
    assert (design.project_id, design.task_id, design.client) == ("p0", "t1", "Acme")
    assert design.estimate == timedelta(hours=4)
    assert design.key == "website: design  acme"


def test_exact_then_prefix_then_word_start_then_substring_then_scattered() -> None:
    items = candidates(
        _projects(
            "Marketing web",  # word start
            "Cobweb",  # substring
            "Wide effort bench",  # scattered w..e..b
            "Web",  # exact
            "Website redesign",  # prefix
            "Unrelated",
        ),
        [],
        {},
    )
    assert _labels(rank("web", items, 10)) == [
        "Web",
        "Website redesign",
        "Marketing web",
        "Cobweb",
        "Wide effort bench",
    ]


def test_scattered_matches_prefer_word_starts_and_runs() -> None:
    items = candidates(_projects("Mobile application", "Mxxoxxbxxapp"), [], {})
    assert _labels(rank("mobapp", items)) == ["Mobile application", "Mxxoxxbxxapp"]


def test_tasks_match_as_project_colon_task_and_by_client() -> None:
    projects = [Project("p1", "w", "Website", client_id="c1"), Project("p2", "w", "Internal")]
    tasks = [Task("t1", "w", "p1", "Design"), Task("t2", "w", "p2", "Hiring")]
    items = candidates(projects, tasks, {"c1": "Acme Corp"})
    assert _labels(rank("web des", items)) == ["Website: Design"]
    assert _labels(rank("acme", items)) == ["Website", "Website: Design"]
    assert _labels(rank("hiring", items)) == ["Internal: Hiring"]


def test_empty_query_lists_in_order_and_no_match_is_empty() -> None:
    items = candidates(_projects("b", "a", "c"), [], {})
    assert _labels(rank("", items)) == ["a", "b", "c"]
    assert rank("zzz", items) == []
    assert rank("  ", items, 2) == items[:2]


def test_query_text_is_literal_not_a_pattern() -> None:
    items = candidates(_projects("C++ [core]", "Cxx core", "a.b"), [], {})
    assert _labels(rank("c++ [", items)) == ["C++ [core]"]
    assert _labels(rank("a.b", items)) == ["a.b"]
    assert _labels(rank("]", items)) == ["C++ [core]"]


def test_large_catalog_narrowing_gives_the_same_answer_as_a_fresh_search() -> None:
    names = ["alpha", "beta", "website", "mobile", "billing", "invoice", "design", "api"]
    projects = [
        Project(f"p{i}", "w", f"{names[i % 8].title()} {names[(i * 7) % 8]} {i}", client_id="c")
        for i in range(10_000)
    ]
    projects.append(Project("special", "w", "Billing invoice 12"))
    tasks = [
        Task(f"t{i}", "w", f"p{i % 10_000}", f"{names[(i * 3) % 8]} {i}") for i in range(40_000)
    ]
    items = candidates(projects, tasks, {"c": "Globex"})
    index = SearchIndex(items)
    assert len(index) == 50_001
    previous = None
    for end in range(1, len("bil inv 12") + 1):
        query = "bil inv 12"[:end]
        previous = Search.run(query, index, 50, previous)
        assert previous.best == Search.run(query, index, 50).best, query
    assert previous is not None
    found = [items[i] for i in previous.best]
    assert found
    for item in found:
        # Every result really matches: the letters appear in order.
        key = iter(item.key)
        assert all(char in key for char in "bil inv 12")
    # Letters that start words win over letters inside them.
    assert found[0].label == "Billing invoice 12"


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
    assert picker.current_row() == 1
    assert picker.model.candidate(1).label == "Internal"
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
