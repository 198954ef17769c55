"""The picker's search engine without Qt: the browse order, the tiers, fields that never
share a match, favourites, a reference implementation to agree with, and a large catalog."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Sequence
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.model import Project, Task
from tracker.services import search, search_index, search_steps
from tracker.services.search import Search, rank
from tracker.services.search_candidates import Candidate, candidates
from tracker.services.search_index import SEPARATORS, SearchIndex, normalize
from tracker.services.search_steps import finish


def _projects(*names: str, client: str | None = None) -> list[Project]:
    return [
        Project(f"p{i}", "w", name, client_id=client, color="#e91e63")
        for i, name in enumerate(names)
    ]


def _labels(found: Sequence[Candidate]) -> list[str]:
    return [c.label for c in found]


def _item(label: str, client: str | None = None, pinned: bool = False) -> Candidate:
    return Candidate("p", None, label, client, None, None, pinned)


# --- the catalog's order ----------------------------------------------------------------------


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
    assert design.group == "Acme"


def test_browse_order_groups_by_client_with_tasks_under_their_project() -> None:
    projects = [
        Project("web", "w", "Website", client_id="c2"),
        Project("web2", "w", "Website2", client_id="c2"),
        Project("own", "w", "Zeta internal"),
        Project("ads", "w", "Ads", client_id="c1"),
    ]
    tasks = [
        Task("t1", "w", "web", "Design"),
        Task("t2", "w", "web2", "Build"),
        Task("t3", "w", "web", "Copy"),
    ]
    found = candidates(projects, tasks, {"c1": "Acme", "c2": "Globex"})
    # No client first; then by client; a project's tasks right under it, even where a
    # plain sort by label would put "Website2" between "Website" and "Website: Design".
    assert _labels(found) == [
        "Zeta internal",
        "Ads",
        "Website",
        "Website: Copy",
        "Website: Design",
        "Website2",
        "Website2: Build",
    ]


def test_favourites_come_first_and_a_pinned_task_moves_up_alone() -> None:
    projects = [Project("a", "w", "Alpha"), Project("b", "w", "Beta"), Project("c", "w", "Gamma")]
    tasks = [Task("t1", "w", "a", "One"), Task("t2", "w", "b", "Two"), Task("t3", "w", "c", "X")]
    found = candidates(projects, tasks, {}, pinned={"c", "t1"})
    assert _labels(found) == ["Alpha: One", "Gamma", "Gamma: X", "Alpha", "Beta", "Beta: Two"]
    # In the same order among themselves as in the rest of the list.
    assert [c.pinned for c in found] == [True, True, True, False, False, False]


def test_empty_query_keeps_the_catalog_order_and_no_match_is_empty() -> None:
    items = [_item("b"), _item("a"), _item("c")]
    assert _labels(rank("", items)) == ["b", "a", "c"]
    assert rank("zzz", items) == []
    assert rank("  ", items, 2) == items[:2]


# --- the tiers --------------------------------------------------------------------------------


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
    assert _labels(rank("corp", items)) == ["Website", "Website: Design"]
    assert _labels(rank("hiring", items)) == ["Internal: Hiring"]


def test_letters_never_match_partly_in_the_label_and_partly_in_the_client() -> None:
    items = [_item("Website", "Acme"), _item("Webacme tools")]
    assert _labels(rank("webacme", items)) == ["Webacme tools"]
    assert rank("website acme", items) == []
    assert rank("wsac", [_item("Website", "Acme")]) == []  # w-s in one, a-c in the other
    assert _labels(rank("acme", items)) == ["Website", "Webacme tools"]  # client start first


def test_a_label_match_ranks_above_the_same_tier_in_the_client() -> None:
    items = [_item("Zed", "Design studio"), _item("Design")]
    assert _labels(rank("design", items)) == ["Design", "Zed"]
    items = [_item("Zed", "Studio redesign"), _item("Redesign it")]
    assert _labels(rank("design", items)) == ["Redesign it", "Zed"]


def test_favourites_come_first_within_a_tier_but_not_above_a_better_one() -> None:
    items = [
        _item("Web shop"),
        _item("Website", pinned=True),
        _item("Cobweb", pinned=True),
        _item("Web"),
    ]
    assert _labels(rank("web", items)) == ["Web", "Website", "Web shop", "Cobweb"]


def test_query_text_is_literal_not_a_pattern() -> None:
    items = candidates(_projects("C++ [core]", "Cxx core", "a.b"), [], {})
    assert _labels(rank("c++ [", items)) == ["C++ [core]"]
    assert _labels(rank("a.b", items)) == ["a.b"]
    assert _labels(rank("]", items)) == ["C++ [core]"]


def test_whitespace_in_labels_and_queries_counts_as_one_space() -> None:
    items = [_item("Deep   work\nblock"), _item("Deepwork")]
    assert _labels(rank("DEEP  WORK", items)) == ["Deep   work\nblock"]
    assert normalize("  A\tb  ") == "a b"


def test_a_query_longer_than_the_word_index_key_still_finds_a_word_start() -> None:
    tail = "x" * 60
    items = [_item(f"Start {tail} end"), _item(f"Start{tail} end")]
    assert _labels(rank(f"{tail} end", items)) == [f"Start {tail} end", f"Start{tail} end"]


# --- against a reference ----------------------------------------------------------------------


def _reference(query: str, items: Sequence[Candidate], limit: int) -> list[str]:
    """The tiers as the module's docstring states them, brute force, for small catalogs."""
    q = normalize(query)
    if not q:
        return _labels(items[:limit])
    labels = [normalize(item.label) for item in items]
    rows = sorted(range(len(items)), key=lambda i: (not items[i].pinned, len(labels[i]), i))
    row_of = {i: row for row, i in enumerate(rows)}
    group_first: dict[str, int] = {}
    for i in rows:
        group_first.setdefault(normalize(items[i].group or ""), row_of[i])
    keyed = []
    for i, item in enumerate(items):
        group = normalize(item.group or "")
        key = _tier_key(q, labels[i], group, row_of[i], group_first.get(group, 0))
        if key is not None:
            keyed.append((key, item.label))
    return [label for _, label in sorted(keyed)[:limit]]


def _tier_key(
    q: str, label: str, group: str, row: int, group_row: int
) -> tuple[object, ...] | None:
    word = re.compile(f"(?:^|[{re.escape(''.join(sorted(SEPARATORS)))}]){re.escape(q)}").search
    scattered = search._subsequence(q).match
    if label == q:
        return (0, row)
    if label.startswith(q):
        return (1, row)
    if word(label):
        return (2, row)
    if group and word(group):
        return (3, row)
    if q in label:
        return (4, row)
    if group and q in group:
        return (5, row)
    if hit := scattered(label):
        begin = hit.start(1)
        at_word = begin == 0 or label[begin - 1] in SEPARATORS
        return (6, -search._fuzzy_score(q, label), hit.end() - begin - 6 * at_word, row)
    if group and scattered(group):
        return (7, -search._fuzzy_score(q, group), group_row, row)
    return None


_letters = st.sampled_from("ab :-x")
_items = st.lists(
    st.builds(
        _item,
        st.text(_letters, min_size=1, max_size=8),
        st.one_of(st.none(), st.sampled_from(["ab", "b a", "x:a"])),
        st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(items=_items, query=st.text(_letters, max_size=4), limit=st.integers(1, 30))
def test_the_ranking_is_the_reference_ranking(
    items: list[Candidate], query: str, limit: int
) -> None:
    assert _labels(rank(query, items, limit)) == _reference(query, items, limit)


@settings(max_examples=200, deadline=None)
@given(items=_items, query=st.text(_letters, max_size=4), limit=st.integers(1, 30))
def test_an_index_built_in_small_steps_ranks_as_the_reference(
    items: list[Candidate], query: str, limit: int
) -> None:
    """Steps of two items: every sort is done in pieces and merged, every list freed in
    steps; the index must rank as one built at once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_steps, "STEP", 2)  # the sorts, merges and frees
        patch.setattr(search_index, "STEP", 2)  # the index's own passes
        index = finish(SearchIndex.steps(items))
    assert _labels(rank(query, index, limit)) == _reference(query, items, limit)


@settings(max_examples=300, deadline=None)
@given(items=_items, query=st.text(_letters, min_size=1, max_size=6), limit=st.integers(1, 8))
def test_typing_gives_what_a_fresh_search_gives(
    items: list[Candidate], query: str, limit: int
) -> None:
    index = SearchIndex(items)
    previous = None
    for end in range(1, len(query) + 1):
        previous = Search.run(query[:end], index, limit, previous)
        assert previous.best == Search.run(query[:end], index, limit).best, query[:end]


@settings(max_examples=200, deadline=None)
@given(items=_items, query=st.text(_letters, min_size=1, max_size=6))
def test_typing_gives_a_fresh_search_also_when_the_scan_stops_early(
    items: list[Candidate], query: str
) -> None:
    """With a scan that stops after two matches, picking up where it stopped must still
    land where a fresh scan lands."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SCANNED", 2)
        index = SearchIndex(items)
        previous = None
        for end in range(1, len(query) + 1):
            previous = Search.run(query[:end], index, 3, previous)
            assert previous.best == Search.run(query[:end], index, 3).best, query[:end]


# --- a large catalog --------------------------------------------------------------------------


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
    for query in ("bil inv 12", "wbsrdx", "design", "globex", "zzz"):
        previous = None
        for end in range(1, len(query) + 1):
            previous = Search.run(query[:end], index, 50, previous)
            assert previous.best == Search.run(query[:end], index, 50).best, query[:end]
    previous = None
    for end in range(1, len("bil inv 12") + 1):
        previous = Search.run("bil inv 12"[:end], index, 50, previous)
    assert previous is not None
    found = [items[i] for i in previous.best]
    assert found
    for item in found:
        # Every result really matches: the letters appear in order in the label.
        key = iter(item.label.lower())
        assert all(char in key for char in "bil inv 12")
    # Letters that start words win over letters inside them.
    assert found[0].label == "Billing invoice 12"


def test_the_engine_needs_no_qt() -> None:
    code = (
        "import sys; import tracker.services.search as s; "
        "import tracker.services.search_candidates as c; "
        "s.rank('a', [c.Candidate(None, None, 'abc', None, None, None)]); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
